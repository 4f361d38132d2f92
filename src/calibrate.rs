//! `wedge calibrate` and `--ensemble`: flags in, `wedge-calibrate` calls, files out.

use std::path::{Path, PathBuf};

use wedge_calibrate::{CalibrateFiles, CalibrateOptions, ensemble_settings};
use wedge_scenario::Calibration;
use wedge_scenario::load::Resolved;

use crate::args::{BatchArgs, CalibrateArgs};
use crate::failure::Failure;
use crate::output::emit;
use crate::present::{interrupt_flag, render, render_arms, with_progress};

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
    let shard = wedge_runner::requested_shard(a.shard.as_deref(), |name| std::env::var(name).ok())
        .map_err(|e| Failure::usage(e.to_string()))?;
    let options = CalibrateOptions {
        draws: a.draws,
        seed: a.seed,
        shard,
        ..CalibrateOptions::default()
    };
    let quiet = a.quiet || !a.merge.is_empty();
    let report = with_progress(a.draws.unwrap_or(cal.file.draws), quiet, |bar| {
        files.calibrate(&cal, options, &interrupt_flag(), &mut |d| {
            bar.set_position(d)
        })
    });
    match report? {
        Some(report) => emit(a.report.as_deref(), &report),
        None => Ok(()),
    }
}

/// `run` (`arms`: none) or `compare` (`arms`: variant scenarios and levers)
/// over every draw of the ensemble `--ensemble` or the scenario names, if
/// any: the rendered result, or `None` when there is no ensemble to play.
pub fn over_ensemble(
    flag: Option<&Path>,
    resolved: &Resolved,
    arms: Option<(&[PathBuf], &[String])>,
    args: &BatchArgs,
    runs_out: Option<&Path>,
    command: &str,
) -> Result<Option<String>, Failure> {
    let outputs = args.outputs(runs_out);
    let Some(post) = wedge_calibrate::ensemble_for(flag, resolved, &outputs)? else {
        return Ok(None);
    };
    let (seed, runs, ci) = (args.seed(), args.runs, args.target_ci);
    let settings = ensemble_settings(resolved, seed, runs, ci, command)?;
    let stop = interrupt_flag();
    with_progress(post.draws.len() as u64, args.quiet, |bar| {
        let mut tick = |d| bar.set_position(d);
        let text = match arms {
            Some((variants, levers)) => {
                let r = wedge_calibrate::compare_over(
                    &post, resolved, variants, levers, &settings, &stop, &mut tick,
                );
                render_arms(&r?, args.out.format, "arm")
            }
            None => {
                let r = wedge_calibrate::run_over(&post, resolved, &settings, &stop, &mut tick);
                render(args.out.format, &r?)
            }
        };
        text.map(Some)
    })
}
