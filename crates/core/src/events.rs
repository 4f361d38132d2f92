//! Stochastic events: their hazards (per year) and what each does to the state.
//!
//! Every turn draws exactly one uniform number per event kind, in the order of
//! [`EventKind::ALL`], whatever the state — so the event stream of run *i* is
//! the same in every arm of a comparison (common random numbers), and a lever
//! can change whether an event strikes only through the hazard it changes.

use serde::{Deserialize, Serialize};

use crate::actor::Partner;
use crate::dynamics::{asymmetry, juniority};
use crate::state::WorldState;

/// A hazard per year and the size of the event's impact.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hazard {
    /// Base rate per year, ≥ 0 (before state modulation).
    pub per_year: f64,
    /// Size of the impact on the variables the event moves, ≥ 0.
    pub size: f64,
}

/// Hazard of a leader leaving office, rising with tenure.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeadershipHazard {
    /// Base rate per year, ≥ 0.
    pub per_year: f64,
    /// Added rate per year for each year already in office, ≥ 0.
    pub per_year_of_tenure: f64,
}

/// The adjustable numbers of a hazard, by name, with their admissible ranges.
pub trait HazardFields {
    /// Each number's name with its lowest and highest admissible value.
    const FIELDS: &'static [(&'static str, f64, f64)];

    /// The number with this name, mutably (`None` if the hazard has no such number).
    fn field_mut(&mut self, name: &str) -> Option<&mut f64>;
}

impl HazardFields for Hazard {
    const FIELDS: &'static [(&'static str, f64, f64)] =
        &[("per_year", 0.0, 10.0), ("size", 0.0, 2.0)];

    fn field_mut(&mut self, name: &str) -> Option<&mut f64> {
        match name {
            "per_year" => Some(&mut self.per_year),
            "size" => Some(&mut self.size),
            _ => None,
        }
    }
}

impl HazardFields for LeadershipHazard {
    const FIELDS: &'static [(&'static str, f64, f64)] =
        &[("per_year", 0.0, 10.0), ("per_year_of_tenure", 0.0, 1.0)];

    fn field_mut(&mut self, name: &str) -> Option<&mut f64> {
        match name {
            "per_year" => Some(&mut self.per_year),
            "per_year_of_tenure" => Some(&mut self.per_year_of_tenure),
            _ => None,
        }
    }
}

/// Generates, from one table, the hazards struct, the event kinds in draw
/// order, their count and names, and access to each hazard's numbers.
macro_rules! events_table {
    ($( $(#[doc = $doc:expr])* $Kind:ident => $field:ident: $Hazard:ty; )*) => {
        /// The hazards of every event kind.
        #[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct EventHazards {
            $( $(#[doc = $doc])* pub $field: $Hazard, )*
        }

        /// Kinds of event, in the order their random numbers are drawn each turn.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum EventKind {
            $( #[doc = concat!("See [`EventHazards::", stringify!($field), "`].")] $Kind, )*
        }

        /// Number of event kinds, derived from the table.
        pub const EVENT_COUNT: usize = [$(stringify!($field)),*].len();

        impl EventKind {
            /// Every kind in draw order.
            pub const ALL: [EventKind; EVENT_COUNT] = [$(EventKind::$Kind,)*];

            /// Name as used in reports and scenario files.
            pub const fn name(self) -> &'static str {
                match self { $( EventKind::$Kind => stringify!($field), )* }
            }

            /// Position in [`EventKind::ALL`].
            pub const fn index(self) -> usize {
                self as usize
            }

            /// The kind with this name, if any.
            pub fn parse(name: &str) -> Option<EventKind> {
                EventKind::ALL.into_iter().find(|k| k.name() == name)
            }
        }

        impl EventHazards {
            /// The adjustable numbers of a kind's hazard, with their ranges.
            pub fn fields(kind: EventKind) -> &'static [(&'static str, f64, f64)] {
                match kind { $( EventKind::$Kind => <$Hazard as HazardFields>::FIELDS, )* }
            }

            /// A number of a kind's hazard, mutably, by name.
            pub fn field_mut(&mut self, kind: EventKind, name: &str) -> Option<&mut f64> {
                match kind { $( EventKind::$Kind => self.$field.field_mut(name), )* }
            }

            /// A number of a kind's hazard, by name.
            pub fn field(&self, kind: EventKind, name: &str) -> Option<f64> {
                let mut copy = *self;
                copy.field_mut(kind, name).map(|v| *v)
            }
        }
    };
}

