//! Running on a Slurm cluster: the submission script for a job array of
//! shards plus the merge step, and the shard an array task stands for.
//!
//! Both are pure text functions; the command line prints the script and reads
//! the environment.

/// The Slurm array variables do not say which shard a task is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ShardEnvError(String);

impl wedge_io::Categorized for ShardEnvError {
    fn category(&self) -> wedge_io::Category {
        wedge_io::Category::Usage
    }
}

/// Quote a value for a POSIX shell.
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The submission script for a job array of `shards` shards of a `runs`-run plan
/// (`wedge` is the command to call, `out` the folder for parts and the result).
/// Every path is quoted for the shell twice over:
/// once inside the command each job runs (`sbatch --wrap` hands it to `sh`),
/// and the whole command again for the script's own shell, so no name —
/// spaces, `;`, quotes, `$`, newlines — is ever read as shell syntax.
pub fn slurm_script(
    wedge: &str,
    scenario: &str,
    out: &str,
    runs: u64,
    shards: u64,
    seed: u64,
) -> String {
    let (w, s, o) = (quote(wedge), quote(scenario), quote(out));
    let task = "\"$SLURM_ARRAY_TASK_ID\"";
    let run = format!(
        "{w} run {s} --runs {runs} --seed {seed} --quiet --shard {task}/{shards} -o {o}/part-{task}.json"
    );
    let merge = format!("{w} merge {o}/part-*.json --format json -o {o}/result.json");
    let (run, merge, out) = (quote(&run), quote(&merge), quote(out));
    format!(
        r#"#!/bin/sh
# wedge on Slurm: {shards} shards of {runs} runs (seed {seed}), then one merge.
# Submit with:  sh THIS_FILE   (it submits the array, then the merge depending on it)
set -eu
OUT={out}
mkdir -p "$OUT"
ARRAY=$(sbatch --parsable --array=1-{shards} --job-name=wedge-shard --output="$OUT/shard-%a.log" --wrap {run})
sbatch --parsable --dependency="afterok:$ARRAY" --job-name=wedge-merge --output="$OUT/merge.log" --wrap {merge}
echo "submitted array $ARRAY; the result will be $OUT/result.json"
"#
    )
}

/// The shard `K/N` a Slurm array task stands for, from the variables Slurm
/// sets (`var` looks one up): `None` outside an array job.
///
/// K counts from 1 along the array's indices: `(ID − MIN) / STEP + 1` of
/// `COUNT`. Slurm sets all of `SLURM_ARRAY_TASK_ID`, `_MIN` and `_COUNT` for
/// array tasks (`_STEP` defaults to 1); if some are missing the shard cannot
/// be known — except for the only task of a one-task array — and the error
/// names the variable and says to pass `--shard K/N`.
pub fn shard_from_env(
    var: impl Fn(&str) -> Option<String>,
) -> Result<Option<(u64, u64)>, ShardEnvError> {
    let Some(id) = var("SLURM_ARRAY_TASK_ID") else {
        return Ok(None);
    };
    let number = |name: &str, text: &str| {
        text.trim().parse::<u64>().map_err(|_| {
            ShardEnvError(format!(
                "{name} is `{text}`, not a whole number; pass --shard K/N instead"
            ))
        })
    };
    let missing = |name: &str| {
        ShardEnvError(format!(
            "SLURM_ARRAY_TASK_ID is set but {name} is not, so the shard is unknown; pass --shard K/N"
        ))
    };
    let id = number("SLURM_ARRAY_TASK_ID", &id)?;
    let count = var("SLURM_ARRAY_TASK_COUNT").ok_or_else(|| missing("SLURM_ARRAY_TASK_COUNT"))?;
    let count = number("SLURM_ARRAY_TASK_COUNT", &count)?;
    let min = match var("SLURM_ARRAY_TASK_MIN") {
        Some(min) => number("SLURM_ARRAY_TASK_MIN", &min)?,
        // The only task of a one-task array is its first, whatever its index.
        None if count == 1 => id,
        None => return Err(missing("SLURM_ARRAY_TASK_MIN")),
    };
    let step = match var("SLURM_ARRAY_TASK_STEP") {
        Some(step) => number("SLURM_ARRAY_TASK_STEP", &step)?.max(1),
        None => 1,
    };
    let offset = id.checked_sub(min).filter(|d| d % step == 0);
    match offset.map(|d| d / step + 1) {
        Some(k) if k <= count => Ok(Some((k, count))),
        _ => Err(ShardEnvError(format!(
            "array task {id} is not one of {count} tasks from {min} in steps of {step} (SLURM_ARRAY_TASK_ID, _COUNT, _MIN, _STEP); pass --shard K/N"
        ))),
    }
}

