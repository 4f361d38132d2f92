//! Fault injection against the real binary: Ctrl-C, SIGKILL at random moments,
//! broken pipes. Nothing is lost and no file is left half-written.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::util::*;

fn spawn_run(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_wedge"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("wedge starts")
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
}

fn reference(runs: &str, seed: &str) -> serde_json::Value {
    without_timing(run_json("baseline-2021.ron", runs, seed))
}

fn assert_valid_checkpoint(path: &Path) {
    let text = std::fs::read_to_string(path).expect("checkpoint readable");
    let v: serde_json::Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("half-written checkpoint ({e}): {text:.200}"));
    assert_eq!(v["format"], "wedge-partial-2");
    assert_eq!(v["checksum"].as_str().map(str::len), Some(64));
}

#[test]
fn an_interrupted_target_interval_run_resumes_and_its_manifest_reproduces_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ck = dir.path().join("ck.json");
    let base = arg(&scenario("baseline-2021.ron"));
    // The default --runs (10,000) is not a whole number of 256-run chunks.
    let child = spawn_run(&[
        "run",
        &base,
        "--target-ci",
        "0.004",
        "--seed",
        "5",
        "--checkpoint",
        &arg(&ck),
        "--checkpoint-every",
        "0",
        "--format",
        "json",
    ]);
    std::thread::sleep(Duration::from_millis(1500));
    signal(&child, "INT");
    let out = child.wait_with_output().expect("wedge exits");
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_valid_checkpoint(&ck);
    // Exactly as the message says: the scenario and --resume, nothing else.
    let resumed = wedge(["run", &base, "--resume", &arg(&ck), "--format", "json"]);
    assert!(resumed.status.success(), "{}", stderr(&resumed));
    let resumed = json(&resumed);
    let runs = resumed["manifest"]["runs"].as_u64().expect("runs");
    assert_eq!(
        resumed["runs"].as_u64(),
        Some(runs),
        "the result holds every run its manifest names"
    );
    assert_eq!(runs % 256, 0);
    let plain = reference(&runs.to_string(), "5");
    assert_eq!(without_timing(resumed), plain);
}

#[test]
fn sigterm_saves_a_checkpoint_like_ctrl_c() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ck = dir.path().join("ck.json");
    let base = arg(&scenario("baseline-2021.ron"));
    let child = spawn_run(&[
        "run",
        &base,
        "--runs",
        "16000",
        "--seed",
        "8",
        "--checkpoint",
        &arg(&ck),
        "--checkpoint-every",
        "0",
    ]);
    std::thread::sleep(Duration::from_millis(900));
    signal(&child, "TERM");
    let out = child.wait_with_output().expect("wedge exits");
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("checkpoint saved"));
    assert_valid_checkpoint(&ck);
}

#[test]
fn ctrl_c_saves_a_checkpoint_and_resume_finishes_the_same_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ck = dir.path().join("ck.json");
    let base = arg(&scenario("baseline-2021.ron"));
    let child = spawn_run(&[
        "run",
        &base,
        "--runs",
        "16000",
        "--seed",
        "8",
        "--checkpoint",
        &arg(&ck),
        "--checkpoint-every",
        "0",
        "--format",
        "json",
    ]);
    std::thread::sleep(Duration::from_millis(900));
    signal(&child, "INT");
    let out = child.wait_with_output().expect("wedge exits");
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("checkpoint saved"));
    assert_valid_checkpoint(&ck);
    let resumed = wedge([
        "run",
        &base,
        "--seed",
        "8",
        "--resume",
        &arg(&ck),
        "--format",
        "json",
    ]);
    assert!(resumed.status.success(), "{}", stderr(&resumed));
    assert_eq!(without_timing(json(&resumed)), reference("16000", "8"));
}

