//! Variance-based sensitivity of a scenario: Sobol indices on a Saltelli
//! design over its declared uncertainties (and, optionally, the intensity of
//! each lever in force).
//!
//! Each row of the design fixes every factor: an uncertainty takes its
//! distribution's quantile at the row's uniform (the same clamping to the
//! target's range as the engine's draw), a lever's intensity is uniform from
//! 0 (off) to twice its declared intensity. The row's model is played for
//! `replicates` runs, the same run indices of the same master seed for every
//! row (common random numbers), and the outputs are the share of those runs
//! that split and their mean final alignment. Indices and bootstrap intervals
//! come from `wedge-analysis` (SALib's estimators).
//!
//! The noise share σ²/V says how much of the outputs' variance across rows
//! is the replicates' sampling noise, which the estimators cannot tell from
//! the factors' effect (it shrinks S1 and inflates ST). With common seeds the
//! noise of two rows is correlated, so the variance of one row's mean
//! (p(1 − p)/K) overstates it; instead the K runs are split into two halves
//! of n₁ and n₂ runs, whose means Y₁, Y₂ carry independent noise, and
//! σ² = Var_rows(Y₁ − Y₂) · n₁n₂/K² estimates the variance across rows of
//! the noise in the K-run mean (exact in expectation, as each half's noise
//! variance falls as 1/n).
//!
//! Determinism: rows are evaluated in parallel and collected in row order;
//! each row's runs are summed sequentially.

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use serde::Serialize;
use wedge_analysis::{
    DesignOptions, NoiseShare, SaltelliDesign, Sampler, SobolError, SobolIndices, SobolOptions,
    normal, sobol_indices, triangular, uniform, weighted_choice,
};
use wedge_core::{Distribution, Model, NoObserver, ParamId, simulate};

use crate::provenance::{Manifest, RunPlan};

/// Design rows evaluated in parallel between two checks of the stop flag.
const ROWS_PER_WAVE: usize = 64;

/// Most runs one Sobol analysis may play.
pub const MAX_SOBOL_RUNS: u64 = 200_000_000;

/// What to compute (the flags of `wedge sobol`, with the `clap` feature).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct SobolSettings {
    /// Base points N of the Saltelli design (a power of two); the design has N × (factors + 2) rows.
    #[cfg_attr(feature = "clap", arg(long, default_value_t = 256))]
    pub base: usize,
    /// Runs per design row (common seeds across rows); raise it when the noise share σ²/V exceeds 0.05.
    #[cfg_attr(feature = "clap", arg(long, default_value_t = 64))]
    pub replicates: u64,
    /// Also vary the intensity of every lever in force, from 0 to twice its declared value.
    #[cfg_attr(feature = "clap", arg(long))]
    pub levers: bool,
    /// Master seed of the runs, the design's scramble and the bootstrap.
    #[cfg_attr(feature = "clap", arg(long, default_value_t = 1))]
    pub seed: u64,
    /// Bootstrap resamples for the 95% intervals.
    #[cfg_attr(feature = "clap", arg(long, default_value_t = 100))]
    pub resamples: usize,
}

impl Default for SobolSettings {
    fn default() -> Self {
        SobolSettings {
            base: 256,
            replicates: 64,
            levers: false,
            seed: 1,
            resamples: 100,
        }
    }
}

/// What a factor of the design is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FactorKind {
    /// A declared uncertainty, drawn from its distribution.
    Uncertainty,
    /// A lever's intensity, from 0 to twice the declared one.
    Lever,
}

/// One input of the design.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SobolFactor {
    /// The uncertainty's or the lever's name.
    pub name: String,
    /// What it is.
    pub kind: FactorKind,
    /// The quantity it sets (`params.NAME`, `initial.PATH`, `levers.NAME.intensity`).
    pub target: String,
    /// Smallest value the design can give it.
    pub low: f64,
    /// Largest value the design can give it.
    pub high: f64,
}

