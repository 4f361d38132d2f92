//! `wedge compare` and `wedge sweep`: arms run pair by pair on common random numbers.

use std::path::{Path, PathBuf};
use std::time::Instant;

use wedge_core::Model;
use wedge_runner::CHUNK_RUNS;
use wedge_runner::batch::Batch;
use wedge_runner::compare::{ArmSummary, Comparison, arm_summaries, compare_chunks};
use wedge_runner::summary::Manifest;
use wedge_scenario::Override;
use wedge_scenario::load::Resolved;

use crate::args::{BatchArgs, Format};
use crate::batch::{MAX_RUNS, check_batch, progress};
use crate::failure::Failure;
use crate::output::{csv, emit, json, pct_interval};

/// The package whose members are the essay's levers (`--all-levers`).
pub const ESSAY_PACKAGE: &str = "kupchan-package";

/// The JSON document of a comparison.
#[derive(Debug, serde::Serialize)]
pub struct CompareResult {
    /// Runs per arm.
    pub runs: u64,
    /// Master seed.
    pub seed: u64,
    /// Arms, baseline first, then ranked by delta.
    pub arms: Vec<ArmSummary>,
    /// Provenance (hash of the baseline scenario).
    pub manifest: Manifest,
}

impl CompareResult {
    /// Assemble the document: arms in their final order and the manifest.
    #[allow(clippy::too_many_arguments)]
    fn new(
        name: &str,
        hash: &str,
        args: &BatchArgs,
        comparison: &Comparison,
        arm_count: usize,
        arms: Vec<ArmSummary>,
        wall: f64,
        command: &str,
    ) -> CompareResult {
        CompareResult {
            runs: comparison.runs(),
            seed: args.seed,
            arms,
            manifest: manifest(
                name,
                hash,
                args,
                comparison.runs(),
                arm_count,
                wall,
                command,
            ),
        }
    }
}

/// Run arms with common random numbers until the plan (or --target-ci) is met.
fn run_arms(models: &[Model], args: &BatchArgs) -> Comparison {
    let mut comparison = Comparison::new(models);
    let mut runs = args.runs;
    let bar = progress(runs * models.len() as u64, args.quiet);
    let mut done_chunks = 0;
    loop {
        let batch = Batch {
            seed: args.seed,
            runs,
            first_chunk: done_chunks,
            end_chunk: runs.div_ceil(CHUNK_RUNS),
        };
        compare_chunks(models, &batch, &mut comparison, &mut |c| {
            bar.set_position(c.runs() * models.len() as u64)
        });
        done_chunks = batch.end_chunk;
        match args.target_ci {
            Some(target) if comparison.widest_delta_half_width() > target && runs < MAX_RUNS => {
                runs = (runs.div_ceil(CHUNK_RUNS) * CHUNK_RUNS * 2).min(MAX_RUNS);
                bar.set_length(runs * models.len() as u64);
            }
            _ => break,
        }
    }
    bar.finish_and_clear();
    comparison
}

fn manifest(
    name: &str,
    hash: &str,
    args: &BatchArgs,
    runs: u64,
    arms: usize,
    wall: f64,
    command: &str,
) -> Manifest {
    let plan = wedge_runner::RunPlan {
        version: env!("CARGO_PKG_VERSION").to_string(),
        scenario: name.to_string(),
        scenario_hash: hash.to_string(),
        seed: args.seed,
        runs,
    };
    crate::batch::manifest(&plan, wall, runs * arms as u64, command)
}

