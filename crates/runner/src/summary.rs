//! Human- and machine-readable summaries of an aggregate, with stable field names.

use serde::{Deserialize, Serialize};
use wedge_core::Model;

use crate::aggregate::{
    Aggregate, SKETCH_STRIDE, TRACKED, event_names, sketch_offset, triangle_names,
};
use crate::fixed::from_fixed;
use crate::provenance::Manifest;
use crate::sketch;
use crate::stats::wilson;

/// A proportion with its Wilson 95% interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Proportion {
    /// Estimate.
    pub probability: f64,
    /// Wilson 95% interval.
    pub ci95: [f64; 2],
    /// Count of successes.
    pub count: u64,
}

impl Proportion {
    /// From a count out of n.
    pub fn of(count: u64, n: u64) -> Proportion {
        let (lo, hi) = wilson(count, n);
        Proportion {
            probability: if n == 0 { 0.0 } else { count as f64 / n as f64 },
            ci95: [lo, hi],
            count,
        }
    }
}

/// One point of the survival curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurvivalPoint {
    /// Years since the start.
    pub year: f64,
    /// Share of runs in which the partnership has not split by then (Kaplan–Meier; no censoring before the horizon).
    pub survival: f64,
    /// 95% interval (Wilson on the cumulative split share).
    pub ci95: [f64; 2],
}

/// Share of runs in which each partner defected, among splits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Defectors {
    /// Russia (the Soviet Union in historical scenarios).
    pub russia: f64,
    /// China.
    pub china: f64,
}

/// Share of choices of each option of one decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyShares {
    /// The agent.
    pub actor: String,
    /// The decision.
    pub decision: String,
    /// (option, share of agent-turns).
    pub options: Vec<(String, f64)>,
}

/// One point of a mean trajectory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrajectoryPoint {
    /// Years since the start (end of the turn).
    pub year: f64,
    /// Mean over runs.
    pub mean: f64,
    /// 5th percentile, rounded down to the lower edge of its quantile-sketch
    /// bucket (within 2% of the exact value, never above it; see docs/OUTPUT.md).
    pub p05: f64,
    /// 95th percentile, rounded up to the upper edge of its bucket.
    pub p95: f64,
}

/// The mean trajectory of one key variable, with its 90% band.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trajectory {
    /// Variable name.
    pub variable: String,
    /// One point a year.
    pub points: Vec<TrajectoryPoint>,
}

/// Split hazard before and after Russia's first leadership change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Leadership {
    /// Share of runs with a Russian leadership change before the split or horizon.
    pub change_share: f64,
    /// Splits per year at risk before the change.
    pub hazard_before: f64,
    /// Splits per year at risk after the change.
    pub hazard_after: f64,
    /// Share of splits that came after a change.
    pub splits_after_change_share: f64,
}

/// The result of `wedge run`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunResult {
    /// Runs.
    pub runs: u64,
    /// Master seed.
    pub seed: u64,
    /// Scenario name.
    pub scenario: String,
    /// Horizon in years.
    pub horizon_years: f64,
    /// Calendar year of the start (survival years count from it).
    #[serde(default)]
    pub start_year: Option<f64>,
    /// Split within the horizon.
    pub split: Proportion,
    /// Median years to split, if more than half the runs split.
    pub median_years_to_split: Option<f64>,
    /// Survival by year.
    pub survival: Vec<SurvivalPoint>,
    /// Who broke away.
    pub defectors: Defectors,
    /// Share of turns in each strategic-triangle configuration.
    pub triangle: Vec<(String, f64)>,
    /// How often each agent chose each option.
    pub policies: Vec<PolicyShares>,
    /// Mean trajectories of the key variables.
    pub trajectories: Vec<Trajectory>,
    /// Events per run.
    pub events_per_run: Vec<(String, f64)>,
    /// Split hazard around Russian leadership change.
    pub leadership: Leadership,
    /// Provenance.
    pub manifest: Manifest,
    /// The split probability across an ensemble's draws (absent without `--ensemble`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ensemble: Option<crate::bands::RunEnsemble>,
}

