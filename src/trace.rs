//! `wedge trace`: one run, turn by turn, and why it ended as it did.

use std::path::Path;

use wedge_runner::{Manifest, RunPlan, Trace};

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
    // The plan of a trace is its one run (index `run` of the seed's streams).
    let plan = RunPlan::new(&loaded.model.spec().name, &loaded.hash, seed, 1);
    trace.manifest = Some(Manifest::new(
        plan,
        started.elapsed().as_secs_f64(),
        1,
        command,
    ));
    let text = match format {
        Format::Json => json(&trace)?,
        Format::Csv => wedge_report::trace_csv(&trace),
        Format::Text => wedge_report::trace_text(&trace),
    };
    emit(None, &text)
}
