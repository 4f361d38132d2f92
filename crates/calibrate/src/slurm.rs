//! The Slurm recipe of a calibration: a job array of shards, each saving a
//! checkpoint and resuming from it when Slurm requeues the task, then one
//! merge that estimates the posterior and writes the report; and
//! [`script_for`], which picks that recipe or the run recipe of
//! `wedge_runner::slurm_script` for a file.

use std::path::Path;

use wedge_scenario::{Calibration, ScenarioErrors};

/// The Slurm script for `input`, checked now rather than on the cluster: a
/// calibration plan gets the script of `slurm_script` (its draws sharded); anything else
/// must be a valid scenario and gets `runs` runs from `seed` in `shards`
/// array tasks, then the merge. `wedge` is the command the tasks call; the
/// input and `out` are made absolute, since array tasks may start elsewhere.
pub fn script_for(
    wedge: &str,
    input: &Path,
    out: &Path,
    (runs, shards, seed): (u64, u64, u64),
) -> Result<String, ScenarioErrors> {
    let plan = Calibration::read(input).is_ok();
    if !plan {
        wedge_scenario::load(input)?;
    }
    let input = std::fs::canonicalize(input).unwrap_or_else(|_| input.to_path_buf());
    let out = match std::env::current_dir() {
        Ok(dir) if !out.is_absolute() => dir.join(out),
        _ => out.to_path_buf(),
    };
    let (input, out) = (input.display().to_string(), out.display().to_string());
    Ok(if plan {
        slurm_script(wedge, &input, &out, shards)
    } else {
        wedge_runner::slurm_script(wedge, &input, &out, runs, shards, seed)
    })
}

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

    #[test]
    fn a_plan_gets_the_calibration_recipe_and_a_scenario_the_run_recipe() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
        let shape = (1000, 4, 9);
        let plan = script_for(
            "wedge",
            &dir.join("calibration/plan.ron"),
            Path::new("out"),
            shape,
        );
        let plan = plan.unwrap_or_else(|e| panic!("{e}"));
        assert!(plan.contains("calibrate") && plan.contains("--array=1-4"));
        let run = script_for(
            "wedge",
            &dir.join("baseline-2021.ron"),
            Path::new("/o"),
            shape,
        );
        let run = run.unwrap_or_else(|e| panic!("{e}"));
        assert!(!run.contains("wedge-calibrate") && run.contains("--array=1-4"));
        let cwd = std::env::current_dir().unwrap_or_else(|e| panic!("{e}"));
        assert!(plan.contains(&cwd.join("out").display().to_string()));
        assert!(script_for("wedge", &dir.join("no-such.ron"), Path::new("o"), shape).is_err());
    }
}
