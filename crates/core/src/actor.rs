//! The five state agents and the two partners whose alignment is modelled.

use serde::{Deserialize, Serialize};

/// A state agent that chooses policies every turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    /// The United States.
    UnitedStates,
    /// China (in historical scenarios, the People's Republic from 1949).
    China,
    /// Russia (in historical scenarios, the Soviet Union).
    Russia,
    /// India.
    India,
    /// The European Union (in historical scenarios, Western Europe).
    EuropeanUnion,
}

impl Actor {
    /// Every actor in the fixed order in which their moves are resolved.
    pub const ALL: [Actor; 5] = [
        Actor::UnitedStates,
        Actor::China,
        Actor::Russia,
        Actor::India,
        Actor::EuropeanUnion,
    ];

    /// The actor's name as written in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            Actor::UnitedStates => "united_states",
            Actor::China => "china",
            Actor::Russia => "russia",
            Actor::India => "india",
            Actor::EuropeanUnion => "european_union",
        }
    }
}

/// One of the two members of the partnership. Which one is the senior partner
/// is not fixed: it follows from their relative power in the state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Partner {
    /// Russia (the Soviet Union in 1950 and 1972).
    Russia,
    /// China.
    China,
}

impl Partner {
    /// Both partners, Russia first (the index order of every per-partner array).
    pub const BOTH: [Partner; 2] = [Partner::Russia, Partner::China];

    /// Index into per-partner arrays.
    pub fn index(self) -> usize {
        match self {
            Partner::Russia => 0,
            Partner::China => 1,
        }
    }

    /// The other member of the partnership.
    pub fn other(self) -> Partner {
        match self {
            Partner::Russia => Partner::China,
            Partner::China => Partner::Russia,
        }
    }

    /// The partner's name as written in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            Partner::Russia => "russia",
            Partner::China => "china",
        }
    }
}
