//! Variance-based sensitivity analysis: Saltelli's design, inverse-CDF
//! helpers, the Sobol estimators with bootstrap intervals, and the noise
//! share of a stochastic output.
//!
//! For a stochastic model, the seed can be made a factor of its own: give it
//! a column of the design and map its uniform to a seed (for instance
//! `choice(u, 1 << 32)`); its total-order index is then the share of the
//! output's variance due to chance. Alternatively average K replicates per
//! row and check [`noise_share`] (or [`noise_share_binary`]).

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
