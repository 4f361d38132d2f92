//! Sensitivity: which uncertainties drive the split probability.
//!
//! Two designs over the scenario's declared uncertainties, every point run on
//! the same random streams (common random numbers):
//! - a one-at-a-time tornado: each uncertainty pinned at the low and the high
//!   end of its support, the others drawn as declared;
//! - Morris elementary effects (Morris 1991, with μ* of Campolongo et al. 2007):
//!   `trajectories` random one-at-a-time paths on a 4-level grid over the
//!   supports, reporting μ* (mean absolute effect) with a 95% interval and σ.

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use wedge_core::{Distribution, Model};

use crate::compare::{ArmSummary, CompareError, arm_summaries, run_arms};
use crate::provenance::{Manifest, RunPlan};
use crate::stats::Z95;

/// Why a sensitivity analysis could not be made.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SensitivityError {
    /// Bad number of Morris trajectories.
    #[error("the Morris design needs between 2 and 200 trajectories, got {0}")]
    Trajectories(usize),
    /// Nothing to analyse.
    #[error("the scenario declares no uncertainties to analyse")]
    NoUncertainties,
    /// A pinned value made an invalid model.
    #[error("cannot pin the uncertainties: {0}")]
    Pin(String),
    /// The arms could not be run (or were stopped).
    #[error(transparent)]
    Run(#[from] CompareError),
}

impl wedge_io::Categorized for SensitivityError {
    fn category(&self) -> wedge_io::Category {
        use wedge_io::Category;
        match self {
            SensitivityError::Run(CompareError::Interrupted(_)) => Category::Interrupted,
            SensitivityError::Trajectories(_)
            | SensitivityError::NoUncertainties
            | SensitivityError::Run(CompareError::TooLarge { .. }) => Category::Usage,
            // Pinned values inside the declared ranges, and arms of one model, cannot fail.
            SensitivityError::Pin(_) | SensitivityError::Run(_) => Category::Runtime,
        }
    }
}

/// Grid levels of the Morris design.
const LEVELS: f64 = 4.0;

/// One bar of the tornado.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    /// Provenance (filled in by the caller, who knows the scenario's hash and the command).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest: Option<crate::provenance::Manifest>,
}

/// Design points of a screening of `uncertainties` factors with `trajectories`
/// Morris trajectories: the baseline, two tornado ends per factor, and `k + 1`
/// points per trajectory. Each point plays the runs of the plan.
pub fn design_points(uncertainties: usize, trajectories: usize) -> u64 {
    (1 + 2 * uncertainties + trajectories * (uncertainties + 1)) as u64
}

impl SensitivityResult {
    /// Fill in the provenance: the scenario's hash and the command line.
    pub fn stamp(&mut self, scenario_hash: &str, command: &str) {
        let plan = RunPlan::new(&self.scenario, scenario_hash, self.seed, self.runs);
        let points = design_points(self.tornado.len(), self.trajectories);
        let runs_done = self.runs * points;
        self.manifest = Some(Manifest::new(plan, self.wall_seconds, runs_done, command));
    }
}

fn support(d: &Distribution) -> (f64, f64) {
    match d {
        Distribution::Normal { mean, sd } => (mean - 2.0 * sd, mean + 2.0 * sd),
        other => other.support(),
    }
}

/// A model with some uncertainties pinned to values.
fn pinned(model: &Model, values: &[(usize, f64)]) -> Result<Model, SensitivityError> {
    let mut spec = model.spec().clone();
    for (i, v) in values {
        let (lo, hi) = spec.uncertainties[*i].target.range();
        let v = v.clamp(lo, hi);
        spec.uncertainties[*i].distribution = Distribution::Uniform { low: v, high: v };
    }
    Model::new(spec).map_err(|e| SensitivityError::Pin(format!("{e:?}")))
}

