//! `wedge trace`: one run, turn by turn, and why it ended as it did.

use std::path::Path;

use wedge_runner::Trace;

use crate::args::Format;
use crate::failure::Failure;
use crate::output::{emit, json};

/// `wedge trace`.
pub fn trace(
    scenario: &Path,
    seed: u64,
    run: u64,
    format: Format,
    command: &str,
) -> Result<(), Failure> {
    let loaded = wedge_scenario::load(scenario)?;
    let started = std::time::Instant::now();
    let mut trace = Trace::record(&loaded.model, seed, run);
    trace.stamp(&loaded.hash, started.elapsed().as_secs_f64(), command);
    let text = match format {
        Format::Json => json(&trace)?,
        Format::Csv => wedge_report::trace_csv(&trace),
        Format::Text => wedge_report::trace_text(&trace),
    };
    emit(None, &text)
}
