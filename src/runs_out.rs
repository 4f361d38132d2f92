//! `--runs-out FILE`: the per-run table of a run, comparison or sweep,
//! streamed chunk by chunk to a CSV file, with its metadata beside it in
//! `<stem>.meta.json`; or, when the name ends in `.parquet` (and wedge was
//! built with the `parquet` feature), to a Parquet file that holds the same
//! metadata in its key-value metadata.
//!
//! The table is written to a temporary file in the same folder and renamed
//! into place when complete, so an interrupted or failed command never leaves
//! half a table under the requested name.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use wedge_report::{RunsCsv, RunsMeta, runs_meta};
use wedge_runner::RunTable;

use crate::failure::Failure;
use crate::output::{json, write_atomic};

/// Whether the table goes to Parquet: the name ends in `.parquet` (or `.pq`).
fn is_parquet(path: &Path) -> bool {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    matches!(extension.as_deref(), Some("parquet") | Some("pq"))
}

/// Refuse what cannot be written, before any run: a folder, and Parquet in a
/// wedge built without the `parquet` feature.
pub fn check_path(path: &Path) -> Result<(), Failure> {
    if is_parquet(path) && !cfg!(feature = "parquet") {
        return Err(usage!(
            "--runs-out {}: this wedge was built without Parquet support; rebuild it with `cargo build --release --features parquet`, or write CSV (--runs-out runs.csv) and convert it, e.g. in Python: pandas.read_csv(\"runs.csv\").to_parquet(\"runs.parquet\") (docs/EXPLORING.md)",
            path.display()
        ));
    }
    if path.is_dir() {
        return Err(usage!(
            "--runs-out {}: it is a directory; give a file name such as runs.csv",
            path.display()
        ));
    }
    Ok(())
}

/// Where the sidecar of a table goes: `runs.csv` → `runs.meta.json`.
pub fn sidecar(path: &Path) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "runs".into());
    path.with_file_name(format!("{stem}.meta.json"))
}

/// Play `runs` of every arm of `table` and write their rows to `path`, then
/// (for CSV) the sidecar. `plan_runs` is the plan's total (a shard writes part of it).
pub fn write(
    path: &Path,
    table: &RunTable<'_>,
    runs: Range<u64>,
    plan_runs: u64,
    scenario_hash: &str,
    command: &str,
    stop: &AtomicBool,
) -> Result<(), Failure> {
    check_path(path)?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "runs.csv".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let meta = runs_meta(table, runs.clone(), plan_runs, scenario_hash, command);
    let parquet = is_parquet(path);
    let result = (|| {
        let file =
            File::create(&tmp).map_err(|e| fail(path, "cannot create a temporary file", &e))?;
        let sink = Sink { path, stop };
        let file = if parquet {
            sink.parquet(file, table, runs.clone(), &meta)?
        } else {
            sink.csv(file, table, runs.clone())?
        };
        file.sync_all().map_err(|e| fail(path, "sync failed", &e))?;
        std::fs::rename(&tmp, path).map_err(|e| fail(path, "rename failed", &e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result?;
    if parquet {
        return Ok(());
    }
    write_atomic(&sidecar(path), json(&meta)?.as_bytes())
}

/// A failure to write `path`.
fn fail(path: &Path, what: &str, e: &dyn std::fmt::Display) -> Failure {
    Failure::runtime(format!("cannot write {}: {what}: {e}", path.display()))
}

/// Where rows go, and the flag that stops the writing between chunks.
struct Sink<'a> {
    path: &'a Path,
    stop: &'a AtomicBool,
}

impl Sink<'_> {
    /// Fail if Ctrl-C was pressed.
    fn check_stop(&self) -> Result<(), Failure> {
        if self.stop.load(Ordering::Relaxed) {
            return Err(Failure::runtime(format!(
                "interrupted by Ctrl-C; {} was not written",
                self.path.display()
            )));
        }
        Ok(())
    }

    /// The table as CSV.
    fn csv(&self, file: File, table: &RunTable<'_>, runs: Range<u64>) -> Result<File, Failure> {
        let failed = |e: &dyn std::fmt::Display| fail(self.path, "write failed", e);
        let mut csv = RunsCsv::new(BufWriter::new(file), table).map_err(|e| failed(&e))?;
        table.rows(runs, |rows| {
            self.check_stop()?;
            csv.write(table, rows).map_err(|e| failed(&e))
        })?;
        let mut out = csv.finish().map_err(|e| failed(&e))?;
        out.flush().map_err(|e| failed(&e))?;
        out.into_inner().map_err(|e| failed(&e.into_error()))
    }

    /// The table as Parquet, `meta` in its key-value metadata.
    #[cfg(feature = "parquet")]
    fn parquet(
        &self,
        file: File,
        table: &RunTable<'_>,
        runs: Range<u64>,
        meta: &RunsMeta,
    ) -> Result<File, Failure> {
        let failed = |e: &dyn std::fmt::Display| fail(self.path, "write failed", e);
        let mut pq = wedge_report::RunsParquet::new(BufWriter::new(file), table, meta)
            .map_err(|e| failed(&e))?;
        table.rows(runs, |rows| {
            self.check_stop()?;
            pq.write(table, rows).map_err(|e| failed(&e))
        })?;
        let mut out = pq.finish().map_err(|e| failed(&e))?;
        out.flush().map_err(|e| failed(&e))?;
        out.into_inner().map_err(|e| failed(&e.into_error()))
    }

    /// Without the `parquet` feature: refused (as `check_path` already did).
    #[cfg(not(feature = "parquet"))]
    fn parquet(
        &self,
        _file: File,
        _table: &RunTable<'_>,
        _runs: Range<u64>,
        _meta: &RunsMeta,
    ) -> Result<File, Failure> {
        check_path(self.path)?;
        Err(fail(self.path, "Parquet", &"not supported by this build"))
    }
}
