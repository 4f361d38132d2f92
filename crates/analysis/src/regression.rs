//! Local-linear regression adjustment of accepted parameters (Beaumont,
//! Zhang & Balding 2002), on top of a rejection step with Epanechnikov
//! weights.
//!
//! Rejection ABC keeps the draws θᵢ whose summary statistics sᵢ fall within a
//! tolerance δ of the record's s*, and so mixes in the spread of s within the
//! tolerance. Beaumont et al. weigh each kept draw by the Epanechnikov kernel
//! K(dᵢ) = 1 − (dᵢ/δ)² of its distance dᵢ = ‖(sᵢ − s*)/σ‖ (zero beyond δ),
//! fit θ = α + βᵀ(s − s*) by weighted least squares, and move every kept draw
//! along the fitted line to the record: θᵢ* = θᵢ − βᵀ(sᵢ − s*). The adjusted
//! draws, with the kernel weights, sample the posterior at s = s* rather than
//! within δ of it, so a larger tolerance (more draws, less Monte Carlo
//! noise) costs less bias.
//!
//! A parameter with a bounded prior is adjusted on the logit scale of its
//! range and mapped back (Hamilton et al. 2005; the transformation of the `abc`
//! R package, Csilléry, François & Blum 2012), so no adjusted value leaves the
//! prior's support. Everything here is arithmetic in a fixed order.

use serde::Serialize;

use crate::abc::AbcError;

/// The Epanechnikov kernel weight of a distance under tolerance `delta`: 1 − (d/δ)² within δ, 0 beyond.
pub fn epanechnikov(distance: f64, delta: f64) -> f64 {
    if delta.is_nan() || delta <= 0.0 || !distance.is_finite() || distance >= delta {
        return 0.0;
    }
    let u = distance / delta;
    1.0 - u * u
}

/// The tolerance that keeps the share `accept` of the (weighted) draws: the
/// weighted `accept` quantile of the distances, nudged past ties so that a
/// draw at exactly that distance keeps a positive weight.
pub fn tolerance(distances: &[f64], weights: &[f64], accept: f64) -> f64 {
    let q = crate::abc::weighted_quantile(distances, weights, accept.clamp(0.0, 1.0));
    let beyond = distances
        .iter()
        .zip(weights)
        .filter(|(d, w)| **w > 0.0 && **d > q && d.is_finite())
        .map(|(d, _)| *d)
        .fold(f64::INFINITY, f64::min);
    if beyond.is_finite() {
        // Halfway to the next distance: the kept set is exactly those at or below q.
        0.5 * (q + beyond)
    } else {
        // Everything is kept: reach just past the farthest draw.
        q * (1.0 + 1e-9) + 1e-12
    }
}

/// The outcome of a regression adjustment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Adjustment {
    /// Every draw's parameters, adjusted where its weight is positive (unchanged elsewhere).
    pub values: Vec<Vec<f64>>,
    /// Normalised weights: the base weights times the Epanechnikov kernel.
    pub weights: Vec<f64>,
    /// The tolerance δ on the standardised distance.
    pub delta: f64,
    /// Per parameter, the fitted slopes on the standardised statistics (transformed scale).
    pub slopes: Vec<Vec<f64>>,
    /// Effective sample size of the weights.
    pub ess: f64,
}

/// A parameter's range for the logit transformation (infinite ends: no transformation).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Bounds {
    /// Lower end.
    pub low: f64,
    /// Upper end.
    pub high: f64,
}

impl Bounds {
    fn bounded(&self) -> bool {
        self.low.is_finite() && self.high.is_finite() && self.high > self.low
    }

    fn forward(&self, x: f64) -> f64 {
        if !self.bounded() {
            return x;
        }
        let eps = 1e-6;
        let p = ((x - self.low) / (self.high - self.low)).clamp(eps, 1.0 - eps);
        (p / (1.0 - p)).ln()
    }

    fn back(&self, t: f64) -> f64 {
        if !self.bounded() {
            return t;
        }
        self.low + (self.high - self.low) / (1.0 + (-t).exp())
    }
}