/// Survival by year from an aggregate.
pub fn survival(agg: &Aggregate, turn_years: f64) -> Vec<SurvivalPoint> {
    let per_year = (1.0 / turn_years).round().max(1.0) as usize;
    let mut out = vec![SurvivalPoint {
        year: 0.0,
        survival: 1.0,
        ci95: [1.0, 1.0],
    }];
    let mut cumulative = 0;
    for (t, n) in agg.splits_by_turn.iter().enumerate() {
        cumulative += n;
        if (t + 1) % per_year == 0 || t + 1 == agg.splits_by_turn.len() {
            let (lo, hi) = wilson(cumulative, agg.runs);
            out.push(SurvivalPoint {
                year: (t + 1) as f64 * turn_years,
                survival: 1.0 - cumulative as f64 / agg.runs.max(1) as f64,
                ci95: [1.0 - hi, 1.0 - lo],
            });
        }
    }
    out
}

/// Median years to split: the end of the first turn by which half the runs split.
pub fn median_years(agg: &Aggregate, turn_years: f64) -> Option<f64> {
    let mut cumulative = 0;
    for (t, n) in agg.splits_by_turn.iter().enumerate() {
        cumulative += n;
        if 2 * cumulative >= agg.runs && agg.runs > 0 {
            return Some((t + 1) as f64 * turn_years);
        }
    }
    None
}

/// Build the summary of an aggregate.
pub fn summarize(model: &Model, agg: &Aggregate, manifest: Manifest) -> RunResult {
    let spec = model.spec();
    let dt = spec.turn_years;
    let runs = agg.runs.max(1) as f64;
    let splits = agg.splits.max(1) as f64;
    let turns_total = agg.triangle_turns.iter().sum::<u64>().max(1) as f64;
    let per_year = agg.sketch_every.max(1) as usize;
    let policies = model
        .decision_slots()
        .into_iter()
        .enumerate()
        .map(|(k, slot)| {
            let counts = agg
                .choices
                .get(k * wedge_core::MAX_OPTIONS..)
                .and_then(|c| c.get(..slot.options.len()))
                .unwrap_or(&[]);
            let total = counts.iter().sum::<u64>().max(1) as f64;
            PolicyShares {
                actor: slot.actor.name().to_string(),
                decision: slot.decision,
                options: slot
                    .options
                    .into_iter()
                    .zip(counts)
                    .map(|(o, c)| (o, *c as f64 / total))
                    .collect(),
            }
        })
        .collect();
    let trajectories = TRACKED
        .iter()
        .enumerate()
        .map(|(v, tracked)| Trajectory {
            variable: tracked.name.to_string(),
            points: (0..agg.turns as usize)
                .filter(|t| (t + 1) % per_year == 0)
                .map(|t| {
                    let cell = t * TRACKED.len() + v;
                    let start = ((t + 1) / per_year - 1) * SKETCH_STRIDE + sketch_offset(v);
                    let counts = agg
                        .sketches
                        .get(start..start + sketch::width(tracked.signed))
                        .unwrap_or(&[]);
                    let mean = agg.sums.get(cell).map_or(0.0, |s| from_fixed(*s) / runs);
                    let (p05, p95) =
                        sketch::band(counts, 0.05, 0.95, tracked.signed).unwrap_or((mean, mean));
                    TrajectoryPoint {
                        year: (t + 1) as f64 * dt,
                        mean,
                        p05,
                        p95,
                    }
                })
                .collect(),
        })
        .collect();
    let years_before = agg.at_risk_before_change as f64 * dt;
    let years_after = agg.at_risk_after_change as f64 * dt;
    RunResult {
        runs: agg.runs,
        seed: manifest.plan.seed,
        scenario: spec.name.clone(),
        horizon_years: spec.horizon_turns as f64 * dt,
        start_year: Some(spec.start_year),
        split: Proportion::of(agg.splits, agg.runs),
        median_years_to_split: median_years(agg, dt),
        survival: survival(agg, dt),
        defectors: Defectors {
            russia: agg.defectors[0] as f64 / splits,
            china: agg.defectors[1] as f64 / splits,
        },
        triangle: triangle_names()
            .iter()
            .zip(agg.triangle_turns)
            .map(|(n, c)| (n.to_string(), c as f64 / turns_total))
            .collect(),
        policies,
        trajectories,
        events_per_run: event_names()
            .iter()
            .zip(agg.events)
            .map(|(n, c)| (n.to_string(), c as f64 / runs))
            .collect(),
        leadership: Leadership {
            change_share: agg.russia_leader_changes as f64 / runs,
            hazard_before: if years_before > 0.0 {
                agg.splits_before_change as f64 / years_before
            } else {
                0.0
            },
            hazard_after: if years_after > 0.0 {
                agg.splits_after_change as f64 / years_after
            } else {
                0.0
            },
            splits_after_change_share: agg.splits_after_change as f64 / splits,
        },
        manifest,
        ensemble: None,
    }
}
