//! Sobol indices from the outputs of a Saltelli design, with bootstrap
//! confidence intervals, following SALib's `analyze/sobol.py`.
//!
//! With V the variance (ddof 0) of the A and B outputs together:
//! first order S_j = mean(f(B)(f(A_B^j) − f(A))) / V (Saltelli et al. 2010),
//! total order S_Tj = mean((f(A) − f(A_B^j))²) / 2V (Jansen 1999), second
//! order S_jk = mean(f(B_A^j) f(A_B^k) − f(A) f(B)) / V − S_j − S_k
//! (Saltelli 2002). As SALib does, the outputs are centred on their mean
//! first, which changes the finite-sample first- and second-order estimates
//! (not their limits) and makes them agree with SALib's to rounding.
//!
//! Intervals: 100 resamples (by default) of the base-point indices with
//! replacement from a ChaCha8 stream of their own seed; every estimator is
//! recomputed on each resample and the half-width is z₀.₉₇₅ ≈ 1.96 times
//! the standard deviation (ddof 1) over resamples.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::{Layout, SobolError};

/// The 97.5% quantile of the standard normal, SALib's `norm.ppf(0.975)`.
const Z_95: f64 = 1.959_963_984_540_054;

/// Options of the estimators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct SobolOptions {
    /// Bootstrap resamples; 0 computes no intervals. Default 100.
    pub resamples: usize,
    /// Seed of the bootstrap's ChaCha8 stream. Default 0.
    pub seed: u64,
}

impl Default for SobolOptions {
    fn default() -> Self {
        SobolOptions {
            resamples: 100,
            seed: 0,
        }
    }
}

/// One index with the half-width of its 95% bootstrap interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Estimate {
    /// The point estimate.
    pub value: f64,
    /// Half-width of the 95% interval; `None` without a bootstrap.
    pub conf: Option<f64>,
}

/// A second-order index between inputs `j` < `k`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PairEstimate {
    /// First input.
    pub j: usize,
    /// Second input.
    pub k: usize,
    /// The index and its interval.
    pub estimate: Estimate,
}

/// Sobol indices of one output.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SobolIndices {
    /// The design's shape.
    pub layout: Layout,
    /// Mean of the A and B outputs.
    pub mean: f64,
    /// Variance (ddof 0) of the A and B outputs, V.
    pub variance: f64,
    /// First-order indices S_j, one per input.
    pub first_order: Vec<Estimate>,
    /// Total-order indices S_Tj, one per input.
    pub total_order: Vec<Estimate>,
    /// Second-order indices S_jk for j < k in row-major order; empty unless
    /// the design has second-order rows.
    pub second_order: Vec<PairEstimate>,
}

/// Sobol indices from `outputs`, one per row of a design with `layout`, in
/// the design's row order.
///
/// # Example
/// ```
/// use wedge_analysis::{DesignOptions, SaltelliDesign, SobolOptions, sobol_indices, uniform};
/// // y = 4·x1 + x2 on the unit square: S1 = 16/17, S2 = 1/17.
/// let design = SaltelliDesign::new(512, 2, DesignOptions::default())?;
/// let outputs: Vec<f64> = design.rows().map(|u| 4.0 * u[0] + uniform(u[1], 0.0, 1.0)).collect();
/// let indices = sobol_indices(design.layout(), &outputs, SobolOptions::default())?;
/// assert!((indices.first_order[0].value - 16.0 / 17.0).abs() < 0.05);
/// assert!((indices.total_order[1].value - 1.0 / 17.0).abs() < 0.05);
/// assert!(indices.first_order[0].conf.is_some_and(|c| c > 0.0));
/// # Ok::<(), wedge_analysis::SobolError>(())
/// ```
pub fn sobol_indices(
    layout: Layout,
    outputs: &[f64],
    options: SobolOptions,
) -> Result<SobolIndices, SobolError> {
    if layout.n_base < 2 || !layout.n_base.is_power_of_two() {
        return Err(SobolError::BaseNotPowerOfTwo(layout.n_base));
    }
    if layout.dims == 0 {
        return Err(SobolError::NoInputs);
    }
    if outputs.len() != layout.n_rows() {
        return Err(SobolError::OutputLength {
            expected: layout.n_rows(),
            found: outputs.len(),
        });
    }
    if let Some((row, value)) = outputs.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(SobolError::NonFiniteOutput { row, value: *value });
    }
    if options.resamples == 1 {
        return Err(SobolError::SingleResample);
    }
    let separated = Separated::new(layout, outputs);
    let identity: Vec<usize> = (0..layout.n_base).collect();
    let (mean_ab, variance_ab) = separated.mean_variance(&identity);
    if variance_ab <= 0.0 {
        return Err(SobolError::ConstantOutput);
    }
    let point = separated.estimate(&identity);

    let mut boot: Vec<Raw> = Vec::with_capacity(options.resamples);
    if options.resamples > 0 {
        let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
        let n = layout.n_base as u64;
        let mut sample = vec![0usize; layout.n_base];
        for _ in 0..options.resamples {
            for slot in sample.iter_mut() {
                *slot = rng.random_range(0..n) as usize;
            }
            boot.push(separated.estimate(&sample));
        }
    }
    let conf = |pick: &dyn Fn(&Raw) -> f64| -> Option<f64> {
        if boot.is_empty() {
            return None;
        }
        let values: Vec<f64> = boot.iter().map(pick).collect();
        Some(Z_95 * sd(&values))
    };

    let first_order = (0..layout.dims)
        .map(|j| Estimate {
            value: point.first[j],
            conf: conf(&|r: &Raw| r.first[j]),
        })
        .collect();
    let total_order = (0..layout.dims)
        .map(|j| Estimate {
            value: point.total[j],
            conf: conf(&|r: &Raw| r.total[j]),
        })
        .collect();
    let second_order = point
        .second
        .iter()
        .enumerate()
        .map(|(p, &(j, k, value))| PairEstimate {
            j,
            k,
            estimate: Estimate {
                value,
                conf: conf(&|r: &Raw| r.second[p].2),
            },
        })
        .collect();
    Ok(SobolIndices {
        layout,
        mean: mean_ab + separated.centre,
        variance: variance_ab,
        first_order,
        total_order,
        second_order,
    })
}

