//! `--runs-out FILE`: the per-run table of a run, comparison or sweep,
//! streamed chunk by chunk to a CSV file, with its metadata beside it in
//! `<stem>.meta.json`.
//!
//! The table is written to a temporary file in the same folder and renamed
//! into place when complete, so an interrupted or failed command never leaves
//! half a table under the requested name.

use std::io::{BufWriter, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use wedge_report::{RunsCsv, runs_meta};
use wedge_runner::RunTable;

use crate::failure::Failure;
use crate::output::{json, write_atomic};

/// Refuse what cannot be written, before any run: Parquet, and a path that is a folder.
pub fn check_path(path: &Path) -> Result<(), Failure> {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match extension.as_deref() {
        Some("parquet") | Some("pq") => Err(usage!(
            "--runs-out {}: wedge writes the per-run table as CSV only; write runs.csv and convert it, e.g. in Python: pandas.read_csv(\"runs.csv\").to_parquet(\"runs.parquet\") (docs/EXPLORING.md)",
            path.display()
        )),
        _ if path.is_dir() => Err(usage!(
            "--runs-out {}: it is a directory; give a file name such as runs.csv",
            path.display()
        )),
        _ => Ok(()),
    }
}

/// Where the sidecar of a table goes: `runs.csv` → `runs.meta.json`.
pub fn sidecar(path: &Path) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "runs".into());
    path.with_file_name(format!("{stem}.meta.json"))
}

/// Play `runs` of every arm of `table` and write their rows to `path`, then the sidecar.
/// `plan_runs` is the plan's total (a shard writes part of it).
pub fn write(
    path: &Path,
    table: &RunTable<'_>,
    runs: Range<u64>,
    plan_runs: u64,
    scenario_hash: &str,
    command: &str,
    stop: &AtomicBool,
) -> Result<(), Failure> {
    let fail = |what: &str, e: &dyn std::fmt::Display| {
        Failure::runtime(format!("cannot write {}: {what}: {e}", path.display()))
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "runs.csv".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let file =
            std::fs::File::create(&tmp).map_err(|e| fail("cannot create a temporary file", &e))?;
        let mut csv =
            RunsCsv::new(BufWriter::new(file), table).map_err(|e| fail("write failed", &e))?;
        table.rows(runs.clone(), |rows| {
            if stop.load(Ordering::Relaxed) {
                return Err(Failure::runtime(format!(
                    "interrupted by Ctrl-C; {} was not written",
                    path.display()
                )));
            }
            csv.write(table, rows).map_err(|e| fail("write failed", &e))
        })?;
        let mut out = csv.finish().map_err(|e| fail("write failed", &e))?;
        out.flush().map_err(|e| fail("write failed", &e))?;
        let file = out
            .into_inner()
            .map_err(|e| fail("write failed", &e.into_error()))?;
        file.sync_all().map_err(|e| fail("sync failed", &e))?;
        std::fs::rename(&tmp, path).map_err(|e| fail("rename failed", &e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result?;
    let meta = runs_meta(table, runs, plan_runs, scenario_hash, command);
    write_atomic(&sidecar(path), json(&meta)?.as_bytes())
}
