//! Experiments for wedge: every way of playing scenarios many times, as
//! library calls with typed inputs and results.
//!
//! - **Run sessions** ([`RunSession`]): one scenario played many times, fresh,
//!   resumed from a checkpoint, or as one shard of a plan ([`merge`] joins
//!   shards), optionally grown by the one rule [`grow`] until its interval is
//!   narrow enough; summarized as a [`RunResult`].
//! - **Comparisons** ([`compare`]): arms played pair by pair on common random
//!   numbers, ranked, as a [`ComparisonResult`].
//! - **Designs** ([`Design`]): grids and Latin hypercubes of parameter points.
//! - **Sensitivity** ([`sensitivity`]): a tornado and Morris elementary effects.
//! - **Ensembles** ([`compare_ensemble`], [`run_over_ensemble`]): every arm
//!   played over the draws of a posterior, common random numbers within a draw.
//! - **Calibration** ([`shard_range`], [`BuildEpisodes`]): the draws of a
//!   shard and the episodes' models of a draw, for `wedge-calibrate`.
//! - **The suite scoreboard** ([`Scoreboard`]) and its two-sample test.
//! - **Tracing** ([`Trace`]): one run, turn by turn.
//!
//! Determinism: run *i* depends only on (model, seed, i). Runs are grouped in
//! fixed chunks of [`CHUNK_RUNS`]; one wave loop ([`run_parts`]) plays
//! chunks in parallel and folds them in chunk order; every aggregate holds only
//! integers (counts and fixed-point sums), so combining partial aggregates is
//! exact and associative — a result cannot depend on the scheduling, the
//! number of threads or how a batch was split into shards. Every result
//! carries one provenance record ([`Manifest`], around a [`RunPlan`]).
//!
//! # Example
//!
//! ```
//! use std::sync::atomic::AtomicBool;
//! use wedge_runner::{RunPlan, RunSession};
//!
//! let model = wedge_core::Model::reference_2021();
//! let mut session = RunSession::new(&model, RunPlan::new("reference", "-", 1, 400), None);
//! session.run(&AtomicBool::new(false), &mut |_| {}).unwrap();
//! println!("split within the horizon: {:.1}%", session.result("doc").split.probability * 100.0);
//! ```
#![deny(missing_docs)]

mod aggregate;
mod bands;
mod calibrate;
mod cluster;
mod compare;
mod design;
mod discovery;
mod ensemble;
mod fixed;
mod partial;
mod provenance;
mod sensitivity;
mod session;
mod sketch;
mod sobol;
mod stats;
mod suite;
mod summary;
mod swept;
mod table;
mod trace;
mod waves;

#[cfg(test)]
mod tests;

pub use aggregate::{
    Aggregate, SKETCH_STRIDE, TRACKED, Tracked, event_names, sketch_offset, triangle_names,
    turns_per_year,
};
pub use bands::{ArmEnsemble, Band, Regret, RunEnsemble};
pub use calibrate::{BuildEpisodes, shard_range};
pub use cluster::{ShardEnvError, requested_shard, shard_from_env, slurm_script};
pub use compare::{
    Arm, ArmSummary, CompareError, CompareSettings, Comparison, ComparisonResult, Delta, MAX_ARMS,
    MAX_JOB_BYTES, MAX_TOTAL_RUNS, PairCounts, Ranking, arm_summaries, check_job_size,
    check_shapes, compare, compare_chunks, rank, run_arms,
};
pub use design::{
    Design, DesignError, MAX_POINTS, Param, Point, SweepError, grid, latin_hypercube, point_name,
    point_values,
};
pub use discovery::{
    CaseRule, Column, DiscoverError, DiscoverFlags, DiscoverSettings, Discovery, FoundBox,
    INPUT_PREFIXES, discover,
};
pub use ensemble::{
    BuildDraw, EnsembleError, EnsemblePlay, arm_ensembles, compare_ensemble, draw_seed,
    play_ensemble, regrets, run_ensemble, run_over_ensemble,
};
pub use fixed::{SCALE, from_fixed, to_fixed};
pub use partial::{FORMAT, Partial, PartialError, merge};
pub use provenance::{Manifest, RunPlan, combined_hash};
pub use sensitivity::{
    MorrisEffect, SensitivityError, SensitivityResult, TornadoBar, design_points, sensitivity,
};
pub use session::{
    Progress, Requested, RunSession, SessionError, grow, merged_result, whole_chunks,
};
pub use sketch::{
    MIN_MAGNITUDE as SKETCH_MIN_MAGNITUDE, band as sketch_band, quantile as sketch_quantile,
};
pub use sobol::{
    FactorKind, MAX_SOBOL_RUNS, SobolFactor, SobolOutcome, SobolResult, SobolRunError,
    SobolSettings, factors, sobol,
};
pub use stats::{Z95, independent_difference, paired_difference, wilson, wilson_half_width};
pub use suite::{Drift, Moved, Score, Scoreboard, ScoreboardError, Verdict, check_drift, verdict};
pub use summary::{
    Defectors, Leadership, PolicyShares, Proportion, RunResult, SurvivalPoint, Trajectory,
    TrajectoryPoint, median_years, summarize, survival,
};
pub use swept::{DrawnPath, SweptValues, check_not_drawn};
pub use table::{
    OUTCOMES, RunRow, RunTable, TABLE_CHUNK_RUNS, TABLE_SCHEMA, TableArm, TableInterrupted,
    drawn_values, final_names,
};
pub use trace::{OptionUtility, SplitDecision, Trace, TracedDecision, TracedSplit, TracedTurn};
pub use waves::{
    Accumulate, Batch, BatchError, CHUNKS_PER_WAVE, Control, TAIL_PART_RUNS, run_chunk, run_chunks,
    run_parts,
};
/// The model type every draw builds (re-exported for callers that build arms).
pub use wedge_core::Model;

/// Runs per chunk: the unit of parallel work, checkpointing and sharding.
pub const CHUNK_RUNS: u64 = 256;

/// Most runs one plan may have (per arm).
pub const MAX_RUNS: u64 = 1_000_000_000;

/// Runs of a plan when the caller names none (per arm).
pub const DEFAULT_RUNS: u64 = 10_000;

/// Master seed of a plan when the caller names none.
pub const DEFAULT_SEED: u64 = 1;

/// The wedge version recorded in every plan.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