/// Point estimates on one (re)sample of base points.
struct Raw {
    first: Vec<f64>,
    total: Vec<f64>,
    second: Vec<(usize, usize, f64)>,
}

/// Centred outputs split into A, B, A_B^j and B_A^j by base point.
struct Separated {
    layout: Layout,
    centre: f64,
    a: Vec<f64>,
    b: Vec<f64>,
    /// `ab[j][i]`: f(A_B^j) at base point i.
    ab: Vec<Vec<f64>>,
    /// `ba[j][i]`: f(B_A^j) at base point i (empty without second order).
    ba: Vec<Vec<f64>>,
}

impl Separated {
    fn new(layout: Layout, outputs: &[f64]) -> Self {
        let centre = outputs.iter().sum::<f64>() / outputs.len() as f64;
        let per = layout.rows_per_base();
        let d = layout.dims;
        let at = |i: usize, k: usize| outputs[i * per + k] - centre;
        let n = layout.n_base;
        let a = (0..n).map(|i| at(i, 0)).collect();
        let b = (0..n).map(|i| at(i, per - 1)).collect();
        let ab = (0..d)
            .map(|j| (0..n).map(|i| at(i, j + 1)).collect())
            .collect();
        let ba = if layout.second_order {
            (0..d)
                .map(|j| (0..n).map(|i| at(i, d + j + 1)).collect())
                .collect()
        } else {
            Vec::new()
        };
        Separated {
            layout,
            centre,
            a,
            b,
            ab,
            ba,
        }
    }

    /// Mean and variance (ddof 0) of [A; B] over the sampled base points.
    fn mean_variance(&self, sample: &[usize]) -> (f64, f64) {
        let count = 2.0 * sample.len() as f64;
        let mut sum = 0.0;
        for &i in sample {
            sum += self.a[i];
        }
        for &i in sample {
            sum += self.b[i];
        }
        let mean = sum / count;
        let mut squares = 0.0;
        for &i in sample {
            squares += (self.a[i] - mean) * (self.a[i] - mean);
        }
        for &i in sample {
            squares += (self.b[i] - mean) * (self.b[i] - mean);
        }
        (mean, squares / count)
    }

    fn estimate(&self, sample: &[usize]) -> Raw {
        let n = sample.len() as f64;
        let (_, v) = self.mean_variance(sample);
        let d = self.layout.dims;
        let mut first = Vec::with_capacity(d);
        let mut total = Vec::with_capacity(d);
        for j in 0..d {
            let ab = &self.ab[j];
            let mut s1 = 0.0;
            let mut st = 0.0;
            for &i in sample {
                s1 += self.b[i] * (ab[i] - self.a[i]);
                st += (self.a[i] - ab[i]) * (self.a[i] - ab[i]);
            }
            first.push(s1 / n / v);
            total.push(0.5 * (st / n) / v);
        }
        let mut second = Vec::new();
        if self.layout.second_order {
            for j in 0..d {
                for k in j + 1..d {
                    let mut s = 0.0;
                    for &i in sample {
                        s += self.ba[j][i] * self.ab[k][i] - self.a[i] * self.b[i];
                    }
                    second.push((j, k, s / n / v - first[j] - first[k]));
                }
            }
        }
        Raw {
            first,
            total,
            second,
        }
    }
}

/// Standard deviation with ddof 1, summed sequentially.
fn sd(values: &[f64]) -> f64 {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let squares: f64 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
    (squares / (n - 1.0)).sqrt()
}
