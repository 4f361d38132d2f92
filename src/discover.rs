//! `wedge discover`: PRIM scenario discovery on a per-run table (CSV).

use std::path::Path;

use wedge_analysis::PrimOptions;
use wedge_runner::{CaseRule, Column, DiscoverSettings};

use crate::args::DiscoverArgs;
use crate::failure::Failure;
use crate::output::emit;
use crate::present::render;

/// Largest table `wedge discover` reads, in bytes (PRIM holds it in memory).
const MAX_TABLE_BYTES: u64 = 4 << 30;

/// Read a CSV table: a column is numeric if every non-empty cell parses as a number
/// (empty cells become NaN), otherwise labels.
pub fn read_table(path: &Path) -> Result<Vec<(String, Column)>, Failure> {
    let unreadable = |e: &dyn std::fmt::Display| usage!("cannot read {}: {e}", path.display());
    let meta = std::fs::metadata(path).map_err(|e| unreadable(&e))?;
    if meta.is_dir() {
        return Err(usage!(
            "cannot read {}: it is a directory; give a CSV file such as runs.csv",
            path.display()
        ));
    }
    if meta.len() > MAX_TABLE_BYTES {
        return Err(usage!(
            "{} is {} bytes; wedge discover reads tables up to {MAX_TABLE_BYTES} bytes",
            path.display(),
            meta.len()
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_path(path)
        .map_err(|e| unreadable(&e))?;
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| unreadable(&e))?
        .iter()
        .map(str::to_string)
        .collect();
    let mut cells: Vec<Vec<String>> = vec![Vec::new(); header.len()];
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| usage!("{}: row {}: {e}", path.display(), i + 2))?;
        for (column, cell) in cells.iter_mut().zip(record.iter()) {
            column.push(cell.to_string());
        }
    }
    if cells.first().is_none_or(Vec::is_empty) {
        return Err(usage!("{} has no rows under its header", path.display()));
    }
    Ok(header
        .into_iter()
        .zip(cells)
        .map(|(name, values)| {
            let numbers: Option<Vec<f64>> = values
                .iter()
                .map(|v| {
                    if v.is_empty() {
                        Some(f64::NAN)
                    } else {
                        v.parse().ok()
                    }
                })
                .collect();
            let column = match numbers {
                Some(n) => Column::Numeric(n),
                None => Column::Labels(values),
            };
            (name, column)
        })
        .collect())
}

/// `wedge discover`.
pub fn discover(flags: &DiscoverArgs) -> Result<(), Failure> {
    let rule = match (flags.below, flags.above) {
        (Some(_), Some(_)) => {
            return Err(Failure::usage("give at most one of --below and --above"));
        }
        (Some(c), None) => CaseRule::Below(c),
        (None, Some(c)) => CaseRule::Above(c),
        (None, None) => CaseRule::IsOne,
    };
    let options = PrimOptions {
        threshold: flags.threshold,
        max_boxes: flags.boxes,
        ..PrimOptions::default()
    };
    let columns = read_table(&flags.table)?;
    let settings = DiscoverSettings {
        outcome: flags.outcome.clone(),
        rule,
        inputs: flags.inputs.clone(),
        options,
    };
    let found =
        wedge_runner::discover(&columns, &settings).map_err(|e| Failure::usage(e.to_string()))?;
    let source = flags.table.display().to_string();
    let text = render(
        flags.format,
        &found,
        |d| wedge_report::discovery_text(d, &source),
        wedge_report::discovery_csv,
    )?;
    emit(flags.output.as_deref(), &text)
}
