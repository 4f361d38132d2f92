//! Monte Carlo batches for wedge: run plans and seed layout, parallel batches
//! that are bit-identical whatever the thread count or sharding, streaming
//! aggregates whose memory does not grow with the number of runs, paired
//! comparisons with common random numbers, and partial results for
//! checkpoints and shards.
//!
//! Determinism: run *i* depends only on (model, seed, i). Runs are grouped in
//! fixed chunks of [`CHUNK_RUNS`]; chunks run in parallel; every aggregate
//! holds only integers (counts and fixed-point sums), so combining partial
//! aggregates is exact and associative — the result cannot depend on the
//! scheduling, the number of threads or how a batch was split into shards.
#![deny(missing_docs)]

pub mod aggregate;
pub mod batch;
pub mod compare;
pub mod fixed;
pub mod partial;
pub mod stats;
pub mod summary;

#[cfg(test)]
mod tests;

pub use aggregate::Aggregate;
pub use batch::{Batch, BatchError, Control, run_chunks};
pub use compare::{ArmSummary, Comparison, PairCounts, compare_chunks};
pub use partial::{Partial, PartialError, RunPlan};
pub use summary::{RunResult, summarize};

/// Runs per chunk: the unit of parallel work, checkpointing and sharding.
pub const CHUNK_RUNS: u64 = 256;
