//! The work behind the API: a paired comparison and one run's trace, as the
//! command line's JSON documents.
//!
//! Runs happen in waves of chunks on the rayon pool; between waves the stop
//! flag is checked and progress reported. Chunk results fold in index order,
//! so the numbers are those of `wedge compare` for the same inputs, whatever
//! the waves or the thread count.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use serde::Serialize;
use wedge_core::events::EVENT_COUNT;
use wedge_core::{DecisionSlot, EventKind, Observer, TurnRecord, WorldState, simulate};
use wedge_runner::CHUNK_RUNS;
use wedge_runner::batch::Batch;
use wedge_runner::compare::{ArmSummary, Comparison, arm_summaries, compare_chunks};
use wedge_runner::summary::Manifest;

use crate::error::ApiError;
use crate::request::{ComparePlan, TracePlan};

/// Chunks per wave: small, so that progress is frequent and a stop is heard
/// within a fraction of a second; the numbers do not depend on it.
pub const WAVE_CHUNKS: u64 = 4;

/// What the server puts in the manifest's `command` field.
pub const COMMAND: &str = "wedge serve";

/// Which partner broke away, per arm: the page's "who defected".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArmDefectors {
    /// Arm name.
    pub arm: String,
    /// Runs that split.
    pub splits: u64,
    /// Of those, the splits in which Russia broke away.
    pub russia: u64,
    /// Of those, the splits in which China broke away.
    pub china: u64,
}

/// A finished comparison.
#[derive(Debug, Clone)]
pub struct CompareOutcome {
    /// The document `wedge compare --format json` prints, as compact JSON text.
    pub document: String,
    /// Who broke away in each arm, in the document's arm order.
    pub defectors: Vec<ArmDefectors>,
}

#[derive(Serialize)]
struct CompareDocument {
    runs: u64,
    seed: u64,
    arms: Vec<ArmSummary>,
    manifest: Manifest,
}

/// Compact JSON text, fields in the order the command line prints them.
fn encode<T: Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(|e| ApiError::Internal(format!("cannot encode JSON: {e}")))
}

/// Run a comparison, reporting `(runs done, runs in all)` over every arm after each wave.
pub fn compare(
    plan: &ComparePlan,
    stop: &AtomicBool,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<CompareOutcome, ApiError> {
    let started = Instant::now();
    let arms = plan.models.len() as u64;
    let mut comparison = Comparison::new(&plan.models);
    let chunks = plan.runs.div_ceil(CHUNK_RUNS);
    let mut next = 0;
    progress(0, plan.runs * arms);
    while next < chunks {
        if stop.load(Ordering::Relaxed) {
            return Err(ApiError::Cancelled);
        }
        let batch = Batch {
            seed: plan.seed,
            runs: plan.runs,
            first_chunk: next,
            end_chunk: (next + WAVE_CHUNKS).min(chunks),
        };
        compare_chunks(&plan.models, &batch, &mut comparison, &mut |_| {});
        next = batch.end_chunk;
        progress(comparison.runs() * arms, plan.runs * arms);
    }
    let mut summaries = arm_summaries(&plan.names, &plan.models, &comparison);
    let defectors_of = |name: &str| {
        let i = plan.names.iter().position(|n| n == name).unwrap_or(0);
        let agg = &comparison.arms[i];
        ArmDefectors {
            arm: name.to_string(),
            splits: agg.splits,
            russia: agg.defectors[0],
            china: agg.defectors[1],
        }
    };
    // Baseline first, then the arms by delta, as `wedge compare` orders them.
    let baseline = summaries.remove(0);
    summaries.sort_by(|a, b| {
        b.delta
            .estimate
            .total_cmp(&a.delta.estimate)
            .then_with(|| a.name.cmp(&b.name))
    });
    summaries.insert(0, baseline);
    let defectors = summaries.iter().map(|a| defectors_of(&a.name)).collect();
    let wall = started.elapsed().as_secs_f64();
    let done = comparison.runs() * arms;
    let document = CompareDocument {
        runs: comparison.runs(),
        seed: plan.seed,
        arms: summaries,
        manifest: Manifest {
            wedge_version: env!("CARGO_PKG_VERSION").to_string(),
            scenario: plan.names[0].clone(),
            scenario_hash: plan.baseline_hash.clone(),
            seed: plan.seed,
            runs: comparison.runs(),
            threads: rayon::current_num_threads(),
            wall_seconds: wall,
            runs_per_second: if wall > 0.0 { done as f64 / wall } else { 0.0 },
            command: COMMAND.to_string(),
        },
    };
    Ok(CompareOutcome {
        document: encode(&document)?,
        defectors,
    })
}

#[derive(Debug, Clone, Serialize)]
struct OptionUtility {
    option: String,
    utility: f64,
}

#[derive(Debug, Clone, Serialize)]
struct TracedDecision {
    decision: String,
    chosen: String,
    adaptive: bool,
    options: Vec<OptionUtility>,
}

#[derive(Debug, Clone, Serialize)]
struct TracedTurn {
    turn: u32,
    year: f64,
    decisions: Vec<TracedDecision>,
    events: Vec<String>,
    willingness: [f64; 2],
    triangle: String,
    split: bool,
    state: WorldState,
}

struct Tracer {
    start_year: f64,
    turn_years: f64,
    slots: Vec<DecisionSlot>,
    turns: Vec<TracedTurn>,
}

impl Observer for Tracer {
    fn turn(&mut self, r: &TurnRecord<'_>) {
        let events = (0..EVENT_COUNT)
            .filter(|i| r.events[*i])
            .map(|i| EventKind::ALL[i].name().to_string())
            .collect();
        let decisions = self
            .slots
            .iter()
            .zip(r.choices.iter().zip(r.utilities))
            .map(|(slot, (&chosen, utilities))| TracedDecision {
                decision: format!("{}.{}", slot.actor.name(), slot.decision),
                chosen: slot.options[chosen].clone(),
                adaptive: slot.adaptive,
                options: if slot.adaptive {
                    slot.options
                        .iter()
                        .zip(utilities)
                        .map(|(option, &utility)| OptionUtility {
                            option: option.clone(),
                            utility,
                        })
                        .collect()
                } else {
                    Vec::new()
                },
            })
            .collect();
        self.turns.push(TracedTurn {
            turn: r.turn,
            year: self.start_year + (r.turn + 1) as f64 * self.turn_years,
            decisions,
            events,
            willingness: r.willingness,
            triangle: r.triangle.name().to_string(),
            split: r.split_now,
            state: *r.state,
        });
    }
}

/// Replay one run: the document `wedge trace --format json` prints, as compact JSON text.
pub fn trace(plan: &TracePlan) -> Result<String, ApiError> {
    let spec = plan.model.spec();
    let mut tracer = Tracer {
        start_year: spec.start_year,
        turn_years: spec.turn_years,
        slots: plan.model.decision_slots(),
        turns: Vec::new(),
    };
    let summary = simulate(&plan.model, plan.seed, plan.run, &mut tracer);
    #[derive(Serialize)]
    struct Trace<'a> {
        scenario: &'a str,
        seed: u64,
        run: u64,
        summary: wedge_core::RunSummary,
        turns: &'a [TracedTurn],
    }
    encode(&Trace {
        scenario: &spec.name,
        seed: plan.seed,
        run: plan.run,
        summary,
        turns: &tracer.turns,
    })
}