events_table! {
    /// Russia's (the Soviet Union's) leader leaves office.
    RussiaLeadershipChange => russia_leadership_change: LeadershipHazard;
    /// China's leader leaves office.
    ChinaLeadershipChange => china_leadership_change: LeadershipHazard;
    /// An armed or political incident on the 2,600-mile border.
    BorderIncident => border_incident: Hazard;
    /// Russia escalates against the West (Ukraine, a cyber campaign); rate scaled by 0.5 + aggression.
    RussiaEscalation => russia_escalation: Hazard;
    /// A settlement step (eastern Ukraine); rate scaled by (1 − aggression)(0.5 + engagement).
    RussiaSettlement => russia_settlement: Hazard;
    /// An energy-price shock, up or down with equal odds.
    EnergyPriceShock => energy_price_shock: Hazard;
    /// A crisis between China and the West (Taiwan Strait).
    TaiwanCrisis => taiwan_crisis: Hazard;
    /// A revelation of arms-technology theft; rate scaled by 0.5 + the theft rivalry.
    TechTheftRevelation => tech_theft_revelation: Hazard;
    /// A nationalist flare-up against the senior partner in the junior's society.
    NationalistFlareUp => nationalist_flare_up: Hazard;
}

impl EventHazards {
    /// The rate per year of an event kind in this state.
    pub fn rate(&self, kind: EventKind, state: &WorldState) -> f64 {
        let r = &state.russia;
        match kind {
            EventKind::RussiaLeadershipChange => {
                leadership_rate(&self.russia_leadership_change, r.leader_tenure)
            }
            EventKind::ChinaLeadershipChange => {
                leadership_rate(&self.china_leadership_change, state.china.leader_tenure)
            }
            EventKind::BorderIncident => self.border_incident.per_year,
            EventKind::RussiaEscalation => self.russia_escalation.per_year * (0.5 + r.aggression),
            EventKind::RussiaSettlement => {
                self.russia_settlement.per_year * (1.0 - r.aggression) * (0.5 + r.west_engagement)
            }
            EventKind::EnergyPriceShock => self.energy_price_shock.per_year,
            EventKind::TaiwanCrisis => self.taiwan_crisis.per_year,
            EventKind::TechTheftRevelation => {
                self.tech_theft_revelation.per_year * (0.5 + state.rivalries.tech_theft)
            }
            EventKind::NationalistFlareUp => self.nationalist_flare_up.per_year,
        }
    }

    /// Probability that the event strikes within a turn of `dt` years.
    pub fn probability(&self, kind: EventKind, state: &WorldState, dt: f64) -> f64 {
        1.0 - (-self.rate(kind, state).max(0.0) * dt).exp()
    }

    /// Apply a struck event to the state (leadership changes are applied by
    /// [`crate::simulate`], which owns the successor draws). `u` is the uniform that
    /// triggered the event, reused for its direction where one is needed.
    pub fn apply(&self, kind: EventKind, state: &mut WorldState, u_direction: f64) {
        match kind {
            EventKind::RussiaLeadershipChange | EventKind::ChinaLeadershipChange => {}
            EventKind::BorderIncident => {
                let s = self.border_incident.size;
                state.rivalries.far_east += s;
                state.alignment -= 0.5 * s;
            }
            EventKind::RussiaEscalation => {
                let s = self.russia_escalation.size;
                state.russia.aggression += s;
                state.russia.west_tension += 0.5 * s;
            }
            EventKind::RussiaSettlement => {
                let s = self.russia_settlement.size;
                state.russia.aggression -= s;
                state.russia.west_tension -= 0.5 * s;
            }
            EventKind::EnergyPriceShock => {
                let s = self.energy_price_shock.size;
                state.energy_price *= if u_direction < 0.5 {
                    1.0 + s
                } else {
                    1.0 / (1.0 + s)
                };
            }
            EventKind::TaiwanCrisis => {
                let s = self.taiwan_crisis.size;
                state.china.west_tension += s;
                state.china.aggression += 0.5 * s;
            }
            EventKind::TechTheftRevelation => {
                state.rivalries.tech_theft += self.tech_theft_revelation.size;
            }
            EventKind::NationalistFlareUp => {
                let s = self.nationalist_flare_up.size;
                let junior =
                    if asymmetry(state, Partner::Russia) >= asymmetry(state, Partner::China) {
                        Partner::Russia
                    } else {
                        Partner::China
                    };
                let weight = juniority(state, junior);
                state.partner_mut(junior).resentment += s * weight;
                state.rivalries.far_east += 0.5 * s * weight;
            }
        }
        state.clamp_all();
    }
}

impl EventKind {
    /// Whether the kind's rate in [`EventHazards::rate`] reads the state
    /// (tenure, aggression, engagement, the theft rivalry); the others strike
    /// at their base rate.
    pub const fn depends_on_state(self) -> bool {
        match self {
            EventKind::RussiaLeadershipChange
            | EventKind::ChinaLeadershipChange
            | EventKind::RussiaEscalation
            | EventKind::RussiaSettlement
            | EventKind::TechTheftRevelation => true,
            EventKind::BorderIncident
            | EventKind::EnergyPriceShock
            | EventKind::TaiwanCrisis
            | EventKind::NationalistFlareUp => false,
        }
    }
}

fn leadership_rate(h: &LeadershipHazard, tenure: f64) -> f64 {
    h.per_year + h.per_year_of_tenure * tenure
}
