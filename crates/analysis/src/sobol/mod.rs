//! Variance-based sensitivity analysis: Saltelli's design, inverse-CDF
//! helpers, the Sobol estimators with bootstrap intervals, and the noise
//! share of a stochastic output.

mod design;
mod error;
mod estimate;
mod noise;
mod transform;

#[cfg(test)]
mod tests;

pub use design::{
    DesignOptions, Layout, SOBOL_MAX_BASE, SOBOL_MAX_COLUMNS, SaltelliDesign, Sampler,
};
pub use error::SobolError;
pub use estimate::{Estimate, PairEstimate, SobolIndices, SobolOptions, sobol_indices};
pub use noise::{NoiseShare, noise_share, noise_share_binary};
pub use transform::{choice, normal, normal_quantile, triangular, uniform, weighted_choice};
