//! The one parallel loop over chunks of runs, shared by batches and comparisons.
//!
//! Workers claim chunks in index order from an atomic counter, so at most one
//! chunk per worker is in flight (finished chunks wait to be folded only
//! behind an earlier chunk still in play). Finished chunks are folded into
//! the caller's accumulator strictly in chunk order, so the result is the same
//! bits whatever the thread count or scheduling. There is no barrier between
//! groups of chunks: a worker that finishes takes the next chunk at once.
//!
//! The last few chunks of a batch are played in parts of [`TAIL_PART_RUNS`]
//! runs ([`run_parts`]), so that the workers finish together instead of one
//! playing a whole last chunk alone; a chunk's parts are absorbed into one
//! accumulator as they finish (exact, so in any order), and the chunk is
//! folded only once whole. Folded accumulators
//! are emptied as they are absorbed and handed back to the workers, so a
//! batch allocates a fixed number of them.
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
    /// Add another accumulator of the same shape and leave it empty, with its
    /// shape and its buffers (a folded part is reused for a later chunk
    /// instead of allocated afresh).
    fn absorb_clearing(&mut self, other: &mut Self);
}

impl Accumulate for Aggregate {
    fn absorb_clearing(&mut self, other: &mut Self) {
        Aggregate::absorb_clearing(self, other);
    }
}

/// Chunks at the end of a batch that are played in parts, one more than the
/// workers: when the first of them is claimed, every other worker is at most
/// one chunk from the end, so the parts keep every worker busy to the last.
fn tail_chunks(workers: usize) -> u64 {
    workers as u64 + 1
}

/// Runs per part of a chunk among the last of a batch (one more chunk than
/// there are workers), which [`run_parts`] plays in parts.
pub const TAIL_PART_RUNS: u64 = CHUNK_RUNS / 8;

/// The units of work of a batch: whole chunks, then the last few chunks in
/// parts of [`TAIL_PART_RUNS`] runs, so that no worker sits idle while
/// another plays a whole last chunk alone. A unit's runs are a contiguous
/// range of one chunk; a chunk's units are consecutive.
#[derive(Debug, Clone)]
struct Units {
    /// The batch's first chunk.
    first_chunk: u64,
    /// First chunk played in parts.
    split_from: u64,
    /// Each unit of the split chunks: its chunk and runs.
    tail: Vec<(u64, std::ops::Range<u64>)>,
}

impl Units {
    fn new(batch: &Batch, workers: usize) -> Units {
        let split_from = batch
            .end_chunk
            .saturating_sub(tail_chunks(workers))
            .max(batch.first_chunk);
        let mut tail = Vec::new();
        for chunk in split_from..batch.end_chunk {
            let runs = batch.chunk_runs(chunk);
            let mut start = runs.start;
            while start < runs.end {
                let end = (start + TAIL_PART_RUNS).min(runs.end);
                tail.push((chunk, start..end));
                start = end;
            }
            if runs.is_empty() {
                tail.push((chunk, runs));
            }
        }
        Units {
            first_chunk: batch.first_chunk,
            split_from,
            tail,
        }
    }

    /// Number of units.
    fn len(&self) -> u64 {
        self.split_from - self.first_chunk + self.tail.len() as u64
    }

    /// Number of units of chunk `chunk`.
    fn parts(&self, chunk: u64) -> u64 {
        if chunk < self.split_from {
            1
        } else {
            self.tail.iter().filter(|(c, _)| *c == chunk).count() as u64
        }
    }

    /// Unit `u`: its chunk, its runs and whether it ends its chunk.
    fn get(&self, batch: &Batch, u: u64) -> (u64, std::ops::Range<u64>, bool) {
        let whole = self.split_from - self.first_chunk;
        if u < whole {
            let chunk = self.first_chunk + u;
            return (chunk, batch.chunk_runs(chunk), true);
        }
        let k = (u - whole) as usize;
        let (chunk, runs) = self.tail[k].clone();
        let last = self.tail.get(k + 1).is_none_or(|(next, _)| *next != chunk);
        (chunk, runs, last)
    }
}

struct Fold<'a, 'c, A> {
    into: &'a mut A,
    /// Each chunk not yet folded of which some part is done: its parts so far,
    /// absorbed into one accumulator as they came (exact, so in any order),
    /// and how many they are.
    pending: BTreeMap<u64, (A, u64)>,
    /// Next chunk to fold into `into`.
    next_chunk: u64,
    /// Folded parts, for workers to reuse.
    spare: Vec<A>,
    /// A chunk was abandoned: nothing after it may be folded.
    broken: bool,
    on_wave: &'c mut (dyn FnMut(&A, u64) + Send + 'c),
}

