//! Streaming a per-run table to a writer, chunk by chunk, as CSV or Parquet,
//! with a stop flag checked between chunks.

use std::io::{BufWriter, Write};
use std::ops::Range;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use wedge_runner::RunTable;

use crate::runs::{RunsCsv, RunsMeta};

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
    /// The stop flag was set between chunks.
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

/// Play runs `runs` of every arm of `table` and write their rows to `out` in
/// `format` (`meta` goes into a Parquet file; a CSV's sidecar is the
/// caller's), checking `stop` before each chunk. Hands `out` back flushed.
pub fn write_runs<W: Write + Send>(
    out: W,
    format: RunsFormat,
    table: &RunTable<'_>,
    runs: Range<u64>,
    meta: &RunsMeta,
    stop: &AtomicBool,
) -> Result<W, RunsWriteError> {
    let check_stop = || match stop.load(Ordering::Relaxed) {
        true => Err(RunsWriteError::Interrupted),
        false => Ok(()),
    };
    let buffered = match format {
        RunsFormat::Csv => {
            let mut csv = RunsCsv::new(BufWriter::new(out), table)?;
            table.rows(runs, |rows| {
                check_stop()?;
                Ok::<_, RunsWriteError>(csv.write(table, rows)?)
            })?;
            csv.finish()?
        }
        #[cfg(feature = "parquet")]
        RunsFormat::Parquet => {
            let mut pq = crate::runs_parquet::RunsParquet::new(BufWriter::new(out), table, meta)?;
            table.rows(runs, |rows| {
                check_stop()?;
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
}
