//! The streaming aggregate of many runs: counts and fixed-point sums only.
//!
//! Its size depends on the horizon and the menus, never on the number of
//! runs; adding two aggregates is exact, so partial results from threads,
//! checkpoints or shards combine to the same bits in any grouping.

use serde::{Deserialize, Serialize};
use wedge_core::trade_values;
use wedge_core::{
    EVENT_COUNT, EventKind, MAX_OPTIONS, Model, Observer, RunSummary, Triangle, TurnRecord,
};

use crate::fixed::to_fixed;
use crate::sketch;

/// A tracked state variable: its name and how to read it.
pub struct Tracked {
    /// Name in reports.
    pub name: &'static str,
    /// Whether it can be negative (its sketch then has negative buckets too).
    pub signed: bool,
    /// Reader.
    pub read: fn(&wedge_core::WorldState) -> f64,
}

/// Every tracked variable's value in `state`, in [`TRACKED`] order.
#[inline(always)]
fn tracked_values(state: &wedge_core::WorldState) -> [f64; TRACKED.len()] {
    let mut values = [0.0; TRACKED.len()];
    for (value, tracked) in values.iter_mut().zip(&TRACKED) {
        *value = (tracked.read)(state);
    }
    values
}

/// Counts in one year-end sketch of every tracked variable (the stride of [`Aggregate::sketches`]).
pub const SKETCH_STRIDE: usize = {
    let mut total = 0;
    let mut v = 0;
    while v < TRACKED.len() {
        total += sketch::width(TRACKED[v].signed);
        v += 1;
    }
    total
};

/// Offset of variable `v`'s sketch within one year-end block of [`Aggregate::sketches`].
pub fn sketch_offset(v: usize) -> usize {
    TRACKED[..v].iter().map(|t| sketch::width(t.signed)).sum()
}

/// Turns per year as the summaries count them: the turn ending each year is sketched.
pub fn turns_per_year(turn_years: f64) -> u32 {
    (1.0 / turn_years).round().max(1.0) as u32
}

/// Unit of the tracked trade values, in the scenario's GDP unit: with GDP in
/// trillion US dollars, tens of trillions of dollars, so every value the
/// shipped scenarios reach lies in [0, 1] as a tracked quantity must.
pub const TRADE_VALUE_UNIT: f64 = 10.0;

/// A partner's trade value with destination `d` (`[partner, EU, US, India,
/// rest]`) in [`TRADE_VALUE_UNIT`]s, capped at 1.
fn trade_value(p: &wedge_core::PartnerState, d: usize) -> f64 {
    (trade_values(p)[d] / TRADE_VALUE_UNIT).min(1.0)
}

