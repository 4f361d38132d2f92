//! The targets of the record played draw by draw: what each replicate
//! contributes, the rows a shard or checkpoint holds, and the estimate.
//!
//! Targets that name the same scenario share its replicates: the scenario is
//! played as many times as its most demanding target asks, with seeds from
//! (master, draw, first target naming it), and every target reads the first
//! `replicates` runs. Each target keeps integer counts per draw (hits; splits
//! within a window; splits and turns at risk in and out of the year after a
//! leadership change), so rows are the same bits at any thread count, a range
//! of draws gives the same rows as the whole, and a calibration resumed from
//! a checkpoint writes the same bytes as one played straight through.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use wedge_analysis::abc::{
    AbcError, Posterior, Predictive, posterior, predictive, systematic_resample,
};
use wedge_analysis::likelihood::{Observed, gaussian, log_rate_ratio, ratio_from_interval, share};
use wedge_core::{Model, NoObserver, RunSummary, simulate};
use wedge_runner::{BuildEpisodes, EnsembleError, draw_seed};
use wedge_scenario::priors::{EventSpec, Role, TargetSpec};

/// Format tag of calibration partials (shards and checkpoints).
pub const PARTIAL_FORMAT: &str = "wedge-calibration-partial-2";

/// Draws played between checkpoints.
pub const CHECKPOINT_DRAWS: u64 = 64;

/// One draw's values and, per target, its integer counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Draw index.
    pub index: u64,
    /// Parameter values, one per prior.
    pub values: Vec<f64>,
    /// Per target: `[hits]` for an event, `[splits within the window]` for a
    /// base rate, `[splits in, turns in, splits out, turns out]` for a ratio.
    pub counts: Vec<Vec<u64>>,
}

/// A contiguous range of a plan's draws: a shard, or a checkpoint of the draws played so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Partial {
    /// [`PARTIAL_FORMAT`].
    pub format: String,
    /// The wedge version that played it.
    pub wedge_version: String,
    /// Identity of the plan (a hash of the plan, priors and scenarios).
    pub plan: String,
    /// Master seed.
    pub seed: u64,
    /// Draws of the whole plan.
    pub draws: u64,
    /// The draws this partial covers (a shard's range; a checkpoint's start and the next draw to play).
    pub range: [u64; 2],
    /// The rows, in draw order.
    pub rows: Vec<Row>,
}

/// For each target, the first target that names the same scenario (whose model and seeds it shares).
pub fn groups(targets: &[TargetSpec]) -> Vec<usize> {
    targets
        .iter()
        .map(|t| {
            targets
                .iter()
                .position(|u| u.scenario == t.scenario)
                .unwrap_or(0)
        })
        .collect()
}

fn year_of(model: &Model, turn: u32) -> f64 {
    let spec = model.spec();
    spec.start_year + f64::from(turn + 1) * spec.turn_years
}

/// What one target counts over its runs.
pub fn counts(event: &EventSpec, model: &Model, runs: &[RunSummary]) -> Vec<u64> {
    let spec = model.spec();
    let count = |f: &dyn Fn(&RunSummary) -> bool| runs.iter().filter(|r| f(r)).count() as u64;
    match *event {
        EventSpec::NoSplit => vec![count(&|r| r.split_turn.is_none())],
        EventSpec::Split {
            from_year,
            to_year,
            defector,
        } => vec![count(&|r| {
            r.split_turn.is_some_and(|s| {
                let y = year_of(model, s);
                y >= from_year && y <= to_year && defector.is_none_or(|d| r.defector == Some(d))
            })
        })],
        EventSpec::BaseRate { years, .. } => vec![count(&|r| {
            r.split_turn
                .is_some_and(|s| year_of(model, s) <= spec.start_year + years + 1e-9)
        })],
        EventSpec::LeaderChangeRatio { .. } => {
            let window = (1.0 / spec.turn_years).round().max(1.0) as u32;
            let mut c = [0u64; 4];
            for r in runs {
                let changes = [r.russia_leader_change, r.china_leader_change];
                let inside = |t: u32| changes.iter().flatten().any(|&c| t >= c && t < c + window);
                let last = r.split_turn.unwrap_or(spec.horizon_turns.saturating_sub(1));
                for t in 0..=last {
                    let i = if inside(t) { 0 } else { 2 };
                    c[i + 1] += 1;
                    if r.split_turn == Some(t) {
                        c[i] += 1;
                    }
                }
            }
            c.to_vec()
        }
    }
}

