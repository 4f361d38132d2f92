//! How much of an output's variance across a design is simulation noise.
//!
//! When the model is stochastic, each row's output is a mean over K
//! replicate runs and carries sampling noise σ² that the estimators cannot
//! tell from the inputs' effect: it shrinks first-order indices by about
//! V/(V + σ²) and raises total-order ones by up to σ²/V. A caller prints the
//! share σ²/V and raises K until it is small (say below 0.05).

use serde::Serialize;

use super::SobolError;

/// Noise of a replicated output relative to its variance across rows.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct NoiseShare {
    /// Replicates per row, K.
    pub replicates: usize,
    /// Mean over rows of the variance of a row's mean, σ².
    pub noise_variance: f64,
    /// Variance (ddof 0) of the row means across rows, V.
    pub total_variance: f64,
    /// σ²/V (infinite when V is 0 and σ² is not).
    pub share: f64,
}

/// Noise share from raw replicates: `values` holds K consecutive replicate
/// outputs for each row. A row's noise is its sample variance (ddof 1) over K.
pub fn noise_share(values: &[f64], replicates: usize) -> Result<NoiseShare, SobolError> {
    if replicates < 2 || values.is_empty() || !values.len().is_multiple_of(replicates) {
        return Err(SobolError::Replicates {
            values: values.len(),
            replicates,
        });
    }
    if let Some((row, value)) = values.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(SobolError::NonFiniteOutput { row, value: *value });
    }
    let k = replicates as f64;
    let mut means = Vec::with_capacity(values.len() / replicates);
    let mut noise = 0.0;
    for row in values.chunks(replicates) {
        let mean = row.iter().sum::<f64>() / k;
        let squares: f64 = row.iter().map(|v| (v - mean) * (v - mean)).sum();
        noise += squares / (k - 1.0) / k;
        means.push(mean);
    }
    Ok(share(replicates, noise / means.len() as f64, &means))
}

/// Noise share of a 0/1 outcome from the proportion of successes in each row
/// over K replicates: a row's noise is p̂(1 − p̂)/(K − 1), the unbiased
/// estimate of p(1 − p)/K.
pub fn noise_share_binary(
    proportions: &[f64],
    replicates: usize,
) -> Result<NoiseShare, SobolError> {
    if replicates < 2 || proportions.is_empty() {
        return Err(SobolError::Replicates {
            values: proportions.len(),
            replicates,
        });
    }
    if let Some((row, value)) = proportions
        .iter()
        .enumerate()
        .find(|(_, p)| !(0.0..=1.0).contains(*p))
    {
        return Err(SobolError::Proportion { row, value: *value });
    }
    let k = replicates as f64;
    let noise: f64 = proportions.iter().map(|p| p * (1.0 - p) / (k - 1.0)).sum();
    Ok(share(
        replicates,
        noise / proportions.len() as f64,
        proportions,
    ))
}

fn share(replicates: usize, noise_variance: f64, means: &[f64]) -> NoiseShare {
    let n = means.len() as f64;
    let mean = means.iter().sum::<f64>() / n;
    let total_variance = means.iter().map(|m| (m - mean) * (m - mean)).sum::<f64>() / n;
    NoiseShare::new(replicates, noise_variance, total_variance)
}

impl NoiseShare {
    /// The share σ²/V from a noise variance σ² and a variance across rows V, for
    /// callers that estimate σ² their own way (e.g. from split halves).
    pub fn new(replicates: usize, noise_variance: f64, total_variance: f64) -> NoiseShare {
        let share = if total_variance > 0.0 {
            noise_variance / total_variance
        } else if noise_variance > 0.0 {
            f64::INFINITY
        } else {
            0.0
        };
        NoiseShare {
            replicates,
            noise_variance,
            total_variance,
            share,
        }
    }
}
