//! Prior draws played against the episodes of the record: the simulation
//! half of `wedge calibrate` (the estimator is `wedge_analysis::abc`).
//!
//! Draw *k* sets its parameter values on every episode's scenario; episode
//! *t* is played `replicates` times with seeds from (master, k, t), and each
//! replicate either reproduces the episode's event or not. A draw's hit
//! counts are integers, so the result is the same bits whatever the thread
//! count, and a range of draws (a shard) gives the same rows as the whole.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use wedge_analysis::abc::{
    AbcError, Posterior, Predictive, posterior, predictive, systematic_resample,
};
use wedge_core::{Model, NoObserver, Partner, RunSummary, simulate};

use crate::ensemble::{EnsembleError, draw_seed};

/// The event one replicate of an episode must show.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum EventRule {
    /// A split between two calendar years (inclusive, the year a split turn ends), optionally by a given defector.
    Split {
        /// Earliest year.
        from_year: f64,
        /// Latest year.
        to_year: f64,
        /// Required defector.
        defector: Option<Partner>,
    },
    /// No split within the horizon.
    NoSplit,
}

/// One episode: its event, replicates per draw, and whether it weighs the draws.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TargetRule {
    /// The event.
    pub event: EventRule,
    /// Replicates per draw.
    pub replicates: u64,
    /// Fitted (true) or held out (false).
    pub fit: bool,
}

/// Whether a run of `model` reproduces `event`.
pub fn hit(event: &EventRule, model: &Model, run: &RunSummary) -> bool {
    let spec = model.spec();
    match (*event, run.split_turn) {
        (EventRule::NoSplit, split) => split.is_none(),
        (EventRule::Split { .. }, None) => false,
        (
            EventRule::Split {
                from_year,
                to_year,
                defector,
            },
            Some(turn),
        ) => {
            let year = spec.start_year + f64::from(turn + 1) * spec.turn_years;
            year >= from_year && year <= to_year && defector.is_none_or(|d| run.defector == Some(d))
        }
    }
}

/// One draw's values and its hits per target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DrawHits {
    /// Draw index.
    pub index: u64,
    /// Parameter values, one per prior.
    pub values: Vec<f64>,
    /// Replicates that reproduced each target's event.
    pub hits: Vec<u64>,
}

/// Builds the episodes' models (in target order) from one draw's values.
pub type BuildEpisodes<'a> = dyn Fn(&[f64]) -> Result<Vec<Model>, String> + Sync + 'a;

/// Sample, build and play draws `draws`: `sample(k)` gives draw k's values,
/// `build(values)` the episodes' models in target order.
pub fn calibrate_draws(
    draws: Range<u64>,
    seed: u64,
    targets: &[TargetRule],
    sample: &(dyn Fn(u64) -> Vec<f64> + Sync),
    build: &BuildEpisodes<'_>,
    stop: &AtomicBool,
    on_draw: &mut (dyn FnMut(u64) + Send),
) -> Result<Vec<DrawHits>, EnsembleError> {
    let block = (16 * rayon::current_num_threads()).max(1) as u64;
    let mut out = Vec::with_capacity((draws.end - draws.start) as usize);
    let mut start = draws.start;
    while start < draws.end {
        if stop.load(Ordering::Relaxed) {
            return Err(EnsembleError::Interrupted(start - draws.start));
        }
        let end = (start + block).min(draws.end);
        let part: Vec<Result<DrawHits, EnsembleError>> = (start..end)
            .into_par_iter()
            .map(|k| {
                let values = sample(k);
                let models =
                    build(&values).map_err(|message| EnsembleError::Build { draw: k, message })?;
                if models.len() != targets.len() {
                    return Err(EnsembleError::Shape(k));
                }
                let hits = targets
                    .iter()
                    .zip(&models)
                    .enumerate()
                    .map(|(t, (rule, model))| {
                        let s = draw_seed(draw_seed(seed, k), t as u64);
                        (0..rule.replicates)
                            .filter(|&r| {
                                hit(&rule.event, model, &simulate(model, s, r, &mut NoObserver))
                            })
                            .count() as u64
                    })
                    .collect();
                Ok(DrawHits {
                    index: k,
                    values,
                    hits,
                })
            })
            .collect();
        for d in part {
            out.push(d?);
        }
        on_draw(end - draws.start);
        start = end;
    }
    Ok(out)
}

/// The estimate from a reference table of draws: weights, predictive checks, kept draws.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalibrationRun {
    /// The weighted posterior over the draws.
    pub posterior: Posterior,
    /// Per target: prior predictive, then posterior predictive of its event.
    pub predictive: Vec<(Predictive, Predictive)>,
    /// Draws kept (resampled by weight), as indices into the table, increasing.
    pub kept: Vec<usize>,
    /// Draws with every fitted target hit at least once.
    pub accepted: u64,
}