/// Reject and adjust: weigh each draw by `base` × Epanechnikov of its
/// standardised distance ‖(statsᵢ − observed)/scales‖ under the tolerance that
/// keeps the share `accept` of the base weight, then regress the parameters
/// (logit scale within `bounds`) on the standardised statistics and move each
/// kept draw to the record. With no statistics, the base weights stand and
/// nothing moves.
pub fn adjust(
    params: &[Vec<f64>],
    stats: &[Vec<f64>],
    observed: &[f64],
    scales: &[f64],
    base: &[f64],
    bounds: &[Bounds],
    accept: f64,
) -> Result<Adjustment, AbcError> {
    let n = params.len();
    let dims = params.first().map_or(0, Vec::len);
    let q = observed.len();
    let shape = AbcError::Shape {
        draws: n,
        likelihoods: stats.len(),
    };
    if n == 0
        || stats.len() != n
        || base.len() != n
        || bounds.len() != dims
        || scales.len() != q
        || params.iter().any(|p| p.len() != dims)
        || stats.iter().any(|s| s.len() != q)
    {
        return Err(shape);
    }
    // Standardised deviations from the record.
    let x: Vec<Vec<f64>> = stats
        .iter()
        .map(|s| {
            s.iter()
                .zip(observed)
                .zip(scales)
                .map(|((v, o), sc)| if *sc > 0.0 { (v - o) / sc } else { 0.0 })
                .collect()
        })
        .collect();
    let distance: Vec<f64> = x
        .iter()
        .map(|r| r.iter().map(|v| v * v).sum::<f64>().sqrt())
        .collect();
    let base: Vec<f64> = base.iter().map(|b| b.max(0.0)).collect();
    let (delta, kernel): (f64, Vec<f64>) = if q == 0 {
        (f64::INFINITY, vec![1.0; n])
    } else {
        let delta = tolerance(&distance, &base, accept);
        (
            delta,
            distance.iter().map(|&d| epanechnikov(d, delta)).collect(),
        )
    };
    let raw: Vec<f64> = base.iter().zip(&kernel).map(|(b, k)| b * k).collect();
    let total: f64 = raw.iter().sum();
    if !(total > 0.0 && total.is_finite()) {
        return Err(AbcError::NoHits);
    }
    let weights: Vec<f64> = raw.iter().map(|w| w / total).collect();
    let ess = 1.0 / weights.iter().map(|w| w * w).sum::<f64>();
    let mut values = params.to_vec();
    let mut slopes = vec![vec![0.0; q]; dims];
    if q > 0 {
        // Weighted normal equations for [1, x]: (XᵀWX) b = XᵀW t.
        let k = q + 1;
        let row =
            |i: usize| -> Vec<f64> { std::iter::once(1.0).chain(x[i].iter().copied()).collect() };
        let mut gram = vec![vec![0.0; k]; k];
        for i in (0..n).filter(|&i| weights[i] > 0.0) {
            let r = row(i);
            for a in 0..k {
                for b in 0..k {
                    gram[a][b] += weights[i] * r[a] * r[b];
                }
            }
        }
        // A statistic constant over the kept draws gives a zero column: a tiny
        // ridge on the slopes keeps the system solvable and its slope at zero.
        let trace: f64 = (1..k).map(|a| gram[a][a]).sum::<f64>().max(1e-300);
        for (a, g) in gram.iter_mut().enumerate().skip(1) {
            g[a] += 1e-9 * trace / q as f64;
        }
        for j in 0..dims {
            let t: Vec<f64> = params.iter().map(|p| bounds[j].forward(p[j])).collect();
            let mut rhs = vec![0.0; k];
            for i in (0..n).filter(|&i| weights[i] > 0.0) {
                let r = row(i);
                for a in 0..k {
                    rhs[a] += weights[i] * r[a] * t[i];
                }
            }
            let Some(b) = solve(gram.clone(), rhs) else {
                continue;
            };
            slopes[j] = b[1..].to_vec();
            for i in (0..n).filter(|&i| weights[i] > 0.0) {
                let shift: f64 = x[i].iter().zip(&b[1..]).map(|(xv, bv)| xv * bv).sum();
                values[i][j] = bounds[j].back(t[i] - shift);
            }
        }
    }
    Ok(Adjustment {
        values,
        weights,
        delta,
        slopes,
        ess,
    })
}

/// Solve a small dense system by Gaussian elimination with partial pivoting.
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    for c in 0..n {
        let p = (c..n).max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))?;
        if a[p][c].abs() < 1e-300 {
            return None;
        }
        a.swap(c, p);
        b.swap(c, p);
        let pivot = a[c].clone();
        for r in c + 1..n {
            let f = a[r][c] / pivot[c];
            for (x, p) in a[r].iter_mut().zip(&pivot).skip(c) {
                *x -= f * p;
            }
            b[r] -= f * b[c];
        }
    }
    let mut x = vec![0.0; n];
    for r in (0..n).rev() {
        let s: f64 = (r + 1..n).map(|k| a[r][k] * x[k]).sum();
        x[r] = (b[r] - s) / a[r][r];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}

#[cfg(test)]
mod tests {
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;
    use crate::abc::{moments, weighted_quantile};

    /// Toy model with a known posterior: θ = (θ₁, θ₂) ~ U(0, 10)², and the
    /// record is s = (θ₁ + θ₂, θ₁ − θ₂) + N(0, 1)² once, at θ*. The exact posterior
    /// (away from the bounds) is Gaussian around the least-squares fit with SD
    /// 1/√2 in each coordinate.
    /// Parameters, statistics, the record and the truth of one toy table.
    type Toy = (Vec<Vec<f64>>, Vec<Vec<f64>>, [f64; 2], [f64; 2]);

