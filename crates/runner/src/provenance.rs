//! Provenance: the one record of what a result is a result of.
//!
//! A [`RunPlan`] is the part that fixes the numbers (version, scenario hash,
//! seed, runs): checkpoints and shards carry it, and two results with equal
//! plans are bit-identical. A [`Manifest`] is a plan plus how this particular
//! execution went (threads, wall time, command line), printed with every
//! result. On the wire a manifest keeps its flat field list
//! (`wedge_version`, `scenario`, …, `command`; see docs/OUTPUT.md).

use serde::{Deserialize, Serialize};

use crate::CHUNK_RUNS;

/// What a result is a result of: enough to reproduce it exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunPlan {
    /// wedge version that produced it.
    pub version: String,
    /// Scenario name.
    pub scenario: String,
    /// SHA-256 of the resolved scenario (after `extend`, levers, overrides).
    pub scenario_hash: String,
    /// Master seed.
    pub seed: u64,
    /// Total runs of the plan (per arm for comparisons).
    pub runs: u64,
}

impl RunPlan {
    /// A plan made by this version of wedge.
    pub fn new(scenario: &str, scenario_hash: &str, seed: u64, runs: u64) -> RunPlan {
        RunPlan {
            version: crate::VERSION.to_string(),
            scenario: scenario.to_string(),
            scenario_hash: scenario_hash.to_string(),
            seed,
            runs,
        }
    }

    /// Number of chunks of the plan.
    pub fn chunks(&self) -> u64 {
        self.runs.div_ceil(CHUNK_RUNS)
    }

    /// Chunk range of shard `k` (1-based) of `n`.
    pub fn shard_chunks(&self, k: u64, n: u64) -> (u64, u64) {
        let total = self.chunks();
        ((k - 1) * total / n, k * total / n)
    }
}

/// Where a result came from: its plan, and how this execution of it went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "ManifestWire", into = "ManifestWire")]
pub struct Manifest {
    /// The plan (what fixes the numbers).
    pub plan: RunPlan,
    /// Worker threads (does not affect the result).
    pub threads: usize,
    /// Wall time, seconds (does not affect the result).
    pub wall_seconds: f64,
    /// Runs per second (does not affect the result).
    pub runs_per_second: f64,
    /// Command line that produced it.
    pub command: String,
}

impl Manifest {
    /// The manifest of an execution of `plan` that simulated `runs_done` runs
    /// in `wall_seconds` on the current rayon pool.
    pub fn new(plan: RunPlan, wall_seconds: f64, runs_done: u64, command: &str) -> Manifest {
        Manifest {
            plan,
            threads: rayon::current_num_threads(),
            wall_seconds,
            runs_per_second: if wall_seconds > 0.0 {
                runs_done as f64 / wall_seconds
            } else {
                0.0
            },
            command: command.to_string(),
        }
    }
}

/// The flat JSON layout of a manifest.
#[derive(Serialize, Deserialize)]
struct ManifestWire {
    wedge_version: String,
    scenario: String,
    scenario_hash: String,
    seed: u64,
    runs: u64,
    threads: usize,
    wall_seconds: f64,
    runs_per_second: f64,
    command: String,
}

impl From<ManifestWire> for Manifest {
    fn from(w: ManifestWire) -> Manifest {
        Manifest {
            plan: RunPlan {
                version: w.wedge_version,
                scenario: w.scenario,
                scenario_hash: w.scenario_hash,
                seed: w.seed,
                runs: w.runs,
            },
            threads: w.threads,
            wall_seconds: w.wall_seconds,
            runs_per_second: w.runs_per_second,
            command: w.command,
        }
    }
}

impl From<Manifest> for ManifestWire {
    fn from(m: Manifest) -> ManifestWire {
        ManifestWire {
            wedge_version: m.plan.version,
            scenario: m.plan.scenario,
            scenario_hash: m.plan.scenario_hash,
            seed: m.plan.seed,
            runs: m.plan.runs,
            threads: m.threads,
            wall_seconds: m.wall_seconds,
            runs_per_second: m.runs_per_second,
            command: m.command,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_keeps_its_flat_json_fields() {
        let m = Manifest::new(RunPlan::new("s", "abc", 3, 512), 2.0, 512, "wedge run");
        let text = serde_json::to_string(&m).unwrap_or_default();
        assert!(
            text.starts_with(r#"{"wedge_version":""#)
                && text.contains(r#""runs_per_second":256.0"#),
            "{text}"
        );
        let back: Manifest = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, m);
    }

    #[test]
    fn shards_tile_the_plan() {
        let plan = RunPlan::new("s", "h", 1, 10 * CHUNK_RUNS + 1);
        let mut end = 0;
        for k in 1..=3 {
            let (a, b) = plan.shard_chunks(k, 3);
            assert_eq!(a, end);
            end = b;
        }
        assert_eq!(end, plan.chunks());
    }
}
