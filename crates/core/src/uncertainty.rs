//! Uncertainties: quantities nobody controls, drawn once per run.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::params::ParamId;

/// A probability distribution over one number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Distribution {
    /// Uniform on [low, high].
    Uniform {
        /// Lower end.
        low: f64,
        /// Upper end, ≥ low.
        high: f64,
    },
    /// Normal, truncated by clamping to the target's admissible range.
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation, > 0.
        sd: f64,
    },
    /// Triangular on [low, high] with its peak at mode.
    Triangular {
        /// Lower end.
        low: f64,
        /// Most likely value, within [low, high].
        mode: f64,
        /// Upper end.
        high: f64,
    },
    /// One of several values, with relative weights.
    Choice(Vec<(f64, f64)>),
}

impl Distribution {
    /// Draw a value from exactly two uniforms of `rng` (whatever the
    /// distribution, so that streams stay aligned).
    pub fn sample(&self, rng: &mut ChaCha8Rng) -> f64 {
        let u1: f64 = rng.random();
        let u2: f64 = rng.random();
        self.quantile_pair(u1, u2)
    }

    /// The value for two uniforms in [0, 1): inverse CDF of `u1` (Box–Muller with `u2` for the normal).
    pub fn quantile_pair(&self, u1: f64, u2: f64) -> f64 {
        match self {
            Distribution::Uniform { low, high } => low + (high - low) * u1,
            Distribution::Normal { mean, sd } => {
                let r = (-2.0 * (1.0 - u1).ln()).sqrt();
                mean + sd * r * (std::f64::consts::TAU * u2).cos()
            }
            Distribution::Triangular { low, mode, high } => {
                let span = high - low;
                if span <= 0.0 {
                    return *low;
                }
                let cut = (mode - low) / span;
                if u1 < cut {
                    low + (u1 * span * (mode - low)).sqrt()
                } else {
                    high - ((1.0 - u1) * span * (high - mode)).sqrt()
                }
            }
            Distribution::Choice(options) => {
                let total: f64 = options.iter().map(|(_, w)| w).sum();
                let mut acc = 0.0;
                for (value, weight) in options {
                    acc += weight / total;
                    if u1 < acc {
                        return *value;
                    }
                }
                options.last().map_or(0.0, |(v, _)| *v)
            }
        }
    }

    /// Smallest and largest values the distribution puts weight on (±3 sd for the normal).
    pub fn support(&self) -> (f64, f64) {
        match self {
            Distribution::Uniform { low, high } | Distribution::Triangular { low, high, .. } => {
                (*low, *high)
            }
            Distribution::Normal { mean, sd } => (mean - 3.0 * sd, mean + 3.0 * sd),
            Distribution::Choice(options) => options
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (v, _)| {
                    (lo.min(*v), hi.max(*v))
                }),
        }
    }
}

/// A named uncertain quantity of the model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Uncertainty {
    /// Name; also keys the uncertainty's own random stream.
    pub name: String,
    /// The quantity it sets.
    pub target: ParamId,
    /// Its distribution.
    pub distribution: Distribution,
}
