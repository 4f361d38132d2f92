//! Streaming a per-run table to a writer, chunk by chunk, as CSV or Parquet,
//! with a stop flag checked between chunks; and to a file, atomically, with
//! its metadata.

use std::io::{BufWriter, Write};
use std::ops::Range;
use std::path::Path;
use std::sync::atomic::AtomicBool;

use wedge_runner::{RunTable, TableInterrupted};

use crate::runs::{RunsCsv, RunsMeta};

/// Why a per-run table file was not written (nothing is left under its name).
#[derive(Debug, thiserror::Error)]
pub enum RunsFileError {
    /// The file (or its sidecar) could not be created, synced or put in place.
    #[error(transparent)]
    Output(#[from] wedge_io::OutputError),
    /// Writing the rows failed.
    #[error("cannot write {}: write failed: {source}", path.display())]
    Write {
        /// The table's file.
        path: std::path::PathBuf,
        /// Why.
        source: RunsWriteError,
    },
    /// The stop flag (Ctrl-C) was set between chunks; the message says
    /// what was lost.
    #[error("interrupted by Ctrl-C; {} was not written", path.display())]
    Interrupted {
        /// The table's file.
        path: std::path::PathBuf,
    },
    /// The metadata could not be encoded.
    #[error("cannot encode JSON: {0}")]
    Meta(#[from] serde_json::Error),
    /// A Parquet file was asked of a build without the `parquet` feature.
    #[error(
        "--runs-out {}: this wedge was built without Parquet support; rebuild it with `cargo build --release --features parquet`, or write CSV (--runs-out runs.csv) and convert it, e.g. in Python: pandas.read_csv(\"runs.csv\").to_parquet(\"runs.parquet\") (docs/EXPLORING.md)",
        path.display()
    )]
    NoParquet {
        /// The table's file.
        path: std::path::PathBuf,
    },
    /// The table's path is a folder.
    #[error(
        "--runs-out {}: it is a directory; give a file name such as runs.csv",
        path.display()
    )]
    Directory {
        /// The table's file.
        path: std::path::PathBuf,
    },
}

impl wedge_io::Categorized for RunsFileError {
    fn category(&self) -> wedge_io::Category {
        use wedge_io::Category;
        match self {
            RunsFileError::Output(e) => e.category(),
            // A stop is a runtime failure whose message names the unwritten table.
            RunsFileError::Write { .. }
            | RunsFileError::Meta(_)
            | RunsFileError::Interrupted { .. } => Category::Runtime,
            RunsFileError::NoParquet { .. } | RunsFileError::Directory { .. } => Category::Usage,
        }
    }
}

/// Refuse, before any run, a table that cannot be written to `path`: a
/// folder, or Parquet in a build without the `parquet` feature.
pub fn check_runs_path(path: &Path) -> Result<(), RunsFileError> {
    let path_buf = path.to_path_buf();
    if !RunsFormat::of(path).supported() {
        return Err(RunsFileError::NoParquet { path: path_buf });
    }
    if path.is_dir() {
        return Err(RunsFileError::Directory { path: path_buf });
    }
    Ok(())
}

/// Where the metadata of a CSV table goes: `runs.csv` → `runs.meta.json`.
pub fn runs_sidecar(path: &Path) -> std::path::PathBuf {
    wedge_io::beside(path, ".meta.json", "runs")
}

/// Play runs `runs` of every arm of `table` into `path`, atomically: Parquet
/// when the name says so ([`RunsFormat::of`]) with `meta` inside, else CSV
/// with `meta` as pretty JSON in [`runs_sidecar`]. When `stop` is set
/// between chunks or a write fails, nothing is left under `path`.
pub fn write_runs_file(
    path: &Path,
    table: &RunTable<'_>,
    runs: Range<u64>,
    meta: &RunsMeta,
    stop: &AtomicBool,
) -> Result<(), RunsFileError> {
    let format = RunsFormat::of(path);
    let mut file = wedge_io::AtomicFile::create(path)?;
    write_runs(&mut file, format, table, runs, meta, stop).map_err(|e| match e {
        RunsWriteError::Interrupted => RunsFileError::Interrupted {
            path: path.to_path_buf(),
        },
        source => RunsFileError::Write {
            path: path.to_path_buf(),
            source,
        },
    })?;
    file.commit()?;
    if format == RunsFormat::Csv {
        let text = serde_json::to_string_pretty(meta)? + "\n";
        wedge_io::write_atomic(&runs_sidecar(path), text.as_bytes())?;
    }
    Ok(())
}

