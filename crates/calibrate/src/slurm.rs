//! The Slurm recipe of a calibration: a job array of shards, each saving a
//! checkpoint and resuming from it when Slurm requeues the task, then one
//! merge that estimates the posterior and writes the report.

/// Quote `s` for a POSIX shell.
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// A shell script that submits `shards` array tasks of `plan` and the merge
/// depending on them; parts, checkpoints, logs, the posterior and the report go to `out`.
pub fn slurm_script(wedge: &str, plan: &str, out: &str, shards: u64) -> String {
    let (w, p) = (quote(wedge), quote(plan));
    let task = "$SLURM_ARRAY_TASK_ID";
    let shard = format!(
        "C=\"$OUT/checkpoint-{task}.json\"; set --; if [ -f \"$C\" ]; then set -- --resume \"$C\"; fi; \
         {w} calibrate {p} --shard {task}/{shards} --checkpoint \"$C\" \"$@\" --out \"$OUT/part-{task}.json\" --quiet"
    );
    let merge = format!(
        "{w} calibrate {p} --merge \"$OUT\"/part-*.json --out \"$OUT/posterior.ron\" --report \"$OUT/calibration-report.md\" --quiet"
    );
    format!(
        r#"#!/bin/sh
# wedge calibrate on Slurm: {shards} shards of the plan's draws, then one merge.
# A requeued shard resumes from its checkpoint. Submit with:  sh THIS_FILE
set -eu
OUT={out}
export OUT
mkdir -p "$OUT"
ARRAY=$(sbatch --parsable --requeue --export=ALL --array=1-{shards} --job-name=wedge-calibrate --output="$OUT/shard-%a.log" --wrap {shard})
sbatch --parsable --export=ALL --dependency="afterok:$ARRAY" --job-name=wedge-calibrate-merge --output="$OUT/merge.log" --wrap {merge}
echo "submitted array $ARRAY; the posterior will be $OUT/posterior.ron"
"#,
        out = quote(out),
        shard = quote(&shard),
        merge = quote(&merge),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_shards_checkpoints_and_merges() {
        let s = slurm_script("/bin/wedge", "/p/plan.ron", "/o u't", 8);
        assert!(s.contains("--array=1-8"));
        assert!(s.contains("--shard $SLURM_ARRAY_TASK_ID/8"));
        assert!(s.contains("--resume"));
        assert!(s.contains("--merge"));
        assert!(s.contains(r"OUT='/o u'\''t'"));
    }
}
