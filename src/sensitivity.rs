//! `wedge sensitivity`: which uncertainties drive the split probability.
//!
//! Two designs over the scenario's declared uncertainties, every point run on
//! the same random streams (common random numbers):
//! - a one-at-a-time tornado: each uncertainty pinned at the low and the high
//!   end of its support, the others drawn as declared;
//! - Morris elementary effects (Morris 1991, with μ* of Campolongo et al. 2007):
//!   `trajectories` random one-at-a-time paths on a 4-level grid over the
//!   supports, reporting μ* (mean absolute effect) with a 95% interval and σ.

use std::path::Path;
use std::time::Instant;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use wedge_core::{Distribution, Model};
use wedge_runner::batch::Batch;
use wedge_runner::compare::{ArmSummary, Comparison, arm_summaries, compare_chunks};
use wedge_runner::stats::Z95;
use wedge_scenario::load::Resolved;

use crate::args::{BatchArgs, Format};
use crate::batch::progress;
use crate::failure::Failure;
use crate::output::{csv, emit, json};

/// Grid levels of the Morris design.
const LEVELS: f64 = 4.0;

/// One bar of the tornado.
#[derive(Debug, Serialize)]
pub struct TornadoBar {
    /// Uncertainty name.
    pub uncertainty: String,
    /// Value at the low end.
    pub low_value: f64,
    /// Value at the high end.
    pub high_value: f64,
    /// Arm with the uncertainty at its low end.
    pub low: ArmSummary,
    /// Arm with the uncertainty at its high end.
    pub high: ArmSummary,
    /// high − low split probability.
    pub swing: f64,
}

/// Morris statistics of one uncertainty.
#[derive(Debug, Serialize)]
pub struct MorrisEffect {
    /// Uncertainty name.
    pub uncertainty: String,
    /// Mean absolute elementary effect (per unit of the scaled factor).
    pub mu_star: f64,
    /// 95% interval of μ* across trajectories.
    pub mu_star_ci95: [f64; 2],
    /// Mean elementary effect (signed).
    pub mu: f64,
    /// Standard deviation of the elementary effects (interactions, non-linearity).
    pub sigma: f64,
}

/// The JSON document of `wedge sensitivity`.
#[derive(Debug, Serialize)]
pub struct SensitivityResult {
    /// Scenario.
    pub scenario: String,
    /// Runs per design point.
    pub runs: u64,
    /// Master seed.
    pub seed: u64,
    /// Split probability with every uncertainty drawn as declared.
    pub baseline: ArmSummary,
    /// Tornado, widest swing first.
    pub tornado: Vec<TornadoBar>,
    /// Morris effects, largest μ* first.
    pub morris: Vec<MorrisEffect>,
    /// Trajectories of the Morris design.
    pub trajectories: usize,
    /// Wall time, seconds.
    pub wall_seconds: f64,
}

fn support(d: &Distribution) -> (f64, f64) {
    match d {
        Distribution::Normal { mean, sd } => (mean - 2.0 * sd, mean + 2.0 * sd),
        other => other.support(),
    }
}

/// A model with some uncertainties pinned to values.
fn pinned(model: &Model, values: &[(usize, f64)]) -> Result<Model, Failure> {
    let mut spec = model.spec().clone();
    for (i, v) in values {
        let (lo, hi) = spec.uncertainties[*i].target.range();
        let v = v.clamp(lo, hi);
        spec.uncertainties[*i].distribution = Distribution::Uniform { low: v, high: v };
    }
    Model::new(spec).map_err(|e| Failure::runtime(format!("cannot pin the uncertainties: {e:?}")))
}

fn run_all(models: &[Model], args: &BatchArgs) -> Comparison {
    let mut c = Comparison::new(models);
    let bar = progress(args.runs * models.len() as u64, args.quiet);
    let batch = Batch::whole(args.seed, args.runs);
    compare_chunks(models, &batch, &mut c, &mut |c| {
        bar.set_position(c.runs() * models.len() as u64)
    });
    bar.finish_and_clear();
    c
}

