//! `wedge run` and `wedge merge`: run sessions with progress, checkpoints, shards and resume.

use std::path::{Path, PathBuf};
use std::time::Instant;

pub use wedge_runner::MAX_RUNS;
use wedge_runner::{
    BatchError, CHUNK_RUNS, Partial, Requested, RunPlan, RunResult, RunSession, RunTable, TableArm,
};

use crate::args::{Format, RunArgs, check_batch};
use crate::failure::Failure;
use crate::output::{emit, guard_outputs, json, write_atomic};
use crate::present::{interrupt_flag, progress, render, write_svg};

pub(crate) fn parse_shard(text: &str) -> Result<(u64, u64), Failure> {
    let bad = || usage!("--shard must be K/N with 1 ≤ K ≤ N, got `{text}`");
    let (k, n) = text.split_once('/').ok_or_else(bad)?;
    let k: u64 = k.trim().parse().map_err(|_| bad())?;
    let n: u64 = n.trim().parse().map_err(|_| bad())?;
    if k == 0 || n == 0 || k > n || n > 1_000_000 {
        return Err(bad());
    }
    Ok((k, n))
}

fn read_partial(path: &Path) -> Result<Partial, Failure> {
    let text = crate::output::read_input(path, crate::output::MAX_PARTIAL_BYTES)?;
    Partial::from_json(&text).map_err(|e| usage!("{}: {e}", path.display()))
}

