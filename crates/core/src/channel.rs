//! Channels: the ways a policy or lever can move the world.
//!
//! Each channel moves one state variable. An [`Effect`]'s magnitude is the
//! change per year it adds to that variable (units of the variable), so a
//! lever's size is read directly from the scenario, with no hidden constants.
//! What follows from the change — tension after sanctions, willingness after
//! engagement — is the business of the dynamics, not of the channel.

use serde::{Deserialize, Serialize};

use crate::actor::Partner;
use crate::params::Params;
use crate::state::WorldState;

/// A way to move the world.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Western sanctions on the target partner (`sanctions`). Negative: relief.
    Sanctions,
    /// "Democracy versus autocracy" framing (`ideological_solidarity`). Negative: interest-based talk.
    IdeologicalFraming,
    /// Dialogue and cooperation with the target (`west_engagement`), discounted while the target is aggressive.
    Dialogue,
    /// The target's trade with the West (`trade_with_west`): Nord Stream 2 (+), energy decoupling (−).
    WestTrade,
    /// The target's trade with its partner (`trade_with_partner`): energy purchases, pipelines.
    PartnerTrade,
    /// Help with the energy transition (lowers the target's `fossil_export_share`).
    ClimateTransition,
    /// Technology sharing with the target (`tech`). Essay: China is "a taker, not a giver".
    TechnologySharing,
    /// Competition in Central Asia (`rivalries.central_asia`).
    CentralAsia,
    /// Competition in the Arctic (`rivalries.arctic`).
    Arctic,
    /// Unease in the Russian Far East (`rivalries.far_east`).
    FarEast,
    /// Theft of arms technology (`rivalries.tech_theft`).
    TechTheft,
    /// Salience of the partner's missiles (`rivalries.missiles`): arms-control talks expose them.
    Missiles,
    /// Engagement with the target's next generation of elites (`elite_orientation`).
    EliteEngagement,
    /// Warnings about the perils of dependence, delivered to the target (`resentment`), stronger through India's ties.
    DependenceWarnings,
    /// India's relations with the target (`india_relations`).
    IndiaRelations,
    /// US pressure on India (`india_us`): CAATSA sanctions (−), a waiver (+).
    IndiaUs,
    /// The target's aggression towards the West (`aggression`): escalation (+), de-escalation (−).
    Aggression,
    /// Direct pull on the partnership (`alignment`): courtship (+), tilting away (−).
    Alignment,
    /// The leaders' personal diplomacy (`rapport`).
    Rapport,
    /// Tension between the target and the West (`west_tension`), beyond what aggression and sanctions explain.
    Tension,
    /// Pace of the global energy transition (`energy_transition`).
    EnergyTransition,
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

/// Number of channels.
pub const CHANNEL_COUNT: usize = 21;

impl Channel {
    /// Index of the channel in [`ChannelFlows`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl ChannelFlows {
    /// Add an effect scaled by `scale` (intensity × ramp).
    pub fn add(&mut self, effect: &Effect, scale: f64) {
        let push = effect.per_year * scale;
        let target = effect.target.index();
        self.flows[target][effect.channel.index()] += push;
        let offered = match effect.channel {
            Channel::Sanctions => (-push).max(0.0),
            Channel::Dialogue => push.max(0.0),
            _ => 0.0,
        };
        self.accommodation[target] += offered;
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

/// Apply a turn's channel flows to the state (the direct, first-order change).
pub fn apply_flows(state: &mut WorldState, flows: &ChannelFlows, params: &Params, dt: f64) {
    use Channel::*;
    // A committed partner takes up less of the West's dialogue (Izumikawa 2013).
    let open = crate::dynamics::receptiveness(state, params);
    for p in Partner::BOTH {
        let f = |c| flows.get(p, c) * dt;
        // Warnings land through India's ties with the target, when India is in step with the US.
        let messenger = (1.0
            + params.india_channel_weight * state.partner(p).india_relations.max(0.0))
            * (0.5 + 0.5 * state.india_us);
        let s = state.partner_mut(p);
        s.sanctions += f(Sanctions);
        // Engagement offered to an aggressive partner is pocketed, not reciprocated.
        let reciprocated = (1.0 - params.engagement_pocketing * s.aggression) * open;
        let dialogue = f(Dialogue);
        s.west_engagement += if dialogue > 0.0 {
            dialogue * reciprocated
        } else {
            dialogue
        };
        s.trade_with_west += f(WestTrade);
        s.trade_with_partner += f(PartnerTrade);
        s.fossil_export_share -= f(ClimateTransition);
        s.tech += f(TechnologySharing);
        s.elite_orientation += f(EliteEngagement);
        s.resentment += f(DependenceWarnings) * messenger;
        s.india_relations += f(IndiaRelations);
        s.aggression += f(Aggression);
        s.west_tension += f(Tension);
    }
    let t = |c| flows.total(c) * dt;
    state.ideological_solidarity += t(IdeologicalFraming);
    state.rivalries.central_asia += t(CentralAsia);
    state.rivalries.arctic += t(Arctic);
    state.rivalries.far_east += t(FarEast);
    state.rivalries.tech_theft += t(TechTheft);
    state.rivalries.missiles += t(Missiles);
    state.india_us += t(IndiaUs);
    state.alignment += t(Alignment);
    state.rapport += t(Rapport);
    state.energy_transition += t(EnergyTransition);
}
