//! The one parallel loop over chunks of runs, shared by batches and comparisons.
//!
//! Workers claim chunks in index order from an atomic counter, so at most one
//! chunk per worker is in flight and the window of finished-but-unfolded
//! chunks stays bounded by the thread count. Finished chunks are folded into
//! the caller's accumulator strictly in chunk order, so the result is the same
//! bits whatever the thread count or scheduling. There is no barrier between
//! groups of chunks: a worker that finishes takes the next chunk at once.
//!
//! Cancellation: the stop flag is checked before every chunk and after every
//! run inside a chunk; an abandoned chunk is dropped, and the accumulator then
//! holds exactly the contiguous prefix of chunks completed before it.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use wedge_core::{Model, simulate};

use crate::CHUNK_RUNS;
use crate::aggregate::Aggregate;

/// Chunks folded between two progress callbacks (and so between two checkpoints at most).
pub const CHUNKS_PER_WAVE: u64 = 16;

/// What went wrong in a batch.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BatchError {
    /// The caller asked to stop (Ctrl-C); the accumulator holds every chunk completed so far.
    #[error("interrupted after {completed_chunks} chunks")]
    Interrupted {
        /// Chunks folded in before stopping.
        completed_chunks: u64,
    },
}

/// Hooks the caller gives a loop: a stop flag and a callback after every wave of folded chunks.
pub struct Control<'a, A> {
    /// Set to stop as soon as the run in progress on each worker ends.
    pub stop: &'a AtomicBool,
    /// Called every [`CHUNKS_PER_WAVE`] folded chunks (and after the last) with
    /// the accumulator so far and the next chunk to run.
    pub on_wave: &'a mut (dyn FnMut(&A, u64) + Send),
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

/// Something chunk results fold into exactly (integer counts only).
pub trait Accumulate: Send {
    /// Add another accumulator of the same shape.
    fn absorb(&mut self, other: &Self);
}

impl Accumulate for Aggregate {
    fn absorb(&mut self, other: &Self) {
        Aggregate::absorb(self, other);
    }
}

struct Fold<'a, 'c, A> {
    into: &'a mut A,
    pending: BTreeMap<u64, A>,
    next: u64,
    /// A chunk was abandoned: nothing after it may be folded.
    broken: bool,
    on_wave: &'c mut (dyn FnMut(&A, u64) + Send + 'c),
}

/// Run `chunk(c, stop)` for every chunk of `batch` in parallel and fold the
/// results into `into` in chunk order. `chunk` returns `None` when it saw the
/// stop flag and abandoned its work.
pub fn run_waves<A, F>(
    batch: &Batch,
    into: &mut A,
    chunk: F,
    control: Control<'_, A>,
) -> Result<(), BatchError>
where
    A: Accumulate,
    F: Fn(u64, &AtomicBool) -> Option<A> + Sync,
{
    let stop = control.stop;
    let claim = AtomicU64::new(batch.first_chunk);
    let fold = Mutex::new(Fold {
        into,
        pending: BTreeMap::new(),
        next: batch.first_chunk,
        broken: false,
        on_wave: control.on_wave,
    });
    let end = batch.end_chunk;
    let first = batch.first_chunk;
    let worker = || {
        loop {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            let c = claim.fetch_add(1, Ordering::Relaxed);
            if c >= end {
                return;
            }
            let result = chunk(c, stop);
            let Ok(mut f) = fold.lock() else { return };
            match result {
                None => {
                    f.broken = true;
                    return;
                }
                Some(part) => {
                    f.pending.insert(c, part);
                }
            }
            while !f.broken {
                let next = f.next;
                let Some(part) = f.pending.remove(&next) else {
                    break;
                };
                f.into.absorb(&part);
                f.next += 1;
                if (f.next - first).is_multiple_of(CHUNKS_PER_WAVE) || f.next == end {
                    let Fold { into, on_wave, .. } = &mut *f;
                    on_wave(into, next + 1);
                }
            }
        }
    };
    let workers = rayon::current_num_threads().max(1);
    rayon::scope(|s| {
        for _ in 0..workers {
            s.spawn(|_| worker());
        }
    });
    let next = match fold.into_inner() {
        Ok(f) => f.next,
        Err(poisoned) => poisoned.into_inner().next,
    };
    if next < end {
        return Err(BatchError::Interrupted {
            completed_chunks: next - first,
        });
    }
    Ok(())
}

/// Aggregate one chunk, sequentially; `None` if `stop` was raised meanwhile.
pub fn run_chunk(model: &Model, batch: &Batch, chunk: u64, stop: &AtomicBool) -> Option<Aggregate> {
    let mut agg = Aggregate::new(model);
    for run in batch.chunk_runs(chunk) {
        if stop.load(Ordering::Relaxed) {
            return None;
        }
        let summary = simulate(model, batch.seed, run, &mut agg);
        agg.record(&summary);
    }
    Some(agg)
}

/// Run a batch's chunks of one model into `into`; chunk results are folded
/// in chunk order. Stops early (with the completed prefix folded in) when
/// `control.stop` is set.
///
/// # Example
///
/// ```
/// use std::sync::atomic::AtomicBool;
/// use wedge_runner::{Aggregate, Batch, Control, run_chunks};
///
/// let model = wedge_core::Model::reference_2021();
/// let mut aggregate = Aggregate::new(&model);
/// let stop = AtomicBool::new(false);
/// let mut on_wave = |_: &Aggregate, _next: u64| {};
/// run_chunks(&model, &Batch::whole(7, 300), &mut aggregate,
///            Control { stop: &stop, on_wave: &mut on_wave }).unwrap();
/// assert_eq!(aggregate.runs, 300);
/// ```
pub fn run_chunks(
    model: &Model,
    batch: &Batch,
    into: &mut Aggregate,
    control: Control<'_, Aggregate>,
) -> Result<(), BatchError> {
    run_waves(
        batch,
        into,
        |c, stop| run_chunk(model, batch, c, stop),
        control,
    )
}
