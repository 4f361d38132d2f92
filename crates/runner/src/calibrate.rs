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

/// Sample, build and play draws `draws`: `sample(k)` gives draw k's values,
/// `build(values)` the episodes' models in target order.
pub fn calibrate_draws(
    draws: Range<u64>,
    seed: u64,
    targets: &[TargetRule],
    sample: &(dyn Fn(u64) -> Vec<f64> + Sync),
    build: &(dyn Fn(&[f64]) -> Result<Vec<Model>, String> + Sync),
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
