//! `wedge trace`: one run, turn by turn, and why it ended as it did.

use std::path::Path;

use wedge_runner::Trace;

use crate::args::Format;
use crate::failure::Failure;
use crate::output::{emit, json};

/// `wedge trace`.
pub fn trace(scenario: &Path, seed: u64, run: u64, format: Format) -> Result<(), Failure> {
    let loaded = wedge_scenario::load(scenario)?;
    let trace = Trace::record(&loaded.model, seed, run);
    let text = match format {
        Format::Json => json(&trace)?,
        _ => wedge_report::trace_text(&trace),
    };
    emit(None, &text)
}