/// What `--runs-out` writes: refuse what cannot be written ([`check_runs_path`]),
/// then play runs `runs` of every arm of `table` into `path` with their
/// metadata ([`crate::runs_meta`]; `plan_runs` is the plan's total, of which a shard
/// writes part) through [`write_runs_file`].
pub fn write_runs_table(
    path: &Path,
    table: &RunTable<'_>,
    (runs, plan_runs): (Range<u64>, u64),
    scenario_hash: &str,
    command: &str,
    stop: &AtomicBool,
) -> Result<(), RunsFileError> {
    check_runs_path(path)?;
    let meta = crate::runs_meta(table, runs.clone(), plan_runs, scenario_hash, command);
    write_runs_file(path, table, runs, &meta, stop)
}

/// How a per-run table is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunsFormat {
    /// CSV, its metadata in a `*.meta.json` sidecar.
    Csv,
    /// Parquet, its metadata in the file's key-value metadata (the `parquet` feature).
    Parquet,
}

impl RunsFormat {
    /// Parquet when the name ends in `.parquet` (or `.pq`), else CSV.
    pub fn of(path: &Path) -> RunsFormat {
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match extension.as_deref() {
            Some("parquet") | Some("pq") => RunsFormat::Parquet,
            _ => RunsFormat::Csv,
        }
    }

    /// Whether this build can write the format (Parquet needs the `parquet` feature).
    pub fn supported(self) -> bool {
        self == RunsFormat::Csv || cfg!(feature = "parquet")
    }
}

