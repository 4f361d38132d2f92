//! Output guards: `run`, `compare` and `sensitivity` at a fixed seed and a
//! few runs, in `--format json` and `--format csv`, compared with the files
//! under `tests/snapshots/`. Any change of an output for the same inputs
//! fails here. In JSON the fields that describe the execution rather than the
//! result (version, threads, wall time, runs per second, command line) are
//! masked; CSV outputs carry none of them.
//!
//! Re-bless (rewrite the files from the current binary) with
//! `WEDGE_BLESS=1 cargo test --release --test tests snapshots`, and review
//! the diff before committing it; docs/ARCHITECTURE.md ("Output snapshots")
//! says when that is legitimate.

use std::path::PathBuf;

use serde_json::Value;

use crate::util::{arg, json, root, scenario, stderr, stdout, wedge};

/// Fields of the execution, not of the result.
const MASKED: [&str; 5] = [
    "wedge_version",
    "threads",
    "wall_seconds",
    "runs_per_second",
    "command",
];

/// What a masked field holds in a snapshot.
const MASK: &str = "<masked>";

/// Replace every [`MASKED`] field, at any depth, with [`MASK`].
fn mask(v: &mut Value) {
    match v {
        Value::Object(fields) => {
            for (key, value) in fields.iter_mut() {
                if MASKED.contains(&key.as_str()) {
                    *value = Value::String(MASK.into());
                } else {
                    mask(value);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask),
        _ => {}
    }
}

/// Whether this test run rewrites the snapshots (`WEDGE_BLESS` set, not `0`).
fn blessing() -> bool {
    std::env::var("WEDGE_BLESS").is_ok_and(|v| !v.is_empty() && v != "0")
}

fn snapshot_path(name: &str) -> PathBuf {
    root().join("tests").join("snapshots").join(name)
}

/// The output of `wedge ARGS --format FORMAT`, masked (JSON pretty-printed, keys sorted).
fn output(args: &[&str], format: &str) -> String {
    let mut full: Vec<&str> = args.to_vec();
    full.extend(["--format", format]);
    let o = wedge(&full);
    assert!(
        o.status.success(),
        "wedge {}: {}",
        full.join(" "),
        stderr(&o)
    );
    if format == "json" {
        let mut v = json(&o);
        mask(&mut v);
        let text = serde_json::to_string_pretty(&v).expect("a JSON value prints");
        text + "\n"
    } else {
        stdout(&o)
    }
}

/// Compare (or, blessing, write) the snapshot of `args` in JSON and CSV.
fn check(name: &str, args: &[&str]) {
    for format in ["json", "csv"] {
        let file = format!("{name}.{format}");
        let path = snapshot_path(&file);
        let got = output(args, format);
        if blessing() {
            std::fs::write(&path, &got).expect("write the snapshot");
            continue;
        }
        let bless = "WEDGE_BLESS=1 cargo test --release --test tests snapshots";
        let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "no snapshot {} ({e}); write it with `{bless}`",
                path.display()
            )
        });
        if got != expected {
            let line = got
                .lines()
                .zip(expected.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| got.lines().count().min(expected.lines().count()));
            let show = |text: &str| text.lines().nth(line).unwrap_or("<end>").to_string();
            panic!(
                "`wedge {} --format {format}` no longer prints tests/snapshots/{file}: first \
                 difference at line {}:\n  snapshot: {}\n  now:      {}\nIf the change is \
                 intended (docs/ARCHITECTURE.md, \"Output snapshots\"), re-bless with `{bless}` and \
                 commit the new files with the reason.",
                args.join(" "),
                line + 1,
                show(&expected),
                show(&got),
            );
        }
    }
}

#[test]
fn snapshots_of_run() {
    let base = arg(&scenario("baseline-2021.ron"));
    check("run", &["run", &base, "--runs", "64", "--seed", "3"]);
}

#[test]
fn snapshots_of_compare() {
    let base = arg(&scenario("baseline-2021.ron"));
    check(
        "compare",
        &[
            "compare",
            &base,
            "--levers",
            "arms-control,cadre-engagement",
            "--runs",
            "128",
            "--seed",
            "3",
        ],
    );
}

#[test]
fn snapshots_of_sensitivity() {
    let base = arg(&scenario("baseline-2021.ron"));
    check(
        "sensitivity",
        &[
            "sensitivity",
            &base,
            "--runs",
            "32",
            "--trajectories",
            "2",
            "--seed",
            "3",
        ],
    );
}

#[test]
fn masking_reaches_nested_fields_and_leaves_results_alone() {
    let mut v: Value = serde_json::from_str(
        r#"{"runs": 3, "wall_seconds": 0.5, "manifest": {"threads": 2, "seed": 1},
            "arms": [{"command": "wedge run", "split": 0.25}]}"#,
    )
    .expect("JSON");
    mask(&mut v);
    assert_eq!(v["runs"], 3);
    assert_eq!(v["wall_seconds"], MASK);
    assert_eq!(v["manifest"]["threads"], MASK);
    assert_eq!(v["manifest"]["seed"], 1);
    assert_eq!(v["arms"][0]["command"], MASK);
    assert_eq!(v["arms"][0]["split"], 0.25);
}
