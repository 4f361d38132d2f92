//! The targets of the record played draw by draw: what each replicate
//! contributes, the rows a shard or checkpoint holds, and the estimate.
//!
//! Targets that name the same scenario share its replicates: the scenario is
//! played as many times as its most demanding target asks, with seeds from
//! (master, draw, first target naming it), and every target reads the first
//! `replicates` runs. Each target keeps integer counts per draw (hits; splits
//! within a window; splits and turns at risk in and out of the year after a
//! leadership change; for a tracked ratio, the replicates and the bits of the
//! mean and variance of the log ratio, summed in replicate order within the
//! draw), so rows are the same bits at any thread count, a range of draws
//! gives the same rows as the whole, and a calibration resumed from a
//! checkpoint writes the same bytes as one played straight through.
//!
//! The estimate ([`estimate`]) weighs each draw by its fitted events' hit
//! fractions (rejection ABC with a uniform error model) times the
//! Epanechnikov kernel of its fitted rates' and ratios' standardised distance
//! from the record, then moves the kept draws to the record by local-linear
//! regression (Beaumont, Zhang & Balding 2002; `wedge_analysis::adjust`).

use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use wedge_analysis::{
    AbcError, Marginal, Observed, ParamBounds, Predictive, Simulated, adjust, gaussian,
    log_rate_ratio, marginals, predictive, ratio_from_interval, share, systematic_resample,
};
use wedge_core::{Model, Observer, RunSummary, TurnRecord, WorldState, simulate};
use wedge_runner::{BuildEpisodes, EnsembleError, TRACKED, draw_seed};
use wedge_scenario::{EventSpec, Role, TargetSpec};

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
    /// base rate, `[splits in, turns in, splits out, turns out]` for a ratio,
    /// `[replicates, mean bits, variance bits]` (of the log ratio, `f64::to_bits`) for a tracked ratio.
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

/// The turn whose end is calendar year `year`, if the model's horizon has it.
pub fn turn_of(model: &Model, year: f64) -> Option<u32> {
    let spec = model.spec();
    let t = ((year - spec.start_year) / spec.turn_years).round() - 1.0;
    (t >= 0.0 && t < f64::from(spec.horizon_turns)).then_some(t as u32)
}

/// Reads a tracked quantity from the state.
type Reader = fn(&WorldState) -> f64;

/// The tracked quantity named `series`.
fn series(name: &str) -> Option<Reader> {
    TRACKED.iter().find(|t| t.name == name).map(|t| t.read)
}

/// What a tracked-ratio target reads: the series and the two turns.
fn wants(event: &EventSpec, model: &Model) -> Option<(Reader, u32, u32)> {
    match event {
        EventSpec::TrackedRatio {
            series: name,
            from_year,
            to_year,
            ..
        } => Some((
            series(name)?,
            turn_of(model, *from_year)?,
            turn_of(model, *to_year)?,
        )),
        _ => None,
    }
}

