//! Partial results: what a checkpoint or a shard writes, and how parts merge.
//!
//! A partial names its whole job (plan, shard, target interval), so resuming
//! it finishes exactly that job; it carries a SHA-256 checksum of its content,
//! verified on load, and every count in it is checked against the invariants
//! its scenario implies before it is used.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use wedge_core::Model;

use crate::aggregate::Aggregate;
use crate::provenance::RunPlan;
use crate::{CHUNK_RUNS, MAX_RUNS};

/// A partial aggregate over a contiguous range of chunks of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Partial {
    /// File format marker.
    pub format: String,
    /// The plan.
    pub plan: RunPlan,
    /// The shard `[K, N]` this part is (absent for a whole run).
    pub shard: Option<[u64; 2]>,
    /// The target half-width of a run that grows until its interval is narrow enough.
    pub target_ci: Option<f64>,
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
    /// SHA-256 (hex) of the JSON of every field above, in order.
    #[serde(default)]
    pub checksum: String,
}

/// The fields a checksum covers (all but the checksum), borrowed.
#[derive(Serialize)]
struct Content<'a> {
    format: &'a str,
    plan: &'a RunPlan,
    shard: Option<[u64; 2]>,
    target_ci: Option<f64>,
    first_chunk: u64,
    next_chunk: u64,
    end_chunk: u64,
    aggregate: &'a Aggregate,
    spec: &'a wedge_core::ModelSpec,
}

/// Marker written in every partial file (version 2: quantile sketches, shard, target and checksum).
pub const FORMAT: &str = "wedge-partial-2";

/// Just the format marker, to name an old or foreign format before reading the rest.
#[derive(Deserialize)]
struct FormatOnly {
    format: String,
}

/// Why parts cannot be merged or resumed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PartialError {
    /// Not JSON of the expected shape (truncated, corrupt, or another file).
    #[error("not a wedge partial result or checkpoint (it may be truncated or corrupt): {0}")]
    Unreadable(String),
    /// No parts given.
    #[error("no parts to merge")]
    Empty,
    /// Not a wedge partial, or one of another format version.
    #[error(
        "not a wedge partial result of this version (format `{0}`, expected `{FORMAT}`); a checkpoint or part written by an older wedge cannot be resumed or merged: rerun it with this version"
    )]
    Format(String),
    /// The content does not match its checksum (edited or damaged).
    #[error("part {0} has been edited or damaged: its content does not match its checksum")]
    Checksum(usize),
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
    /// Read a partial result or checkpoint from its JSON text, checking its
    /// format, checksum and every invariant its scenario implies.
    pub fn from_json(text: &str) -> Result<Partial, PartialError> {
        Partial::read(text, 0)
    }

    /// [`Partial::from_json`] for part `index` of several (named in errors).
    pub fn read(text: &str, index: usize) -> Result<Partial, PartialError> {
        let format: FormatOnly =
            serde_json::from_str(text).map_err(|e| PartialError::Unreadable(e.to_string()))?;
        if format.format != FORMAT {
            return Err(PartialError::Format(format.format));
        }
        let partial: Partial =
            serde_json::from_str(text).map_err(|e| PartialError::Unreadable(e.to_string()))?;
        if partial.checksum != partial.content_checksum() {
            return Err(PartialError::Checksum(index));
        }
        partial.check(index)?;
        Ok(partial)
    }

    /// The partial as JSON, with its checksum filled in.
    pub fn to_json(&self) -> String {
        let mut sealed = self.clone();
        sealed.seal();
        serde_json::to_string(&sealed).unwrap_or_default()
    }

    /// Fill in the checksum of the content as it stands.
    pub fn seal(&mut self) {
        self.checksum = self.content_checksum();
    }

    /// SHA-256 (hex) of the JSON of every field but the checksum.
    pub fn content_checksum(&self) -> String {
        let content = Content {
            format: &self.format,
            plan: &self.plan,
            shard: self.shard,
            target_ci: self.target_ci,
            first_chunk: self.first_chunk,
            next_chunk: self.next_chunk,
            end_chunk: self.end_chunk,
            aggregate: &self.aggregate,
            spec: &self.spec,
        };
        let bytes = serde_json::to_vec(&content).unwrap_or_default();
        format!("{:x}", Sha256::digest(&bytes))
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
        if self.plan.runs == 0 || self.plan.runs > MAX_RUNS {
            return corrupt("its run count is impossible");
        }
        if self.first_chunk > self.next_chunk
            || self.next_chunk > self.end_chunk
            || self.end_chunk > self.plan.chunks()
        {
            return corrupt("its chunk range is impossible");
        }
        if let Some([k, n]) = self.shard
            && (k == 0
                || k > n
                || self.plan.shard_chunks(k, n) != (self.first_chunk, self.end_chunk))
        {
            return corrupt("its chunk range is not that of its shard");
        }
        if let Some(t) = self.target_ci
            && !(t.is_finite() && t > 0.0 && t < 1.0)
        {
            return corrupt("its target interval is impossible");
        }
        if self.target_ci.is_some()
            && !self.plan.runs.is_multiple_of(CHUNK_RUNS)
            && self.plan.runs != MAX_RUNS
        {
            return corrupt("a growing run's plan must hold whole chunks");
        }
        let covered: u64 = (self.first_chunk..self.next_chunk)
            .map(|c| (c * CHUNK_RUNS + CHUNK_RUNS).min(self.plan.runs) - c * CHUNK_RUNS)
            .sum();
        let model = match Model::new(self.spec.clone()) {
            Ok(model) => model,
            Err(e) => {
                return Err(PartialError::Corrupt(
                    index,
                    format!("its scenario is invalid: {e:?}"),
                ));
            }
        };
        if self.spec.name != self.plan.scenario {
            return corrupt("its scenario name differs from its plan's");
        }
        self.aggregate
            .check(&model, covered)
            .map_err(|m| PartialError::Corrupt(index, m))
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
        if p.spec != first.spec {
            return Err(differs(
                "scenario specification",
                p.spec.name.clone(),
                first.spec.name.clone(),
            ));
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
    for (i, p) in order.iter().enumerate().skip(1) {
        aggregate
            .try_absorb(&p.aggregate)
            .map_err(|m| PartialError::Corrupt(i, format!("merging it: {m}")))?;
    }
    let mut merged = Partial {
        format: FORMAT.to_string(),
        plan: first.plan.clone(),
        shard: None,
        target_ci: None,
        first_chunk: 0,
        next_chunk: expected,
        end_chunk: expected,
        aggregate,
        spec: first.spec.clone(),
        checksum: String::new(),
    };
    merged.seal();
    Ok(merged)
}
