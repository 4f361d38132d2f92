//! Approximate Bayesian computation by stochastic rejection: the estimator
//! behind `wedge calibrate`.
//!
//! Parameter sets θ are drawn from the prior; each is played `R` times per
//! episode of the record, and the share of replicates that reproduce the
//! episode (the *hit fraction*) estimates the probability of the record
//! under θ. Accepting θ with that probability is rejection ABC with a
//! uniform error model (Wilkinson 2013); done without the coin flip it is
//! importance sampling from the prior with weight ∏ hit fractions, which is
//! what [`posterior`] computes. Episodes multiply: they are treated as
//! independent pieces of evidence.
//!
//! Everything here is pure arithmetic on numbers in a fixed order, so the
//! result is a function of its inputs only.

use serde::Serialize;

/// What went wrong in an estimate.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum AbcError {
    /// No draw reproduced the record in any replicate.
    #[error(
        "no draw reproduced every fitted episode of the record: widen the priors, add draws or replicates"
    )]
    NoHits,
    /// The draws and their likelihoods do not line up.
    #[error("{draws} draws but {likelihoods} likelihoods, or draws of unequal length")]
    Shape {
        /// Parameter sets given.
        draws: usize,
        /// Likelihood estimates given.
        likelihoods: usize,
    },
}

/// Summary of one parameter's prior and posterior.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Marginal {
    /// Prior mean (the draws, equally weighted).
    pub prior_mean: f64,
    /// Prior standard deviation.
    pub prior_sd: f64,
    /// Posterior mean.
    pub mean: f64,
    /// Posterior standard deviation.
    pub sd: f64,
    /// Posterior 5th percentile.
    pub p05: f64,
    /// Posterior median.
    pub median: f64,
    /// Posterior 95th percentile.
    pub p95: f64,
    /// 1 − Var_post / Var_prior: how far the record narrowed the prior (0: not at all).
    pub contraction: f64,
}

/// Contraction below which a parameter is reported as prior-driven (unidentified by the record).
pub const PRIOR_DRIVEN_BELOW: f64 = 0.2;

/// A weighted posterior over the prior's draws.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Posterior {
    /// Normalised weight of every draw (sums to 1).
    pub weights: Vec<f64>,
    /// Effective sample size of the weights, (Σw)² / Σw².
    pub ess: f64,
    /// One marginal per parameter, in the draws' column order.
    pub marginals: Vec<Marginal>,
}

/// Weighted posterior of `draws` (one row of parameter values per draw) given
/// each draw's likelihood estimate (the product of its hit fractions).
pub fn posterior(draws: &[Vec<f64>], likelihoods: &[f64]) -> Result<Posterior, AbcError> {
    let shape = AbcError::Shape {
        draws: draws.len(),
        likelihoods: likelihoods.len(),
    };
    if draws.len() != likelihoods.len() || draws.is_empty() {
        return Err(shape);
    }
    let dims = draws[0].len();
    if draws.iter().any(|d| d.len() != dims) {
        return Err(shape);
    }
    let total: f64 = likelihoods.iter().map(|l| l.max(0.0)).sum();
    if total <= 0.0 || !total.is_finite() {
        return Err(AbcError::NoHits);
    }
    let weights: Vec<f64> = likelihoods.iter().map(|l| l.max(0.0) / total).collect();
    let ess = 1.0 / weights.iter().map(|w| w * w).sum::<f64>();
    let marginals = marginals(draws, draws, &weights);
    Ok(Posterior {
        weights,
        ess,
        marginals,
    })
}

/// One marginal per column: the prior from `prior` (equally weighted), the
/// posterior from `values` under `weights` (normalised, one per row of
/// `values`); the two may differ, as after a regression adjustment.
pub fn marginals(prior: &[Vec<f64>], values: &[Vec<f64>], weights: &[f64]) -> Vec<Marginal> {
    let dims = prior.first().map_or(0, Vec::len);
    let equal = vec![1.0 / prior.len().max(1) as f64; prior.len()];
    (0..dims)
        .map(|j| {
            let before: Vec<f64> = prior.iter().map(|d| d[j]).collect();
            let column: Vec<f64> = values.iter().map(|d| d[j]).collect();
            let (prior_mean, prior_var) = moments(&before, &equal);
            let (mean, var) = moments(&column, weights);
            Marginal {
                prior_mean,
                prior_sd: prior_var.sqrt(),
                mean,
                sd: var.sqrt(),
                p05: weighted_quantile(&column, weights, 0.05),
                median: weighted_quantile(&column, weights, 0.5),
                p95: weighted_quantile(&column, weights, 0.95),
                contraction: if prior_var > 0.0 {
                    1.0 - var / prior_var
                } else {
                    0.0
                },
            }
        })
        .collect()
}

/// Weighted mean and variance (weights summing to 1).
pub fn moments(values: &[f64], weights: &[f64]) -> (f64, f64) {
    let mean: f64 = values.iter().zip(weights).map(|(v, w)| v * w).sum();
    let var: f64 = values
        .iter()
        .zip(weights)
        .map(|(v, w)| w * (v - mean) * (v - mean))
        .sum();
    (mean, var)
}

/// The `q` quantile of `values` under `weights` (any positive scale): the
/// smallest value whose cumulative weight reaches `q` of the total. Ties in
/// value are ordered by index, so the result does not depend on sorting
/// stability. Empty or weightless input gives NaN.
pub fn weighted_quantile(values: &[f64], weights: &[f64], q: f64) -> f64 {
    let mut order: Vec<usize> = (0..values.len().min(weights.len())).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]).then(a.cmp(&b)));
    let total: f64 = order.iter().map(|&i| weights[i].max(0.0)).sum();
    if total <= 0.0 {
        return f64::NAN;
    }
    let mut cumulative = 0.0;
    for &i in &order {
        cumulative += weights[i].max(0.0);
        if cumulative >= q * total - 1e-12 * total {
            return values[i];
        }
    }
    order.last().map_or(f64::NAN, |&i| values[i])
}

