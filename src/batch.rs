//! `wedge run` and `wedge merge`: run sessions with progress, checkpoints, shards and resume.

use std::path::{Path, PathBuf};
use std::time::Duration;

use wedge_runner::{BatchError, Partial, Requested, RunPlan, RunSession, RunTable};

use crate::args::{OutputArgs, RunArgs};
use crate::calibrate::over_ensemble;
use crate::failure::Failure;
use crate::output::{emit, json};
use crate::present::{deliver, interrupt_flag, progress, render};
use wedge_io::MAX_PARTIAL_BYTES;

/// `wedge run`.
pub fn run(options: &RunArgs, command: &str) -> Result<(), Failure> {
    let args = &options.batch;
    args.prepare(options.runs_out.as_deref())?;
    let resolved = wedge_scenario::load::Resolved::read(&options.scenario)?;
    let (flag, runs_out) = (options.ensemble.as_deref(), options.runs_out.as_deref());
    if let Some(text) = over_ensemble(flag, &resolved, None, args, runs_out, command)? {
        return emit(args.out.output.as_deref(), &text);
    }
    let checkpoint = options.checkpoint.as_deref();
    let loaded = wedge_scenario::load(&options.scenario)?;
    let model = &loaded.model;
    let outputs = args.outputs(options.runs_out.as_deref());
    let with_checkpoint = [&outputs[..], &[("--checkpoint", checkpoint)]].concat();
    wedge_io::guard_outputs(&with_checkpoint, &loaded.inputs)?;
    if let Some(resume) = &options.resume {
        // The checkpoint may be the file resumed from; the result and charts may not.
        wedge_io::guard_outputs(&outputs, std::slice::from_ref(resume))?;
    }
    if let Some(path) = checkpoint {
        wedge_io::remove_stale_temporaries(path);
    }
    let shard =
        wedge_runner::requested_shard(options.shard.as_deref(), |name| std::env::var(name).ok())
            .map_err(|e| Failure::usage(e.to_string()))?;
    if shard.is_some() && args.target_ci.is_some() {
        return Err(Failure::usage(
            "--shard and --target-ci cannot be combined: a shard needs a fixed run plan",
        ));
    }
    let stop = interrupt_flag();
    let requested = Requested {
        runs: args.runs,
        seed: args.seed,
        shard,
        target_ci: args.target_ci,
    };
    let mut session = match &options.resume {
        Some(path) => {
            let text = wedge_io::read_text(path, MAX_PARTIAL_BYTES)?;
            let partial =
                Partial::from_json(&text).map_err(|e| usage!("{}: {e}", path.display()))?;
            RunSession::resume(model, &loaded.hash, partial, requested)
                .map_err(|e| usage!("--resume {}: {e}", path.display()))?
        }
        None => {
            let plan = RunPlan::new(&model.spec().name, &loaded.hash, args.seed(), args.runs());
            RunSession::fresh(model, plan, &requested).map_err(|e| Failure::usage(e.to_string()))?
        }
    };
    let bar = progress(session.plan().runs, args.quiet);
    let every = Duration::from_secs(options.checkpoint_every);
    let mut save_to = |p: &Partial| checkpoint.map_or(Ok(()), |path| save(path, p));
    let outcome = session.run_checkpointed(&stop, every, &mut save_to, &mut |done, planned| {
        bar.set_length(planned);
        bar.set_position(done);
    })?;
    let partial = session.partial();
    if let Err(BatchError::Interrupted { .. }) = outcome {
        bar.abandon();
        let Some(path) = checkpoint else {
            return Err(Failure::runtime(
                "interrupted (Ctrl-C or SIGTERM); no --checkpoint was given, so the partial result is lost",
            ));
        };
        return Err(Failure::Interrupted(format!(
            "{} of {} runs done; checkpoint saved to {} (continue with: wedge run {} --resume {})",
            partial.aggregate.runs,
            partial.plan.runs,
            path.display(),
            options.scenario.display(),
            path.display()
        )));
    }
    bar.finish_and_clear();
    if let Some(path) = &options.runs_out {
        let table = RunTable::single(model, session.plan().seed);
        let runs = (session.run_range(), session.plan().runs);
        crate::runs_out::write(path, &table, runs, &loaded.hash, command, &stop)?;
    }
    if session.shard_of().is_some() {
        // A shard's result is its partial, for `wedge merge`.
        return emit(args.out.output.as_deref(), &json(partial)?);
    }
    let result = session.result(command);
    deliver(args, &render(args.out.format, &result)?, || {
        wedge_report::run_figures(&result)
    })
}

/// Write a checkpoint (or a shard's partial) atomically.
fn save(path: &Path, partial: &Partial) -> Result<(), Failure> {
    Ok(wedge_io::write_atomic(path, json(partial)?.as_bytes())?)
}

/// `wedge merge`.
pub fn merge(parts: &[PathBuf], out: &OutputArgs, command: &str) -> Result<(), Failure> {
    let output = out.output.as_deref();
    wedge_io::guard_outputs(&[("-o", output)], parts)?;
    let read: Vec<Partial> = parts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let text = wedge_io::read_text(p, MAX_PARTIAL_BYTES)?;
            Partial::read(&text, i).map_err(|e| usage!("{}: {e}", p.display()))
        })
        .collect::<Result<_, _>>()?;
    let merged = wedge_runner::merge(&read).map_err(|e| usage!("cannot merge: {e}"))?;
    let result = wedge_runner::merged_result(&merged, command).map_err(Failure::usage)?;
    emit(output, &render(out.format, &result)?)
}