/// Sample, build and play draws `draws`, checkpointing every
/// [`CHECKPOINT_DRAWS`]: `sample(k)` gives draw k's values, `build(values)`
/// the targets' models in target order; `done(rows)` gets the rows played so
/// far after each block and `on_draw` their number.
#[allow(clippy::too_many_arguments)]
pub fn play(
    draws: Range<u64>,
    seed: u64,
    targets: &[TargetSpec],
    sample: &(dyn Fn(u64) -> Vec<f64> + Sync),
    build: &BuildEpisodes<'_>,
    mut rows: Vec<Row>,
    stop: &AtomicBool,
    done: &mut dyn FnMut(&[Row]) -> Result<(), String>,
    on_draw: &mut (dyn FnMut(u64) + Send),
) -> Result<Vec<Row>, EnsembleError> {
    let group = groups(targets);
    let mut start = draws.start + rows.len() as u64;
    while start < draws.end {
        if stop.load(Ordering::Relaxed) {
            return Err(EnsembleError::Interrupted(start - draws.start));
        }
        let end = (start + CHECKPOINT_DRAWS).min(draws.end);
        let part: Vec<Result<Row, EnsembleError>> = (start..end)
            .into_par_iter()
            .map(|k| {
                let values = sample(k);
                let models =
                    build(&values).map_err(|message| EnsembleError::Build { draw: k, message })?;
                if models.len() != targets.len() {
                    return Err(EnsembleError::Shape(k));
                }
                let mut runs: Vec<Option<Vec<RunSummary>>> = vec![None; targets.len()];
                for &g in &group {
                    if runs[g].is_none() {
                        let reps = (0..targets.len())
                            .filter(|&u| group[u] == g)
                            .map(|u| targets[u].replicates)
                            .max()
                            .unwrap_or(0);
                        let s = draw_seed(draw_seed(seed, k), g as u64);
                        runs[g] = Some(
                            (0..reps)
                                .map(|r| simulate(&models[g], s, r, &mut NoObserver))
                                .collect(),
                        );
                    }
                }
                let counts = targets
                    .iter()
                    .enumerate()
                    .map(|(t, spec)| {
                        let all = runs[group[t]].as_deref().unwrap_or(&[]);
                        let n = (spec.replicates as usize).min(all.len());
                        counts(&spec.event, &models[group[t]], &all[..n])
                    })
                    .collect();
                Ok(Row {
                    index: k,
                    values,
                    counts,
                })
            })
            .collect();
        for r in part {
            rows.push(r?);
        }
        done(&rows).map_err(|message| EnsembleError::Build {
            draw: end,
            message: format!("checkpoint: {message}"),
        })?;
        on_draw(end - draws.start);
        start = end;
    }
    Ok(rows)
}

/// Join the shards of one plan into its whole table of draws, checking that
/// they belong together and cover every draw exactly once.
pub fn merge(mut parts: Vec<Partial>) -> Result<Vec<Row>, String> {
    parts.sort_by_key(|p| p.range[0]);
    let Some(first) = parts.first() else {
        return Err("no partial results to merge".into());
    };
    let (plan, seed, draws) = (first.plan.clone(), first.seed, first.draws);
    let mut next = 0;
    let mut rows = Vec::new();
    for p in parts {
        if p.format != PARTIAL_FORMAT {
            return Err(format!(
                "format `{}`, expected `{PARTIAL_FORMAT}`",
                p.format
            ));
        }
        if p.plan != plan || p.seed != seed || p.draws != draws {
            return Err("the partials come from different plans, seeds or numbers of draws".into());
        }
        if p.range[0] != next {
            return Err(format!(
                "draws {next}..{} are missing or given twice",
                p.range[0].max(next)
            ));
        }
        let expected = p.range[1].saturating_sub(p.range[0]);
        if p.rows.len() as u64 != expected
            || p.rows.iter().zip(p.range[0]..).any(|(r, i)| r.index != i)
        {
            return Err(format!(
                "shard {}..{} does not hold its draws in order",
                p.range[0], p.range[1]
            ));
        }
        next = p.range[1];
        rows.extend(p.rows);
    }
    if next != draws {
        return Err(format!("draws {next}..{draws} are missing"));
    }
    Ok(rows)
}