/// Systematic resampling: `n` draw indices whose counts follow `weights`
/// (Kitagawa 1996), from one uniform `u` in [0, 1). Indices come out in
/// increasing order.
pub fn systematic_resample(weights: &[f64], n: usize, u: f64) -> Vec<usize> {
    let total: f64 = weights.iter().map(|w| w.max(0.0)).sum();
    let mut out = Vec::with_capacity(n);
    if total <= 0.0 || n == 0 {
        return out;
    }
    let mut cumulative = 0.0;
    let mut i = 0;
    for k in 0..n {
        let point = (k as f64 + u.clamp(0.0, 1.0 - f64::EPSILON)) / n as f64 * total;
        while i + 1 < weights.len() && cumulative + weights[i].max(0.0) <= point {
            cumulative += weights[i].max(0.0);
            i += 1;
        }
        out.push(i);
    }
    out
}

/// Where an observed event falls in a predictive distribution of its
/// probability: the weighted mean probability and the 5–95% range across draws.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Predictive {
    /// Weighted mean probability of the event (the predictive probability of the record).
    pub probability: f64,
    /// 5th percentile across draws.
    pub p05: f64,
    /// Median across draws.
    pub median: f64,
    /// 95th percentile across draws.
    pub p95: f64,
}

/// Predictive summary of per-draw event probabilities under `weights`.
pub fn predictive(probabilities: &[f64], weights: &[f64]) -> Predictive {
    let total: f64 = weights.iter().sum();
    let probability = if total > 0.0 {
        probabilities
            .iter()
            .zip(weights)
            .map(|(p, w)| p * w)
            .sum::<f64>()
            / total
    } else {
        f64::NAN
    };
    Predictive {
        probability,
        p05: weighted_quantile(probabilities, weights, 0.05),
        median: weighted_quantile(probabilities, weights, 0.5),
        p95: weighted_quantile(probabilities, weights, 0.95),
    }
}

#[cfg(test)]
mod tests {
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;

    /// Toy model with a known posterior: θ ~ U(0, 1) is the chance of an
    /// event in each of `n` independent episodes; the record saw `k` of them.
    /// The exact posterior is Beta(k + 1, n − k + 1). Each episode is one
    /// target; its hit fraction over `r` replicates is the estimator's input.
    fn toy(theta_true: f64, n: usize, draws: usize, r: usize, seed: u64) -> (Posterior, f64, f64) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let record: Vec<bool> = (0..n).map(|_| rng.random::<f64>() < theta_true).collect();
        let k = record.iter().filter(|&&e| e).count() as f64;
        let mut rows = Vec::new();
        let mut likelihoods = Vec::new();
        for _ in 0..draws {
            let theta: f64 = rng.random();
            let mut likelihood = 1.0;
            for &happened in &record {
                let hits = (0..r)
                    .filter(|_| (rng.random::<f64>() < theta) == happened)
                    .count();
                likelihood *= hits as f64 / r as f64;
            }
            rows.push(vec![theta]);
            likelihoods.push(likelihood);
        }
        let post = posterior(&rows, &likelihoods).unwrap_or_else(|e| panic!("{e}"));
        let exact_mean = (k + 1.0) / (n as f64 + 2.0);
        (post, exact_mean, k)
    }

    #[test]
    fn recovers_a_known_parameter_within_its_own_interval() {
        for seed in 1..=5 {
            let theta_true = 0.3;
            let (post, exact_mean, _) = toy(theta_true, 12, 20_000, 40, seed);
            let m = &post.marginals[0];
            assert!(
                m.p05 <= theta_true && theta_true <= m.p95,
                "seed {seed}: {theta_true} outside [{}, {}]",
                m.p05,
                m.p95
            );
            // The estimate matches the exact Beta posterior mean.
            assert!(
                (m.mean - exact_mean).abs() < 0.02,
                "seed {seed}: mean {} vs exact {exact_mean}",
                m.mean
            );
            assert!(
                m.contraction > 0.5,
                "twelve episodes narrow a uniform prior"
            );
            assert!(post.ess > 100.0);
        }
    }

    #[test]
    fn no_evidence_leaves_the_prior_alone() {
        let rows: Vec<Vec<f64>> = (0..1000).map(|i| vec![i as f64 / 1000.0]).collect();
        let post = posterior(&rows, &vec![0.5; 1000]).unwrap_or_else(|e| panic!("{e}"));
        assert!(post.marginals[0].contraction.abs() < 1e-9);
        assert!((post.ess - 1000.0).abs() < 1e-6);
    }

    #[test]
    fn refuses_a_record_no_draw_reproduces() {
        assert_eq!(posterior(&[vec![1.0]], &[0.0]), Err(AbcError::NoHits));
    }

    #[test]
    fn weighted_quantiles_and_resampling_follow_the_weights() {
        let values = [1.0, 2.0, 3.0, 4.0];
        let weights = [0.1, 0.0, 0.6, 0.3];
        assert_eq!(weighted_quantile(&values, &weights, 0.05), 1.0);
        assert_eq!(weighted_quantile(&values, &weights, 0.5), 3.0);
        assert_eq!(weighted_quantile(&values, &weights, 0.95), 4.0);
        let picks = systematic_resample(&weights, 10, 0.5);
        let count = |i| picks.iter().filter(|&&p| p == i).count();
        assert_eq!((count(0), count(1), count(2), count(3)), (1, 0, 6, 3));
    }
}
