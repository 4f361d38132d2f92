//! Helpers to run the built binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A shipped scenario.
pub fn scenario(name: &str) -> PathBuf {
    root().join("scenarios").join(name)
}

/// Run `wedge` with arguments.
pub fn wedge<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    Command::new(env!("CARGO_BIN_EXE_wedge"))
        .args(args)
        .output()
        .expect("the wedge binary runs")
}

/// stdout as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// stderr as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Parse stdout as JSON.
pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}\n{}", stdout(o), stderr(o)))
}

/// Path as an argument.
pub fn arg(p: &Path) -> String {
    p.display().to_string()
}

/// `wedge run` of a shipped scenario as JSON (fails the test if the run fails).
pub fn run_json(file: &str, runs: &str, seed: &str) -> serde_json::Value {
    let o = wedge([
        "run",
        &arg(&scenario(file)),
        "--runs",
        runs,
        "--seed",
        seed,
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    json(&o)
}

/// A result with the fields that legitimately vary between identical runs
/// (threads, timing, command line) blanked.
pub fn without_timing(mut v: serde_json::Value) -> serde_json::Value {
    for key in ["threads", "wall_seconds", "runs_per_second", "command"] {
        v["manifest"][key] = serde_json::Value::Null;
    }
    v
}

/// Assert that a command failed with `code` and said `fragment` on stderr
/// (matched across the report's line wraps).
pub fn assert_fails(o: &Output, code: i32, fragment: &str) {
    assert_eq!(o.status.code(), Some(code), "{}", stderr(o));
    let flat = |s: &str| {
        s.replace('│', " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert!(
        flat(&stderr(o)).contains(&flat(fragment)),
        "expected `{fragment}` in: {}",
        stderr(o)
    );
}

/// Run `wedge` with arguments that must succeed, and parse its stdout as JSON.
pub fn wedge_json<I, S>(args: I) -> serde_json::Value
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let o = wedge(args);
    assert!(o.status.success(), "{}", stderr(&o));
    json(&o)
}
