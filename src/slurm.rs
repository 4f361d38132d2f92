//! `wedge slurm`: a ready `sbatch` script for a job array of shards plus the merge step.

use std::path::Path;

use crate::failure::Failure;
use crate::output::emit;

/// Quote a value for a POSIX shell.
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// `wedge slurm`.
pub fn slurm(
    scenario: &Path,
    runs: u64,
    shards: u64,
    seed: u64,
    out_dir: &Path,
) -> Result<(), Failure> {
    if shards == 0 || shards > 10_000 {
        return Err(Failure::usage(format!(
            "--shards must be between 1 and 10000, got {shards}"
        )));
    }
    if runs == 0 || runs > crate::batch::MAX_RUNS {
        return Err(Failure::usage(format!(
            "--runs must be between 1 and {}, got {runs}",
            crate::batch::MAX_RUNS
        )));
    }
    // Validate the scenario now, not on the cluster.
    wedge_scenario::load(scenario)?;
    let wedge = std::env::current_exe()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| "wedge".to_string());
    let scenario = std::fs::canonicalize(scenario).unwrap_or_else(|_| scenario.to_path_buf());
    let (wedge, scenario, out) = (
        quote(&wedge),
        quote(&scenario.display().to_string()),
        quote(&out_dir.display().to_string()),
    );
    let script = format!(
        r#"#!/bin/sh
# wedge on Slurm: {shards} shards of {runs} runs (seed {seed}), then one merge.
# Submit with:  sh THIS_FILE   (it submits the array, then the merge depending on it)
set -eu
WEDGE={wedge}
SCENARIO={scenario}
OUT={out}
mkdir -p "$OUT"
ARRAY=$(sbatch --parsable --array=1-{shards} --job-name=wedge-shard --output="$OUT/shard-%a.log" --wrap \
  "$WEDGE run $SCENARIO --runs {runs} --seed {seed} --quiet -o $OUT/part-\$SLURM_ARRAY_TASK_ID.json")
sbatch --parsable --dependency=afterok:$ARRAY --job-name=wedge-merge --output="$OUT/merge.log" --wrap \
  "$WEDGE merge $OUT/part-*.json --format json -o $OUT/result.json"
echo "submitted array $ARRAY; the result will be $OUT/result.json"
"#
    );
    emit(None, &script)
}
