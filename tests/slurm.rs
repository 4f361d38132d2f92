//! `wedge slurm` scripts. A real Slurm job array: shards run as array tasks,
//! the merge step combines them, and the result equals the single-process
//! run; it needs a running Slurm (`.ci/slurm-up` starts one on localhost) and
//! is skipped with a message otherwise. Without Slurm, the script runs
//! against a stand-in `sbatch` that runs each job with `sh` as Slurm does, to
//! check that hostile file names are never read as shell syntax.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::util::*;

fn slurm_is_up() -> bool {
    Command::new("sinfo")
        .args(["-h", "-o", "%t"])
        .output()
        .is_ok_and(|o| o.status.success() && String::from_utf8_lossy(&o.stdout).contains("idle"))
}

#[test]
fn a_slurm_job_array_merges_to_the_single_process_result() {
    if !slurm_is_up() {
        eprintln!("SKIPPED: no idle Slurm node (run .ci/slurm-up to start one on localhost)");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let base = arg(&scenario("baseline-2021.ron"));
    let script = wedge([
        "slurm",
        &base,
        "--runs",
        "1500",
        "--shards",
        "3",
        "--seed",
        "21",
        "--out",
        &arg(&out),
    ]);
    assert!(script.status.success(), "{}", stderr(&script));
    let path = dir.path().join("submit.sh");
    std::fs::write(&path, &script.stdout).expect("write script");
    let submitted = Command::new("sh").arg(&path).output().expect("sh runs");
    assert!(
        submitted.status.success(),
        "{}{}",
        stdout(&submitted),
        stderr(&submitted)
    );

    let result = out.join("result.json");
    let started = Instant::now();
    while !result.exists() {
        assert!(
            started.elapsed() < Duration::from_secs(240),
            "the Slurm jobs did not finish: {}",
            stdout(&submitted)
        );
        std::thread::sleep(Duration::from_millis(500));
    }
    let merged: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&result).expect("result")).expect("json");
    let single = wedge([
        "run", &base, "--runs", "1500", "--seed", "21", "--format", "json",
    ]);
    assert_eq!(without_timing(merged), without_timing(json(&single)));
}

/// A stand-in for `sbatch`: runs the `--wrap` command with `sh -c`, once per
/// array index with the variables Slurm sets, and prints a job id.
pub(crate) const FAKE_SBATCH: &str = r#"#!/bin/sh
array=""; wrap=""
while [ $# -gt 0 ]; do
  case "$1" in
    --array=*) array="${1#--array=}" ;;
    --wrap) shift; wrap="$1" ;;
  esac
  shift
done
if [ -n "$array" ]; then
  first=${array%-*}; last=${array#*-}; i=$first
  while [ "$i" -le "$last" ]; do
    SLURM_ARRAY_TASK_ID=$i SLURM_ARRAY_TASK_MIN=$first SLURM_ARRAY_TASK_COUNT=$((last - first + 1)) sh -c "$wrap" || exit 1
    i=$((i + 1))
  done
else
  sh -c "$wrap" || exit 1
fi
echo 4242
"#;

#[test]
fn hostile_file_names_are_quoted_in_the_slurm_script() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let work = dir.path().join("my runs");
    std::fs::create_dir_all(&work).expect("work dir");
    let hostile = work.join("x;touch INJECTED;.ron");
    std::fs::copy(scenario("baseline-2021.ron"), &hostile).expect("copy scenario");
    std::fs::copy(scenario("levers.ron"), work.join("levers.ron")).expect("copy levers");
    let bin = dir.path().join("bin");
    std::fs::create_dir_all(&bin).expect("bin dir");
    let sbatch = bin.join("sbatch");
    std::fs::write(&sbatch, FAKE_SBATCH).expect("write sbatch");
    std::fs::set_permissions(&sbatch, std::fs::Permissions::from_mode(0o755)).expect("chmod");

    let out = work.join("out $HOME 'q'");
    let script = wedge([
        "slurm",
        &arg(&hostile),
        "--runs",
        "1024",
        "--shards",
        "2",
        "--seed",
        "5",
        "--out",
        &arg(&out),
    ]);
    assert!(script.status.success(), "{}", stderr(&script));
    let path = dir.path().join("submit.sh");
    std::fs::write(&path, &script.stdout).expect("write script");
    let path_var = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let submitted = Command::new("sh")
        .arg(&path)
        .current_dir(&work)
        .env("PATH", path_var)
        .output()
        .expect("sh runs");
    assert!(
        submitted.status.success(),
        "{}{}",
        stdout(&submitted),
        stderr(&submitted)
    );
    for place in [dir.path(), work.as_path(), out.as_path()] {
        assert!(
            !place.join("INJECTED").exists(),
            "a file name ran as a command in {}",
            place.display()
        );
    }
    for part in ["part-1.json", "part-2.json", "result.json"] {
        assert!(out.join(part).exists(), "no {part}: {}", stdout(&submitted));
    }
    let merged: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("result.json")).expect("result"))
            .expect("json");
    let single = wedge([
        "run",
        &arg(&scenario("baseline-2021.ron")),
        "--runs",
        "1024",
        "--seed",
        "5",
        "--format",
        "json",
    ]);
    let strip = |mut v: serde_json::Value| {
        v = without_timing(v);
        v["manifest"]["scenario"] = serde_json::Value::Null;
        v
    };
    assert_eq!(strip(merged), strip(json(&single)));
}

#[test]
fn task_1_of_a_1_task_array_without_slurm_array_task_min_is_shard_1_of_1() {
    let dir = tempfile::tempdir().expect("temp dir");
    let part = dir.path().join("part.json");
    let o = Command::new(env!("CARGO_BIN_EXE_wedge"))
        .args([
            "run",
            &arg(&scenario("baseline-2021.ron")),
            "--runs",
            "300",
            "--seed",
            "3",
            "--quiet",
            "-o",
            &arg(&part),
        ])
        .env("SLURM_ARRAY_TASK_ID", "1")
        .env("SLURM_ARRAY_TASK_COUNT", "1")
        .env_remove("SLURM_ARRAY_TASK_MIN")
        .output()
        .expect("wedge runs");
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&part).expect("part written");
    assert!(!text.contains("2/1"), "read as shard 2/1");
}
