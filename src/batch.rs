//! `wedge run` and `wedge merge`: batches with progress, checkpoints, shards and resume.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use wedge_core::Model;
use wedge_runner::aggregate::Aggregate;
use wedge_runner::batch::{Batch, Control, run_chunks};
use wedge_runner::partial::{FORMAT, Partial, RunPlan, merge as merge_parts};
use wedge_runner::stats::wilson_half_width;
use wedge_runner::summary::{Manifest, RunResult, summarize};
use wedge_runner::{BatchError, CHUNK_RUNS};

use crate::args::{BatchArgs, Format};
use crate::failure::Failure;
use crate::output::{csv, emit, json, pct_interval, write_atomic};

/// Most runs a single invocation accepts (per arm).
pub const MAX_RUNS: u64 = 1_000_000_000;

/// Validate the batch flags shared by every batch command.
pub fn check_batch(args: &BatchArgs) -> Result<(), Failure> {
    if args.runs == 0 || args.runs > MAX_RUNS {
        return Err(Failure::usage(format!(
            "--runs must be between 1 and {MAX_RUNS}, got {}",
            args.runs
        )));
    }
    if let Some(t) = args.threads
        && (t == 0 || t > 1024)
    {
        return Err(Failure::usage(format!(
            "--threads must be between 1 and 1024, got {t}"
        )));
    }
    if let Some(w) = args.target_ci
        && !(w.is_finite() && (1e-4..0.5).contains(&w))
    {
        return Err(Failure::usage(format!(
            "--target-ci must be a half-width in [0.0001, 0.5), got {w}"
        )));
    }
    if let Some(threads) = args.threads {
        // A second call in one process fails harmlessly (tests call commands through the binary).
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global();
    }
    Ok(())
}

/// A Ctrl-C flag (set once per process).
pub fn interrupt_flag() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let handler_flag = Arc::clone(&flag);
    let _ = ctrlc::set_handler(move || handler_flag.store(true, Ordering::SeqCst));
    flag
}

/// A progress bar on stderr, hidden unless stderr is a terminal and not --quiet.
pub fn progress(total_runs: u64, quiet: bool) -> ProgressBar {
    use std::io::IsTerminal;
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total_runs);
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} runs  {per_sec}  eta {eta}")
    {
        bar.set_style(style);
    }
    bar
}

fn parse_shard(text: &str) -> Result<(u64, u64), Failure> {
    let bad = || Failure::usage(format!("--shard must be K/N with 1 ≤ K ≤ N, got `{text}`"));
    let (k, n) = text.split_once('/').ok_or_else(bad)?;
    let k: u64 = k.trim().parse().map_err(|_| bad())?;
    let n: u64 = n.trim().parse().map_err(|_| bad())?;
    if k == 0 || n == 0 || k > n || n > 1_000_000 {
        return Err(bad());
    }
    Ok((k, n))
}

fn slurm_shard() -> Option<String> {
    let id: u64 = std::env::var("SLURM_ARRAY_TASK_ID").ok()?.parse().ok()?;
    let count: u64 = std::env::var("SLURM_ARRAY_TASK_COUNT").ok()?.parse().ok()?;
    let min: u64 = std::env::var("SLURM_ARRAY_TASK_MIN")
        .ok()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    Some(format!("{}/{}", id - min + 1, count))
}

fn read_partial(path: &Path) -> Result<Partial, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?;
    Partial::from_json(&text).map_err(|e| Failure::usage(format!("{}: {e}", path.display())))
}

/// Checkpointing, resuming and sharding options of `wedge run`.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions<'a> {
    /// Where to write checkpoints.
    pub checkpoint: Option<&'a Path>,
    /// Seconds between checkpoints.
    pub checkpoint_every: u64,
    /// A checkpoint to continue from.
    pub resume: Option<&'a Path>,
    /// `K/N`.
    pub shard: Option<&'a str>,
}

