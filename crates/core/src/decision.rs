//! The bounded-rational decision rule: look-ahead utilities, then a logit choice.
//!
//! For an adaptive decision the agent asks, for each option on its menu: if I
//! take this option while every other decision stays as it was last turn (and
//! the levers in force act as they do now), what does the deterministic part
//! of the dynamics do, over my horizon, to the features I care about? Utility
//! is the weighted change of those features per year (`lookahead`). The
//! option is then drawn with logit probabilities `exp(λ·U) / Σ exp(λ·U)`
//! (McFadden 1974; McKelvey & Palfrey 1995's quantal response), using one
//! uniform from the agent's own stream.
//!
//! Utilities are re-estimated only on review turns (`Params::review_years`,
//! and after events, lever changes or a crisis; see `run`); in between, the
//! logit draw uses the last review's utilities, whose weights
//! [`LogitWeights`] keeps.

/// Pick an index from utilities by logit with precision `rationality`, using uniform `u` in [0, 1).
/// Ties and overflow are handled by subtracting the maximum first.
pub fn logit_choice(utilities: &[f64], rationality: f64, u: f64) -> usize {
    LogitWeights::new(utilities, rationality).pick(u)
}

/// The logit weights of a menu, computed once and drawn from many times
/// (between reviews an agent's utilities, hence its weights, do not change).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogitWeights {
    weights: [f64; MAX_OPTIONS],
    total: f64,
    len: usize,
}

impl LogitWeights {
    /// The weights `exp(λ·(U − max U))` of each option and their sum.
    pub fn new(utilities: &[f64], rationality: f64) -> LogitWeights {
        let best = utilities.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let mut weights = [0.0f64; MAX_OPTIONS];
        let mut total = 0.0;
        for (i, utility) in utilities.iter().enumerate().take(MAX_OPTIONS) {
            // The best option's weight is exp(0) = 1 exactly: no need to call `exp`.
            let z = rationality * (utility - best);
            let w = if z == 0.0 { 1.0 } else { z.exp() };
            weights[i] = w;
            total += w;
        }
        LogitWeights {
            weights,
            total,
            len: utilities.len().min(MAX_OPTIONS),
        }
    }

    /// The option drawn by uniform `u` in [0, 1).
    pub fn pick(&self, u: f64) -> usize {
        let mut threshold = u * self.total;
        for (i, w) in self.weights.iter().enumerate().take(self.len) {
            if threshold < *w {
                return i;
            }
            threshold -= w;
        }
        self.len.saturating_sub(1)
    }
}

/// Largest menu a decision may offer.
pub const MAX_OPTIONS: usize = 8;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn high_rationality_picks_the_best() {
        assert_eq!(logit_choice(&[0.1, 0.5, 0.2], 1e6, 0.999), 1);
    }

    #[test]
    fn zero_rationality_is_uniform() {
        assert_eq!(logit_choice(&[0.1, 0.5, 0.2], 0.0, 0.1), 0);
        assert_eq!(logit_choice(&[0.1, 0.5, 0.2], 0.0, 0.5), 1);
        assert_eq!(logit_choice(&[0.1, 0.5, 0.2], 0.0, 0.9), 2);
    }
}