/// `wedge compare`.
pub fn compare(
    scenarios: &[PathBuf],
    levers: &[String],
    all_levers: bool,
    args: &BatchArgs,
    command: &str,
) -> Result<(), Failure> {
    check_batch(args)?;
    crate::plot::check_plot_path(args.plot.as_deref())?;
    let started = Instant::now();
    let (baseline_path, variants) = scenarios
        .split_first()
        .ok_or_else(|| Failure::usage("give a baseline scenario"))?;
    let resolved = Resolved::read(baseline_path)?;
    let base = resolved.build(&[], &[])?;
    let mut names = vec![base.model.spec().name.clone()];
    let mut models = vec![base.model.clone()];
    for path in variants {
        let v = wedge_scenario::load(path)?;
        names.push(v.model.spec().name.clone());
        models.push(v.model);
    }
    let mut lever_names: Vec<String> = levers.to_vec();
    if all_levers {
        let library = resolved.library().ok_or_else(|| {
            Failure::usage(format!(
                "{} names no lever_library",
                baseline_path.display()
            ))
        })?;
        let package = library
            .packages
            .iter()
            .find(|p| p.name == ESSAY_PACKAGE)
            .ok_or_else(|| {
                Failure::usage(format!(
                    "the lever library has no `{ESSAY_PACKAGE}` package listing the essay's levers"
                ))
            })?;
        lever_names.extend(package.levers.iter().cloned());
        lever_names.push(ESSAY_PACKAGE.to_string());
    }
    for name in &lever_names {
        let library = resolved.library().ok_or_else(|| {
            Failure::usage(format!(
                "{} names no lever_library",
                baseline_path.display()
            ))
        })?;
        let uses = library.uses_of(name).map_err(Failure::usage)?;
        let arm = resolved.build(&uses, &[])?;
        names.push(format!("+{name}"));
        models.push(arm.model);
    }
    if models.len() < 2 {
        return Err(Failure::usage(
            "nothing to compare: give variant scenarios, --levers or --all-levers",
        ));
    }
    check_shapes(&models)?;
    let comparison = run_arms(&models, args);
    let mut arms = arm_summaries(&names, &models, &comparison);
    let baseline = arms.remove(0);
    arms.sort_by(|a, b| {
        b.delta
            .estimate
            .total_cmp(&a.delta.estimate)
            .then_with(|| a.name.cmp(&b.name))
    });
    arms.insert(0, baseline);
    let wall = started.elapsed().as_secs_f64();
    let result = CompareResult::new(
        &names[0],
        &base.hash,
        args,
        &comparison,
        models.len(),
        arms,
        wall,
        command,
    );
    if let Some(path) = &args.plot {
        let title = format!(
            "Levers against {} (paired, common random numbers)",
            names[0]
        );
        crate::plot::plot_arms(path, &title, &result.arms)?;
    }
    emit(
        args.output.as_deref(),
        &render_arms(&result, args.format, "arm")?,
    )
}

fn check_shapes(models: &[Model]) -> Result<(), Failure> {
    let turns = models[0].horizon_turns();
    if models
        .iter()
        .any(|m| m.horizon_turns() != turns || m.spec().turn_years != models[0].spec().turn_years)
    {
        return Err(Failure::usage(
            "every arm must have the same horizon and turn length to be compared pair by pair",
        ));
    }
    Ok(())
}

fn render_arms(r: &CompareResult, format: Format, label: &str) -> Result<String, Failure> {
    Ok(match format {
        Format::Json => json(r)?,
        Format::Csv => {
            let rows: Vec<Vec<String>> = r
                .arms
                .iter()
                .map(|a| {
                    vec![
                        a.name.clone(),
                        a.split.probability.to_string(),
                        a.split.ci95[0].to_string(),
                        a.split.ci95[1].to_string(),
                        a.delta.estimate.to_string(),
                        a.delta.ci95[0].to_string(),
                        a.delta.ci95[1].to_string(),
                        a.delta.verdict.clone(),
                    ]
                })
                .collect();
            csv(
                &[
                    label,
                    "split_probability",
                    "split_ci95_low",
                    "split_ci95_high",
                    "delta",
                    "delta_ci95_low",
                    "delta_ci95_high",
                    "verdict",
                ],
                &rows,
            )
        }
        Format::Text => {
            let width = r
                .arms
                .iter()
                .map(|a| a.name.len())
                .max()
                .unwrap_or(10)
                .max(label.len());
            let mut s = format!(
                "wedge compare: {} runs per {label}, seed {}, common random numbers\n\n",
                r.runs, r.seed
            );
            s += &format!(
                "{:<width$}  {:>7}  {:<17}  {:>8}  {:<19}  {:>9}  {:>7}  verdict\n",
                label, "split", "95% CI", "Δ", "Δ 95% CI (paired)", "relative", "Δmedian"
            );
            for a in &r.arms {
                let relative = a
                    .delta
                    .relative
                    .map_or("—".to_string(), |x| format!("{:+.0}%", x * 100.0));
                let shift = a
                    .delta
                    .median_shift_years
                    .map_or("—".to_string(), |x| format!("{x:+.2}y"));
                s += &format!(
                    "{:<width$}  {:>6.1}%  {:<17}  {:>+7.2}pp  [{:+.2}, {:+.2}]pp  {:>9}  {:>7}  {}\n",
                    a.name,
                    a.split.probability * 100.0,
                    pct_interval(a.split.ci95),
                    a.delta.estimate * 100.0,
                    a.delta.ci95[0] * 100.0,
                    a.delta.ci95[1] * 100.0,
                    relative,
                    shift,
                    a.delta.verdict
                );
            }
            s += &crate::output::manifest_line(&r.manifest);
            s
        }
    })
}

