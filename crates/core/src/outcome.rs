//! What one run reports: a summary, and a per-turn record for observers.

use serde::{Deserialize, Serialize};

use crate::actor::Partner;
use crate::decision::MAX_OPTIONS;
use crate::events::EVENT_COUNT;
use crate::split::Triangle;
use crate::state::WorldState;

/// The outcome of one run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RunSummary {
    /// Turn at which the split rule was first met, if it was.
    pub split_turn: Option<u32>,
    /// The partner less willing to sustain the partnership over the turns that made the split.
    pub defector: Option<Partner>,
    /// Turn of Russia's first leadership change, if any.
    pub russia_leader_change: Option<u32>,
    /// Turn of China's first leadership change, if any.
    pub china_leader_change: Option<u32>,
    /// Alignment at the end of the horizon.
    pub final_alignment: f64,
}

/// Everything that happened in one turn, lent to an [`Observer`].
#[derive(Debug)]
pub struct TurnRecord<'a> {
    /// Turn index, from 0.
    pub turn: u32,
    /// State at the end of the turn.
    pub state: &'a WorldState,
    /// Option chosen for each decision, in [`crate::Model::layout`] order.
    pub choices: &'a [usize],
    /// Look-ahead utilities of each option, per decision (zeros for imposed decisions).
    pub utilities: &'a [[f64; MAX_OPTIONS]],
    /// Which events struck, in [`crate::EventKind::ALL`] order.
    pub events: &'a [bool; EVENT_COUNT],
    /// Each partner's willingness at the end of the turn, Russia first.
    pub willingness: [f64; 2],
    /// The strategic-triangle configuration at the end of the turn.
    pub triangle: Triangle,
    /// Whether the split rule was met at this turn (only once per run).
    pub split_now: bool,
}

/// Receives every turn of a run. Aggregators and tracers implement it.
pub trait Observer {
    /// Called once per turn, after the turn's events.
    fn turn(&mut self, record: &TurnRecord<'_>);
}

/// An observer that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoObserver;

impl Observer for NoObserver {
    fn turn(&mut self, _record: &TurnRecord<'_>) {}
}