#[test]
fn ctrl_c_without_a_checkpoint_is_a_runtime_failure() {
    let base = arg(&scenario("baseline-2021.ron"));
    let child = spawn_run(&["run", &base, "--runs", "16000"]);
    std::thread::sleep(Duration::from_millis(700));
    signal(&child, "INT");
    let out = child.wait_with_output().expect("wedge exits");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn sigkill_at_any_moment_loses_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let base = arg(&scenario("baseline-2021.ron"));
    let expected = reference("12000", "9");
    // Kill moments spread over the run (fixed, so that the test is repeatable).
    for (i, millis) in [150u64, 600, 1100, 1700].iter().enumerate() {
        let ck = dir.path().join(format!("ck-{i}.json"));
        let out = dir.path().join(format!("out-{i}.json"));
        let child = spawn_run(&[
            "run",
            &base,
            "--runs",
            "12000",
            "--seed",
            "9",
            "--checkpoint",
            &arg(&ck),
            "--checkpoint-every",
            "0",
            "--format",
            "json",
            "-o",
            &arg(&out),
        ]);
        std::thread::sleep(Duration::from_millis(*millis));
        signal(&child, "KILL");
        let _ = child.wait_with_output();
        if out.exists() {
            // Killed after the end: the output is whole.
            let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).expect("out"))
                .expect("complete output");
            assert_eq!(without_timing(v), expected);
            continue;
        }
        let resumed = if ck.exists() {
            assert_valid_checkpoint(&ck);
            wedge([
                "run",
                &base,
                "--seed",
                "9",
                "--resume",
                &arg(&ck),
                "--checkpoint",
                &arg(&ck),
                "--format",
                "json",
            ])
        } else {
            wedge([
                "run",
                &base,
                "--runs",
                "12000",
                "--seed",
                "9",
                "--checkpoint",
                &arg(&ck),
                "--format",
                "json",
            ])
        };
        assert!(resumed.status.success(), "{}", stderr(&resumed));
        assert_eq!(
            without_timing(json(&resumed)),
            expected,
            "kill at {millis} ms"
        );
    }
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(
        leftovers.iter().all(|n| n.starts_with(".out-")),
        "stale checkpoint temporaries: {leftovers:?}"
    );
}

#[test]
fn a_broken_pipe_exits_quietly() {
    let base = arg(&scenario("baseline-2021.ron"));
    let wedge_path = env!("CARGO_BIN_EXE_wedge");
    let out = Command::new("bash")
        .args(["-c", &format!("set -o pipefail; '{wedge_path}' trace '{base}' --format json | head -c 100 > /dev/null")])
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A folder holding a copy of the baseline and its lever library.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for f in ["baseline-2021.ron", "levers.ron"] {
        std::fs::copy(scenario(f), dir.path().join(f)).expect("copy");
    }
    dir
}

#[test]
fn outputs_that_are_inputs_are_refused_and_left_intact() {
    let dir = workspace();
    let base = dir.path().join("baseline-2021.ron");
    let levers = dir.path().join("levers.ron");
    let before: Vec<Vec<u8>> = [&base, &levers]
        .iter()
        .map(|p| std::fs::read(p).expect("read"))
        .collect();
    let link = dir.path().join("link.ron");
    std::os::unix::fs::symlink(&base, &link).expect("symlink");
    for (flag, target) in [
        ("-o", &base),
        ("--checkpoint", &base),
        ("-o", &levers),
        ("-o", &link),
        ("--runs-out", &base),
    ] {
        let o = wedge([
            "run",
            &arg(&base),
            "--runs",
            "200",
            "--seed",
            "1",
            flag,
            &arg(target),
        ]);
        assert_fails(&o, 2, "would overwrite");
    }
    let table_over_library = wedge([
        "compare",
        &arg(&base),
        "--levers",
        "arms-control",
        "--runs",
        "200",
        "--runs-out",
        &arg(&levers),
    ]);
    assert_fails(&table_over_library, 2, "would overwrite");
    let parts = dir.path().join("part.json");
    let made = wedge([
        "run",
        &arg(&base),
        "--runs",
        "512",
        "--seed",
        "1",
        "--shard",
        "1/1",
        "-o",
        &arg(&parts),
    ]);
    assert!(made.status.success(), "{}", stderr(&made));
    let merged = wedge(["merge", &arg(&parts), "-o", &arg(&parts)]);
    assert_fails(&merged, 2, "would overwrite");
    let after: Vec<Vec<u8>> = [&base, &levers]
        .iter()
        .map(|p| std::fs::read(p).expect("read"))
        .collect();
    assert_eq!(before, after, "an input was overwritten");
    assert!(wedge(["validate", &arg(&base)]).status.success());
}

