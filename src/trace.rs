//! `wedge trace`: one run, turn by turn, and why it ended as it did.

use wedge_runner::Trace;

use crate::args::TraceArgs;
use crate::failure::Failure;
use crate::present::{emit, render};

/// `wedge trace`.
pub fn trace(flags: &TraceArgs, command: &str) -> Result<(), Failure> {
    let loaded = wedge_scenario::load(&flags.scenario)?;
    let started = std::time::Instant::now();
    let mut trace = Trace::record(&loaded.model, flags.seed, flags.run);
    trace.stamp(&loaded.hash, started.elapsed().as_secs_f64(), command);
    emit(None, &render(flags.format, &trace)?)
}