/// The indices of one outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SobolOutcome {
    /// `split` (share of a row's runs that split) or `final_alignment` (their mean).
    pub outcome: String,
    /// First- and total-order indices with 95% bootstrap half-widths, in factor order.
    pub indices: SobolIndices,
    /// Sampling noise of the row outputs relative to their variance, σ²/V.
    pub noise: NoiseShare,
}

/// The result of a Sobol analysis (what `wedge sobol --format json` prints).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SobolResult {
    /// Provenance: scenario, its hash, the master seed and the runs played
    /// (rows × K), with version, threads, wall time and command. In JSON its
    /// fields sit at the top level of the document.
    #[serde(flatten)]
    pub manifest: Manifest,
    /// Base points N.
    pub base: usize,
    /// Runs per design row K.
    pub replicates: u64,
    /// Rows of the design, N(D + 2).
    pub rows: usize,
    /// Source of the design's uniforms: `sobol` (scrambled Sobol' sequence) or `pseudo_random`.
    pub sampler: Sampler,
    /// The factors, in design-column order.
    pub factors: Vec<SobolFactor>,
    /// Indices of the split share, then of the final alignment.
    pub outcomes: Vec<SobolOutcome>,
}

/// Why a Sobol analysis could not run.
#[derive(Debug, thiserror::Error)]
pub enum SobolRunError {
    /// Nothing varies.
    #[error("the scenario declares no uncertainties{0}: there is nothing to vary")]
    NoFactors(&'static str),
    /// Too few replicates.
    #[error("replicates must be at least 2 (the noise share needs a variance), got {0}")]
    Replicates(u64),
    /// An outcome took the same value at every design row.
    #[error(
        "every design row gave the same {outcome} over its {replicates} runs, so there is no variance to apportion: raise --replicates (or --base)"
    )]
    NoVariance {
        /// The outcome.
        outcome: String,
        /// Runs per row.
        replicates: u64,
    },
    /// The design or the estimators refused the input.
    #[error(transparent)]
    Analysis(#[from] SobolError),
    /// Too much work.
    #[error("{rows} design rows × {replicates} runs is {runs} runs, more than {MAX_SOBOL_RUNS}")]
    TooManyRuns {
        /// Design rows.
        rows: usize,
        /// Runs per row.
        replicates: u64,
        /// Their product.
        runs: u64,
    },
    /// A row's model is invalid (cannot happen for values inside the factors' ranges).
    #[error("design row {row}: {message}")]
    Model {
        /// The row.
        row: usize,
        /// What was wrong.
        message: String,
    },
    /// Stopped by the caller (Ctrl-C); the message says how far it got.
    #[error("interrupted after {rows_done} of {rows} design rows (Ctrl-C)")]
    Interrupted {
        /// Rows evaluated.
        rows_done: usize,
        /// Rows of the design.
        rows: usize,
    },
}

impl wedge_io::Categorized for SobolRunError {
    fn category(&self) -> wedge_io::Category {
        match self {
            // A stop is a runtime failure whose message says how far it got.
            SobolRunError::Interrupted { .. } => wedge_io::Category::Runtime,
            _ => wedge_io::Category::Usage,
        }
    }
}

/// How a factor sets its value on a model.
#[derive(Debug, Clone)]
enum Setter {
    Target(ParamId, Distribution),
    Lever(usize),
}

/// The factors of a model: its uncertainties, then (with `levers`) its levers' intensities.
pub fn factors(model: &Model, levers: bool) -> Vec<SobolFactor> {
    setters(model, levers)
        .into_iter()
        .map(|(factor, _)| factor)
        .collect()
}

fn setters(model: &Model, levers: bool) -> Vec<(SobolFactor, Setter)> {
    let spec = model.spec();
    let mut out: Vec<(SobolFactor, Setter)> = spec
        .uncertainties
        .iter()
        .map(|u| {
            let (lo, hi) = u.distribution.support();
            let (min, max) = u.target.range();
            (
                SobolFactor {
                    name: u.name.clone(),
                    kind: FactorKind::Uncertainty,
                    target: u.target.path(),
                    low: lo.clamp(min, max),
                    high: hi.clamp(min, max),
                },
                Setter::Target(u.target, u.distribution.clone()),
            )
        })
        .collect();
    if levers {
        for (i, lever) in spec.levers.iter().enumerate() {
            out.push((
                SobolFactor {
                    name: lever.name.clone(),
                    kind: FactorKind::Lever,
                    target: format!("levers.{}.intensity", lever.name),
                    low: 0.0,
                    high: lever_high(lever.intensity),
                },
                Setter::Lever(i),
            ));
        }
    }
    out
}

