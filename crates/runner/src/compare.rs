//! Paired comparisons with common random numbers.
//!
//! Run *i* of every arm uses the same seed stream (and so the same
//! uncertainty draws, events and noise): the arms differ only by what their
//! scenarios change. The difference from the baseline is then measured run by
//! run, from the discordant pairs, and its interval is far narrower than that
//! of two independent batches.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use wedge_core::{Model, simulate};

use crate::aggregate::Aggregate;
use crate::batch::{Batch, CHUNKS_PER_WAVE};
use crate::stats::{independent_difference, paired_difference};
use crate::summary::{Proportion, median_years};

/// Discordant and concordant pairs of one arm against the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PairCounts {
    /// Runs that split in both.
    pub both: u64,
    /// Runs that split only in the variant.
    pub gained: u64,
    /// Runs that split only in the baseline.
    pub lost: u64,
    /// Runs that split in neither.
    pub neither: u64,
}

/// Aggregates of every arm, and each arm's pairs against arm 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    /// One aggregate per arm, baseline first.
    pub arms: Vec<Aggregate>,
    /// Pair counts per arm against the baseline (the baseline's own are all concordant).
    pub pairs: Vec<PairCounts>,
}

impl Comparison {
    /// Empty comparison shaped for these arms.
    pub fn new(models: &[Model]) -> Comparison {
        Comparison {
            arms: models.iter().map(Aggregate::new).collect(),
            pairs: vec![PairCounts::default(); models.len()],
        }
    }

    /// Add another comparison of the same arms (exact).
    pub fn absorb(&mut self, other: &Comparison) {
        for (a, b) in self.arms.iter_mut().zip(&other.arms) {
            a.absorb(b);
        }
        for (a, b) in self.pairs.iter_mut().zip(&other.pairs) {
            a.both += b.both;
            a.gained += b.gained;
            a.lost += b.lost;
            a.neither += b.neither;
        }
    }

    /// Runs compared.
    pub fn runs(&self) -> u64 {
        self.arms.first().map_or(0, |a| a.runs)
    }

    /// Largest half-width of the paired delta intervals (0 with one arm).
    pub fn widest_delta_half_width(&self) -> f64 {
        let n = self.runs();
        self.pairs
            .iter()
            .skip(1)
            .map(|p| {
                let (_, (lo, hi)) = paired_difference(p.gained, p.lost, n);
                (hi - lo) / 2.0
            })
            .fold(0.0, f64::max)
    }
}

fn compare_chunk(models: &[Model], batch: &Batch, chunk: u64) -> Comparison {
    let mut c = Comparison::new(models);
    for run in batch.chunk_runs(chunk) {
        let base = simulate(&models[0], batch.seed, run, &mut c.arms[0]);
        c.arms[0].record(&base);
        c.pairs[0].both += u64::from(base.split_turn.is_some());
        c.pairs[0].neither += u64::from(base.split_turn.is_none());
        for (a, model) in models.iter().enumerate().skip(1) {
            let s = simulate(model, batch.seed, run, &mut c.arms[a]);
            c.arms[a].record(&s);
            let p = &mut c.pairs[a];
            match (base.split_turn.is_some(), s.split_turn.is_some()) {
                (true, true) => p.both += 1,
                (false, true) => p.gained += 1,
                (true, false) => p.lost += 1,
                (false, false) => p.neither += 1,
            }
        }
    }
    c
}

/// Compare arms over a batch's chunks, folding chunk results in order into `into`.
/// `on_wave` is called after each wave with the comparison so far.
pub fn compare_chunks(
    models: &[Model],
    batch: &Batch,
    into: &mut Comparison,
    on_wave: &mut dyn FnMut(&Comparison),
) {
    let mut next = batch.first_chunk;
    while next < batch.end_chunk {
        let wave_end = (next + CHUNKS_PER_WAVE).min(batch.end_chunk);
        let parts: Vec<Comparison> = (next as usize..wave_end as usize)
            .into_par_iter()
            .map(|c| compare_chunk(models, batch, c as u64))
            .collect();
        for part in &parts {
            into.absorb(part);
        }
        next = wave_end;
        on_wave(into);
    }
}

/// The difference of an arm from the baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delta {
    /// Arm minus baseline split probability.
    pub estimate: f64,
    /// Paired 95% interval.
    pub ci95: [f64; 2],
    /// Interval two independent batches of the same size would give (for contrast).
    pub independent_ci95: [f64; 2],
    /// Relative change, arm / baseline − 1 (absent when the baseline never splits).
    pub relative: Option<f64>,
    /// Shift of the median years to split, when both are defined.
    pub median_shift_years: Option<f64>,
    /// raises, lowers, or no detectable change.
    pub verdict: String,
}

/// One arm of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArmSummary {
    /// Arm name.
    pub name: String,
    /// Split probability.
    pub split: Proportion,
    /// Median years to split.
    pub median_years_to_split: Option<f64>,
    /// Difference from the baseline (the baseline's own is zero).
    pub delta: Delta,
    /// Pair counts against the baseline.
    pub pairs: PairCounts,
    /// Survival by year.
    pub survival: Vec<crate::summary::SurvivalPoint>,
}

/// Summaries of every arm, in the order given (the baseline first).
pub fn arm_summaries(names: &[String], models: &[Model], c: &Comparison) -> Vec<ArmSummary> {
    let n = c.runs();
    let base = &c.arms[0];
    let base_median = median_years(base, models[0].spec().turn_years);
    names
        .iter()
        .zip(models)
        .zip(c.arms.iter().zip(&c.pairs))
        .map(|((name, model), (agg, pairs))| {
            let (estimate, (lo, hi)) = paired_difference(pairs.gained, pairs.lost, n);
            let (_, (ilo, ihi)) = independent_difference(base.splits, agg.splits, n);
            let median = median_years(agg, model.spec().turn_years);
            let verdict = if lo > 0.0 {
                "raises"
            } else if hi < 0.0 {
                "lowers"
            } else {
                "no detectable change"
            };
            ArmSummary {
                name: name.clone(),
                split: Proportion::of(agg.splits, n),
                median_years_to_split: median,
                delta: Delta {
                    estimate,
                    ci95: [lo, hi],
                    independent_ci95: [ilo, ihi],
                    relative: (base.splits > 0)
                        .then(|| agg.splits as f64 / base.splits as f64 - 1.0),
                    median_shift_years: base_median.zip(median).map(|(b, m)| m - b),
                    verdict: verdict.to_string(),
                },
                pairs: *pairs,
                survival: crate::summary::survival(agg, model.spec().turn_years),
            }
        })
        .collect()
}
