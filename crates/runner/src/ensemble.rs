//! Every answer across an ensemble of parameter draws (a posterior from
//! `wedge calibrate`, or any weighted set of draws).
//!
//! Draw *k* is played `runs` times per arm on common random numbers: run *r*
//! of draw *k* uses the seed [`draw_seed`]`(master, k)` and index *r* in every
//! arm, so the arms of one draw differ only by what they change. Draws are
//! played in parallel in blocks and folded in draw order; every count is an
//! integer, so per-draw results are the same bits whatever the thread count,
//! and a range of draws (a shard) gives the same per-draw rows as the whole.
//!
//! Per arm, the effect across draws is the distribution of
//! Δ_k = P̂(split | arm, k) − P̂(split | baseline, k) under the draws' weights;
//! each arm's regret in draw *k* is the best arm's split probability minus its
//! own (Lempert, Popper & Bankes 2003, robust decision making).

use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use wedge_analysis::weighted_quantile;
use wedge_core::Model;

use crate::bands::{ArmEnsemble, Band, Regret, RunEnsemble};
use crate::compare::{Comparison, compare_runs};
use crate::waves::Batch;

/// Seed of draw `k` under a master seed (SplitMix64 of the pair): every arm of a draw shares it.
pub fn draw_seed(master: u64, draw: u64) -> u64 {
    let mut z = master ^ draw.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Why an ensemble could not be played.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EnsembleError {
    /// A draw's arms could not be built.
    #[error("draw {draw}: {message}")]
    Build {
        /// The draw.
        draw: u64,
        /// What went wrong.
        message: String,
    },
    /// The arms of a draw differ in shape from the first draw's.
    #[error("draw {0}: its arms differ in number or horizon from the first draw's")]
    Shape(u64),
    /// Stopped by the caller.
    #[error("interrupted after {0} draws")]
    Interrupted(u64),
}

/// What an ensemble gives: per-draw split counts per arm, and every run pooled.
#[derive(Debug, Clone, PartialEq)]
pub struct EnsemblePlay {
    /// First draw played.
    pub first_draw: u64,
    /// Runs per arm per draw.
    pub runs: u64,
    /// Splits per draw (in draw order) per arm.
    pub splits: Vec<Vec<u64>>,
    /// Every run of every draw, pooled (equal weight per draw).
    pub pooled: Comparison,
}

/// Builds the arms (baseline first) of one draw.
pub type BuildDraw<'a> = dyn Fn(u64) -> Result<Vec<Model>, String> + Sync + 'a;

fn play_draw(
    build: &BuildDraw<'_>,
    k: u64,
    seed: u64,
    runs: u64,
    stop: &AtomicBool,
) -> Result<Comparison, EnsembleError> {
    let models = build(k).map_err(|message| EnsembleError::Build { draw: k, message })?;
    crate::compare::check_shapes(&models).map_err(|_| EnsembleError::Shape(k))?;
    let batch = Batch::whole(draw_seed(seed, k), runs);
    // The chunks played straight into one comparison: its counts are exact,
    // so this is the sum of the chunks' own comparisons, without allocating them.
    let mut c = Comparison::new(&models);
    for chunk in 0..batch.end_chunk {
        if !compare_runs(&models, batch.seed, batch.chunk_runs(chunk), &mut c, stop) {
            return Err(EnsembleError::Interrupted(k));
        }
    }
    Ok(c)
}

/// Play draws `draws` of an ensemble, `runs` runs per arm each, in parallel,
/// folding in draw order. `on_draw` gets the number of draws folded so far.
pub fn play_ensemble(
    draws: Range<u64>,
    seed: u64,
    runs: u64,
    build: &BuildDraw<'_>,
    stop: &AtomicBool,
    on_draw: &mut (dyn FnMut(u64) + Send),
) -> Result<EnsemblePlay, EnsembleError> {
    let block = (4 * rayon::current_num_threads()).max(1) as u64;
    let mut out = EnsemblePlay {
        first_draw: draws.start,
        runs,
        splits: Vec::new(),
        pooled: Comparison {
            arms: Vec::new(),
            pairs: Vec::new(),
        },
    };
    let mut start = draws.start;
    while start < draws.end {
        if stop.load(Ordering::Relaxed) {
            return Err(EnsembleError::Interrupted(start - draws.start));
        }
        let end = (start + block).min(draws.end);
        let parts: Vec<Result<Comparison, EnsembleError>> = (start..end)
            .into_par_iter()
            .map(|k| play_draw(build, k, seed, runs, stop))
            .collect();
        for (k, part) in (start..end).zip(parts) {
            let part = part?;
            if out.pooled.arms.is_empty() {
                out.pooled = part.clone();
            } else if out.pooled.arms.len() != part.arms.len()
                || out
                    .pooled
                    .arms
                    .iter()
                    .zip(&part.arms)
                    .any(|(a, b)| !a.same_shape(b))
            {
                return Err(EnsembleError::Shape(k));
            } else {
                out.pooled.absorb(&part);
            }
            out.splits
                .push(part.arms.iter().map(|a| a.splits).collect());
        }
        on_draw(end - draws.start);
        start = end;
    }
    Ok(out)
}

fn probabilities(play: &EnsemblePlay, arm: usize) -> Vec<f64> {
    let n = play.runs.max(1) as f64;
    play.splits.iter().map(|d| d[arm] as f64 / n).collect()
}

/// Each arm's effect across draws, in arm order (the baseline's is zero).
pub fn arm_ensembles(play: &EnsemblePlay, weights: &[f64]) -> Vec<ArmEnsemble> {
    let arms = play.splits.first().map_or(0, Vec::len);
    let base = probabilities(play, 0);
    let total: f64 = weights.iter().sum();
    (0..arms)
        .map(|a| {
            let delta: Vec<f64> = probabilities(play, a)
                .iter()
                .zip(&base)
                .map(|(p, b)| p - b)
                .collect();
            let helps: f64 = delta
                .iter()
                .zip(weights)
                .filter(|(d, _)| **d > 0.0)
                .map(|(_, w)| w)
                .sum();
            ArmEnsemble {
                draws: play.splits.len() as u64,
                effect: Band::of(&delta, weights),
                // `+ 0.0` turns the empty sum's −0.0 into 0.0.
                helps_share: if total > 0.0 {
                    helps / total + 0.0
                } else {
                    0.0
                },
            }
        })
        .collect()
}

/// Each arm's regret across draws, in arm order.
pub fn regrets(names: &[String], play: &EnsemblePlay, weights: &[f64]) -> Vec<Regret> {
    let per_arm: Vec<Vec<f64>> = (0..names.len()).map(|a| probabilities(play, a)).collect();
    let best: Vec<f64> = (0..play.splits.len())
        .map(|k| {
            per_arm
                .iter()
                .map(|p| p[k])
                .fold(f64::NEG_INFINITY, f64::max)
        })
        .collect();
    let total: f64 = weights.iter().sum();
    names
        .iter()
        .zip(&per_arm)
        .map(|(name, p)| {
            let regret: Vec<f64> = p.iter().zip(&best).map(|(o, b)| b - o).collect();
            Regret {
                arm: name.clone(),
                max: regret.iter().copied().fold(0.0, f64::max),
                p90: weighted_quantile(&regret, weights, 0.9),
                mean: regret.iter().zip(weights).map(|(r, w)| r * w).sum::<f64>()
                    / total.max(f64::MIN_POSITIVE),
            }
        })
        .collect()
}

/// The run's split probability across draws (arm 0).
pub fn run_ensemble(play: &EnsemblePlay, weights: &[f64]) -> RunEnsemble {
    RunEnsemble {
        draws: play.splits.len() as u64,
        split: Band::of(&probabilities(play, 0), weights),
    }
}

/// Play every draw of `weights` and build draw 0's models (whose names and
/// specs label the pooled result).
fn play_every_draw(
    weights: &[f64],
    settings: &crate::CompareSettings,
    build: &BuildDraw<'_>,
    stop: &AtomicBool,
    on_draw: &mut (dyn FnMut(u64) + Send),
) -> Result<(EnsemblePlay, Vec<Model>), EnsembleError> {
    let play = play_ensemble(
        0..weights.len() as u64,
        settings.plan.seed,
        settings.plan.runs,
        build,
        stop,
        on_draw,
    )?;
    let models = build(0).map_err(|message| EnsembleError::Build { draw: 0, message })?;
    Ok((play, models))
}

/// Compare arms (baseline first) across draws `0..weights.len()`: the Monte
/// Carlo fields pool every run of every draw; each arm carries its
/// [`ArmEnsemble`], and the result each arm's [`Regret`]. Arms are ranked as by
/// [`crate::compare`].
pub fn compare_ensemble(
    names: &[String],
    weights: &[f64],
    settings: &crate::CompareSettings,
    build: &BuildDraw<'_>,
    stop: &AtomicBool,
    on_draw: &mut (dyn FnMut(u64) + Send),
) -> Result<crate::ComparisonResult, EnsembleError> {
    let started = std::time::Instant::now();
    let (play, models) = play_every_draw(weights, settings, build, stop, on_draw)?;
    let mut arms = crate::compare::arm_summaries(names, &models, &play.pooled);
    for (arm, e) in arms.iter_mut().zip(arm_ensembles(&play, weights)) {
        arm.ensemble = Some(e);
    }
    crate::compare::rank(&mut arms);
    let runs = play.pooled.runs();
    Ok(crate::ComparisonResult {
        runs,
        seed: settings.plan.seed,
        arms,
        manifest: settings.manifest(
            runs,
            started.elapsed().as_secs_f64(),
            runs * names.len() as u64,
        ),
        regret: regrets(names, &play, weights),
    })
}

/// Run one scenario across draws `0..weights.len()`: the Monte Carlo summary
/// pools every run of every draw, with the split probability across draws beside it.
pub fn run_over_ensemble(
    weights: &[f64],
    settings: &crate::CompareSettings,
    build: &BuildDraw<'_>,
    stop: &AtomicBool,
    on_draw: &mut (dyn FnMut(u64) + Send),
) -> Result<crate::RunResult, EnsembleError> {
    let started = std::time::Instant::now();
    let (play, models) = play_every_draw(weights, settings, build, stop, on_draw)?;
    let Some((model, agg)) = models.first().zip(play.pooled.arms.first()) else {
        return Err(EnsembleError::Shape(0));
    };
    let manifest = settings.manifest(agg.runs, started.elapsed().as_secs_f64(), agg.runs);
    let mut result = crate::summary::summarize(model, agg, manifest);
    result.ensemble = Some(run_ensemble(&play, weights));
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(k: u64) -> Result<Vec<Model>, String> {
        let model = Model::reference_2021();
        let mut spec = model.spec().clone();
        spec.params.threat_weight = 0.4 + 0.1 * k as f64;
        let variant = Model::new(spec).map_err(|e| format!("{e:?}"))?;
        Ok(vec![model, variant])
    }

    #[test]
    fn a_raised_stop_flag_stops_the_ensemble() {
        let raised = AtomicBool::new(true);
        let before = play_ensemble(0..6, 9, 300, &build, &raised, &mut |_| {});
        assert_eq!(before, Err(EnsembleError::Interrupted(0)));
        // A draw stops between its runs.
        assert_eq!(
            play_draw(&build, 0, 9, 300, &raised),
            Err(EnsembleError::Interrupted(0))
        );
        // Raised after the first block (4 draws on one thread): the ensemble ends there.
        let one = rayon::ThreadPoolBuilder::new().num_threads(1).build();
        let one = one.unwrap_or_else(|e| panic!("{e}"));
        let stop = AtomicBool::new(false);
        let mut folded = Vec::new();
        let during = one.install(|| {
            play_ensemble(0..10, 9, 50, &build, &stop, &mut |n| {
                folded.push(n);
                stop.store(true, Ordering::Relaxed);
            })
        });
        assert_eq!(folded, vec![4]);
        assert_eq!(during, Err(EnsembleError::Interrupted(4)));
    }

    #[test]
    fn per_draw_results_are_the_same_whole_sharded_and_at_any_thread_count() {
        let stop = AtomicBool::new(false);
        let whole = play_ensemble(0..6, 9, 300, &build, &stop, &mut |_| {});
        let whole = whole.unwrap_or_else(|e| panic!("{e}"));
        let mut sharded = Vec::new();
        for range in [0..2, 2..5, 5..6] {
            let part = play_ensemble(range, 9, 300, &build, &stop, &mut |_| {});
            sharded.extend(part.unwrap_or_else(|e| panic!("{e}")).splits);
        }
        assert_eq!(whole.splits, sharded);
        let one = rayon::ThreadPoolBuilder::new().num_threads(1).build();
        let one = one.unwrap_or_else(|e| panic!("{e}"));
        let single = one.install(|| play_ensemble(0..6, 9, 300, &build, &stop, &mut |_| {}));
        assert_eq!(single.map(|p| p.splits), Ok(whole.splits.clone()));
        // Draws differ (the threat weight moves the split probability), and the bands follow.
        let weights = vec![1.0; 6];
        let arms = arm_ensembles(&whole, &weights);
        assert_eq!(arms[0].effect.median, 0.0);
        assert!(
            arms[1].effect.p05 <= arms[1].effect.median
                && arms[1].effect.median <= arms[1].effect.p95
        );
        let regret = regrets(&["a".into(), "b".into()], &whole, &weights);
        assert!(regret.iter().all(|r| r.max >= r.p90 && r.p90 >= 0.0));
    }
}
