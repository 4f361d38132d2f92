//! `wedge calibrate` and `--ensemble`: flags in, `wedge-calibrate` calls, files out.

use std::path::{Path, PathBuf};

use wedge_calibrate::{CalibrateOptions, CalibrateOutcome, Error};
use wedge_scenario::load::Resolved;
use wedge_scenario::{Calibration, PosteriorFile};

use crate::args::BatchArgs;
use crate::failure::Failure;
use crate::output::{MAX_PARTIAL_BYTES, emit, json, read_input};
use crate::present::{interrupt_flag, render, with_progress};
use wedge_io::{guard_outputs, write_atomic};

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

fn failure(e: Error) -> Failure {
    match e {
        Error::Scenario(e) => e.into(),
        Error::Merge(m) | Error::Usage(m) => Failure::usage(m),
        other => Failure::runtime(other.to_string()),
    }
}

/// `wedge calibrate`.
pub fn calibrate(a: &CalibrateArgs) -> Result<(), Failure> {
    let cal = Calibration::read(&a.plan)?;
    let inputs = [&cal.inputs[..], &a.merge].concat();
    guard_outputs(&[("--checkpoint", a.checkpoint.as_deref())], &inputs)?;
    // The checkpoint may be the file resumed from; the posterior and report may not.
    let outputs = [
        ("--out", Some(a.out.as_path())),
        ("--report", a.report.as_deref()),
    ];
    guard_outputs(&outputs, &[&inputs[..], a.resume.as_slice()].concat())?;
    let shard = wedge_runner::requested_shard(a.shard.as_deref(), |name| std::env::var(name).ok())
        .map_err(|e| Failure::usage(e.to_string()))?;
    let mut merge = Vec::new();
    for path in &a.merge {
        let text = read_input(path, MAX_PARTIAL_BYTES)?;
        merge.push(
            serde_json::from_str(&text)
                .map_err(|e| usage!("{}: not a calibration partial: {e}", path.display()))?,
        );
    }
    let resume = match &a.resume {
        Some(p) => Some(
            serde_json::from_str(&read_input(p, MAX_PARTIAL_BYTES)?)
                .map_err(|e| usage!("{}: not a calibration checkpoint: {e}", p.display()))?,
        ),
        None => None,
    };
    let options = CalibrateOptions {
        draws: a.draws,
        seed: a.seed,
        shard,
        merge,
        resume,
    };
    let save = |p: &wedge_calibrate::Partial| match &a.checkpoint {
        Some(path) => serde_json::to_string(p)
            .map_err(|e| e.to_string())
            .and_then(|t| write_atomic(path, t.as_bytes()).map_err(|e| e.to_string())),
        None => Ok(()),
    };
    let quiet = a.quiet || !a.merge.is_empty();
    let outcome = with_progress(a.draws.unwrap_or(cal.file.draws), quiet, |bar| {
        wedge_calibrate::calibrate(
            &cal,
            options,
            &interrupt_flag(),
            &mut |d| bar.set_position(d),
            &mut |p| save(p),
        )
    });
    match outcome.map_err(failure)? {
        CalibrateOutcome::Shard(part) => Ok(write_atomic(&a.out, json(&part)?.as_bytes())?),
        CalibrateOutcome::Posterior(post, report) => {
            write_atomic(&a.out, post.to_ron().as_bytes())?;
            emit(a.report.as_deref(), &report)
        }
    }
}

/// The ensemble to play: `--ensemble`, else the scenario's named posterior, else none;
/// `outputs` may not overwrite it.
pub fn posterior_for(
    flag: Option<&Path>,
    resolved: &Resolved,
    outputs: &[(&str, Option<&Path>)],
) -> Result<Option<PosteriorFile>, Failure> {
    let path = flag
        .map(Path::to_path_buf)
        .or_else(|| resolved.posterior.clone());
    let read = path
        .iter()
        .map(|p| std::fs::canonicalize(p).unwrap_or(p.clone()));
    guard_outputs(outputs, &read.collect::<Vec<_>>())?;
    Ok(wedge_calibrate::posterior_for(flag, resolved)?)
}

/// `run` (no variants or levers) or `compare` over every draw of `post`, rendered.
pub fn over_ensemble(
    post: &PosteriorFile,
    resolved: &Resolved,
    variants: &[PathBuf],
    levers: &[String],
    args: &BatchArgs,
    command: &str,
    compare: bool,
) -> Result<String, Failure> {
    if args.target_ci.is_some() {
        return Err(Failure::usage(
            "--target-ci cannot be combined with an ensemble: give --runs per draw",
        ));
    }
    let hash = resolved.build(&[], &[])?.hash;
    let settings = args.settings((resolved.name(), &hash), 500, command);
    let stop = interrupt_flag();
    with_progress(post.draws.len() as u64, args.quiet, |bar| {
        let mut tick = |d| bar.set_position(d);
        if compare {
            let r = wedge_calibrate::compare_over(
                post, resolved, variants, levers, &settings, &stop, &mut tick,
            );
            crate::compare::render_arms(&r.map_err(failure)?, args.out.format, "arm")
        } else {
            let r = wedge_calibrate::run_over(post, resolved, &settings, &stop, &mut tick);
            render(args.out.format, &r.map_err(failure)?)
        }
    })
}