/// Play every run of `batch` in parallel and fold the results into `into`
/// in chunk order: `play(part, runs, stop)` adds the runs `runs` (a
/// contiguous range of one chunk) to `part`, an empty accumulator made by
/// `empty` or a folded one emptied for reuse, and returns `false` when it saw
/// the stop flag and abandoned its work. The last chunks are played in parts
/// (their parts absorbed together as they finish, then folded whole), so the
/// workers finish together; as the accumulators are exact, the result is the
/// same bits as chunk by chunk.
pub fn run_parts<A, E, P>(
    batch: &Batch,
    into: &mut A,
    empty: E,
    play: P,
    control: Control<'_, A>,
) -> Result<(), BatchError>
where
    A: Accumulate,
    E: Fn() -> A + Sync,
    P: Fn(&mut A, std::ops::Range<u64>, &AtomicBool) -> bool + Sync,
{
    let stop = control.stop;
    let units = Units::new(batch, rayon::current_num_threads().max(1));
    fold_units(batch, into, &units, control, |u, spare: Option<A>| {
        let (_, runs, _) = units.get(batch, u);
        // A spare part was emptied as it was folded.
        let mut part = spare.unwrap_or_else(&empty);
        play(&mut part, runs, stop).then_some(part)
    })
}

/// The wave loop over `units`: `unit(u, spare)` plays unit `u` (with a
/// folded accumulator to reuse, if one is spare); a chunk's units are
/// absorbed together as they finish, and each chunk is folded into `into`, in
/// chunk order, once all its units are in.
fn fold_units<A, F>(
    batch: &Batch,
    into: &mut A,
    units: &Units,
    control: Control<'_, A>,
    unit: F,
) -> Result<(), BatchError>
where
    A: Accumulate,
    F: Fn(u64, Option<A>) -> Option<A> + Sync,
{
    let stop = control.stop;
    let claim = AtomicU64::new(0);
    let fold = Mutex::new(Fold {
        into,
        pending: BTreeMap::new(),
        next_chunk: batch.first_chunk,
        spare: Vec::new(),
        broken: false,
        on_wave: control.on_wave,
    });
    let end = batch.end_chunk;
    let first = batch.first_chunk;
    let count = units.len();
    let workers = rayon::current_num_threads().max(1);
    let worker = || {
        let mut spare = None;
        loop {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            let u = claim.fetch_add(1, Ordering::Relaxed);
            if u >= count {
                return;
            }
            let result = unit(u, spare.take());
            let (chunk, _, _) = units.get(batch, u);
            let Ok(mut f) = fold.lock() else { return };
            match result {
                None => {
                    f.broken = true;
                    return;
                }
                Some(mut part) => match f.pending.remove(&chunk) {
                    Some((mut held, done)) => {
                        held.absorb_clearing(&mut part);
                        f.spare.push(part);
                        f.pending.insert(chunk, (held, done + 1));
                    }
                    None => {
                        f.pending.insert(chunk, (part, 1));
                    }
                },
            }
            while !f.broken {
                let next = f.next_chunk;
                if f.pending
                    .get(&next)
                    .is_none_or(|(_, done)| *done < units.parts(next))
                {
                    break;
                }
                let Some((mut whole, _)) = f.pending.remove(&next) else {
                    break;
                };
                f.into.absorb_clearing(&mut whole);
                f.spare.push(whole);
                f.next_chunk += 1;
                let done = f.next_chunk;
                if (done - first).is_multiple_of(CHUNKS_PER_WAVE) || done == end {
                    let Fold { into, on_wave, .. } = &mut *f;
                    on_wave(into, done);
                }
            }
            spare = f.spare.pop();
            // Keep no more spares than there are workers to take them.
            f.spare.truncate(workers);
        }
    };
    rayon::scope(|s| {
        for _ in 0..workers {
            s.spawn(|_| worker());
        }
    });
    let next = match fold.into_inner() {
        Ok(f) => f.next_chunk,
        Err(poisoned) => poisoned.into_inner().next_chunk,
    };
    if next < end {
        return Err(BatchError::Interrupted {
            completed_chunks: next - first,
        });
    }
    Ok(())
}

/// Add the runs `runs` of a batch to `agg`, sequentially; `false` if `stop`
/// was raised meanwhile.
fn play_runs(
    model: &Model,
    seed: u64,
    runs: std::ops::Range<u64>,
    agg: &mut Aggregate,
    stop: &AtomicBool,
) -> bool {
    for run in runs {
        if stop.load(Ordering::Relaxed) {
            return false;
        }
        let summary = simulate(model, seed, run, agg);
        agg.record(&summary);
    }
    true
}

