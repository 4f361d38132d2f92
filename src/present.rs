//! Presentation at the edge: progress bars, Ctrl-C, formats and figure files.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use indicatif::{ProgressBar, ProgressStyle};

use crate::args::Format;
use crate::failure::Failure;
use crate::output::{json, write_atomic};

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

/// A result in the chosen format.
pub fn render<T: serde::Serialize>(
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

/// Check a `--plot` path before any work is done.
pub fn check_plot_path(path: Option<&Path>) -> Result<(), Failure> {
    match path {
        Some(p) if p.extension().is_none_or(|e| e != "svg") => Err(usage!(
            "--plot {}: charts are written as SVG (no fonts needed); give a path ending in .svg",
            p.display()
        )),
        _ => Ok(()),
    }
}

/// Write a drawn figure.
pub fn write_svg(
    path: &Path,
    svg: Result<String, wedge_report::ReportError>,
) -> Result<(), Failure> {
    let svg = svg.map_err(|e| Failure::runtime(e.to_string()))?;
    write_atomic(path, svg.as_bytes())
}

/// `dir/stem-suffix.svg` beside `path`.
pub fn sibling(path: &Path, suffix: &str) -> std::path::PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "plot".into());
    path.with_file_name(format!("{stem}-{suffix}.svg"))
}