/// Remove temporary files a killed process left next to `path` (never `path` itself).
fn remove_stale_temporaries(path: &Path) {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return;
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let prefix = format!(".{}.", name.to_string_lossy());
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let file = entry.file_name().to_string_lossy().into_owned();
            if file.starts_with(&prefix) && file.ends_with(".tmp") {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// `wedge run`.
pub fn run(
    scenario: &Path,
    args: &BatchArgs,
    options: &RunOptions<'_>,
    command: &str,
) -> Result<(), Failure> {
    let RunOptions {
        checkpoint,
        checkpoint_every,
        resume,
        shard,
    } = *options;
    check_batch(args)?;
    if let Some(path) = checkpoint {
        remove_stale_temporaries(path);
    }
    crate::plot::check_plot_path(args.plot.as_deref())?;
    let loaded = wedge_scenario::load(scenario)?;
    let model = &loaded.model;
    let shard = match shard.map(str::to_string).or_else(slurm_shard) {
        Some(text) => Some(parse_shard(&text)?),
        None => None,
    };
    if shard.is_some() && args.target_ci.is_some() {
        return Err(Failure::usage(
            "--shard and --target-ci cannot be combined: a shard needs a fixed run plan",
        ));
    }
    let stop = interrupt_flag();
    let started = Instant::now();

    let mut plan = RunPlan {
        version: env!("CARGO_PKG_VERSION").to_string(),
        scenario: model.spec().name.clone(),
        scenario_hash: loaded.hash.clone(),
        seed: args.seed,
        runs: args.runs,
    };
    let mut partial = match resume {
        Some(path) => {
            let p = read_partial(path)?;
            if p.plan.scenario_hash != plan.scenario_hash
                || p.plan.seed != plan.seed
                || p.plan.version != plan.version
            {
                return Err(Failure::usage(format!(
                    "{} was written for another run (scenario {}, seed {}, wedge {}); this one is scenario {}, seed {}, wedge {}",
                    path.display(),
                    p.plan.scenario,
                    p.plan.seed,
                    p.plan.version,
                    plan.scenario,
                    plan.seed,
                    plan.version
                )));
            }
            plan.runs = p.plan.runs;
            p
        }
        None => {
            let (first, end) = match shard {
                Some((k, n)) => plan.shard_chunks(k, n),
                None => (0, plan.chunks()),
            };
            Partial {
                format: FORMAT.to_string(),
                plan: plan.clone(),
                first_chunk: first,
                next_chunk: first,
                end_chunk: end,
                aggregate: Aggregate::new(model),
                spec: model.spec().clone(),
            }
        }
    };

    let bar = progress(plan.runs, args.quiet);
    let mut last_checkpoint = Instant::now();
    let mut checkpoint_error = None;
    loop {
        let batch = Batch {
            seed: plan.seed,
            runs: plan.runs,
            first_chunk: partial.next_chunk,
            end_chunk: partial.end_chunk,
        };
        let mut aggregate = std::mem::replace(&mut partial.aggregate, Aggregate::new(model));
        let template = partial.clone();
        let mut on_wave = |agg: &Aggregate, next: u64| {
            bar.set_position(agg.runs);
            if let Some(path) = checkpoint
                && last_checkpoint.elapsed().as_secs() >= checkpoint_every
            {
                let snapshot = Partial {
                    next_chunk: next,
                    aggregate: agg.clone(),
                    ..template.clone()
                };
                if let Err(e) = json(&snapshot).and_then(|text| write_atomic(path, text.as_bytes()))
                {
                    checkpoint_error = Some(e);
                }
                last_checkpoint = Instant::now();
            }
        };
        let result = run_chunks(
            model,
            &batch,
            &mut aggregate,
            Control {
                stop: &stop,
                on_wave: &mut on_wave,
            },
        );
        if let Some(e) = checkpoint_error.take() {
            return Err(e);
        }
        let completed = match &result {
            Ok(()) => batch.end_chunk,
            Err(BatchError::Interrupted { completed_chunks }) => {
                batch.first_chunk + completed_chunks
            }
        };
        partial.aggregate = aggregate;
        partial.next_chunk = completed;
        if result.is_err() {
            bar.abandon();
            return match checkpoint {
                Some(path) => {
                    write_atomic(path, json(&partial)?.as_bytes())?;
                    Err(Failure::Interrupted(format!(
                        "{} of {} runs done; checkpoint saved to {} (continue with --resume {})",
                        partial.aggregate.runs,
                        plan.runs,
                        path.display(),
                        path.display()
                    )))
                }
                None => Err(Failure::runtime(
                    "interrupted by Ctrl-C; no --checkpoint was given, so the partial result is lost",
                )),
            };
        }
        // --target-ci: extend the plan in whole chunks until the interval is narrow enough.
        match args.target_ci {
            Some(target)
                if wilson_half_width(partial.aggregate.splits, partial.aggregate.runs) > target
                    && plan.runs < MAX_RUNS =>
            {
                let block = (plan.runs / CHUNK_RUNS).max(16) * CHUNK_RUNS;
                plan.runs = (plan.runs.div_ceil(CHUNK_RUNS) * CHUNK_RUNS + block).min(MAX_RUNS);
                partial.plan = plan.clone();
                partial.end_chunk = plan.chunks();
                bar.set_length(plan.runs);
            }
            _ => break,
        }
    }
    bar.finish_and_clear();
    let wall = started.elapsed().as_secs_f64();

    if shard.is_some() {
        return emit(args.output.as_deref(), &json(&partial)?);
    }
    if let Some(path) = checkpoint {
        write_atomic(path, json(&partial)?.as_bytes())?;
    }
    let manifest = manifest(&plan, wall, partial.aggregate.runs, command);
    let result = summarize(model, &partial.aggregate, manifest);
    if let Some(path) = &args.plot {
        crate::plot::plot_run(path, &result)?;
    }
    emit(args.output.as_deref(), &render_run(&result, args.format)?)
}

/// The manifest of a result.
pub fn manifest(plan: &RunPlan, wall: f64, runs_done: u64, command: &str) -> Manifest {
    Manifest {
        wedge_version: plan.version.clone(),
        scenario: plan.scenario.clone(),
        scenario_hash: plan.scenario_hash.clone(),
        seed: plan.seed,
        runs: plan.runs,
        threads: rayon::current_num_threads(),
        wall_seconds: wall,
        runs_per_second: if wall > 0.0 {
            runs_done as f64 / wall
        } else {
            0.0
        },
        command: command.to_string(),
    }
}

/// Render a run result.
pub fn render_run(r: &RunResult, format: Format) -> Result<String, Failure> {
    Ok(match format {
        Format::Json => json(r)?,
        Format::Csv => {
            let mut rows = vec![vec![
                "split".into(),
                "".into(),
                r.split.probability.to_string(),
                r.split.ci95[0].to_string(),
                r.split.ci95[1].to_string(),
            ]];
            for p in &r.survival {
                rows.push(vec![
                    "survival".into(),
                    p.year.to_string(),
                    p.survival.to_string(),
                    p.ci95[0].to_string(),
                    p.ci95[1].to_string(),
                ]);
            }
            csv(
                &["measure", "year", "value", "ci95_low", "ci95_high"],
                &rows,
            )
        }
        Format::Text => {
            let mut s = String::new();
            s += &format!(
                "wedge run: {} — {} runs, seed {}\n\n",
                r.scenario, r.runs, r.seed
            );
            s += &format!(
                "Split within {:.0} years: {:.1}% {} ({} of {} runs)\n",
                r.horizon_years,
                r.split.probability * 100.0,
                pct_interval(r.split.ci95),
                r.split.count,
                r.runs
            );
            s += &match r.median_years_to_split {
                Some(m) => format!("Median time to split: {m:.2} years\n"),
                None => "Median time to split: not reached (fewer than half the runs split)\n"
                    .to_string(),
            };
            s += &format!(
                "Who broke away: Russia {:.0}%, China {:.0}% of splits\n",
                r.defectors.russia * 100.0,
                r.defectors.china * 100.0
            );
            s += &format!(
                "Russian leadership change: in {:.0}% of runs; split hazard {:.3}/yr before, {:.3}/yr after; {:.0}% of splits came after one\n\n",
                r.leadership.change_share * 100.0,
                r.leadership.hazard_before,
                r.leadership.hazard_after,
                r.leadership.splits_after_change_share * 100.0
            );
            s += "Survival of the partnership (Kaplan–Meier, 95% interval)\n";
            for p in &r.survival {
                s += &format!(
                    "  year {:>4.1}  {:>6.1}%  {}\n",
                    p.year,
                    p.survival * 100.0,
                    pct_interval(p.ci95)
                );
            }
            s += "\nStrategic triangle (share of turns)\n";
            for (name, share) in &r.triangle {
                s += &format!("  {name:<18} {:>5.1}%\n", share * 100.0);
            }
            s += "\nPolicies chosen (share of turns)\n";
            for p in &r.policies {
                let opts: Vec<String> = p
                    .options
                    .iter()
                    .map(|(o, v)| format!("{o} {:.0}%", v * 100.0))
                    .collect();
                s += &format!("  {:<15} {:<14} {}\n", p.actor, p.decision, opts.join(", "));
            }
            s += "\nKey variables: mean [5%, 95%] at the horizon\n";
            for t in &r.trajectories {
                if let (Some(first), Some(last)) = (t.points.first(), t.points.last()) {
                    s += &format!(
                        "  {:<24} year {:.0}: {:.2} → year {:.0}: {:.2} [{:.2}, {:.2}]\n",
                        t.variable,
                        first.year,
                        first.mean,
                        last.year,
                        last.mean,
                        last.p05,
                        last.p95
                    );
                }
            }
            s += &crate::output::manifest_line(&r.manifest);
            s
        }
    })
}

/// `wedge merge`.
pub fn merge(
    parts: &[std::path::PathBuf],
    format: Format,
    output: Option<&Path>,
) -> Result<(), Failure> {
    let read: Vec<Partial> = parts
        .iter()
        .map(|p| read_partial(p))
        .collect::<Result<_, _>>()?;
    let merged = merge_parts(&read).map_err(|e| Failure::usage(format!("cannot merge: {e}")))?;
    let model = Model::new(merged.spec.clone())
        .map_err(|e| Failure::usage(format!("the parts carry an invalid scenario: {e:?}")))?;
    let manifest = manifest(&merged.plan, 0.0, merged.aggregate.runs, "wedge merge");
    let result = summarize(&model, &merged.aggregate, manifest);
    emit(output, &render_run(&result, format)?)
}