/// Upper end of a lever factor: twice the declared intensity (1 for a lever declared at 0).
fn lever_high(intensity: f64) -> f64 {
    if intensity > 0.0 {
        2.0 * intensity
    } else {
        1.0
    }
}

/// The value of a factor at uniform `u`.
fn value(setter: &Setter, factor: &SobolFactor, u: f64) -> f64 {
    match setter {
        Setter::Target(target, distribution) => {
            let x = match distribution {
                Distribution::Uniform { low, high } => uniform(u, *low, *high),
                Distribution::Normal { mean, sd } => normal(u, *mean, *sd),
                Distribution::Triangular { low, mode, high } => triangular(u, *low, *mode, *high),
                Distribution::Choice(options) => {
                    let weights: Vec<f64> = options.iter().map(|(_, w)| *w).collect();
                    weighted_choice(u, &weights)
                        .and_then(|i| options.get(i))
                        .map_or(factor.low, |(v, _)| *v)
                }
            };
            let (min, max) = target.range();
            x.clamp(min, max)
        }
        Setter::Lever(_) => uniform(u, factor.low, factor.high),
    }
}

/// The model of one design row: uncertainties fixed at the row's values (no longer drawn), levers at theirs.
fn row_model(base: &Model, setters: &[(SobolFactor, Setter)], us: &[f64]) -> Result<Model, String> {
    let mut spec = base.spec().clone();
    spec.uncertainties.clear();
    for ((factor, setter), u) in setters.iter().zip(us) {
        let x = value(setter, factor, *u);
        match setter {
            Setter::Target(ParamId::Coefficient(i), _) => *spec.params.value_mut(*i) = x,
            Setter::Target(ParamId::Initial(i), _) => *spec.initial.variable_mut(*i) = x,
            Setter::Lever(i) => spec.levers[*i].intensity = x,
        }
    }
    Model::new(spec).map_err(|errors| {
        errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    })
}

/// One row's outputs, per half of its runs: splits and summed final alignment.
#[derive(Debug, Clone, Copy, Default)]
struct RowOutputs {
    splits: [u64; 2],
    alignment: [f64; 2],
}

/// Play a row's K runs (the same run indices for every row), summing each
/// half sequentially; `None` if `stop` was raised meanwhile (checked before
/// every run, as the batch loop does).
fn evaluate(model: &Model, seed: u64, replicates: u64, stop: &AtomicBool) -> Option<RowOutputs> {
    let half = replicates / 2;
    let mut out = RowOutputs::default();
    for run in 0..replicates {
        if stop.load(Ordering::Relaxed) {
            return None;
        }
        let h = usize::from(run >= half);
        let summary = simulate(model, seed, run, &mut NoObserver);
        out.splits[h] += u64::from(summary.split_turn.is_some());
        out.alignment[h] += summary.final_alignment;
    }
    Some(out)
}

/// Population variance (ddof 0), summed sequentially.
fn variance(values: &[f64]) -> f64 {
    let n = values.len().max(1) as f64;
    let mut sum = 0.0;
    for v in values {
        sum += v;
    }
    let mean = sum / n;
    let mut squares = 0.0;
    for v in values {
        squares += (v - mean) * (v - mean);
    }
    squares / n
}

/// The noise share of row means whose two halves have the given sums (see the module doc).
fn noise(halves: &[[f64; 2]], replicates: u64) -> NoiseShare {
    let n1 = (replicates / 2) as f64;
    let n2 = replicates as f64 - n1;
    let k = replicates as f64;
    let means: Vec<f64> = halves.iter().map(|[a, b]| (a + b) / k).collect();
    let gaps: Vec<f64> = halves.iter().map(|[a, b]| a / n1 - b / n2).collect();
    let noise_variance = variance(&gaps) * n1 * n2 / (k * k);
    NoiseShare::new(replicates as usize, noise_variance, variance(&means))
}

