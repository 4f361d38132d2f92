//! `wedge trace`: one run, turn by turn, and why it ended as it did.

use std::path::Path;

use wedge_runner::Trace;

use crate::args::Format;
use crate::failure::Failure;
use crate::output::emit;
use crate::present::render;

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
    emit(None, &render(format, &trace)?)
}
