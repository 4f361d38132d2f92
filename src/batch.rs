//! `wedge run` and `wedge merge`: run sessions (fresh, resumed, sharded or
//! over an ensemble) played by `wedge-calibrate`, with progress and output.

use std::path::PathBuf;

use wedge_calibrate::RunOutcome;

use crate::args::{OutputArgs, RunArgs};
use crate::failure::Failure;
use crate::present::{deliver, emit, interrupt_flag, with_progress};

/// `wedge run`.
pub fn run(flags: RunArgs, command: &str) -> Result<(), Failure> {
    let (mut job, batch) = (flags.job, flags.batch);
    batch.work.use_threads();
    let env = |v: &str| std::env::var(v).ok();
    job.requested.shard = wedge_runner::requested_shard(flags.shard.as_deref(), env)?;
    job.command = command.to_string();
    let stop = interrupt_flag();
    let outputs = batch.outputs();
    match with_progress(batch.work.quiet, |tick| job.play(&outputs, &stop, tick))? {
        RunOutcome::Done(result) => deliver(&batch, &result, || wedge_report::run_figures(&result)),
        // A shard's result is its partial, for `wedge merge`.
        RunOutcome::Shard(partial) => emit(
            batch.work.out.output.as_deref(),
            &wedge_calibrate::pretty_json(&partial)?,
        ),
        RunOutcome::Ensemble(result) => batch.work.out.write(&result),
    }
}

/// `wedge merge`.
pub fn merge(parts: &[PathBuf], out: &OutputArgs, command: &str) -> Result<(), Failure> {
    wedge_io::guard_outputs(&[("-o", out.output.as_deref())], parts)?;
    out.write(&wedge_calibrate::merge_runs(parts, command)?)
}