impl CalibrationRun {
    /// Weight the table by the product of the fitted targets' hit fractions, check
    /// every target's predictive, and resample `keep` draws with a uniform from `seed`.
    pub fn estimate(
        table: &[DrawHits],
        targets: &[TargetRule],
        keep: usize,
        seed: u64,
    ) -> Result<CalibrationRun, AbcError> {
        let fraction =
            |d: &DrawHits, t: usize| d.hits[t] as f64 / targets[t].replicates.max(1) as f64;
        let likelihoods: Vec<f64> = table
            .iter()
            .map(|d| {
                (0..targets.len())
                    .filter(|&t| targets[t].fit)
                    .map(|t| fraction(d, t))
                    .product()
            })
            .collect();
        let rows: Vec<Vec<f64>> = table.iter().map(|d| d.values.clone()).collect();
        let post = posterior(&rows, &likelihoods)?;
        let equal = vec![1.0; table.len()];
        let predictive = (0..targets.len())
            .map(|t| {
                let p: Vec<f64> = table.iter().map(|d| fraction(d, t)).collect();
                (
                    self::predictive(&p, &equal),
                    self::predictive(&p, &post.weights),
                )
            })
            .collect();
        let u = (draw_seed(seed, u64::MAX) >> 11) as f64 / (1u64 << 53) as f64;
        Ok(CalibrationRun {
            kept: systematic_resample(&post.weights, keep, u),
            accepted: likelihoods.iter().filter(|&&l| l > 0.0).count() as u64,
            posterior: post,
            predictive,
        })
    }
}

/// Format tag of calibration partials.
pub const CALIBRATION_PARTIAL_FORMAT: &str = "wedge-calibration-partial-1";

/// One shard of a calibration: a contiguous range of draws and their hits.
/// Shards of one plan merge by concatenation into exactly the rows of the whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationPartial {
    /// [`CALIBRATION_PARTIAL_FORMAT`].
    pub format: String,
    /// The wedge version that played it.
    pub wedge_version: String,
    /// Identity of the plan (a hash of the plan, priors and scenarios, given by the caller).
    pub plan: String,
    /// Master seed.
    pub seed: u64,
    /// Draws of the whole plan.
    pub draws: u64,
    /// The shard's draws.
    pub range: [u64; 2],
    /// The rows, in draw order.
    pub rows: Vec<DrawHits>,
}

/// The draws of shard `k` of `n` (1-based) of a plan of `draws` draws.
pub fn shard_range(draws: u64, k: u64, n: u64) -> Range<u64> {
    let at = |i: u64| (u128::from(draws) * u128::from(i) / u128::from(n.max(1))) as u64;
    at(k.saturating_sub(1))..at(k)
}

/// Join the shards of one plan into its whole table of draws, checking that
/// they belong together and cover every draw exactly once.
pub fn merge_calibration(mut parts: Vec<CalibrationPartial>) -> Result<Vec<DrawHits>, String> {
    parts.sort_by_key(|p| p.range[0]);
    let Some(first) = parts.first() else {
        return Err("no partial results to merge".into());
    };
    let (plan, seed, draws) = (first.plan.clone(), first.seed, first.draws);
    let mut next = 0;
    let mut rows = Vec::new();
    for p in parts {
        if p.format != CALIBRATION_PARTIAL_FORMAT {
            return Err(format!(
                "format `{}`, expected `{CALIBRATION_PARTIAL_FORMAT}`",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_every_draw_once_and_merge_in_any_order() {
        let ranges: Vec<_> = (1..=3).map(|k| shard_range(10, k, 3)).collect();
        assert_eq!(ranges, vec![0..3, 3..6, 6..10]);
        let part = |r: Range<u64>| CalibrationPartial {
            format: CALIBRATION_PARTIAL_FORMAT.into(),
            wedge_version: String::new(),
            plan: "p".into(),
            seed: 1,
            draws: 10,
            range: [r.start, r.end],
            rows: r
                .map(|i| DrawHits {
                    index: i,
                    values: vec![i as f64],
                    hits: vec![i],
                })
                .collect(),
        };
        let merged = merge_calibration(ranges.iter().rev().cloned().map(part).collect());
        let merged = merged.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            merged.iter().map(|r| r.index).collect::<Vec<_>>(),
            (0..10).collect::<Vec<_>>()
        );
        assert!(merge_calibration(vec![part(0..3), part(6..10)]).is_err());
        assert!(merge_calibration(vec![part(0..3), part(3..6)]).is_err());
    }
}
