//! `wedge calibrate` and `--ensemble`: flags in, `wedge-calibrate` calls, files out.

use std::path::{Path, PathBuf};

use wedge_calibrate::{CalibrateFiles, CalibrateOptions, ensemble_settings};
use wedge_scenario::Calibration;
use wedge_scenario::load::Resolved;

use crate::args::BatchArgs;
use crate::failure::Failure;
use crate::output::emit;
use crate::present::{interrupt_flag, render, with_progress};

/// Flags of `wedge calibrate`.
#[derive(Debug, clap::Args)]
pub struct CalibrateArgs {
    /// Calibration plan (.ron): priors, episodes of the record, seed, draws (e.g. scenarios/calibration.ron).
    pub plan: PathBuf,
    /// Write the posterior ensemble here (.ron); with --shard, the shard's partial (JSON).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Write the calibration report (Markdown) here instead of stdout.
    #[arg(long, value_name = "FILE.md")]
    pub report: Option<PathBuf>,
    /// Draws from the prior [default: the plan's].
    #[arg(long)]
    pub draws: Option<u64>,
    /// Master seed [default: the plan's].
    #[arg(long)]
    pub seed: Option<u64>,
    /// Play only shard K of N of the draws; under Slurm, from SLURM_ARRAY_TASK_ID.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// Merge partial results written by --shard (every draw once), then estimate.
    #[arg(long, num_args = 1.., value_name = "PART.json")]
    pub merge: Vec<PathBuf>,
    /// Save the draws played so far here (JSON), every 64 draws.
    #[arg(long, value_name = "FILE.json")]
    pub checkpoint: Option<PathBuf>,
    /// Continue from a checkpoint: its draws are not played again.
    #[arg(long, value_name = "FILE.json")]
    pub resume: Option<PathBuf>,
    /// No progress bar.
    #[arg(short, long)]
    pub quiet: bool,
}

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
                crate::compare::render_arms(&r?, args.out.format, "arm")
            }
            None => {
                let r = wedge_calibrate::run_over(&post, resolved, &settings, &stop, &mut tick);
                render(args.out.format, &r?)
            }
        };
        text.map(Some)
    })
}
