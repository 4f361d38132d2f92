//! Parallel batches over chunks of runs, with progress and cancellation.

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use wedge_core::{Model, simulate};

use crate::CHUNK_RUNS;
use crate::aggregate::Aggregate;

/// Chunks handed to the thread pool at once; bounds memory and the latency of a checkpoint.
pub const CHUNKS_PER_WAVE: u64 = 16;

/// What went wrong in a batch.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BatchError {
    /// The caller asked to stop (Ctrl-C); the aggregate holds every chunk completed so far.
    #[error("interrupted after {completed_chunks} chunks")]
    Interrupted {
        /// Chunks folded in before stopping.
        completed_chunks: u64,
    },
}

/// Hooks the caller gives a batch: a stop flag and a callback after every wave.
pub struct Control<'a> {
    /// Set to stop at the next wave boundary.
    pub stop: &'a AtomicBool,
    /// Called after each wave with the aggregate so far and the next chunk to run.
    pub on_wave: &'a mut dyn FnMut(&Aggregate, u64),
}

/// A range of chunks of one plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Batch {
    /// Master seed.
    pub seed: u64,
    /// Total runs of the plan (the last chunk may be short).
    pub runs: u64,
    /// First chunk to run.
    pub first_chunk: u64,
    /// One past the last chunk to run.
    pub end_chunk: u64,
}

impl Batch {
    /// Every chunk of a plan of `runs` runs.
    pub fn whole(seed: u64, runs: u64) -> Batch {
        Batch {
            seed,
            runs,
            first_chunk: 0,
            end_chunk: runs.div_ceil(CHUNK_RUNS),
        }
    }

    /// Run indices of a chunk.
    pub fn chunk_runs(&self, chunk: u64) -> std::ops::Range<u64> {
        let start = chunk * CHUNK_RUNS;
        start..(start + CHUNK_RUNS).min(self.runs)
    }
}

/// Aggregate one chunk, sequentially.
pub fn run_chunk(model: &Model, batch: &Batch, chunk: u64) -> Aggregate {
    let mut agg = Aggregate::new(model);
    for run in batch.chunk_runs(chunk) {
        let summary = simulate(model, batch.seed, run, &mut agg);
        agg.record(&summary);
    }
    agg
}

/// Run a batch's chunks into `into`, in parallel waves; chunk results are
/// folded in chunk order. Stops early (with the completed waves folded in)
/// when `control.stop` is set.
pub fn run_chunks(
    model: &Model,
    batch: &Batch,
    into: &mut Aggregate,
    control: Control<'_>,
) -> Result<(), BatchError> {
    let mut next = batch.first_chunk;
    while next < batch.end_chunk {
        if control.stop.load(Ordering::Relaxed) {
            return Err(BatchError::Interrupted {
                completed_chunks: next - batch.first_chunk,
            });
        }
        let wave_end = (next + CHUNKS_PER_WAVE).min(batch.end_chunk);
        // usize ranges are indexed in rayon, so `collect` keeps chunk order.
        let parts: Vec<Aggregate> = (next as usize..wave_end as usize)
            .into_par_iter()
            .map(|c| run_chunk(model, batch, c as u64))
            .collect();
        for part in &parts {
            into.absorb(part);
        }
        next = wave_end;
        (control.on_wave)(into, next);
    }
    Ok(())
}
