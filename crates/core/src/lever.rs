//! Levers in runtime form: named sets of effects with a schedule and a condition.

use serde::{Deserialize, Serialize};

use crate::actor::Partner;
use crate::channel::{ChannelFlows, Effect};
use crate::state::WorldState;

/// When a lever is allowed to act, checked every turn ("eyes wide open").
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Condition {
    /// Acts whatever happens.
    Always,
    /// Acts only while the partner's aggression is at most `max` (e.g. relief
    /// conditioned on a settlement in eastern Ukraine and restraint in cyberspace).
    WhileAggressionBelow {
        /// The partner watched.
        partner: Partner,
        /// Highest aggression at which the lever still acts, [0, 1].
        max: f64,
    },
    /// Acts only while alignment is at least `min` (pressure kept on an intact partnership).
    WhileAlignmentAbove {
        /// Lowest alignment at which the lever still acts, [-1, 1].
        min: f64,
    },
    /// Acts only while alignment is at most `max` (building on a rift).
    WhileAlignmentBelow {
        /// Highest alignment at which the lever still acts, [-1, 1].
        max: f64,
    },
}

impl Condition {
    /// Whether the lever may act in this state.
    pub fn holds(&self, state: &WorldState) -> bool {
        match *self {
            Condition::Always => true,
            Condition::WhileAggressionBelow { partner, max } => {
                state.partner(partner).aggression <= max
            }
            Condition::WhileAlignmentAbove { min } => state.alignment >= min,
            Condition::WhileAlignmentBelow { max } => state.alignment <= max,
        }
    }
}

/// A lever in force: its effects, scaled by intensity and ramp, while its
/// schedule and condition allow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lever {
    /// Name, for reports.
    pub name: String,
    /// Effects at full intensity.
    pub effects: Vec<Effect>,
    /// Multiplier of every effect, ≥ 0.
    pub intensity: f64,
    /// First turn at which the lever acts.
    pub onset_turn: u32,
    /// Turns over which the lever ramps linearly to full intensity (0: at once).
    pub ramp_turns: u32,
    /// Number of turns the lever acts (`None`: to the end of the horizon).
    pub duration_turns: Option<u32>,
    /// Condition checked each turn.
    pub condition: Condition,
}

impl Lever {
    /// The lever's scale at a turn from its schedule alone (0 when inactive).
    pub fn schedule_scale(&self, turn: u32) -> f64 {
        if turn < self.onset_turn {
            return 0.0;
        }
        let elapsed = turn - self.onset_turn;
        if let Some(duration) = self.duration_turns
            && elapsed >= duration
        {
            return 0.0;
        }
        let ramp = if self.ramp_turns == 0 {
            1.0
        } else {
            ((elapsed + 1) as f64 / self.ramp_turns as f64).min(1.0)
        };
        self.intensity * ramp
    }

    /// Add this lever's flows for a turn, given the state it acts in.
    pub fn add_flows(&self, turn: u32, state: &WorldState, flows: &mut ChannelFlows) {
        let scale = self.schedule_scale(turn);
        if scale > 0.0 && self.condition.holds(state) {
            for effect in &self.effects {
                flows.add(effect, scale);
            }
        }
    }
}
