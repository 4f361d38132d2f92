//! Channels: the ways a policy or lever can move the world.
//!
//! Each channel moves one state variable. An [`Effect`]'s magnitude is the
//! change per year it adds to that variable (units of the variable), so a
//! lever's size is read directly from the scenario, with no hidden constants.
//! What follows from the change — tension after sanctions, willingness after
//! engagement — is the business of the dynamics, not of the channel.

use serde::{Deserialize, Serialize};

use crate::actor::Partner;

/// Generates, from one table, the channels with their count and names.
macro_rules! channels_table {
    ($( $(#[doc = $doc:expr])* $Channel:ident => $name:ident; )*) => {
        /// A way to move the world.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Channel {
            $( $(#[doc = $doc])* $Channel, )*
        }

        /// Number of channels, derived from the table.
        pub const CHANNEL_COUNT: usize = [$(stringify!($name)),*].len();

        impl Channel {
            /// Every channel, in index order.
            pub const ALL: [Channel; CHANNEL_COUNT] = [$(Channel::$Channel,)*];

            /// Name as written in scenario files.
            pub const fn name(self) -> &'static str {
                match self { $( Channel::$Channel => stringify!($name), )* }
            }
        }
    };
}

channels_table! {
    /// Western sanctions on the target partner (`sanctions`). Negative: relief.
    Sanctions => sanctions;
    /// "Democracy versus autocracy" framing (`ideological_solidarity`). Negative: interest-based talk.
    IdeologicalFraming => ideological_framing;
    /// Dialogue and cooperation with the target (`west_engagement`), discounted while the target is aggressive.
    Dialogue => dialogue;
    /// The target's trade with the European Union (`trade_with_eu`): Nord Stream 2 (+), energy decoupling (−).
    WestTrade => west_trade;
    /// The target's trade with its partner (`trade_with_partner`): energy purchases, pipelines.
    PartnerTrade => partner_trade;
    /// Help with the energy transition (lowers the target's `fossil_export_share`).
    ClimateTransition => climate_transition;
    /// Technology sharing with the target (`tech`). Essay: China is "a taker, not a giver".
    TechnologySharing => technology_sharing;
    /// Competition in Central Asia (`rivalries.central_asia`).
    CentralAsia => central_asia;
    /// Competition in the Arctic (`rivalries.arctic`).
    Arctic => arctic;
    /// Unease in the Russian Far East (`rivalries.far_east`).
    FarEast => far_east;
    /// Theft of arms technology (`rivalries.tech_theft`).
    TechTheft => tech_theft;
    /// Salience of the partner's missiles (`rivalries.missiles`): arms-control talks expose them.
    Missiles => missiles;
    /// Engagement with the target's next generation of elites (`elite_orientation`).
    EliteEngagement => elite_engagement;
    /// Warnings about the perils of dependence, delivered to the target (`resentment`), stronger through India's ties.
    DependenceWarnings => dependence_warnings;
    /// India's relations with the target (`india_relations`).
    IndiaRelations => india_relations;
    /// US pressure on India (`india_us`): CAATSA sanctions (−), a waiver (+).
    IndiaUs => india_us;
    /// The target's aggression towards the West (`aggression`): escalation (+), de-escalation (−).
    Aggression => aggression;
    /// Direct pull on the partnership (`alignment`): courtship (+), tilting away (−).
    Alignment => alignment;
    /// The leaders' personal diplomacy (`rapport`).
    Rapport => rapport;
    /// Tension between the target and the West (`west_tension`), beyond what aggression and sanctions explain.
    Tension => tension;
    /// Pace of the global energy transition (`energy_transition`).
    EnergyTransition => energy_transition;
    /// Arms and military-industrial inputs the partner supplies to the target (`arms_from_partner`): China's components and arms for Russia (+), a supplier cut off (−).
    ArmsSupply => arms_supply;
    /// The United States' own restrictions on trade with the target (`us_decoupling`): tariffs, export controls, the Entity List (+), their easing (−).
    UsDecoupling => us_decoupling;
    /// The EU's imports of the target's fossil exports (`energy_to_eu`): an import cut or embargo (−), new contracts and pipelines (+).
    EuEnergy => eu_energy;
}

/// One push along a channel.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Effect {
    /// The channel.
    pub channel: Channel,
    /// Change per year added to the channel's variable, in its units.
    pub per_year: f64,
    /// The partner the effect is aimed at (for channels with a partner-specific variable).
    #[serde(default = "default_target")]
    pub target: Partner,
}

fn default_target() -> Partner {
    Partner::Russia
}

/// Net pushes on every channel during one turn, per year, for each target partner.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ChannelFlows {
    /// Flow on each channel, by partner index then channel index.
    pub flows: [[f64; CHANNEL_COUNT]; 2],
    /// Accommodation the West offers each partner, per year, by partner index:
    /// the gross sanctions relief and dialogue in the flows, before any
    /// tightening or pressure nets them out.
    pub accommodation: [f64; 2],
}

impl Channel {
    /// Index of the channel in [`ChannelFlows`].
    pub const fn index(self) -> usize {
        self as usize
    }
}

impl ChannelFlows {
    /// Add an effect scaled by `scale` (intensity × ramp; a negative scale
    /// takes back an effect added with the opposite scale).
    ///
    /// The accommodation an effect offers is a property of the effect (relief
    /// or dialogue), scaled like its flow, so removing an effect takes back
    /// exactly what adding it offered: removing a "tighten" is not relief, and
    /// removing an "engage" withdraws its dialogue.
    pub fn add(&mut self, effect: &Effect, scale: f64) {
        let push = effect.per_year * scale;
        let target = effect.target.index();
        self.flows[target][effect.channel.index()] += push;
        let offered = match effect.channel {
            Channel::Sanctions => (-effect.per_year).max(0.0),
            Channel::Dialogue => effect.per_year.max(0.0),
            _ => 0.0,
        };
        self.accommodation[target] += offered * scale;
    }

    /// The accommodation (gross relief and dialogue) offered to a partner, per year.
    pub fn accommodation(&self, target: Partner) -> f64 {
        self.accommodation[target.index()]
    }

    /// The net flow on a channel aimed at a partner, per year.
    pub fn get(&self, target: Partner, channel: Channel) -> f64 {
        self.flows[target.index()][channel.index()]
    }

    /// Net flow on a channel whatever its target (for world-level variables).
    pub fn total(&self, channel: Channel) -> f64 {
        self.flows[0][channel.index()] + self.flows[1][channel.index()]
    }

    /// Add every flow of another set.
    pub fn merge(&mut self, other: &ChannelFlows) {
        for p in 0..2 {
            for c in 0..CHANNEL_COUNT {
                self.flows[p][c] += other.flows[p][c];
            }
            self.accommodation[p] += other.accommodation[p];
        }
    }
}
