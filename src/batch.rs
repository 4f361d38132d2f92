//! `wedge run` and `wedge merge`: run sessions (fresh, resumed, sharded or
//! over an ensemble) played by `wedge-calibrate`, with progress and output.

use std::path::PathBuf;
use std::time::Duration;

use wedge_calibrate::{RunJob, RunOutcome};

use crate::args::{OutputArgs, RunArgs};
use crate::failure::Failure;
use crate::present::{deliver, emit, interrupt_flag, json, with_progress};

/// `wedge run`.
pub fn run(options: &RunArgs, command: &str) -> Result<(), Failure> {
    let args = &options.batch;
    let runs_out = options.runs_out.as_deref();
    args.prepare(runs_out)?;
    let shard = wedge_runner::requested_shard(options.shard.as_deref(), |v| std::env::var(v).ok())?;
    let job = RunJob {
        scenario: options.scenario.clone(),
        requested: args.requested(shard),
        ensemble: options.ensemble.clone(),
        checkpoint: options.checkpoint.clone(),
        checkpoint_every: Duration::from_secs(options.checkpoint_every),
        resume: options.resume.clone(),
        runs_out: options.runs_out.clone(),
        command: command.to_string(),
    };
    let stop = interrupt_flag();
    let outputs = args.outputs(runs_out);
    match with_progress(args.work.quiet, |tick| job.play(&outputs, &stop, tick))? {
        RunOutcome::Done(result) => deliver(args, &result, || wedge_report::run_figures(&result)),
        // A shard's result is its partial, for `wedge merge`.
        RunOutcome::Shard(partial) => emit(args.work.out.output.as_deref(), &json(&partial)?),
        RunOutcome::Ensemble(result) => args.work.out.write(&result),
    }
}

/// `wedge merge`.
pub fn merge(parts: &[PathBuf], out: &OutputArgs, command: &str) -> Result<(), Failure> {
    wedge_io::guard_outputs(&[("-o", out.output.as_deref())], parts)?;
    out.write(&wedge_calibrate::merge_runs(parts, command)?)
}