/// The shard a command runs: `K/N` as given to `--shard`, else the shard
/// of a Slurm array task ([`shard_from_env`]), else none.
pub fn requested_shard(
    flag: Option<&str>,
    var: impl Fn(&str) -> Option<String>,
) -> Result<Option<(u64, u64)>, ShardEnvError> {
    let Some(text) = flag else {
        return shard_from_env(var);
    };
    let bad = || ShardEnvError(format!("--shard must be K/N with 1 ≤ K ≤ N, got `{text}`"));
    let (k, n) = text.split_once('/').ok_or_else(bad)?;
    let k: u64 = k.trim().parse().map_err(|_| bad())?;
    let n: u64 = n.trim().parse().map_err(|_| bad())?;
    if k == 0 || n == 0 || k > n || n > 1_000_000 {
        return Err(bad());
    }
    Ok(Some((k, n)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shard(vars: &[(&str, &str)]) -> Result<Option<String>, String> {
        let lookup = |name: &str| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        };
        shard_from_env(lookup)
            .map(|s| s.map(|(k, n)| format!("{k}/{n}")))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn a_shard_flag_is_k_of_n_and_wins_over_the_environment() {
        let env = |name: &str| (name == "SLURM_ARRAY_TASK_ID").then(|| "1".to_string());
        assert_eq!(requested_shard(Some(" 2/ 5"), env), Ok(Some((2, 5))));
        for bad in ["0/3", "4/3", "3", "a/b", "1/0", "1/2000000"] {
            let message = requested_shard(Some(bad), env).err().map(|e| e.to_string());
            assert!(message.is_some_and(|m| m.contains(bad)), "{bad}");
        }
        assert!(requested_shard(None, env).is_err());
        let usage =
            requested_shard(Some("0/3"), env).map_err(|e| wedge_io::Categorized::category(&e));
        assert_eq!(usage, Err(wedge_io::Category::Usage));
        assert_eq!(requested_shard(None, |_: &str| None), Ok(None));
    }

    #[test]
    fn slurm_array_variables_give_the_shard() {
        assert_eq!(shard(&[]), Ok(None));
        let full = [
            ("SLURM_ARRAY_TASK_ID", "3"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
        ];
        assert_eq!(shard(&full), Ok(Some("3/4".into())));
        let zero_based = [
            ("SLURM_ARRAY_TASK_ID", "0"),
            ("SLURM_ARRAY_TASK_COUNT", "2"),
            ("SLURM_ARRAY_TASK_MIN", "0"),
        ];
        assert_eq!(shard(&zero_based), Ok(Some("1/2".into())));
        let stepped = [
            ("SLURM_ARRAY_TASK_ID", "9"),
            ("SLURM_ARRAY_TASK_COUNT", "5"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_STEP", "2"),
        ];
        assert_eq!(shard(&stepped), Ok(Some("5/5".into())));
    }

    #[test]
    fn a_missing_min_is_never_read_as_shard_2_of_1() {
        let only = [
            ("SLURM_ARRAY_TASK_ID", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "1"),
        ];
        assert_eq!(shard(&only), Ok(Some("1/1".into())));
        let two = [
            ("SLURM_ARRAY_TASK_ID", "2"),
            ("SLURM_ARRAY_TASK_COUNT", "2"),
        ];
        let message = shard(&two).err().unwrap_or_default();
        assert!(message.contains("SLURM_ARRAY_TASK_MIN"), "{message}");
        let below = [
            ("SLURM_ARRAY_TASK_ID", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "2"),
            ("SLURM_ARRAY_TASK_MIN", "5"),
        ];
        assert!(shard(&below).is_err());
    }

    #[test]
    fn hostile_names_stay_single_words_in_the_script() {
        let text = slurm_script(
            "/opt/my wedge/wedge",
            "/tmp/x;touch INJECTED;.ron",
            "/tmp/out 'dir'",
            100,
            2,
            1,
        );
        assert!(!text.contains(" x;touch"));
        assert!(text.contains("--array=1-2"));
    }
}
