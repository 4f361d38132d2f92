//! The streaming aggregate of many runs: counts and fixed-point sums only.
//!
//! Its size depends on the horizon and the menus, never on the number of
//! runs; adding two aggregates is exact, so partial results from threads,
//! checkpoints or shards combine to the same bits in any grouping.

use serde::{Deserialize, Serialize};
use wedge_core::{
    EventKind, Model, Observer, RunSummary, Triangle, TurnRecord, decision::MAX_OPTIONS,
    events::EVENT_COUNT,
};

use crate::fixed::to_fixed;

/// Bins of the per-turn histograms used for the 90% bands.
pub const BINS: usize = 64;

/// A tracked state variable: its name and how to read it.
pub struct Tracked {
    /// Name in reports.
    pub name: &'static str,
    /// Lower end of its histogram.
    pub min: f64,
    /// Upper end of its histogram.
    pub max: f64,
    /// Reader.
    pub read: fn(&wedge_core::WorldState) -> f64,
}

/// The key variables whose trajectories are reported.
pub const TRACKED: [Tracked; 6] = [
    Tracked {
        name: "alignment",
        min: -1.0,
        max: 1.0,
        read: |s| s.alignment,
    },
    Tracked {
        name: "russia_trade_with_china",
        min: 0.0,
        max: 1.0,
        read: |s| s.russia.trade_with_partner,
    },
    Tracked {
        name: "china_trade_with_russia",
        min: 0.0,
        max: 1.0,
        read: |s| s.china.trade_with_partner,
    },
    Tracked {
        name: "russia_trade_with_west",
        min: 0.0,
        max: 1.0,
        read: |s| s.russia.trade_with_west,
    },
    Tracked {
        name: "russia_sanctions",
        min: 0.0,
        max: 1.0,
        read: |s| s.russia.sanctions,
    },
    Tracked {
        name: "russia_west_tension",
        min: 0.0,
        max: 1.0,
        read: |s| s.russia.west_tension,
    },
];

/// Everything kept about a batch of runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Aggregate {
    /// Turns per run.
    pub turns: u32,
    /// Runs folded in.
    pub runs: u64,
    /// Runs that split.
    pub splits: u64,
    /// Splits by the turn at which they happened.
    pub splits_by_turn: Vec<u64>,
    /// Splits by defector: Russia, China.
    pub defectors: [u64; 2],
    /// Turns spent in each triangle configuration.
    pub triangle_turns: [u64; 4],
    /// Times each event struck.
    pub events: [u64; EVENT_COUNT],
    /// Times each option of each decision was chosen (decision-major, [`MAX_OPTIONS`] per decision).
    pub choices: Vec<u64>,
    /// Fixed-point sums of each tracked variable per turn (turn-major).
    pub sums: Vec<i128>,
    /// Histogram counts per turn, variable and bin.
    pub histograms: Vec<u64>,
    /// Runs in which Russia's leader changed.
    pub russia_leader_changes: u64,
    /// Turns at risk of a split before Russia's first leadership change.
    pub at_risk_before_change: u64,
    /// Turns at risk of a split after Russia's first leadership change.
    pub at_risk_after_change: u64,
    /// Splits before Russia's first leadership change.
    pub splits_before_change: u64,
    /// Splits at or after Russia's first leadership change.
    pub splits_after_change: u64,
}

impl Aggregate {
    /// An empty aggregate shaped for a model.
    pub fn new(model: &Model) -> Aggregate {
        let turns = model.horizon_turns();
        let t = turns as usize;
        Aggregate {
            turns,
            runs: 0,
            splits: 0,
            splits_by_turn: vec![0; t],
            defectors: [0; 2],
            triangle_turns: [0; 4],
            events: [0; EVENT_COUNT],
            choices: vec![0; model.layout().len() * MAX_OPTIONS],
            sums: vec![0; t * TRACKED.len()],
            histograms: vec![0; t * TRACKED.len() * BINS],
            russia_leader_changes: 0,
            at_risk_before_change: 0,
            at_risk_after_change: 0,
            splits_before_change: 0,
            splits_after_change: 0,
        }
    }

    /// Whether two aggregates describe the same shape (same horizon and menus).
    pub fn same_shape(&self, other: &Aggregate) -> bool {
        self.turns == other.turns && self.choices.len() == other.choices.len()
    }

    /// Fold in a run's summary (its turns were observed through [`Observer`]).
    pub fn record(&mut self, summary: &RunSummary) {
        self.runs += 1;
        let end = summary.split_turn.map_or(self.turns, |t| t + 1);
        if let Some(turn) = summary.split_turn {
            self.splits += 1;
            self.splits_by_turn[turn as usize] += 1;
            if let Some(d) = summary.defector {
                self.defectors[d.index()] += 1;
            }
        }
        match summary.russia_leader_change {
            Some(change) if change < end => {
                self.russia_leader_changes += 1;
                self.at_risk_before_change += u64::from(change);
                self.at_risk_after_change += u64::from(end - change);
                if summary.split_turn.is_some() {
                    self.splits_after_change += 1;
                }
            }
            other => {
                if other.is_some() {
                    self.russia_leader_changes += 1;
                }
                self.at_risk_before_change += u64::from(end);
                if summary.split_turn.is_some() {
                    self.splits_before_change += 1;
                }
            }
        }
    }

    /// Add another aggregate of the same shape (exact and associative).
    pub fn absorb(&mut self, other: &Aggregate) {
        self.runs += other.runs;
        self.splits += other.splits;
        add_all(&mut self.splits_by_turn, &other.splits_by_turn);
        add_all(&mut self.defectors, &other.defectors);
        add_all(&mut self.triangle_turns, &other.triangle_turns);
        add_all(&mut self.events, &other.events);
        add_all(&mut self.choices, &other.choices);
        for (a, b) in self.sums.iter_mut().zip(&other.sums) {
            *a += b;
        }
        add_all(&mut self.histograms, &other.histograms);
        self.russia_leader_changes += other.russia_leader_changes;
        self.at_risk_before_change += other.at_risk_before_change;
        self.at_risk_after_change += other.at_risk_after_change;
        self.splits_before_change += other.splits_before_change;
        self.splits_after_change += other.splits_after_change;
    }
}

fn add_all(into: &mut [u64], from: &[u64]) {
    for (a, b) in into.iter_mut().zip(from) {
        *a += b;
    }
}

impl Observer for Aggregate {
    fn turn(&mut self, record: &TurnRecord<'_>) {
        let t = record.turn as usize;
        self.triangle_turns[record.triangle.index()] += 1;
        for (i, struck) in record.events.iter().enumerate() {
            self.events[i] += u64::from(*struck);
        }
        for (k, choice) in record.choices.iter().enumerate() {
            self.choices[k * MAX_OPTIONS + choice] += 1;
        }
        for (v, tracked) in TRACKED.iter().enumerate() {
            let x = (tracked.read)(record.state);
            self.sums[t * TRACKED.len() + v] += to_fixed(x);
            let bin = (((x - tracked.min) / (tracked.max - tracked.min)) * BINS as f64).floor();
            let bin = (bin.max(0.0) as usize).min(BINS - 1);
            self.histograms[(t * TRACKED.len() + v) * BINS + bin] += 1;
        }
    }
}

/// Names of the triangle configurations, in [`Aggregate::triangle_turns`] order.
pub fn triangle_names() -> [&'static str; 4] {
    Triangle::ALL.map(Triangle::name)
}

/// Names of the events, in [`Aggregate::events`] order.
pub fn event_names() -> [&'static str; EVENT_COUNT] {
    EventKind::ALL.map(EventKind::name)
}
