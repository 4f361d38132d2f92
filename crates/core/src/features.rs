//! Features of the world state that agents care about, and objectives over them.

use serde::{Deserialize, Serialize};

use crate::actor::Partner;
use crate::dynamics::{
    energy_revenue, isolation, open_aggression, open_western_trade, willingness,
};
use crate::fastmath::tanh;
use crate::params::Params;
use crate::state::{PartnerState, WorldState};

macro_rules! features_table {
    ($( $(#[doc = $doc:expr])* $name:ident => |$s:ident, $p:ident| $expr:expr; )*) => {
        /// Weights of an agent's objective over the state's features. A weight
        /// is utility per unit of the feature; missing weights are zero.
        #[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
        #[serde(deny_unknown_fields, default)]
        pub struct Objective {
            $( $(#[doc = $doc])* #[serde(skip_serializing_if = "is_zero")] pub $name: f64, )*
        }

        /// Names of every feature, in the order of [`Objective::weights`].
        pub const FEATURE_NAMES: &[&str] = &[ $( stringify!($name), )* ];

        /// Number of features.
        pub const FEATURE_COUNT: usize = FEATURE_NAMES.len();

        impl Objective {
            /// The weights as an array in [`FEATURE_NAMES`] order.
            pub fn weights(&self) -> [f64; FEATURE_COUNT] {
                [ $( self.$name, )* ]
            }
        }

        /// An objective from weights in [`FEATURE_NAMES`] order.
        pub fn objective_from_weights(weights: [f64; FEATURE_COUNT]) -> Objective {
            let [ $( $name, )* ] = weights;
            Objective { $( $name, )* }
        }

        /// The weighted sum of a state's features, computing only those with a non-zero weight.
        pub fn weighted(state: &WorldState, params: &Params, weights: &[f64; FEATURE_COUNT]) -> f64 {
            let mut total = 0.0;
            let mut i = 0;
            $(
                if weights[i] != 0.0 {
                    total += weights[i] * (|$s: &WorldState, $p: &Params| $expr)(state, params);
                }
                i += 1;
            )*
            let _ = i;
            total
        }

        /// Each feature as a function of the state, in [`FEATURE_NAMES`] order.
        const FEATURE_FNS: [Feature; FEATURE_COUNT] =
            [ $( |$s: &WorldState, $p: &Params| $expr, )* ];

    };
}

/// A feature as a function of the state.
type Feature = fn(&WorldState, &Params) -> f64;

/// An objective's non-zero weights with their features, in [`FEATURE_NAMES`]
/// order: listed once (per agent and run), so that weighing a state computes
/// only the features the agent cares about, without testing every weight.
#[derive(Debug, Clone, Copy)]
pub struct SparseObjective {
    /// `(feature, weight)` for every non-zero weight, in feature order; `len` are in use.
    terms: [(Feature, f64); FEATURE_COUNT],
    len: usize,
}

impl SparseObjective {
    /// The non-zero terms of `weights`.
    pub fn new(weights: &[f64; FEATURE_COUNT]) -> SparseObjective {
        let mut terms = [(FEATURE_FNS[0], 0.0); FEATURE_COUNT];
        let mut len = 0;
        for (i, &weight) in weights.iter().enumerate() {
            if weight != 0.0 {
                terms[len] = (FEATURE_FNS[i], weight);
                len += 1;
            }
        }
        SparseObjective { terms, len }
    }

    /// The weighted sum of the state's features: the same bits as [`weighted`]
    /// with the full weights (the same terms, added in the same order).
    #[inline]
    pub fn value(&self, state: &WorldState, params: &Params) -> f64 {
        let mut total = 0.0;
        for (feature, weight) in &self.terms[..self.len] {
            total += weight * feature(state, params);
        }
        total
    }
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

/// Market access of a partner: the Western trade still open to it (EU and
/// US shares less their isolation: formal sanctions, firms' self-sanctioning
/// and the US's own decoupling) plus trade with the partner.
pub fn market_access(p: &PartnerState, params: &Params) -> f64 {
    open_western_trade(p, params) + p.trade_with_partner
}

/// Regime security of a leader: a confrontation brand gains from tension, a
/// conciliatory one from calm (Bueno de Mesquita et al., 2003; essay on Putin).
pub fn regime_security(p: &PartnerState) -> f64 {
    p.confrontation_brand * p.west_tension + (1.0 - p.confrontation_brand) * (1.0 - p.west_tension)
}

features_table! {
    /// The China–Russia alignment.
    alignment => |s, _p| s.alignment;
    /// Russia's resentment of its position (status).
    russia_resentment => |s, _p| s.russia.resentment;
    /// China's resentment of its position.
    china_resentment => |s, _p| s.china.resentment;
    /// Tension between Russia and the West.
    russia_west_tension => |s, _p| s.russia.west_tension;
    /// Tension between China and the West.
    china_west_tension => |s, _p| s.china.west_tension;
    /// Russia's aggression towards the West (Ukraine, cyber).
    russia_aggression => |s, _p| s.russia.aggression;
    /// China's aggression towards the West (Taiwan Strait, South China Sea).
    china_aggression => |s, _p| s.china.aggression;
    /// Western sanctions on Russia.
    russia_sanctions => |s, _p| s.russia.sanctions;
    /// Russia's market access (see [`market_access`]).
    russia_access => |s, p| market_access(&s.russia, p);
    /// China's market access.
    china_access => |s, p| market_access(&s.china, p);
    /// Russia's revenue from fossil exports at current prices, relative: what its exports fetch where they are sold (see `dynamics::energy_revenue`), less half its sanctions.
    russia_energy_revenue => |s, p| energy_revenue(&s.russia, s.energy_price, p) * (1.0 - s.russia.sanctions * 0.5);
    /// China's reach into the partner's spheres (Central Asia, Arctic, technology).
    china_reach => |s, _p| (s.rivalries.central_asia + s.rivalries.arctic + s.rivalries.tech_theft) / 3.0;
    /// Russia's leader's regime security (see [`regime_security`]).
    russia_regime_security => |s, _p| regime_security(&s.russia);
    /// China's leader's regime security.
    china_regime_security => |s, _p| regime_security(&s.china);
    /// India's relations with Russia.
    india_russia => |s, _p| s.russia.india_relations;
    /// India's relations with China.
    india_china => |s, _p| s.china.india_relations;
    /// India's relations with the United States.
    india_us => |s, _p| s.india_us;
    /// Russia's comfort with the partnership: minus the squared gap between alignment and what Russia is willing to sustain.
    russia_comfort => |s, p| -(s.alignment - tanh(willingness(s, Partner::Russia, p))).powi(2);
    /// China's comfort with the partnership (as for Russia).
    china_comfort => |s, p| -(s.alignment - tanh(willingness(s, Partner::China, p))).powi(2);
    /// Russian aggression left unpunished: aggression times (1 − sanctions). Essay: do not reward aggression.
    russia_impunity => |s, _p| s.russia.aggression * (1.0 - s.russia.sanctions);
    /// Orientation of Russia's next generation of elites towards the West.
    russia_elites_westward => |s, _p| s.russia.elite_orientation;
    /// The EU's exposure to an aggressive energy supplier: Russia's aggression times the EU's imports of Russian fossil fuels (fossil share times the EU's share of those exports). European Energy Security Strategy, COM(2014) 330: cut "dependency on particular fuels, energy suppliers and routes".
    russia_supply_risk => |s, _p| s.russia.aggression * s.russia.energy_to_eu * s.russia.fossil_export_share;
    /// Fossil revenue the EU pays Russia while it is at open war (see `dynamics::open_aggression`): open aggression times fossil share, price and the EU's share of Russia's fossil exports. Essay: do not reward aggression; the EU's sectoral sanctions target the revenue behind it.
    russia_war_revenue => |s, p| open_aggression(&s.russia, p) * s.russia.fossil_export_share * s.energy_price * s.russia.energy_to_eu;
    /// China's secure rear: the partnership's alignment less the unease on the shared border. China's National Defense in the New Era (2019): military ties with Russia "continue to develop at a high level".
    china_secure_rear => |s, _p| s.alignment - s.rivalries.far_east;
    /// Discounted Russian resources: Russia's trade with China times its fossil share, deeper the more Russia is cut off from the West (see [`isolation`]). Power of Siberia (May 2014), signed on China's terms weeks after the first Crimea sanctions.
    china_discounted_resources => |s, p| s.russia.trade_with_partner * s.russia.fossil_export_share * (0.5 + isolation(&s.russia, p));
    /// A partner against US pressure: positive alignment times China's tension with the West. Essay: estrangement from the West drove the tilt; Walt (1987), balance of threat.
    china_partner_against_us => |s, _p| s.alignment.max(0.0) * s.china.west_tension;
    /// Russia's backing against the West: positive alignment times Russia's tension with the West. Russia's National Security Strategy (2015) names NATO's expansion a threat; tilting to China serves its status and revenue (Kofman 2020).
    russia_partner_backing => |s, _p| s.alignment.max(0.0) * s.russia.west_tension;
    /// China's technology level. Interim National Security Strategic Guidance (2021): China is "the only competitor potentially capable of combining its economic, diplomatic, military, and technological power" to challenge the system.
    china_tech => |s, _p| s.china.tech;
    /// Western sanctions (including export controls) on China.
    china_sanctions => |s, _p| s.china.sanctions;
    /// India's access to discounted Russian energy: Russia's isolation times its fossil share times India's (positive) relations with Russia. Jaishankar, The India Way (2020): strategic autonomy, "reassure Russia".
    india_discounted_energy => |s, p| isolation(&s.russia, p) * s.russia.fossil_export_share * s.russia.india_relations.max(0.0);
    /// The EU's energy supply from Russia: Russia's fossil share of exports times the EU's share of them. A cut costs the EU supply it must replace at a higher price. European Energy Security Strategy, COM(2014) 330: the EU imports 53% of the energy it consumes, and security of supply is its first aim.
    eu_energy_supply => |s, _p| s.russia.fossil_export_share * s.russia.energy_to_eu;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Model;
    use crate::channel::ChannelFlows;
    use crate::dynamics::step;

    #[test]
    fn the_sparse_objective_is_the_weighted_sum_bit_for_bit() {
        let model = Model::reference_2021();
        let spec = model.spec();
        let mut state = spec.initial;
        let mut compared = 0;
        for _ in 0..12 {
            for agent in &spec.agents {
                let weights = agent.objective.weights();
                let sparse = SparseObjective::new(&weights);
                let full = weighted(&state, &spec.params, &weights);
                assert_eq!(sparse.value(&state, &spec.params).to_bits(), full.to_bits());
                compared += 1;
            }
            step(&mut state, &ChannelFlows::default(), &spec.params, 1.0);
        }
        assert_eq!(compared, 12 * spec.agents.len());
        // An objective with no weight is worth nothing.
        let none = SparseObjective::new(&[0.0; FEATURE_COUNT]);
        assert_eq!(none.value(&state, &spec.params), 0.0);
    }
}
