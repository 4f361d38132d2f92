//! Partial results: what a checkpoint or a shard writes, and how parts merge.

use serde::{Deserialize, Serialize};

use crate::CHUNK_RUNS;
use crate::aggregate::Aggregate;
use crate::provenance::RunPlan;

/// A partial aggregate over a contiguous range of chunks of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Partial {
    /// File format marker.
    pub format: String,
    /// The plan.
    pub plan: RunPlan,
    /// First chunk covered.
    pub first_chunk: u64,
    /// One past the last chunk completed.
    pub next_chunk: u64,
    /// One past the last chunk this part is meant to cover.
    pub end_chunk: u64,
    /// The aggregate of chunks `first_chunk..next_chunk`.
    pub aggregate: Aggregate,
    /// The resolved model specification, so that a merged result can be summarized without the scenario files.
    pub spec: wedge_core::ModelSpec,
}

/// Marker written in every partial file.
pub const FORMAT: &str = "wedge-partial-1";

/// Why parts cannot be merged or resumed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PartialError {
    /// Not JSON of the expected shape (truncated, corrupt, or another file).
    #[error("not a wedge partial result or checkpoint (it may be truncated or corrupt): {0}")]
    Unreadable(String),
    /// No parts given.
    #[error("no parts to merge")]
    Empty,
    /// Not a wedge partial.
    #[error("not a wedge partial result (format `{0}`, expected `{FORMAT}`)")]
    Format(String),
    /// A part of another plan.
    #[error("part {index} belongs to a different run: {what} differs ({theirs} vs {ours})")]
    Mismatch {
        /// Which part (0-based, in the order given).
        index: usize,
        /// The field that differs.
        what: &'static str,
        /// The part's value.
        theirs: String,
        /// The first part's value.
        ours: String,
    },
    /// A part is unfinished.
    #[error(
        "part {index} is incomplete: it covers chunks {first}..{next} of {first}..{end}; resume it first"
    )]
    Incomplete {
        /// Which part.
        index: usize,
        /// Its first chunk.
        first: u64,
        /// Its next chunk.
        next: u64,
        /// Its intended end.
        end: u64,
    },
    /// Parts overlap or leave a gap.
    #[error("the parts do not tile the run: chunks {0}..{1} are {2}")]
    Tiling(u64, u64, &'static str),
    /// A part's content does not add up.
    #[error("part {0} is corrupt: {1}")]
    Corrupt(usize, String),
}

impl Partial {
    /// Read a partial result or checkpoint from its JSON text, checking it.
    pub fn from_json(text: &str) -> Result<Partial, PartialError> {
        let partial: Partial =
            serde_json::from_str(text).map_err(|e| PartialError::Unreadable(e.to_string()))?;
        partial.check(0)?;
        Ok(partial)
    }

    /// Whether the part covers everything it was meant to.
    pub fn is_complete(&self) -> bool {
        self.next_chunk == self.end_chunk
    }

    /// Check internal consistency (for files read back from disk).
    pub fn check(&self, index: usize) -> Result<(), PartialError> {
        if self.format != FORMAT {
            return Err(PartialError::Format(self.format.clone()));
        }
        let corrupt = |m: &str| Err(PartialError::Corrupt(index, m.to_string()));
        if self.first_chunk > self.next_chunk
            || self.next_chunk > self.end_chunk
            || self.end_chunk > self.plan.chunks()
        {
            return corrupt("its chunk range is impossible");
        }
        let covered: u64 = (self.first_chunk..self.next_chunk)
            .map(|c| (c * CHUNK_RUNS + CHUNK_RUNS).min(self.plan.runs) - c * CHUNK_RUNS)
            .sum();
        let a = &self.aggregate;
        if a.runs != covered {
            return corrupt("its run count does not match its chunk range");
        }
        if a.splits > a.runs
            || a.splits_by_turn.iter().sum::<u64>() != a.splits
            || a.defectors.iter().sum::<u64>() > a.splits
        {
            return corrupt("its split counts do not add up");
        }
        if a.splits_by_turn.len() != a.turns as usize
            || a.sums.len() != a.histograms.len() / crate::aggregate::BINS
        {
            return corrupt("its arrays have the wrong shape");
        }
        Ok(())
    }
}

/// Merge complete parts of one plan into one partial covering all of it.
/// Parts may come in any order; they must tile the plan's chunks exactly.
pub fn merge(parts: &[Partial]) -> Result<Partial, PartialError> {
    let first = parts.first().ok_or(PartialError::Empty)?;
    for (i, p) in parts.iter().enumerate() {
        p.check(i)?;
        let differs = |what: &'static str, a: String, b: String| PartialError::Mismatch {
            index: i,
            what,
            theirs: a,
            ours: b,
        };
        if p.plan.version != first.plan.version {
            return Err(differs(
                "wedge version",
                p.plan.version.clone(),
                first.plan.version.clone(),
            ));
        }
        if p.plan.scenario_hash != first.plan.scenario_hash {
            return Err(differs(
                "scenario",
                p.plan.scenario_hash.clone(),
                first.plan.scenario_hash.clone(),
            ));
        }
        if p.plan.seed != first.plan.seed {
            return Err(differs(
                "seed",
                p.plan.seed.to_string(),
                first.plan.seed.to_string(),
            ));
        }
        if p.plan.runs != first.plan.runs {
            return Err(differs(
                "run count",
                p.plan.runs.to_string(),
                first.plan.runs.to_string(),
            ));
        }
        if !p.is_complete() {
            return Err(PartialError::Incomplete {
                index: i,
                first: p.first_chunk,
                next: p.next_chunk,
                end: p.end_chunk,
            });
        }
        if !p.aggregate.same_shape(&first.aggregate) {
            return Err(PartialError::Corrupt(
                i,
                "its shape differs from the first part's".into(),
            ));
        }
    }
    let mut order: Vec<&Partial> = parts.iter().collect();
    order.sort_by_key(|p| (p.first_chunk, p.end_chunk));
    let mut expected = 0;
    for p in &order {
        if p.first_chunk > expected {
            return Err(PartialError::Tiling(expected, p.first_chunk, "missing"));
        }
        if p.first_chunk < expected {
            return Err(PartialError::Tiling(
                p.first_chunk,
                expected.min(p.end_chunk),
                "covered twice",
            ));
        }
        expected = p.end_chunk;
    }
    if expected != first.plan.chunks() {
        return Err(PartialError::Tiling(
            expected,
            first.plan.chunks(),
            "missing",
        ));
    }
    let mut aggregate = order[0].aggregate.clone();
    for p in &order[1..] {
        aggregate.absorb(&p.aggregate);
    }
    Ok(Partial {
        format: FORMAT.to_string(),
        plan: first.plan.clone(),
        first_chunk: 0,
        next_chunk: expected,
        end_chunk: expected,
        aggregate,
        spec: first.spec.clone(),
    })
}