/// Remove temporary files a killed process left next to `path` (never `path` itself).
fn remove_stale_temporaries(path: &Path) {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let Some(name) = path.file_name() else { return };
    let prefix = format!(".{}.", name.to_string_lossy());
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        if file.starts_with(&prefix) && file.ends_with(".tmp") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// `wedge run`.
pub fn run(options: &RunArgs, command: &str) -> Result<(), Failure> {
    let args = &options.batch;
    check_batch(args)?;
    if let Some(path) = &options.runs_out {
        crate::runs_out::check_path(path)?;
    }
    let resolved = wedge_scenario::load::Resolved::read(&options.scenario)?;
    if let Some(post) = crate::calibrate::posterior_for(options.ensemble.as_deref(), &resolved)? {
        let text =
            crate::calibrate::over_ensemble(&post, &resolved, &[], &[], args, command, false);
        return emit(args.output.as_deref(), &text?);
    }
    let checkpoint = options.checkpoint.as_deref();
    let loaded = wedge_scenario::load(&options.scenario)?;
    let model = &loaded.model;
    let outputs = [
        ("-o", args.output.as_deref()),
        ("--plot", args.plot.as_deref()),
        ("--plot-data", args.plot_data.as_deref()),
        ("--runs-out", options.runs_out.as_deref()),
        ("--checkpoint", checkpoint),
    ];
    guard_outputs(&outputs, &loaded.inputs)?;
    if let Some(resume) = &options.resume {
        // The checkpoint may be the file resumed from; the result and charts may not.
        guard_outputs(&outputs[..4], std::slice::from_ref(resume))?;
    }
    if let Some(path) = checkpoint {
        remove_stale_temporaries(path);
    }
    let shard = match &options.shard {
        Some(text) => Some(parse_shard(text)?),
        None => wedge_runner::shard_from_env(|name| std::env::var(name).ok())
            .map_err(|e| Failure::usage(e.to_string()))?,
    };
    if shard.is_some() && args.target_ci.is_some() {
        return Err(Failure::usage(
            "--shard and --target-ci cannot be combined: a shard needs a fixed run plan",
        ));
    }
    let stop = interrupt_flag();
    let mut session = match (&options.resume, shard) {
        (Some(path), _) => {
            let requested = Requested {
                runs: args.runs,
                seed: args.seed,
                shard,
                target_ci: args.target_ci,
            };
            RunSession::resume(model, &loaded.hash, read_partial(path)?, requested)
                .map_err(|e| usage!("--resume {}: {e}", path.display()))?
        }
        (None, Some((k, n))) => {
            let plan = RunPlan::new(&model.spec().name, &loaded.hash, args.seed(), args.runs());
            RunSession::shard(model, plan, k, n).map_err(|e| Failure::usage(e.to_string()))?
        }
        (None, None) => {
            let plan = RunPlan::new(&model.spec().name, &loaded.hash, args.seed(), args.runs());
            RunSession::new(model, plan, args.target_ci)
        }
    };
    let bar = progress(session.plan().runs, args.quiet);
    let mut last_checkpoint = Instant::now();
    let mut checkpoint_error = None;
    let outcome = session.run(&stop, &mut |p| {
        bar.set_length(p.runs_planned);
        bar.set_position(p.runs_done);
        if let Some(path) = checkpoint
            && last_checkpoint.elapsed().as_secs() >= options.checkpoint_every
        {
            if let Err(e) = json(&p.snapshot()).and_then(|t| write_atomic(path, t.as_bytes())) {
                checkpoint_error = Some(e);
            }
            last_checkpoint = Instant::now();
        }
    });
    if let Some(e) = checkpoint_error {
        return Err(e);
    }
    let partial = session.partial();
    if let Err(BatchError::Interrupted { .. }) = outcome {
        bar.abandon();
        let Some(path) = checkpoint else {
            return Err(Failure::runtime(
                "interrupted (Ctrl-C or SIGTERM); no --checkpoint was given, so the partial result is lost",
            ));
        };
        write_atomic(path, json(partial)?.as_bytes())?;
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
        let plan = session.plan();
        let runs = match session.shard_of() {
            Some([k, n]) => {
                let (first, end) = plan.shard_chunks(k, n);
                (first * CHUNK_RUNS).min(plan.runs)..(end * CHUNK_RUNS).min(plan.runs)
            }
            None => 0..plan.runs,
        };
        let name = model.spec().name.clone();
        let arm = TableArm {
            name: &name,
            model,
            set: &[],
        };
        let table = RunTable::new(vec![arm], Vec::new(), plan.seed);
        crate::runs_out::write(path, &table, runs, plan.runs, &loaded.hash, command, &stop)?;
    }
    if session.shard_of().is_some() {
        // A shard's result is its partial, for `wedge merge`.
        if let Some(path) = checkpoint {
            write_atomic(path, json(partial)?.as_bytes())?;
        }
        return emit(args.output.as_deref(), &json(partial)?);
    }
    if let Some(path) = checkpoint {
        write_atomic(path, json(partial)?.as_bytes())?;
    }
    let result = session.result(command);
    // The result first: a chart that fails must not lose it.
    emit(args.output.as_deref(), &render_run(&result, args.format)?)?;
    if let Some(path) = &args.plot {
        write_svg(path, wedge_report::run_survival_svg(&result))?;
    }
    if let Some(path) = &args.plot_data {
        write_atomic(path, wedge_report::run_plot_csv(&result).as_bytes())?;
    }
    Ok(())
}

fn render_run(result: &RunResult, format: Format) -> Result<String, Failure> {
    render(
        format,
        result,
        wedge_report::run_text,
        wedge_report::run_csv,
    )
}

/// `wedge merge`.
pub fn merge(
    parts: &[PathBuf],
    format: Format,
    output: Option<&Path>,
    command: &str,
) -> Result<(), Failure> {
    guard_outputs(&[("-o", output)], parts)?;
    let read: Vec<Partial> = parts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let text = crate::output::read_input(p, crate::output::MAX_PARTIAL_BYTES)?;
            Partial::read(&text, i).map_err(|e| usage!("{}: {e}", p.display()))
        })
        .collect::<Result<_, _>>()?;
    let merged = wedge_runner::merge(&read).map_err(|e| usage!("cannot merge: {e}"))?;
    let result = wedge_runner::merged_result(&merged, command).map_err(Failure::usage)?;
    emit(output, &render_run(&result, format)?)
}