/// Check that every tracked-ratio target names a tracked quantity and years
/// its scenario's horizon covers (`models` in target order).
pub fn check_targets(targets: &[TargetSpec], models: &[Model]) -> Result<(), String> {
    for (t, m) in targets.iter().zip(models) {
        if let EventSpec::TrackedRatio {
            series: name,
            from_year,
            to_year,
            ..
        } = &t.event
        {
            if series(name).is_none() {
                let known: Vec<&str> = TRACKED.iter().map(|t| t.name).collect();
                return Err(format!(
                    "target `{}`: `{name}` is not a tracked quantity (tracked: {})",
                    t.name,
                    known.join(", ")
                ));
            }
            for y in [from_year, to_year] {
                if turn_of(m, *y).is_none() {
                    let spec = m.spec();
                    return Err(format!(
                        "target `{}`: the year {y} is outside the horizon of `{}` ({}–{})",
                        t.name,
                        t.scenario,
                        spec.start_year + spec.turn_years,
                        spec.start_year + f64::from(spec.horizon_turns) * spec.turn_years
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Reads tracked quantities at given turns of a run.
struct Recorder {
    wants: Vec<(Reader, u32)>,
    values: Vec<f64>,
}

impl Observer for Recorder {
    fn turn(&mut self, record: &TurnRecord<'_>) {
        for (i, (read, turn)) in self.wants.iter().enumerate() {
            if record.turn == *turn {
                self.values[i] = read(record.state);
            }
        }
    }
}

/// One replicate: its summary and the tracked values its targets read (in the
/// order of `wants` over the group's tracked-ratio targets, two per target).
#[derive(Debug, Clone)]
pub struct Played {
    /// The run's summary.
    pub summary: RunSummary,
    /// Tracked values read.
    pub tracked: Vec<f64>,
}

/// Smallest value a tracked ratio divides by (a share of 0.01%).
const RATIO_FLOOR: f64 = 1e-4;

/// What one target counts over its runs; `at` is where its tracked values
/// start in each run's [`Played::tracked`].
pub fn counts(event: &EventSpec, model: &Model, runs: &[Played], at: usize) -> Vec<u64> {
    let spec = model.spec();
    let count =
        |f: &dyn Fn(&RunSummary) -> bool| runs.iter().filter(|r| f(&r.summary)).count() as u64;
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
            for r in runs.iter().map(|r| &r.summary) {
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
        EventSpec::TrackedRatio { .. } => {
            let logs: Vec<f64> = runs
                .iter()
                .filter_map(|r| {
                    let (from, to) = (*r.tracked.get(at)?, *r.tracked.get(at + 1)?);
                    (from.is_finite() && to.is_finite())
                        .then(|| (to.max(RATIO_FLOOR) / from.max(RATIO_FLOOR)).ln())
                })
                .collect();
            let n = logs.len();
            let mean = logs.iter().sum::<f64>() / n.max(1) as f64;
            let var = if n > 1 {
                logs.iter().map(|l| (l - mean) * (l - mean)).sum::<f64>() / (n - 1) as f64
            } else {
                0.0
            };
            vec![n as u64, mean.to_bits(), var.to_bits()]
        }
    }
}

/// Sample, build and play draws `draws`, checkpointing every
/// [`CHECKPOINT_DRAWS`]: `sample(k)` gives draw k's values, `build(values)`
/// the targets' models in target order; `done(rows)` gets the rows played so
/// far after each block and `on_draw` their number. `stop` is checked before
/// every block and every run, as the batch loop does: a block abandoned on a
/// stop is dropped, and the error counts the draws of the blocks before it.
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
                // Where each target's tracked values start in its group's runs.
                let mut at = vec![0usize; targets.len()];
                let mut reads: Vec<Vec<(Reader, u32)>> = vec![Vec::new(); targets.len()];
                for (t, spec) in targets.iter().enumerate() {
                    if let Some((read, from, to)) = wants(&spec.event, &models[group[t]]) {
                        at[t] = reads[group[t]].len();
                        reads[group[t]].extend([(read, from), (read, to)]);
                    }
                }
                let mut runs: Vec<Option<Vec<Played>>> = vec![None; targets.len()];
                for &g in &group {
                    if runs[g].is_none() {
                        let reps = (0..targets.len())
                            .filter(|&u| group[u] == g)
                            .map(|u| targets[u].replicates)
                            .max()
                            .unwrap_or(0);
                        let s = draw_seed(draw_seed(seed, k), g as u64);
                        let mut played = Vec::with_capacity(reps as usize);
                        for r in 0..reps {
                            if stop.load(Ordering::Relaxed) {
                                return Err(EnsembleError::Interrupted(start - draws.start));
                            }
                            let mut rec = Recorder {
                                wants: reads[g].clone(),
                                values: vec![f64::NAN; reads[g].len()],
                            };
                            let summary = simulate(&models[g], s, r, &mut rec);
                            played.push(Played {
                                summary,
                                tracked: rec.values,
                            });
                        }
                        runs[g] = Some(played);
                    }
                }
                let counts = targets
                    .iter()
                    .enumerate()
                    .map(|(t, spec)| {
                        let all = runs[group[t]].as_deref().unwrap_or(&[]);
                        let n = (spec.replicates as usize).min(all.len());
                        counts(&spec.event, &models[group[t]], &all[..n], at[t])
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

/// A tracked ratio's log-scale estimate from its counts.
fn tracked(counts: &[u64]) -> Simulated {
    let at = |i: usize| counts.get(i).copied().unwrap_or(0);
    let n = at(0);
    if n == 0 {
        return Simulated {
            value: f64::NAN,
            variance: f64::INFINITY,
        };
    }
    Simulated {
        value: f64::from_bits(at(1)),
        variance: f64::from_bits(at(2)) / n as f64,
    }
}

/// A rate or ratio target's simulated statistic under one draw and the
/// record's value, on the scale they are compared (a share, or a log ratio);
/// `None` for an event target.
fn compared(spec: &TargetSpec, counts: &[u64]) -> Option<(Simulated, Observed)> {
    let at = |i: usize| counts.get(i).copied().unwrap_or(0);
    match spec.event {
        EventSpec::Split { .. } | EventSpec::NoSplit => None,
        EventSpec::BaseRate {
            share: value,
            sd,
            discrepancy,
            ..
        } => Some((
            share(at(0), spec.replicates.max(1)),
            Observed {
                value,
                sd,
                discrepancy,
            },
        )),
        EventSpec::LeaderChangeRatio {
            ratio,
            low,
            high,
            discrepancy,
        } => {
            let (value, sd) = ratio_from_interval(ratio, low, high);
            Some((
                log_rate_ratio(at(0), at(1), at(2), at(3)),
                Observed {
                    value,
                    sd,
                    discrepancy,
                },
            ))
        }
        EventSpec::TrackedRatio {
            ratio,
            sd,
            discrepancy,
            ..
        } => Some((
            tracked(counts),
            Observed {
                value: ratio.ln(),
                sd,
                discrepancy,
            },
        )),
    }
}

/// One target's statistic under one draw: the value the predictive check
/// reports (a share, or a ratio), its likelihood factor, and its
/// implausibility (Gaussian targets).
pub fn statistic(spec: &TargetSpec, counts: &[u64]) -> (f64, f64, Option<f64>) {
    match compared(spec, counts) {
        None => {
            let hits = counts.first().copied().unwrap_or(0);
            let f = hits as f64 / spec.replicates.max(1) as f64;
            (f, f, None)
        }
        Some((sim, observed)) => {
            let (l, z) = gaussian(&observed, &sim);
            let reported = match spec.event {
                EventSpec::BaseRate { .. } => sim.value,
                _ => sim.value.exp(),
            };
            (reported, l, Some(z))
        }
    }
}

/// A rate or ratio target's summary statistic under one draw, on the scale
/// it is compared (a share, or a log ratio), with the record's value and the
/// scale of the distance (record SD ⊕ discrepancy SD); `None` for an event.
pub fn summary(spec: &TargetSpec, counts: &[u64]) -> Option<(f64, f64, f64)> {
    compared(spec, counts).map(|(sim, o)| {
        let scale = (o.sd * o.sd + o.discrepancy * o.discrepancy).sqrt();
        (sim.value, o.value, scale)
    })
}

/// Prior and posterior predictive of one target's statistic, and the share of
/// draws with implausibility below 3 (Gaussian targets).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    /// Prior predictive (the prior's draws, equally weighted).
    pub prior: Predictive,
    /// Posterior predictive (the posterior's draws, each played again).
    pub posterior: Predictive,
    /// Share of posterior draws not ruled out (implausibility < 3), for Gaussian targets.
    pub plausible: Option<f64>,
    /// The same under the prior.
    pub prior_plausible: Option<f64>,
}

/// Every target's predictive check: prior from the table of prior draws,
/// posterior from the posterior draws played again, each equally weighted.
pub fn checks(targets: &[TargetSpec], prior: &[Row], posterior: &[Row]) -> Vec<Check> {
    let stats = |rows: &[Row], t: usize| -> Vec<(f64, f64, Option<f64>)> {
        rows.iter()
            .map(|r| statistic(&targets[t], r.counts.get(t).map_or(&[][..], |c| c)))
            .collect()
    };
    (0..targets.len())
        .map(|t| {
            let side = |rows: &[Row]| {
                let s = stats(rows, t);
                let values: Vec<f64> = s.iter().map(|x| x.0).collect();
                let equal = vec![1.0; s.len()];
                let plausible = s.first().and_then(|x| x.2).map(|_| {
                    s.iter().filter(|x| x.2.is_some_and(|z| z < 3.0)).count() as f64
                        / s.len().max(1) as f64
                });
                (predictive(&values, &equal), plausible)
            };
            let (prior, prior_plausible) = side(prior);
            let (posterior, plausible) = side(posterior);
            Check {
                prior,
                posterior,
                plausible,
                prior_plausible,
            }
        })
        .collect()
}

/// The estimate from a table of draws.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    /// Normalised weight of every draw: its fitted events' hit fractions times the kernel.
    pub weights: Vec<f64>,
    /// Every draw's values after the regression adjustment.
    pub adjusted: Vec<Vec<f64>>,
    /// Effective sample size of the weights.
    pub ess: f64,
    /// Tolerance of the kernel on the standardised distance (infinite without fitted rates).
    pub delta: f64,
    /// Per parameter: prior and rejection posterior (weighted, unadjusted draws).
    pub rejection: Vec<Marginal>,
    /// Per parameter: prior and adjusted posterior.
    pub marginals: Vec<Marginal>,
    /// Draws kept (resampled by weight), as indices into the table, increasing.
    pub kept: Vec<usize>,
    /// Draws with a positive weight.
    pub accepted: u64,
}

/// Weigh the table (fitted events' hit fractions × the Epanechnikov kernel on
/// the fitted rates and ratios, keeping the share `accept`), adjust by
/// local-linear regression within `bounds` (one per parameter), and resample
/// `keep` draws with a uniform from `seed`.
pub fn estimate(
    table: &[Row],
    targets: &[TargetSpec],
    keep: usize,
    seed: u64,
    accept: f64,
    bounds: &[ParamBounds],
) -> Result<Estimate, AbcError> {
    let fitted: Vec<usize> = (0..targets.len())
        .filter(|&t| targets[t].role == Role::Fit)
        .collect();
    let counts = |r: &Row, t: usize| r.counts.get(t).map_or(&[][..], |c| c).to_vec();
    let base: Vec<f64> = table
        .iter()
        .map(|r| {
            fitted
                .iter()
                .filter(|&&t| summary(&targets[t], &counts(r, t)).is_none())
                .map(|&t| statistic(&targets[t], &counts(r, t)).1)
                .product()
        })
        .collect();
    let rates: Vec<usize> = fitted
        .iter()
        .copied()
        .filter(|&t| summary(&targets[t], &[]).is_some())
        .collect();
    // The record's value and the distance's scale do not depend on the draw.
    let (observed, scales): (Vec<f64>, Vec<f64>) = rates
        .iter()
        .filter_map(|&t| summary(&targets[t], &[]).map(|(_, o, sc)| (o, sc)))
        .unzip();
    let stats: Vec<Vec<f64>> = table
        .iter()
        .map(|r| {
            rates
                .iter()
                .zip(observed.iter().zip(&scales))
                .map(|(&t, (o, sc))| {
                    let s = summary(&targets[t], &counts(r, t)).map_or(f64::NAN, |x| x.0);
                    // A statistic the draw could not estimate counts as far from the record.
                    if s.is_finite() { s } else { o + 1e6 * sc }
                })
                .collect()
        })
        .collect();
    let rows: Vec<Vec<f64>> = table.iter().map(|d| d.values.clone()).collect();
    let adj = adjust(&rows, &stats, &observed, &scales, &base, bounds, accept)?;
    let u = (draw_seed(seed, u64::MAX) >> 11) as f64 / (1u64 << 53) as f64;
    Ok(Estimate {
        kept: systematic_resample(&adj.weights, keep, u),
        accepted: adj.weights.iter().filter(|&&w| w > 0.0).count() as u64,
        rejection: marginals(&rows, &rows, &adj.weights),
        marginals: marginals(&rows, &adj.values, &adj.weights),
        ess: adj.ess,
        delta: adj.delta,
        weights: adj.weights,
        adjusted: adj.values,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use wedge_core::NoObserver;

    fn target(event: EventSpec) -> TargetSpec {
        TargetSpec {
            name: "t".into(),
            scenario: "s.ron".into(),
            event,
            role: Role::HeldOut,
            replicates: 4,
            source: "test".into(),
        }
    }

    fn ratio(series: &str, from_year: f64, to_year: f64) -> EventSpec {
        EventSpec::TrackedRatio {
            series: series.into(),
            from_year,
            to_year,
            ratio: 2.0,
            sd: 0.1,
            discrepancy: 0.2,
        }
    }

    #[test]
    fn a_tracked_ratio_reads_its_series_in_the_years_the_horizon_covers() {
        let model = Model::reference_2021();
        let ok = target(ratio("russia_trade_with_china", 2022.5, 2031.5));
        assert_eq!(
            check_targets(std::slice::from_ref(&ok), std::slice::from_ref(&model)),
            Ok(())
        );
        let unknown = target(ratio("russia_trade_with_mars", 2022.5, 2031.5));
        let e = check_targets(&[unknown], std::slice::from_ref(&model));
        assert!(e.is_err_and(|e| e.contains("not a tracked quantity")));
        let late = target(ratio("russia_trade_with_china", 2022.5, 2040.0));
        let e = check_targets(&[late], std::slice::from_ref(&model));
        assert!(e.is_err_and(|e| e.contains("outside the horizon")));
        // Counts: the mean and variance of the per-replicate log ratio, read back exactly.
        let summary = simulate(&model, 1, 0, &mut NoObserver);
        let played: Vec<Played> = [(0.1, 0.2), (0.1, 0.4), (0.0, 0.0)]
            .iter()
            .map(|&(a, b)| Played {
                summary,
                tracked: vec![a, b],
            })
            .collect();
        let c = counts(&ok.event, &model, &played, 0);
        assert_eq!(c[0], 3);
        let (l2, l4) = (2f64.ln(), 4f64.ln());
        let mean = (l2 + l4) / 3.0;
        assert!((f64::from_bits(c[1]) - mean).abs() < 1e-12);
        let (value, likelihood, z) = statistic(&ok, &c);
        assert!((value - mean.exp()).abs() < 1e-12);
        assert!(likelihood > 0.0 && z.is_some());
        let (s, o, sc) = summary_of(&ok, &c);
        assert!((s - mean).abs() < 1e-12 && (o - 2f64.ln()).abs() < 1e-12);
        assert!((sc - (0.01f64 + 0.04).sqrt()).abs() < 1e-12);
    }

    #[test]
    fn a_raised_stop_flag_stops_the_draws() {
        let targets = [target(EventSpec::NoSplit)];
        let mut spec = wedge_core::spec_2021();
        spec.horizon_turns = 8;
        let model = Model::new(spec).unwrap_or_else(|e| panic!("{e:?}"));
        let build = |_: &[f64]| Ok(vec![model.clone()]);
        let play_with = |stop: &AtomicBool, sample: &(dyn Fn(u64) -> Vec<f64> + Sync)| {
            let mut folded = Vec::new();
            let result = play(
                0..100,
                5,
                &targets,
                sample,
                &build,
                Vec::new(),
                stop,
                &mut |_| Ok(()),
                &mut |n| folded.push(n),
            );
            (result.map(|rows| rows.len()), folded)
        };
        let go = AtomicBool::new(false);
        assert_eq!(play_with(&go, &|_| Vec::new()), (Ok(100), vec![64, 100]));
        // Raised before the start: no draw is played.
        let raised = AtomicBool::new(true);
        let before = play_with(&raised, &|_| Vec::new());
        assert_eq!(before, (Err(EnsembleError::Interrupted(0)), vec![]));
        // Raised while draw 70 starts (in the second block): that block is
        // abandoned between runs, not played to its end.
        let stop = AtomicBool::new(false);
        let during = play_with(&stop, &|k| {
            if k == 70 {
                stop.store(true, Ordering::Relaxed);
            }
            Vec::new()
        });
        assert_eq!(during, (Err(EnsembleError::Interrupted(64)), vec![64]));
    }

    fn summary_of(t: &TargetSpec, c: &[u64]) -> (f64, f64, f64) {
        super::summary(t, c).unwrap_or((f64::NAN, f64::NAN, f64::NAN))
    }
}