/// One target's statistic under one draw: the value the predictive check
/// reports, its likelihood factor, and its implausibility (Gaussian targets).
pub fn statistic(spec: &TargetSpec, counts: &[u64]) -> (f64, f64, Option<f64>) {
    let n = spec.replicates.max(1);
    let at = |i: usize| counts.get(i).copied().unwrap_or(0);
    match spec.event {
        EventSpec::Split { .. } | EventSpec::NoSplit => {
            let f = at(0) as f64 / n as f64;
            (f, f, None)
        }
        EventSpec::BaseRate {
            share: observed,
            sd,
            discrepancy,
            ..
        } => {
            let sim = share(at(0), n);
            let (l, z) = gaussian(
                &Observed {
                    value: observed,
                    sd,
                    discrepancy,
                },
                &sim,
            );
            (sim.value, l, Some(z))
        }
        EventSpec::LeaderChangeRatio {
            ratio,
            low,
            high,
            discrepancy,
        } => {
            let sim = log_rate_ratio(at(0), at(1), at(2), at(3));
            let (value, sd) = ratio_from_interval(ratio, low, high);
            let (l, z) = gaussian(
                &Observed {
                    value,
                    sd,
                    discrepancy,
                },
                &sim,
            );
            (sim.value.exp(), l, Some(z))
        }
    }
}

/// Prior and posterior predictive of one target's statistic, and the share of
/// posterior weight on draws with implausibility below 3 (Gaussian targets).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    /// Prior predictive (draws equally weighted).
    pub prior: Predictive,
    /// Posterior predictive.
    pub posterior: Predictive,
    /// Posterior weight on draws not ruled out (implausibility < 3), for Gaussian targets.
    pub plausible: Option<f64>,
    /// The same under the prior.
    pub prior_plausible: Option<f64>,
}

/// The estimate from a table of draws.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    /// The weighted posterior over the draws.
    pub posterior: Posterior,
    /// One check per target.
    pub checks: Vec<Check>,
    /// Draws kept (resampled by weight), as indices into the table, increasing.
    pub kept: Vec<usize>,
    /// Draws whose likelihood is positive.
    pub accepted: u64,
}

/// Weight the table by the product of the fitted targets' likelihoods, check
/// every target's predictive, and resample `keep` draws with a uniform from `seed`.
pub fn estimate(
    table: &[Row],
    targets: &[TargetSpec],
    keep: usize,
    seed: u64,
) -> Result<Estimate, AbcError> {
    let stats: Vec<Vec<(f64, f64, Option<f64>)>> = table
        .iter()
        .map(|r| {
            targets
                .iter()
                .enumerate()
                .map(|(t, spec)| statistic(spec, r.counts.get(t).map_or(&[][..], |c| c)))
                .collect()
        })
        .collect();
    let likelihoods: Vec<f64> = stats
        .iter()
        .map(|s| {
            targets
                .iter()
                .zip(s)
                .filter(|(t, _)| t.role == Role::Fit)
                .map(|(_, x)| x.1)
                .product()
        })
        .collect();
    let rows: Vec<Vec<f64>> = table.iter().map(|d| d.values.clone()).collect();
    let post = posterior(&rows, &likelihoods)?;
    let equal = vec![1.0; table.len()];
    let checks = (0..targets.len())
        .map(|t| {
            let p: Vec<f64> = stats.iter().map(|s| s[t].0).collect();
            let ok = |w: &[f64]| {
                stats[0][t].2.map(|_| {
                    let total: f64 = w.iter().sum();
                    stats
                        .iter()
                        .zip(w)
                        .filter(|(s, _)| s[t].2.is_some_and(|z| z < 3.0))
                        .map(|(_, w)| w)
                        .sum::<f64>()
                        / total
                })
            };
            Check {
                prior: predictive(&p, &equal),
                posterior: predictive(&p, &post.weights),
                plausible: ok(&post.weights),
                prior_plausible: ok(&equal),
            }
        })
        .collect();
    let u = (draw_seed(seed, u64::MAX) >> 11) as f64 / (1u64 << 53) as f64;
    Ok(Estimate {
        kept: systematic_resample(&post.weights, keep, u),
        accepted: likelihoods.iter().filter(|&&l| l > 0.0).count() as u64,
        posterior: post,
        checks,
    })
}