    fn toy(seed: u64, draws: usize) -> Toy {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let normal = move |rng: &mut ChaCha8Rng| {
            // Box–Muller.
            let (u, v): (f64, f64) = (rng.random::<f64>().max(1e-300), rng.random());
            (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
        };
        let truth = [
            4.0 + 2.0 * rng.random::<f64>(),
            3.0 + 2.0 * rng.random::<f64>(),
        ];
        let obs = [
            truth[0] + truth[1] + normal(&mut rng),
            truth[0] - truth[1] + normal(&mut rng),
        ];
        let mut params = Vec::new();
        let mut stats = Vec::new();
        for _ in 0..draws {
            let t = [10.0 * rng.random::<f64>(), 10.0 * rng.random::<f64>()];
            stats.push(vec![
                t[0] + t[1] + normal(&mut rng),
                t[0] - t[1] + normal(&mut rng),
            ]);
            params.push(t.to_vec());
        }
        (params, stats, obs, truth)
    }

    fn summary(values: &[Vec<f64>], weights: &[f64], j: usize) -> (f64, f64, f64, f64) {
        let col: Vec<f64> = values.iter().map(|v| v[j]).collect();
        let (mean, var) = moments(&col, weights);
        (
            mean,
            var.sqrt(),
            weighted_quantile(&col, weights, 0.05),
            weighted_quantile(&col, weights, 0.95),
        )
    }

    #[test]
    fn recovers_known_parameters_within_its_interval_and_narrower_than_rejection() {
        let bounds = [Bounds {
            low: 0.0,
            high: 10.0,
        }; 2];
        let mut inside = 0;
        let trials = 20;
        for seed in 1..=trials {
            let (params, stats, obs, truth) = toy(seed, 20_000);
            let equal = vec![1.0; params.len()];
            let adj = adjust(&params, &stats, &obs, &[1.0, 1.0], &equal, &bounds, 0.2)
                .unwrap_or_else(|e| panic!("{e}"));
            let mut all_in = true;
            for (j, &truth_j) in truth.iter().enumerate() {
                let (_, sd_rej, _, _) = summary(&params, &adj.weights, j);
                let (mean, sd_adj, p05, p95) = summary(&adj.values, &adj.weights, j);
                // The adjustment removes the spread of s within the tolerance.
                assert!(
                    sd_adj < 0.8 * sd_rej,
                    "seed {seed}, θ{j}: adjusted SD {sd_adj} not narrower than rejection {sd_rej}"
                );
                // And lands near the exact posterior SD, 1/√2.
                assert!(
                    (sd_adj - std::f64::consts::FRAC_1_SQRT_2).abs() < 0.15,
                    "seed {seed}, θ{j}: adjusted SD {sd_adj}"
                );
                let exact = if j == 0 {
                    (obs[0] + obs[1]) / 2.0
                } else {
                    (obs[0] - obs[1]) / 2.0
                };
                assert!(
                    (mean - exact).abs() < 0.15,
                    "seed {seed}, θ{j}: mean {mean} vs exact {exact}"
                );
                all_in &= p05 <= truth_j && truth_j <= p95;
            }
            inside += usize::from(all_in);
            // Every adjusted value stays inside the prior's support.
            assert!(
                adj.values
                    .iter()
                    .flatten()
                    .all(|v| (0.0..=10.0).contains(v))
            );
        }
        // Both truths inside their 90% intervals: 0.81 of trials in expectation.
        assert!(
            inside >= 12,
            "truth inside its own interval in {inside} of {trials}"
        );
    }

    #[test]
    fn without_statistics_the_base_weights_stand_and_nothing_moves() {
        let params: Vec<Vec<f64>> = (0..10).map(|i| vec![f64::from(i)]).collect();
        let stats = vec![Vec::new(); 10];
        let base: Vec<f64> = (0..10).map(f64::from).collect();
        let b = [Bounds {
            low: f64::NEG_INFINITY,
            high: f64::INFINITY,
        }];
        let adj =
            adjust(&params, &stats, &[], &[], &base, &b, 0.5).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(adj.values, params);
        assert!((adj.weights[9] - 9.0 / 45.0).abs() < 1e-12);
    }

    #[test]
    fn the_kernel_and_tolerance_keep_the_asked_share() {
        assert_eq!(epanechnikov(0.0, 2.0), 1.0);
        assert_eq!(epanechnikov(1.0, 2.0), 0.75);
        assert_eq!(epanechnikov(2.0, 2.0), 0.0);
        let d: Vec<f64> = (0..100).map(f64::from).collect();
        let delta = tolerance(&d, &[1.0; 100], 0.1);
        let kept = d.iter().filter(|&&x| epanechnikov(x, delta) > 0.0).count();
        assert_eq!(kept, 10);
    }
}