/// Why a per-run table was not written.
#[derive(Debug, thiserror::Error)]
pub enum RunsWriteError {
    /// The stop flag was set before every run was played.
    #[error("interrupted")]
    Interrupted,
    /// Writing failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The Parquet writer failed.
    #[cfg(feature = "parquet")]
    #[error(transparent)]
    Parquet(#[from] crate::runs_parquet::ParquetTableError),
    /// Parquet was asked of a build without the `parquet` feature.
    #[error("Parquet is not supported by this build")]
    Unsupported,
}

impl From<TableInterrupted> for RunsWriteError {
    fn from(_: TableInterrupted) -> RunsWriteError {
        RunsWriteError::Interrupted
    }
}

/// Play runs `runs` of every arm of `table` and write their rows to `out` in
/// `format` (`meta` goes into a Parquet file; a CSV's sidecar is the
/// caller's), checking `stop` before every run. Hands `out` back flushed.
pub fn write_runs<W: Write + Send>(
    out: W,
    format: RunsFormat,
    table: &RunTable<'_>,
    runs: Range<u64>,
    meta: &RunsMeta,
    stop: &AtomicBool,
) -> Result<W, RunsWriteError> {
    let buffered = match format {
        RunsFormat::Csv => {
            let mut csv = RunsCsv::new(BufWriter::new(out), table)?;
            table.rows(runs, stop, |rows| {
                Ok::<_, RunsWriteError>(csv.write(table, rows)?)
            })?;
            csv.finish()?
        }
        #[cfg(feature = "parquet")]
        RunsFormat::Parquet => {
            let mut pq = crate::runs_parquet::RunsParquet::new(BufWriter::new(out), table, meta)?;
            table.rows(runs, stop, |rows| {
                Ok::<_, RunsWriteError>(pq.write(table, rows)?)
            })?;
            pq.finish()?
        }
        #[cfg(not(feature = "parquet"))]
        RunsFormat::Parquet => {
            let _ = meta;
            return Err(RunsWriteError::Unsupported);
        }
    };
    let mut buffered = buffered;
    buffered.flush()?;
    buffered.into_inner().map_err(|e| e.into_error().into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use wedge_runner::TableArm;

    fn table(model: &wedge_core::Model) -> RunTable<'_> {
        let arm = TableArm {
            name: "reference",
            model,
            set: &[],
        };
        RunTable::new(vec![arm], Vec::new(), 7)
    }

    #[test]
    fn the_format_follows_the_extension() {
        assert_eq!(RunsFormat::of(Path::new("a/runs.csv")), RunsFormat::Csv);
        assert_eq!(
            RunsFormat::of(Path::new("runs.PARQUET")),
            RunsFormat::Parquet
        );
        assert_eq!(RunsFormat::of(Path::new("runs.pq")), RunsFormat::Parquet);
        assert_eq!(RunsFormat::of(Path::new("runs")), RunsFormat::Csv);
        assert!(RunsFormat::Csv.supported());
    }

    #[test]
    fn a_folder_or_an_unsupported_format_is_refused_before_any_run() {
        use wedge_io::{Categorized, Category};
        let dir = std::env::temp_dir();
        let folder = check_runs_path(&dir);
        assert!(matches!(folder, Err(RunsFileError::Directory { .. })));
        assert!(folder.is_err_and(|e| e.category() == Category::Usage));
        assert!(check_runs_path(Path::new("runs.csv")).is_ok());
        let parquet = check_runs_path(Path::new("runs.parquet"));
        assert_eq!(parquet.is_ok(), cfg!(feature = "parquet"));
    }

    #[test]
    fn a_csv_has_a_header_and_one_row_per_run_and_stops_when_asked() {
        let model = wedge_core::Model::reference_2021();
        let table = table(&model);
        let meta = crate::runs_meta(&table, 0..5, 5, "-", "test");
        let go = AtomicBool::new(false);
        let bytes = write_runs(Vec::new(), RunsFormat::Csv, &table, 0..5, &meta, &go);
        let text = String::from_utf8(bytes.unwrap_or_default()).unwrap_or_default();
        assert_eq!(text.lines().count(), 6, "{text}");
        let stop = AtomicBool::new(true);
        let stopped = write_runs(Vec::new(), RunsFormat::Csv, &table, 0..5, &meta, &stop);
        assert!(matches!(stopped, Err(RunsWriteError::Interrupted)));
    }

    #[test]
    fn a_table_file_comes_with_its_sidecar_and_a_stopped_one_leaves_nothing() {
        let dir = std::env::temp_dir().join(format!("wedge-runs-file-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let model = wedge_core::Model::reference_2021();
        let table = table(&model);
        let meta = crate::runs_meta(&table, 0..3, 3, "-", "test");
        let path = dir.join("runs.csv");
        assert!(write_runs_file(&path, &table, 0..3, &meta, &AtomicBool::new(false)).is_ok());
        let sidecar = std::fs::read_to_string(dir.join("runs.meta.json")).unwrap_or_default();
        assert!(
            sidecar.ends_with("}\n") && sidecar.contains("\"end_run\": 3"),
            "{sidecar}"
        );
        let stopped = dir.join("stopped.csv");
        let result = write_runs_file(&stopped, &table, 0..3, &meta, &AtomicBool::new(true));
        assert!(matches!(result, Err(RunsFileError::Interrupted { .. })));
        // The message names the table that was lost.
        let message = result.map_or_else(|e| e.to_string(), |()| String::new());
        assert_eq!(
            message,
            format!(
                "interrupted by Ctrl-C; {} was not written",
                stopped.display()
            )
        );
        let mut left: Vec<String> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["runs.csv", "runs.meta.json"]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_table_written_for_a_shard_records_its_slice_of_the_plan() {
        let dir = std::env::temp_dir().join(format!("wedge-runs-table-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let model = wedge_core::Model::reference_2021();
        let table = table(&model);
        let path = dir.join("part.csv");
        let go = AtomicBool::new(false);
        assert!(write_runs_table(&path, &table, (2..5, 9), "h", "test", &go).is_ok());
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(text.lines().count(), 4, "{text}");
        let sidecar = std::fs::read_to_string(dir.join("part.meta.json")).unwrap_or_default();
        assert!(sidecar.contains("\"end_run\": 5"), "{sidecar}");
        assert!(
            sidecar.contains("\"runs\": 9") && sidecar.contains("\"first_run\": 2"),
            "{sidecar}"
        );
        let folder = write_runs_table(&dir, &table, (0..1, 1), "h", "test", &go);
        assert!(matches!(folder, Err(RunsFileError::Directory { .. })));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