/// The key variables whose trajectories are reported.
pub const TRACKED: [Tracked; 32] = [
    Tracked {
        name: "alignment",
        signed: true,
        read: |s| s.alignment,
    },
    Tracked {
        name: "russia_trade_with_china",
        signed: false,
        read: |s| s.russia.trade_with_partner,
    },
    Tracked {
        name: "china_trade_with_russia",
        signed: false,
        read: |s| s.china.trade_with_partner,
    },
    Tracked {
        name: "russia_trade_with_eu",
        signed: false,
        read: |s| s.russia.trade_with_eu,
    },
    Tracked {
        name: "russia_trade_with_us",
        signed: false,
        read: |s| s.russia.trade_with_us,
    },
    Tracked {
        name: "russia_trade_with_india",
        signed: false,
        read: |s| s.russia.trade_with_india,
    },
    Tracked {
        name: "russia_trade_with_rest",
        signed: false,
        read: |s| s.russia.trade_with_rest,
    },
    Tracked {
        name: "china_trade_with_eu",
        signed: false,
        read: |s| s.china.trade_with_eu,
    },
    Tracked {
        name: "china_trade_with_us",
        signed: false,
        read: |s| s.china.trade_with_us,
    },
    Tracked {
        name: "china_trade_with_india",
        signed: false,
        read: |s| s.china.trade_with_india,
    },
    Tracked {
        name: "china_trade_with_rest",
        signed: false,
        read: |s| s.china.trade_with_rest,
    },
    Tracked {
        name: "russia_partner_capacity",
        signed: false,
        read: |s| s.russia.partner_capacity,
    },
    Tracked {
        name: "china_partner_capacity",
        signed: false,
        read: |s| s.china.partner_capacity,
    },
    Tracked {
        name: "russia_trade_value_with_china",
        signed: false,
        read: |s| trade_value(&s.russia, 0),
    },
    Tracked {
        name: "russia_trade_value_with_eu",
        signed: false,
        read: |s| trade_value(&s.russia, 1),
    },
    Tracked {
        name: "russia_trade_value_with_us",
        signed: false,
        read: |s| trade_value(&s.russia, 2),
    },
    Tracked {
        name: "russia_trade_value_with_india",
        signed: false,
        read: |s| trade_value(&s.russia, 3),
    },
    Tracked {
        name: "russia_trade_value_with_rest",
        signed: false,
        read: |s| trade_value(&s.russia, 4),
    },
    Tracked {
        name: "china_trade_value_with_russia",
        signed: false,
        read: |s| trade_value(&s.china, 0),
    },
    Tracked {
        name: "china_trade_value_with_eu",
        signed: false,
        read: |s| trade_value(&s.china, 1),
    },
    Tracked {
        name: "china_trade_value_with_us",
        signed: false,
        read: |s| trade_value(&s.china, 2),
    },
    Tracked {
        name: "china_trade_value_with_india",
        signed: false,
        read: |s| trade_value(&s.china, 3),
    },
    Tracked {
        name: "china_trade_value_with_rest",
        signed: false,
        read: |s| trade_value(&s.china, 4),
    },
    Tracked {
        name: "russia_energy_to_eu",
        signed: false,
        read: |s| s.russia.energy_to_eu,
    },
    Tracked {
        name: "russia_energy_to_china",
        signed: false,
        read: |s| s.russia.energy_to_partner,
    },
    Tracked {
        name: "russia_energy_to_india",
        signed: false,
        read: |s| s.russia.energy_to_india,
    },
    Tracked {
        name: "russia_energy_to_rest",
        signed: false,
        read: |s| s.russia.energy_to_rest,
    },
    Tracked {
        name: "russia_energy_pipeline_capacity",
        signed: false,
        read: |s| s.russia.energy_pipeline_capacity,
    },
    Tracked {
        name: "russia_energy_seaborne_capacity",
        signed: false,
        read: |s| s.russia.energy_seaborne_capacity,
    },
    Tracked {
        name: "russia_sanctions",
        signed: false,
        read: |s| s.russia.sanctions,
    },
    Tracked {
        name: "russia_west_tension",
        signed: false,
        read: |s| s.russia.west_tension,
    },
    Tracked {
        name: "china_us_decoupling",
        signed: false,
        read: |s| s.china.us_decoupling,
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
    /// Turns per year: the turn ending each year (turn `t` with `(t + 1)` a
    /// multiple of it) is sketched.
    pub sketch_every: u32,
    /// Quantile sketches (see [`crate::sketch_quantile`]) of each tracked variable at
    /// the end of each year: year-major, [`SKETCH_STRIDE`] counts a year.
    pub sketches: Vec<u64>,
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
        let every = turns_per_year(model.spec().turn_years);
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
            sketch_every: every,
            sketches: vec![0; (turns / every) as usize * SKETCH_STRIDE],
            russia_leader_changes: 0,
            at_risk_before_change: 0,
            at_risk_after_change: 0,
            splits_before_change: 0,
            splits_after_change: 0,
        }
    }

    /// Bytes of its arrays (what an aggregate of this shape holds, whatever its runs).
    pub fn heap_bytes(&self) -> u64 {
        let words = self.splits_by_turn.len() + self.choices.len() + self.sketches.len();
        (words * 8 + self.sums.len() * 16 + std::mem::size_of::<Aggregate>()) as u64
    }

    /// Whether two aggregates describe the same shape (same horizon and menus).
    pub fn same_shape(&self, other: &Aggregate) -> bool {
        self.turns == other.turns
            && self.choices.len() == other.choices.len()
            && self.sketch_every == other.sketch_every
            && self.sums.len() == other.sums.len()
            && self.sketches.len() == other.sketches.len()
            && self.splits_by_turn.len() == other.splits_by_turn.len()
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

    /// Add another aggregate of the same shape and empty it (as
    /// [`Aggregate::new`] made it), keeping its buffers: the same counts as
    /// [`Aggregate::absorb`], in one pass that writes only the counts the
    /// other holds (a chunk's year-end sketches are mostly zeros).
    pub fn absorb_clearing(&mut self, other: &mut Aggregate) {
        // Every field named, so that a new one cannot be forgotten here.
        let Aggregate {
            turns: _,
            runs,
            splits,
            splits_by_turn,
            defectors,
            triangle_turns,
            events,
            choices,
            sums,
            sketch_every: _,
            sketches,
            russia_leader_changes,
            at_risk_before_change,
            at_risk_after_change,
            splits_before_change,
            splits_after_change,
        } = other;
        for (into, count) in [
            (&mut self.runs, runs),
            (&mut self.splits, splits),
            (&mut self.russia_leader_changes, russia_leader_changes),
            (&mut self.at_risk_before_change, at_risk_before_change),
            (&mut self.at_risk_after_change, at_risk_after_change),
            (&mut self.splits_before_change, splits_before_change),
            (&mut self.splits_after_change, splits_after_change),
        ] {
            *into += std::mem::take(count);
        }
        add_clearing(&mut self.splits_by_turn, splits_by_turn);
        add_clearing(&mut self.defectors, defectors);
        add_clearing(&mut self.triangle_turns, triangle_turns);
        add_clearing(&mut self.events, events);
        add_clearing(&mut self.choices, choices);
        for (a, b) in self.sums.iter_mut().zip(sums.iter_mut()) {
            *a += std::mem::take(b);
        }
        add_clearing(&mut self.sketches, sketches);
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
        add_all(&mut self.sketches, &other.sketches);
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

/// [`add_all`], zeroing `from`; a zero count is neither added nor written.
fn add_clearing(into: &mut [u64], from: &mut [u64]) {
    for (a, b) in into.iter_mut().zip(from) {
        if *b != 0 {
            *a += *b;
            *b = 0;
        }
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
        // The turn's row of sums, then (at a year's end) its sketches. The
        // values are read all at once, each reader known where it is called.
        let values = tracked_values(record.state);
        let row = &mut self.sums[t * TRACKED.len()..(t + 1) * TRACKED.len()];
        for (sum, x) in row.iter_mut().zip(values) {
            *sum += to_fixed(x);
        }
        if (record.turn + 1).is_multiple_of(self.sketch_every) {
            let year = ((record.turn + 1) / self.sketch_every) as usize;
            let block = &mut self.sketches[(year - 1) * SKETCH_STRIDE..year * SKETCH_STRIDE];
            let mut offset = 0;
            for (tracked, x) in TRACKED.iter().zip(values) {
                block[offset + sketch::bucket(x, tracked.signed)] += 1;
                offset += sketch::width(tracked.signed);
            }
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

impl Aggregate {
    /// Add another aggregate of the same shape with checked arithmetic: an
    /// error (and `self` unspecified) if any count would overflow or the shapes differ.
    pub fn try_absorb(&mut self, other: &Aggregate) -> Result<(), &'static str> {
        if !self.same_shape(other) {
            return Err("its shape differs");
        }
        fn add(a: &mut u64, b: u64) -> Result<(), &'static str> {
            *a = a.checked_add(b).ok_or("a count overflows")?;
            Ok(())
        }
        fn add_each(into: &mut [u64], from: &[u64]) -> Result<(), &'static str> {
            into.iter_mut().zip(from).try_for_each(|(a, b)| add(a, *b))
        }
        add(&mut self.runs, other.runs)?;
        add(&mut self.splits, other.splits)?;
        add_each(&mut self.splits_by_turn, &other.splits_by_turn)?;
        add_each(&mut self.defectors, &other.defectors)?;
        add_each(&mut self.triangle_turns, &other.triangle_turns)?;
        add_each(&mut self.events, &other.events)?;
        add_each(&mut self.choices, &other.choices)?;
        for (a, b) in self.sums.iter_mut().zip(&other.sums) {
            *a = a.checked_add(*b).ok_or("a sum overflows")?;
        }
        add_each(&mut self.sketches, &other.sketches)?;
        add(&mut self.russia_leader_changes, other.russia_leader_changes)?;
        add(&mut self.at_risk_before_change, other.at_risk_before_change)?;
        add(&mut self.at_risk_after_change, other.at_risk_after_change)?;
        add(&mut self.splits_before_change, other.splits_before_change)?;
        add(&mut self.splits_after_change, other.splits_after_change)?;
        Ok(())
    }

    /// Check every invariant an aggregate of `runs` runs of `model` satisfies:
    /// its shape, and counts that add up (turns, choices, events, splits,
    /// leadership changes, sketches, bounded sums). The message says what failed.
    pub fn check(&self, model: &Model, runs: u64) -> Result<(), String> {
        let fresh = Aggregate::new(model);
        if !self.same_shape(&fresh) {
            return Err(format!(
                "its arrays do not have the shape its scenario implies ({} turns, {} choice slots, {} sums, {} sketch counts expected)",
                fresh.turns,
                fresh.choices.len(),
                fresh.sums.len(),
                fresh.sketches.len()
            ));
        }
        if self.runs != runs {
            return Err(format!(
                "it holds {} runs where its chunk range holds {runs}",
                self.runs
            ));
        }
        let sum = |xs: &[u64]| xs.iter().try_fold(0u64, |a, b| a.checked_add(*b));
        let turns = u64::from(self.turns);
        let agent_turns = runs.checked_mul(turns).ok_or("its run count overflows")?;
        if sum(&self.triangle_turns) != Some(agent_turns) {
            return Err("its turn counts do not add up to runs × turns".into());
        }
        if self.events.iter().any(|e| *e > agent_turns) {
            return Err("an event count exceeds runs × turns".into());
        }
        for (k, slot) in model.decision_slots().iter().enumerate() {
            let counts = &self.choices[k * MAX_OPTIONS..(k + 1) * MAX_OPTIONS];
            if sum(counts) != Some(agent_turns)
                || counts[slot.options.len().min(MAX_OPTIONS)..]
                    .iter()
                    .any(|c| *c != 0)
            {
                return Err(format!(
                    "its choice counts for {}'s {} do not add up",
                    slot.actor.name(),
                    slot.decision
                ));
            }
        }
        if self.splits > runs
            || sum(&self.splits_by_turn) != Some(self.splits)
            || sum(&self.defectors) != Some(self.splits)
            || self
                .splits_before_change
                .checked_add(self.splits_after_change)
                != Some(self.splits)
        {
            return Err("its split counts do not add up".into());
        }
        if self.russia_leader_changes > runs
            || self.splits_after_change > self.russia_leader_changes
        {
            return Err("its leadership-change counts do not add up".into());
        }
        // Every run is at risk until it splits (inclusive) or the horizon ends.
        let at_risk = (runs - self.splits).checked_mul(turns).and_then(|unsplit| {
            self.splits_by_turn
                .iter()
                .enumerate()
                .try_fold(unsplit, |acc, (t, n)| {
                    acc.checked_add(n.checked_mul(t as u64 + 1)?)
                })
        });
        if self
            .at_risk_before_change
            .checked_add(self.at_risk_after_change)
            != at_risk
        {
            return Err("its turns at risk do not add up".into());
        }
        let widths: Vec<usize> = TRACKED.iter().map(|t| sketch::width(t.signed)).collect();
        for (y, block) in self.sketches.chunks(SKETCH_STRIDE).enumerate() {
            let mut offset = 0;
            for (v, w) in widths.iter().enumerate() {
                if sum(&block[offset..offset + w]) != Some(runs) {
                    return Err(format!(
                        "its sketch of {} in year {} does not hold every run",
                        TRACKED[v].name,
                        y + 1
                    ));
                }
                offset += w;
            }
        }
        // Every tracked variable has magnitude at most 1.
        let bound = i128::from(runs) * crate::fixed::to_fixed(1.0);
        if self.sums.iter().any(|s| s.abs() > bound) {
            return Err("a sum is larger than its runs allow".into());
        }
        Ok(())
    }
}