/// Sobol indices of a scenario's split share and final alignment.
/// `on_progress(rows_done, rows)` is called after each wave of rows; setting
/// `stop` ends the analysis at the next wave. `command` is recorded in the
/// result's manifest.
///
/// # Example
///
/// ```
/// use std::sync::atomic::AtomicBool;
/// use wedge_runner::{SobolSettings, sobol};
///
/// let model = wedge_core::Model::reference_2021();
/// // A small design: 8 base points, 64 runs per row (real analyses use hundreds of points).
/// let settings = SobolSettings { base: 8, replicates: 64, resamples: 10, ..SobolSettings::default() };
/// let stop = AtomicBool::new(false);
/// let result = sobol(&model, "hash", &settings, "example", &stop, &mut |_, _| {}).unwrap();
/// // Indices for each outcome: the split share, then the final alignment.
/// assert_eq!(result.outcomes.len(), 2);
/// assert_eq!(result.rows, 8 * (result.factors.len() + 2));
/// ```
pub fn sobol(
    model: &Model,
    scenario_hash: &str,
    settings: &SobolSettings,
    command: &str,
    stop: &AtomicBool,
    on_progress: &mut dyn FnMut(usize, usize),
) -> Result<SobolResult, SobolRunError> {
    let started = std::time::Instant::now();
    let setters = setters(model, settings.levers);
    if setters.is_empty() {
        return Err(SobolRunError::NoFactors(if settings.levers {
            " and has no levers in force"
        } else {
            " (add --levers to vary the levers in force)"
        }));
    }
    if settings.replicates < 2 {
        return Err(SobolRunError::Replicates(settings.replicates));
    }
    let design = SaltelliDesign::new(
        settings.base,
        setters.len(),
        DesignOptions {
            seed: settings.seed,
            ..DesignOptions::default()
        },
    )?;
    let rows = design.n_rows();
    let runs = (rows as u64).saturating_mul(settings.replicates);
    if runs > MAX_SOBOL_RUNS {
        return Err(SobolRunError::TooManyRuns {
            rows,
            replicates: settings.replicates,
            runs,
        });
    }
    let k = settings.replicates;
    let mut split_halves: Vec<[f64; 2]> = Vec::with_capacity(rows);
    let mut alignment_halves: Vec<[f64; 2]> = Vec::with_capacity(rows);
    let mut next = 0;
    while next < rows {
        if stop.load(Ordering::Relaxed) {
            return Err(SobolRunError::Interrupted {
                rows_done: next,
                rows,
            });
        }
        let end = (next + ROWS_PER_WAVE).min(rows);
        let wave: Vec<Result<Option<RowOutputs>, SobolRunError>> = (next..end)
            .into_par_iter()
            .map(|r| {
                let us = design.row(r).unwrap_or_default();
                let model = row_model(model, &setters, &us)
                    .map_err(|message| SobolRunError::Model { row: r, message })?;
                Ok(evaluate(&model, settings.seed, k, stop))
            })
            .collect();
        for outcome in wave {
            // A row abandoned on a stop abandons the wave: the rows done are the waves before it.
            let Some(row) = outcome? else {
                return Err(SobolRunError::Interrupted {
                    rows_done: next,
                    rows,
                });
            };
            split_halves.push([row.splits[0] as f64, row.splits[1] as f64]);
            alignment_halves.push(row.alignment);
        }
        next = end;
        on_progress(next, rows);
    }
    let options = SobolOptions {
        resamples: settings.resamples,
        seed: settings.seed,
    };
    let layout = design.layout();
    let mean = |halves: &[[f64; 2]]| -> Vec<f64> {
        halves.iter().map(|[a, b]| (a + b) / k as f64).collect()
    };
    let indices = |outcome: &str, outputs: &[f64]| {
        sobol_indices(layout, outputs, options).map_err(|e| match e {
            SobolError::ConstantOutput => SobolRunError::NoVariance {
                outcome: outcome.to_string(),
                replicates: k,
            },
            other => SobolRunError::Analysis(other),
        })
    };
    let outcomes = vec![
        SobolOutcome {
            outcome: "split".into(),
            indices: indices("split share", &mean(&split_halves))?,
            noise: noise(&split_halves, k),
        },
        SobolOutcome {
            outcome: "final_alignment".into(),
            indices: indices("final alignment", &mean(&alignment_halves))?,
            noise: noise(&alignment_halves, k),
        },
    ];
    let plan = RunPlan::new(&model.spec().name, scenario_hash, settings.seed, runs);
    Ok(SobolResult {
        manifest: Manifest::new(plan, started.elapsed().as_secs_f64(), runs, command),
        base: settings.base,
        replicates: k,
        rows,
        sampler: design.sampler(),
        factors: setters.into_iter().map(|(f, _)| f).collect(),
        outcomes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::tests::short_model as uncertain_model;

    #[test]
    fn a_raised_stop_flag_stops_the_analysis() {
        let model = uncertain_model();
        assert!(!factors(&model, false).is_empty());
        let settings = SobolSettings {
            base: 64,
            replicates: 4,
            ..SobolSettings::default()
        };
        // Raised before the start: no row is played.
        let raised = AtomicBool::new(true);
        let before = sobol(&model, "-", &settings, "test", &raised, &mut |_, _| {});
        assert!(
            matches!(before, Err(SobolRunError::Interrupted { rows_done: 0, .. })),
            "{before:?}"
        );
        // Raised after the first wave: the analysis ends there, that wave's rows done.
        let stop = AtomicBool::new(false);
        let mut waves = 0;
        let during = sobol(&model, "-", &settings, "test", &stop, &mut |_, _| {
            waves += 1;
            stop.store(true, Ordering::Relaxed);
        });
        assert_eq!(waves, 1);
        assert!(
            matches!(during, Err(SobolRunError::Interrupted { rows_done: ROWS_PER_WAVE, rows }) if rows > ROWS_PER_WAVE),
            "{during:?}"
        );
        // A row stops between its runs: its outputs are abandoned.
        assert!(evaluate(&model, 1, 4, &raised).is_none());
        assert!(evaluate(&model, 1, 4, &AtomicBool::new(false)).is_some());
    }

    #[test]
    fn noise_share_is_zero_without_chance_and_near_one_with_chance_only() {
        // Halves that agree exactly: no noise.
        let same: Vec<[f64; 2]> = (0..100).map(|i| [f64::from(i % 7); 2]).collect();
        assert_eq!(noise(&same, 8).noise_variance, 0.0);
        // No signal, independent noise in each half: σ² ≈ V, the share near 1.
        let mut state = 1u64;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let pure: Vec<[f64; 2]> = (0..4000).map(|_| [next() * 4.0, next() * 4.0]).collect();
        let share = noise(&pure, 8).share;
        assert!((0.9..1.1).contains(&share), "{share}");
    }

    #[test]
    fn factors_are_the_uncertainties_then_the_levers() {
        let model = Model::reference_2021();
        let plain = factors(&model, false);
        assert_eq!(plain.len(), model.spec().uncertainties.len());
        assert!(
            plain
                .iter()
                .all(|f| f.kind == FactorKind::Uncertainty && f.low <= f.high)
        );
        let with = factors(&model, true);
        assert_eq!(with.len(), plain.len() + model.spec().levers.len());
    }

    #[test]
    fn a_design_row_fixes_every_uncertainty() {
        let model = Model::reference_2021();
        let setters = setters(&model, false);
        let us = vec![0.5; setters.len()];
        let fixed = row_model(&model, &setters, &us).expect("valid");
        assert!(fixed.spec().uncertainties.is_empty());
        // Two runs of the fixed model differ only by chance, never by drawn values.
        let a = simulate(&fixed, 1, 0, &mut NoObserver);
        let b = simulate(&fixed, 1, 0, &mut NoObserver);
        assert_eq!(a, b);
    }
}
