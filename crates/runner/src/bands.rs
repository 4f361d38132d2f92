//! What an ensemble of parameter draws reports beside the pooled Monte Carlo
//! figures: bands across draws and regrets. Data only, shared by the run and
//! comparison results and by the ensemble that fills them in.

use serde::{Deserialize, Serialize};
use wedge_analysis::weighted_quantile;

/// Median and 5–95% range across draws.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Band {
    /// Weighted median.
    pub median: f64,
    /// Weighted 5th percentile.
    pub p05: f64,
    /// Weighted 95th percentile.
    pub p95: f64,
}

impl Band {
    /// The band of `values` under `weights`.
    pub fn of(values: &[f64], weights: &[f64]) -> Band {
        Band {
            median: weighted_quantile(values, weights, 0.5),
            p05: weighted_quantile(values, weights, 0.05),
            p95: weighted_quantile(values, weights, 0.95),
        }
    }
}

/// A compare arm across the ensemble.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArmEnsemble {
    /// Draws played.
    pub draws: u64,
    /// Δ_k (arm minus baseline split probability) across draws.
    pub effect: Band,
    /// Weighted share of draws in which the arm raises the split probability (Δ_k > 0).
    pub helps_share: f64,
}

/// A run across the ensemble.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunEnsemble {
    /// Draws played.
    pub draws: u64,
    /// Split probability across draws.
    pub split: Band,
}

/// An arm's regret across draws: the best arm's split probability in a draw minus its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Regret {
    /// Arm name.
    pub arm: String,
    /// Largest regret over the draws.
    pub max: f64,
    /// Weighted 90th percentile of regret.
    pub p90: f64,
    /// Weighted mean regret.
    pub mean: f64,
}
