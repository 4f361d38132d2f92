//! `wedge calibrate`: flags in, `wedge-calibrate` calls, files out.

use wedge_scenario::Calibration;

use crate::args::CalibrateArgs;
use crate::failure::Failure;
use crate::present::{emit, interrupt_flag, with_progress};

/// `wedge calibrate`.
pub fn calibrate(a: CalibrateArgs) -> Result<(), Failure> {
    let (files, mut options) = (a.files, a.options);
    let cal = Calibration::read(&a.plan)?;
    files.guard(&cal)?;
    let env = |name: &str| std::env::var(name).ok();
    options.shard = wedge_runner::requested_shard(a.shard.as_deref(), env)?;
    let quiet = a.quiet || !files.merge.is_empty();
    let draws = options.draws.unwrap_or(cal.file.draws);
    let report = with_progress(quiet, |tick| {
        files.calibrate(&cal, options, &interrupt_flag(), &mut |d| tick(d, draws))
    });
    match report? {
        Some(report) => emit(files.report.as_deref(), &report),
        None => Ok(()),
    }
}