/// A tornado and a Morris screening of `model`'s declared uncertainties,
/// `runs` runs per design point from `seed`, every point on the same streams.
///
/// # Example
///
/// ```
/// use std::sync::atomic::AtomicBool;
/// use wedge_runner::sensitivity;
///
/// let model = wedge_core::Model::reference_2021();
/// if !model.spec().uncertainties.is_empty() {
///     let r = sensitivity(&model, 2, 1, 64, &AtomicBool::new(false), &mut |_, _| {}).unwrap();
///     assert_eq!(r.tornado.len(), model.spec().uncertainties.len());
/// }
/// ```
pub fn sensitivity(
    model: &Model,
    trajectories: usize,
    seed: u64,
    runs: u64,
    stop: &AtomicBool,
    on_wave: &mut (dyn FnMut(u64, u64) + Send),
) -> Result<SensitivityResult, SensitivityError> {
    if !(2..=200).contains(&trajectories) {
        return Err(SensitivityError::Trajectories(trajectories));
    }
    let started = Instant::now();
    let model = model.clone();
    let uncertainties = model.spec().uncertainties.clone();
    if uncertainties.is_empty() {
        return Err(SensitivityError::NoUncertainties);
    }
    let k = uncertainties.len();
    let supports: Vec<(f64, f64)> = uncertainties
        .iter()
        .map(|u| support(&u.distribution))
        .collect();

    // Design: baseline, tornado (2k), Morris (trajectories × (k + 1)); sized before it is built.
    let arms_planned = design_points(k, trajectories) as usize;
    if arms_planned > crate::compare::MAX_ARMS {
        let bytes = crate::aggregate::Aggregate::new(&model)
            .heap_bytes()
            .saturating_mul(arms_planned as u64);
        return Err(SensitivityError::Run(CompareError::TooLarge {
            arms: arms_planned,
            runs,
            bytes,
        }));
    }
    let mut models = vec![model.clone()];
    let mut names = vec![model.spec().name.clone()];
    for (i, u) in uncertainties.iter().enumerate() {
        for (end, v) in [("low", supports[i].0), ("high", supports[i].1)] {
            models.push(pinned(&model, &[(i, v)])?);
            names.push(format!("{}={end}", u.name));
        }
    }
    let delta = LEVELS / (2.0 * (LEVELS - 1.0));
    let mut design_rng = ChaCha8Rng::seed_from_u64(seed ^ 0x6d6f_7272_6973);
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

    let comparison = run_arms(&models, seed, runs, None, stop, on_wave)?;
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
        seed,
        baseline: arms[0].clone(),
        tornado,
        morris,
        trajectories,
        wall_seconds: started.elapsed().as_secs_f64(),
        manifest: None,
    };
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tornado_and_morris_are_ordered_and_consistent() {
        let mut spec = wedge_core::spec_2021();
        spec.horizon_turns = 12;
        let model = Model::new(spec).unwrap_or_else(|e| panic!("{e:?}"));
        let k = model.spec().uncertainties.len();
        if k == 0 {
            return;
        }
        let never = AtomicBool::new(false);
        let r = sensitivity(&model, 3, 2, 256, &never, &mut |_, _| {})
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((r.tornado.len(), r.morris.len()), (k, k));
        for pair in r.tornado.windows(2) {
            assert!(pair[0].swing.abs() >= pair[1].swing.abs());
        }
        for bar in &r.tornado {
            assert!(bar.low_value < bar.high_value, "{}", bar.uncertainty);
            let swing = bar.high.split.probability - bar.low.split.probability;
            assert_eq!(bar.swing, swing);
        }
        for m in &r.morris {
            // μ* is the mean of |effects|, so it bounds |μ| and lies in its interval.
            assert!(m.mu_star + 1e-12 >= m.mu.abs(), "{}", m.uncertainty);
            assert!(m.mu_star_ci95[0] <= m.mu_star && m.mu_star <= m.mu_star_ci95[1]);
        }
        let again = sensitivity(&model, 3, 2, 256, &never, &mut |_, _| {});
        assert_eq!(again.map(|a| a.morris), Ok(r.morris));
        assert_eq!(
            sensitivity(&model, 1, 2, 256, &never, &mut |_, _| {}).map(|_| ()),
            Err(SensitivityError::Trajectories(1))
        );
    }
}