/// Aggregate one chunk, sequentially; `None` if `stop` was raised meanwhile.
pub fn run_chunk(model: &Model, batch: &Batch, chunk: u64, stop: &AtomicBool) -> Option<Aggregate> {
    let mut agg = Aggregate::new(model);
    play_runs(model, batch.seed, batch.chunk_runs(chunk), &mut agg, stop).then_some(agg)
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
    run_parts(
        batch,
        into,
        || Aggregate::new(model),
        |agg, runs, stop| play_runs(model, batch.seed, runs, agg, stop),
        control,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The runs folded, in fold order (an accumulator that sees the order).
    #[derive(Debug, Default, PartialEq)]
    struct Seen(Vec<u64>);

    impl Accumulate for Seen {
        fn absorb_clearing(&mut self, other: &mut Self) {
            self.0.append(&mut other.0);
        }
    }

    fn play_all(
        batch: &Batch,
        threads: usize,
    ) -> (Seen, Vec<(usize, u64)>, Result<(), BatchError>) {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        let stop = AtomicBool::new(false);
        let mut into = Seen::default();
        let mut waves = Vec::new();
        let mut on_wave = |seen: &Seen, next: u64| waves.push((seen.0.len(), next));
        let result = pool.install(|| {
            run_parts(
                batch,
                &mut into,
                Seen::default,
                |part, runs, _| {
                    assert!(part.0.is_empty(), "a reused part was emptied");
                    part.0.extend(runs);
                    true
                },
                Control {
                    stop: &stop,
                    on_wave: &mut on_wave,
                },
            )
        });
        (into, waves, result)
    }

    #[test]
    fn the_parts_fold_every_run_once_chunks_in_order_and_waves_see_whole_chunks() {
        for runs in [1, 31, 32, 255, 256, 257, 700, 20 * CHUNK_RUNS + 3] {
            for first_chunk in [0, 1] {
                let mut batch = Batch::whole(3, runs);
                if first_chunk >= batch.end_chunk {
                    continue;
                }
                batch.first_chunk = first_chunk;
                for threads in [1, 2, 3] {
                    let (seen, waves, result) = play_all(&batch, threads);
                    assert_eq!(result, Ok(()));
                    let expected: Vec<u64> = (first_chunk * CHUNK_RUNS..runs).collect();
                    // Chunks fold in order; a chunk's parts in the order they finished.
                    let chunks: Vec<u64> = seen.0.iter().map(|r| r / CHUNK_RUNS).collect();
                    assert!(chunks.is_sorted(), "{runs} runs from chunk {first_chunk}");
                    let mut sorted = seen.0.clone();
                    sorted.sort_unstable();
                    assert_eq!(sorted, expected, "{runs} runs from chunk {first_chunk}");
                    // A wave sees whole chunks only: every run of the chunks before `next`.
                    for &(folded, next) in &waves {
                        let end = (next * CHUNK_RUNS).min(runs);
                        assert_eq!(folded as u64, end - first_chunk * CHUNK_RUNS);
                    }
                    assert_eq!(waves.last().map(|w| w.1), Some(batch.end_chunk));
                }
            }
        }
    }

    #[test]
    fn the_last_chunks_are_played_in_parts() {
        let batch = Batch::whole(3, 10 * CHUNK_RUNS + 40);
        let units = Units::new(&batch, 2);
        // Chunks 0..8 whole; 8 and 9 in 8 parts each, 10 (40 runs) in two.
        assert_eq!(units.split_from, 8);
        assert_eq!(units.len(), 8 + 8 + 8 + 2);
        assert_eq!(units.get(&batch, 7), (7, batch.chunk_runs(7), true));
        let start = 8 * CHUNK_RUNS;
        assert_eq!(
            units.get(&batch, 8),
            (8, start..start + TAIL_PART_RUNS, false)
        );
        assert_eq!(
            units.get(&batch, 15),
            (8, start + 7 * TAIL_PART_RUNS..start + CHUNK_RUNS, true)
        );
        let last = 10 * CHUNK_RUNS;
        assert_eq!(
            units.get(&batch, 25),
            (10, last + TAIL_PART_RUNS..last + 40, true)
        );
    }

    #[test]
    fn an_interrupted_batch_folds_only_whole_chunks() {
        let batch = Batch::whole(3, 4 * CHUNK_RUNS);
        let stop = AtomicBool::new(false);
        let mut into = Seen::default();
        let mut on_wave = |_: &Seen, _: u64| {};
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        // Stop halfway through the parts of the second-to-last chunk.
        let stop_at = 2 * CHUNK_RUNS + 3 * TAIL_PART_RUNS;
        let result = pool.install(|| {
            run_parts(
                &batch,
                &mut into,
                Seen::default,
                |part, runs, stop| {
                    if runs.start >= stop_at {
                        stop.store(true, Ordering::Relaxed);
                        return false;
                    }
                    part.0.extend(runs);
                    true
                },
                Control {
                    stop: &stop,
                    on_wave: &mut on_wave,
                },
            )
        });
        assert_eq!(
            result,
            Err(BatchError::Interrupted {
                completed_chunks: 2
            })
        );
        assert_eq!(into.0, (0..2 * CHUNK_RUNS).collect::<Vec<_>>());
    }
}
