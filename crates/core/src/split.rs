//! The split rule and the strategic-triangle classification.

use serde::{Deserialize, Serialize};

use crate::state::WorldState;

/// When the partnership counts as split, and how the triangle is read.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitRule {
    /// Alignment below which the partnership is failing, in [-1, 1].
    pub threshold: f64,
    /// Consecutive turns below the threshold that make a split, ≥ 1.
    pub consecutive_turns: u32,
    /// Tension with the West below which a partner's relation with the United States counts as amity, (0, 1).
    pub amity_tension: f64,
}

/// Dittmer's (1981) strategic triangle among the United States, China and Russia.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Triangle {
    /// All three relations amicable.
    MenageATrois,
    /// One pivot on good terms with two wings who are at odds.
    RomanticTriangle,
    /// Two partners in amity, both at odds with the third.
    StableMarriage,
    /// All three at odds.
    UnitVeto,
}

impl Triangle {
    /// Every configuration, in report order.
    pub const ALL: [Triangle; 4] = [
        Triangle::MenageATrois,
        Triangle::RomanticTriangle,
        Triangle::StableMarriage,
        Triangle::UnitVeto,
    ];

    /// Index in [`Triangle::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Name as used in reports.
    pub fn name(self) -> &'static str {
        match self {
            Triangle::MenageATrois => "menage_a_trois",
            Triangle::RomanticTriangle => "romantic_triangle",
            Triangle::StableMarriage => "stable_marriage",
            Triangle::UnitVeto => "unit_veto",
        }
    }

    /// Classify a state: China–Russia amity is alignment above the split
    /// threshold; each partner's amity with the US is tension below `amity_tension`.
    pub fn classify(state: &WorldState, rule: &SplitRule) -> Triangle {
        let amities = [
            state.alignment > rule.threshold,
            state.russia.west_tension < rule.amity_tension,
            state.china.west_tension < rule.amity_tension,
        ];
        match amities.iter().filter(|a| **a).count() {
            3 => Triangle::MenageATrois,
            2 => Triangle::RomanticTriangle,
            1 => Triangle::StableMarriage,
            _ => Triangle::UnitVeto,
        }
    }
}
