//! Presentation at the edge: progress bars, Ctrl-C, formats and figure files.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use indicatif::{ProgressBar, ProgressStyle};

use wedge_report::{Figures, Tabular};
use wedge_runner::ComparisonResult;

use crate::args::{BatchArgs, Format};
use crate::failure::Failure;
use crate::output::{emit, json};

/// A Ctrl-C flag (the handler is set once per process).
pub fn interrupt_flag() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let handler_flag = Arc::clone(&flag);
    let _ = ctrlc::set_handler(move || handler_flag.store(true, Ordering::SeqCst));
    flag
}

/// A progress bar on stderr, hidden unless stderr is a terminal and not --quiet.
pub fn progress(total_runs: u64, quiet: bool) -> ProgressBar {
    use std::io::IsTerminal;
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total_runs);
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} runs  {per_sec}  eta {eta}")
    {
        bar.set_style(style);
    }
    bar
}

/// Do `work` with a progress bar of `total` (see [`progress`]), cleared when it ends.
pub fn with_progress<T>(total: u64, quiet: bool, work: impl FnOnce(&ProgressBar) -> T) -> T {
    let bar = progress(total, quiet);
    let out = work(&bar);
    bar.finish_and_clear();
    out
}

/// A result in the chosen format.
pub fn render<T: serde::Serialize + Tabular>(format: Format, value: &T) -> Result<String, Failure> {
    render_with(format, value, T::text, T::csv)
}

/// A result in the chosen format, with its text and CSV renderers named.
pub fn render_with<T: serde::Serialize>(
    format: Format,
    value: &T,
    text: impl FnOnce(&T) -> String,
    csv: impl FnOnce(&T) -> String,
) -> Result<String, Failure> {
    match format {
        Format::Json => json(value),
        Format::Text => Ok(text(value)),
        Format::Csv => Ok(csv(value)),
    }
}

/// A comparison or sweep in the chosen format, its arms called `label` in text and CSV.
pub fn render_arms(r: &ComparisonResult, format: Format, label: &str) -> Result<String, Failure> {
    let text = |r: &ComparisonResult| wedge_report::comparison_text(r, label);
    let csv = |r: &ComparisonResult| wedge_report::comparison_csv(r, label);
    render_with(format, r, text, csv)
}

/// Emit the result, then (a chart that fails must not lose the result) the
/// charts to `--plot` (and beside it) and their data to `--plot-data`.
pub fn deliver(
    args: &BatchArgs,
    text: &str,
    figures: impl FnOnce() -> Figures,
) -> Result<(), Failure> {
    emit(args.out.output.as_deref(), text)?;
    if args.plot.is_none() && args.plot_data.is_none() {
        return Ok(());
    }
    Ok(figures().write(args.plot.as_deref(), args.plot_data.as_deref())?)
}
