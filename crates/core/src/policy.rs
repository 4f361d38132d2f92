//! Agents, their decisions and the policies on each decision's menu.

use serde::{Deserialize, Serialize};

use crate::actor::Actor;
use crate::channel::Effect;
use crate::features::Objective;

/// One option on a menu: a named set of effects on the channels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Policy {
    /// Name, for reports and pinning.
    pub name: String,
    /// Effects while the policy is chosen.
    pub effects: Vec<Effect>,
}

impl Policy {
    /// Add the option's effects, at full strength, to a turn's flows.
    pub fn add_to(&self, flows: &mut crate::channel::ChannelFlows) {
        for effect in &self.effects {
            flows.add(effect, 1.0);
        }
    }

    /// The option's direct pull on the China–Russia alignment, per year: the
    /// sum of its effects on the `alignment` channel. Negative for a step away
    /// from the partnership (tilting west, leaving).
    pub fn alignment_pull(&self) -> f64 {
        self.effects
            .iter()
            .filter(|e| e.channel == crate::channel::Channel::Alignment)
            .map(|e| e.per_year)
            .sum()
    }
}

/// How a decision is taken each turn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum DecisionMode {
    /// Logit choice over the options' discounted look-ahead utilities (docs/MODEL.md); `rationality` is the
    /// logit precision λ (0: uniform at random; large: always the best option).
    Adaptive {
        /// Logit precision λ, ≥ 0.
        rationality: f64,
    },
    /// Always the option at this index of the menu.
    Pinned(usize),
    /// From each `(turn, option index)` on, the option given; before the first
    /// entry the first option. Entries are sorted by turn.
    Scheduled(Vec<(u32, usize)>),
}

/// One choice an agent makes every turn (e.g. Russia's alignment, Russia's posture in Ukraine).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// Name, for reports.
    pub name: String,
    /// The menu; never empty.
    pub options: Vec<Policy>,
    /// How the option is chosen.
    pub mode: DecisionMode,
}

impl Decision {
    /// Whether the agent chooses this decision itself, by look-ahead and logit.
    pub fn is_adaptive(&self) -> bool {
        matches!(self.mode, DecisionMode::Adaptive { .. })
    }

    /// The option a pinned or scheduled decision takes at a turn (`None` if adaptive).
    pub fn imposed_option(&self, turn: u32) -> Option<usize> {
        match &self.mode {
            DecisionMode::Adaptive { .. } => None,
            DecisionMode::Pinned(i) => Some(*i),
            DecisionMode::Scheduled(entries) => Some(
                entries
                    .iter()
                    .take_while(|(from, _)| *from <= turn)
                    .last()
                    .map_or(0, |(_, i)| *i),
            ),
        }
    }
}

/// A state agent: what it wants and what it decides.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agent {
    /// Which state.
    pub actor: Actor,
    /// Weights over features of the world state.
    pub objective: Objective,
    /// Decisions taken every turn, in this order.
    pub decisions: Vec<Decision>,
}