/// `wedge sensitivity`.
pub fn sensitivity(scenario: &Path, trajectories: usize, args: &BatchArgs) -> Result<(), Failure> {
    crate::batch::check_batch(args)?;
    if !(2..=200).contains(&trajectories) {
        return Err(Failure::usage(format!(
            "--trajectories must be between 2 and 200, got {trajectories}"
        )));
    }
    let started = Instant::now();
    let loaded = Resolved::read(scenario)?.build(&[], &[])?;
    let model = loaded.model;
    let uncertainties = model.spec().uncertainties.clone();
    if uncertainties.is_empty() {
        return Err(Failure::usage(format!(
            "{} declares no uncertainties to analyse",
            scenario.display()
        )));
    }
    let k = uncertainties.len();
    let supports: Vec<(f64, f64)> = uncertainties
        .iter()
        .map(|u| support(&u.distribution))
        .collect();

    // Design: baseline, tornado (2k), Morris (trajectories × (k + 1)).
    let mut models = vec![model.clone()];
    let mut names = vec![model.spec().name.clone()];
    for (i, u) in uncertainties.iter().enumerate() {
        for (end, v) in [("low", supports[i].0), ("high", supports[i].1)] {
            models.push(pinned(&model, &[(i, v)])?);
            names.push(format!("{}={end}", u.name));
        }
    }
    let delta = LEVELS / (2.0 * (LEVELS - 1.0));
    let mut design_rng = ChaCha8Rng::seed_from_u64(args.seed ^ 0x6d6f_7272_6973);
    let mut paths: Vec<Vec<(usize, f64)>> = Vec::new(); // per trajectory: (factor moved, signed step)
    let value = |i: usize, x: f64| supports[i].0 + x * (supports[i].1 - supports[i].0);
    for t in 0..trajectories {
        let mut x: Vec<f64> = (0..k)
            .map(|_| {
                let level = design_rng.random_range(0..(LEVELS as usize / 2));
                level as f64 / (LEVELS - 1.0)
            })
            .collect();
        let mut order: Vec<usize> = (0..k).collect();
        for i in (1..k).rev() {
            order.swap(i, design_rng.random_range(0..=i));
        }
        let point = |x: &[f64]| -> Vec<(usize, f64)> {
            x.iter()
                .enumerate()
                .map(|(i, xi)| (i, value(i, *xi)))
                .collect()
        };
        models.push(pinned(&model, &point(&x))?);
        names.push(format!("morris {t}.0"));
        let mut steps = Vec::new();
        for (s, &i) in order.iter().enumerate() {
            x[i] += delta;
            models.push(pinned(&model, &point(&x))?);
            names.push(format!("morris {t}.{}", s + 1));
            steps.push((i, delta));
        }
        paths.push(steps);
    }

    let comparison = run_all(&models, args);
    let arms = arm_summaries(&names, &models, &comparison);
    let p = |a: usize| arms[a].split.probability;

    let mut tornado: Vec<TornadoBar> = uncertainties
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let (lo, hi) = (1 + 2 * i, 2 + 2 * i);
            TornadoBar {
                uncertainty: u.name.clone(),
                low_value: supports[i].0,
                high_value: supports[i].1,
                low: arms[lo].clone(),
                high: arms[hi].clone(),
                swing: p(hi) - p(lo),
            }
        })
        .collect();
    tornado.sort_by(|a, b| b.swing.abs().total_cmp(&a.swing.abs()));

    let mut effects: Vec<Vec<f64>> = vec![Vec::new(); k];
    let first_morris = 1 + 2 * k;
    for (t, steps) in paths.iter().enumerate() {
        let start = first_morris + t * (k + 1);
        for (s, (i, step)) in steps.iter().enumerate() {
            effects[*i].push((p(start + s + 1) - p(start + s)) / step);
        }
    }
    let mut morris: Vec<MorrisEffect> = uncertainties
        .iter()
        .zip(&effects)
        .map(|(u, ee)| {
            let n = ee.len().max(1) as f64;
            let mu = ee.iter().sum::<f64>() / n;
            let abs: Vec<f64> = ee.iter().map(|e| e.abs()).collect();
            let mu_star = abs.iter().sum::<f64>() / n;
            let var = |xs: &[f64], m: f64| {
                xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0).max(1.0)
            };
            let half = Z95 * (var(&abs, mu_star) / n).sqrt();
            MorrisEffect {
                uncertainty: u.name.clone(),
                mu_star,
                mu_star_ci95: [(mu_star - half).max(0.0), mu_star + half],
                mu,
                sigma: var(ee, mu).sqrt(),
            }
        })
        .collect();
    morris.sort_by(|a, b| b.mu_star.total_cmp(&a.mu_star));

    let result = SensitivityResult {
        scenario: model.spec().name.clone(),
        runs: comparison.runs(),
        seed: args.seed,
        baseline: arms[0].clone(),
        tornado,
        morris,
        trajectories,
        wall_seconds: started.elapsed().as_secs_f64(),
    };
    if let Some(path) = &args.plot {
        crate::plot::plot_tornado(path, &result.scenario, &result.tornado)?;
    }
    emit(args.output.as_deref(), &render(&result, args.format)?)
}

fn render(r: &SensitivityResult, format: Format) -> Result<String, Failure> {
    Ok(match format {
        Format::Json => json(r)?,
        Format::Csv => {
            let mut rows: Vec<Vec<String>> = r
                .tornado
                .iter()
                .map(|t| {
                    vec![
                        "tornado".into(),
                        t.uncertainty.clone(),
                        t.low.split.probability.to_string(),
                        t.high.split.probability.to_string(),
                        t.swing.to_string(),
                    ]
                })
                .collect();
            rows.extend(r.morris.iter().map(|m| {
                vec![
                    "morris".into(),
                    m.uncertainty.clone(),
                    m.mu_star.to_string(),
                    m.mu.to_string(),
                    m.sigma.to_string(),
                ]
            }));
            csv(&["design", "uncertainty", "a", "b", "c"], &rows)
        }
        Format::Text => {
            let mut s = format!(
                "wedge sensitivity: {} — {} runs per point, seed {}; baseline split {:.1}%\n\nTornado (each uncertainty at the ends of its support, the rest drawn)\n",
                r.scenario,
                r.runs,
                r.seed,
                r.baseline.split.probability * 100.0
            );
            for t in &r.tornado {
                s += &format!(
                    "  {:<24} low {:>8.4} → {:>5.1}%   high {:>8.4} → {:>5.1}%   swing {:>+6.1} pp\n",
                    t.uncertainty,
                    t.low_value,
                    t.low.split.probability * 100.0,
                    t.high_value,
                    t.high.split.probability * 100.0,
                    t.swing * 100.0
                );
            }
            s += &format!(
                "\nMorris elementary effects ({} trajectories; effect of moving a factor across its whole support)\n",
                r.trajectories
            );
            for m in &r.morris {
                s += &format!(
                    "  {:<24} μ* {:>6.3} [{:.3}, {:.3}]   μ {:>+6.3}   σ {:>6.3}\n",
                    m.uncertainty, m.mu_star, m.mu_star_ci95[0], m.mu_star_ci95[1], m.mu, m.sigma
                );
            }
            s + &format!("\n{:.2} s\n", r.wall_seconds)
        }
    })
}