#[test]
fn an_unwritable_destination_is_found_before_the_runs() {
    let dir = workspace();
    let base = arg(&dir.path().join("baseline-2021.ron"));
    let missing = arg(&dir.path().join("no-such-folder").join("out.json"));
    for flag in ["-o", "--checkpoint"] {
        let started = std::time::Instant::now();
        // Far more runs than could finish in the time allowed: the check must come first.
        let o = wedge([
            "run", &base, "--runs", "50000000", "--seed", "1", "--quiet", flag, &missing,
        ]);
        assert_fails(&o, 1, "cannot write there");
        assert!(started.elapsed() < Duration::from_secs(20));
    }
}

#[test]
fn non_regular_files_are_refused_without_blocking() {
    let dir = workspace();
    let fifo = dir.path().join("pipe.ron");
    let made = Command::new("mkfifo").arg(&fifo).status();
    let mut cases = vec![
        vec![
            "run".to_string(),
            "/dev/zero".into(),
            "--runs".into(),
            "10".into(),
        ],
        vec!["merge".to_string(), "/dev/zero".into()],
        vec![
            "run".to_string(),
            arg(&dir.path().join("baseline-2021.ron")),
            "--runs".into(),
            "10".into(),
            "--resume".into(),
            "/dev/zero".into(),
        ],
    ];
    if made.is_ok_and(|s| s.success()) {
        cases.push(vec!["run".into(), arg(&fifo), "--runs".into(), "10".into()]);
        cases.push(vec!["validate".into(), arg(&fifo)]);
    }
    for args in cases {
        let mut child = Command::new(env!("CARGO_BIN_EXE_wedge"))
            .args(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("wedge starts");
        let started = std::time::Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait") {
                break status;
            }
            if started.elapsed() > Duration::from_secs(20) {
                let _ = child.kill();
                panic!("`wedge {}` blocked or read forever", args.join(" "));
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            use std::io::Read;
            let _ = e.read_to_string(&mut err);
        }
        assert!(!status.success(), "`wedge {}` succeeded", args.join(" "));
        assert!(
            err.contains("not a regular file"),
            "`wedge {}`: {err}",
            args.join(" ")
        );
    }
}

#[test]
fn show_paths_lists_settable_paths_with_ranges() {
    let o = wedge(["show", "--paths", &arg(&scenario("kupchan-package.ron"))]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("params.threat_weight"), "{text}");
    assert!(text.contains("[0, 5]"), "{text}");
    assert!(text.contains("levers."), "{text}");
    assert!(
        text.contains("uncertainties.successor_orientation.mean"),
        "{text}"
    );
}

#[test]
fn validate_into_a_closed_pipe_or_a_full_disk_fails_cleanly() {
    let base = scenario("baseline-2021.ron");
    let files: Vec<String> = std::iter::repeat_n(arg(&base), 400).collect();
    let wedge_path = env!("CARGO_BIN_EXE_wedge");
    let quoted: Vec<String> = files.iter().map(|f| format!("'{f}'")).collect();
    let out = Command::new("bash")
        .args([
            "-c",
            &format!(
                "set -o pipefail; '{wedge_path}' validate {} | head -c 10 > /dev/null",
                quoted.join(" ")
            ),
        ])
        .output()
        .expect("bash runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "exit {:?}: {err}", out.status.code());
    assert!(!err.contains("panicked"), "{err}");
    let full = std::fs::File::create("/dev/full").expect("/dev/full");
    let out = Command::new(wedge_path)
        .args(["validate", &arg(&base)])
        .stdout(full)
        .output()
        .expect("wedge runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("cannot write to stdout") && !err.contains("panicked"),
        "{err}"
    );
}

#[test]
fn suite_refuses_an_impossible_scoreboard_and_an_empty_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sb = dir.path().join("sb.json");
    std::fs::write(
        &sb,
        r#"{"wedge_version":"x","runs":0,"seed":1,"scores":[{"file":"baseline-2021.ron","scenario":"b","split_probability":0.5,"ci95":[0.4,0.6],"median_years_to_split":null,"russia_defects":0.5,"china_defects":0.5}]}"#,
    )
    .expect("write");
    let o = wedge([
        "suite",
        &arg(&root().join("scenarios")),
        "--against",
        &arg(&sb),
    ]);
    assert_fails(&o, 2, "its run count is 0");
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    let o = wedge(["suite", &arg(&empty)]);
    assert_fails(&o, 2, "holds no scenario files");
}
