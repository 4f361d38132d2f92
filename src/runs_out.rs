//! `--runs-out FILE`: the per-run table of a run, comparison or sweep,
//! streamed chunk by chunk (wedge-report) to a CSV file, with its metadata
//! beside it in `<stem>.meta.json`; or, when the name ends in `.parquet` (and
//! wedge was built with the `parquet` feature), to a Parquet file that holds
//! the same metadata in its key-value metadata.
//!
//! The table is written atomically, so an interrupted or failed command never
//! leaves half a table under the requested name.

use std::ops::Range;
use std::path::Path;
use std::sync::atomic::AtomicBool;

use wedge_report::{RunsFileError, check_runs_path, runs_meta};
use wedge_runner::RunTable;

use crate::failure::Failure;

/// Refuse what cannot be written, before any run: a folder, and Parquet in a
/// wedge built without the `parquet` feature.
pub fn check_path(path: &Path) -> Result<(), Failure> {
    Ok(check_runs_path(path)?)
}

/// Play `runs` of every arm of `table` and write their rows to `path`, then
/// (for CSV) the sidecar. `plan_runs` is the plan's total (a shard writes part of it).
pub fn write(
    path: &Path,
    table: &RunTable<'_>,
    (runs, plan_runs): (Range<u64>, u64),
    scenario_hash: &str,
    command: &str,
    stop: &AtomicBool,
) -> Result<(), Failure> {
    check_path(path)?;
    let meta = runs_meta(table, runs.clone(), plan_runs, scenario_hash, command);
    wedge_report::write_runs_file(path, table, runs, &meta, stop).map_err(|e| match e {
        RunsFileError::Interrupted { .. } => Failure::runtime(format!(
            "interrupted by Ctrl-C; {} was not written",
            path.display()
        )),
        e => e.into(),
    })
}
