//! `wedge calibrate`: flags in, `wedge-calibrate` calls, files out.

use wedge_calibrate::{CalibrateFiles, CalibrateOptions};
use wedge_scenario::Calibration;

use crate::args::CalibrateArgs;
use crate::failure::Failure;
use crate::present::{emit, interrupt_flag, with_progress};

/// `wedge calibrate`.
pub fn calibrate(a: &CalibrateArgs) -> Result<(), Failure> {
    let cal = Calibration::read(&a.plan)?;
    let files = CalibrateFiles {
        out: a.out.clone(),
        report: a.report.clone(),
        checkpoint: a.checkpoint.clone(),
        resume: a.resume.clone(),
        merge: a.merge.clone(),
    };
    files.guard(&cal)?;
    let env = |name: &str| std::env::var(name).ok();
    let options = CalibrateOptions {
        draws: a.draws,
        seed: a.seed,
        shard: wedge_runner::requested_shard(a.shard.as_deref(), env)?,
        ..CalibrateOptions::default()
    };
    let (quiet, draws) = (
        a.quiet || !a.merge.is_empty(),
        a.draws.unwrap_or(cal.file.draws),
    );
    let report = with_progress(quiet, |tick| {
        files.calibrate(&cal, options, &interrupt_flag(), &mut |d| tick(d, draws))
    });
    match report? {
        Some(report) => emit(a.report.as_deref(), &report),
        None => Ok(()),
    }
}