/// How the points of a sweep are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Design {
    /// Every combination of the listed values.
    Grid,
    /// A Latin hypercube of `samples` points over each parameter's range (McKay, Beckman & Conover 1979).
    LatinHypercube {
        /// Number of points.
        samples: usize,
    },
}

/// Latin hypercube points: each parameter's range (the smallest to the largest
/// value given) cut into `samples` strata, one point per stratum, strata paired
/// at random. Deterministic from the seed.
fn latin_hypercube(
    parsed: &[(String, Vec<f64>)],
    samples: usize,
    seed: u64,
) -> Result<Vec<Vec<Override>>, Failure> {
    use rand::{RngExt, SeedableRng};
    if !(2..=400).contains(&samples) {
        return Err(Failure::usage(format!(
            "--samples must be between 2 and 400, got {samples}"
        )));
    }
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed ^ 0x6c68_735f_6465_7369);
    let mut points: Vec<Vec<Override>> = vec![Vec::new(); samples];
    for (path, values) in parsed {
        let low = values.iter().copied().fold(f64::INFINITY, f64::min);
        let high = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if high <= low {
            return Err(Failure::usage(format!(
                "--param {path}: a Latin hypercube needs a range from:to with to > from"
            )));
        }
        let mut strata: Vec<usize> = (0..samples).collect();
        for i in (1..samples).rev() {
            strata.swap(i, rng.random_range(0..=i));
        }
        for (point, stratum) in points.iter_mut().zip(strata) {
            let u: f64 = rng.random();
            let value = low + (high - low) * (stratum as f64 + u) / samples as f64;
            point.push(Override {
                path: path.clone(),
                value,
            });
        }
    }
    Ok(points)
}

/// `wedge sweep`.
pub fn sweep(
    scenario: &Path,
    params: &[String],
    design: &Design,
    args: &BatchArgs,
    command: &str,
) -> Result<(), Failure> {
    check_batch(args)?;
    crate::plot::check_plot_path(args.plot.as_deref())?;
    if matches!(design, Design::Grid) && params.len() > 2 {
        return Err(Failure::usage(
            "a grid takes one --param (a curve) or two (a heat map); use --design lhs for more",
        ));
    }
    let started = Instant::now();
    let parsed: Vec<(String, Vec<f64>)> = params
        .iter()
        .map(|p| wedge_scenario::overrides::parse_sweep_param(p))
        .collect::<Result<_, _>>()
        .map_err(Failure::usage)?;
    let resolved = Resolved::read(scenario)?;
    let mut points: Vec<Vec<Override>> = vec![vec![]];
    if let Design::LatinHypercube { samples } = design {
        points = latin_hypercube(&parsed, *samples, args.seed)?;
    }
    for (path, values) in parsed.iter().filter(|_| matches!(design, Design::Grid)) {
        points = points
            .into_iter()
            .flat_map(|prefix| {
                values.iter().map(move |v| {
                    [
                        prefix.clone(),
                        vec![Override {
                            path: path.clone(),
                            value: *v,
                        }],
                    ]
                    .concat()
                })
            })
            .collect();
    }
    if points.len() > 400 {
        return Err(Failure::usage(format!(
            "{} points is too many for one sweep (at most 400)",
            points.len()
        )));
    }
    let mut names = Vec::new();
    let mut models = Vec::new();
    let mut hash = String::new();
    for overrides in &points {
        let loaded = resolved.build(&[], overrides)?;
        if hash.is_empty() {
            hash = loaded.hash.clone();
        }
        names.push(
            overrides
                .iter()
                .map(|o| format!("{}={}", o.path, (o.value * 1e6).round() / 1e6))
                .collect::<Vec<_>>()
                .join(" "),
        );
        models.push(loaded.model);
    }
    check_shapes(&models)?;
    let comparison = run_arms(&models, args);
    let arms = arm_summaries(&names, &models, &comparison);
    let wall = started.elapsed().as_secs_f64();
    let result = CompareResult::new(
        resolved.name(),
        &hash,
        args,
        &comparison,
        models.len(),
        arms,
        wall,
        command,
    );
    if let Some(path) = &args.plot {
        match (design, parsed.as_slice()) {
            (Design::Grid, [(x, xs)]) => crate::plot::plot_sweep(path, x, xs, &result.arms)?,
            (Design::Grid, [(x, xs), (y, ys)]) => {
                crate::plot::plot_heatmap(path, (x, xs), (y, ys), &result.arms)?
            }
            _ => crate::plot::plot_points(path, &result.arms)?,
        }
    }
    emit(
        args.output.as_deref(),
        &render_arms(&result, args.format, "point")?,
    )
}
