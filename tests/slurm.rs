//! A real Slurm job array: shards run as array tasks, the merge step combines
//! them, and the result equals the single-process run. Needs a running Slurm
//! (`.ci/slurm-up` starts one on localhost); skipped with a message otherwise.

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
