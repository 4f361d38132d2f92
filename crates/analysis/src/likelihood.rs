//! One likelihood per target of the record, so that targets of different
//! kinds combine honestly in one posterior.
//!
//! `wedge calibrate` weighs each prior draw θ by the product of its fitted
//! targets' likelihoods. Each target's likelihood is estimated from the
//! replicates played under θ:
//!
//! - an **event** of the record (the Sino-Soviet split in its window) has the
//!   probability of the record under θ, estimated by the hit fraction
//!   (rejection ABC with a uniform error model, Wilkinson 2013);
//! - a **rate or ratio** measured on a reference class (the ATOP base rate, the
//!   CHISOLS rate ratio) is compared with the model's statistic by a Gaussian
//!   synthetic likelihood (Wood 2010): N(observed; simulated, σ²), where σ² adds
//!   the record's sampling variance, a stated model discrepancy variance
//!   (Kennedy & O'Hagan 2001; Craig et al. 1997 in history matching) and the
//!   Monte Carlo variance of the simulated statistic under θ.
//!
//! The Gaussian factors carry their 1/σ, which depends on θ through the Monte
//! Carlo variance; constant factors cancel when the weights are normalised.
//! Targets are treated as independent pieces of evidence. The implausibility
//! |observed − simulated| / σ (Craig et al. 1997) is reported beside each
//! Gaussian likelihood. Everything here is pure arithmetic.

use serde::Serialize;

/// A rate or ratio measured on the record, with its uncertainty.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Observed {
    /// The observed value, on the scale the comparison is made (a probability, or a log ratio).
    pub value: f64,
    /// Standard deviation of the record's own estimate, on that scale.
    pub sd: f64,
    /// Standard deviation of the model discrepancy, on that scale.
    pub discrepancy: f64,
}

/// The model's estimate of a statistic under one θ, with its Monte Carlo variance.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Simulated {
    /// The estimate.
    pub value: f64,
    /// Its Monte Carlo variance.
    pub variance: f64,
}

/// Gaussian synthetic likelihood of `observed` given `simulated`, and the implausibility.
pub fn gaussian(observed: &Observed, simulated: &Simulated) -> (f64, f64) {
    let var = observed.sd * observed.sd
        + observed.discrepancy * observed.discrepancy
        + simulated.variance.max(0.0);
    if var <= 0.0 || !var.is_finite() || !simulated.value.is_finite() {
        return (0.0, f64::INFINITY);
    }
    let z = (observed.value - simulated.value) / var.sqrt();
    ((-0.5 * z * z).exp() / var.sqrt(), z.abs())
}

/// A share of `n` replicates with `k` events, with its binomial variance
/// (a continuity-corrected share, so a draw with no or every event still has
/// a positive variance).
pub fn share(k: u64, n: u64) -> Simulated {
    let n = n.max(1) as f64;
    let p = k as f64 / n;
    let pc = (k as f64 + 0.5) / (n + 1.0);
    Simulated {
        value: p,
        variance: pc * (1.0 - pc) / n,
    }
}

/// The log rate ratio of `a` events in `exposure_a` against `b` events in
/// `exposure_b`, with ½ added to each count (Haldane's correction) and the
/// Poisson variance 1/(a+½) + 1/(b+½). Exposure of zero counts as one unit.
pub fn log_rate_ratio(a: u64, exposure_a: u64, b: u64, exposure_b: u64) -> Simulated {
    let (a, b) = (a as f64 + 0.5, b as f64 + 0.5);
    let (ea, eb) = (exposure_a.max(1) as f64, exposure_b.max(1) as f64);
    Simulated {
        value: (a / ea).ln() - (b / eb).ln(),
        variance: 1.0 / a + 1.0 / b,
    }
}

/// Log of a rate ratio and the standard deviation of its log from a 95% interval.
pub fn ratio_from_interval(ratio: f64, low: f64, high: f64) -> (f64, f64) {
    (ratio.ln(), (high.ln() - low.ln()) / (2.0 * 1.959_964))
}

#[cfg(test)]
mod tests {
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;
    use crate::abc::posterior;

    #[test]
    fn the_likelihood_peaks_where_the_model_matches_the_record() {
        let obs = Observed {
            value: 0.65,
            sd: 0.06,
            discrepancy: 0.1,
        };
        let at = |p| {
            gaussian(
                &obs,
                &Simulated {
                    value: p,
                    variance: 0.0,
                },
            )
        };
        assert!(at(0.65).0 > at(0.5).0 && at(0.65).0 > at(0.8).0);
        assert!(at(0.65).1 < 1e-12);
        assert!((at(0.65 + 2.0 * (0.0136_f64).sqrt()).1 - 2.0).abs() < 1e-9);
    }

    #[test]
    fn the_ratio_matches_its_interval() {
        let (l, sd) = ratio_from_interval(3.24, 2.12, 4.94);
        assert!((l - 3.24_f64.ln()).abs() < 1e-12);
        assert!((sd - 0.216).abs() < 0.001);
        let s = log_rate_ratio(30, 100, 10, 100);
        assert!((s.value - (30.5_f64 / 10.5).ln()).abs() < 1e-12);
    }

    /// Toy with a known answer: θ ~ U(0, 1) is the chance of an event per
    /// replicate; the record is a share of 0.3 measured with SD 0.05. The
    /// synthetic-likelihood posterior must cover 0.3 and contract.
    #[test]
    fn recovers_a_known_rate_within_its_own_interval() {
        for seed in 1..=3 {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let obs = Observed {
                value: 0.3,
                sd: 0.05,
                discrepancy: 0.0,
            };
            let (mut rows, mut lik) = (Vec::new(), Vec::new());
            for _ in 0..5000 {
                let theta: f64 = rng.random();
                let k = (0..200).filter(|_| rng.random::<f64>() < theta).count() as u64;
                rows.push(vec![theta]);
                lik.push(gaussian(&obs, &share(k, 200)).0);
            }
            let post = posterior(&rows, &lik).unwrap_or_else(|e| panic!("{e}"));
            let m = &post.marginals[0];
            assert!(
                m.p05 <= 0.3 && 0.3 <= m.p95,
                "seed {seed}: [{}, {}]",
                m.p05,
                m.p95
            );
            assert!((m.mean - 0.3).abs() < 0.02, "seed {seed}: mean {}", m.mean);
            assert!(m.contraction > 0.9);
        }
    }
}
