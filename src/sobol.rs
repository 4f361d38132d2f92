//! `wedge sobol`: Sobol indices of a scenario's split share and final alignment.

use crate::args::SobolArgs;
use crate::failure::Failure;
use crate::present::{interrupt_flag, with_progress};

/// `wedge sobol`.
pub fn sobol(flags: &SobolArgs, command: &str) -> Result<(), Failure> {
    flags.work.use_threads();
    let loaded = wedge_scenario::load(&flags.scenario)?;
    let settings = &flags.settings;
    let (stop, per_row) = (interrupt_flag(), settings.replicates);
    let result = with_progress(flags.work.quiet, |tick| {
        let tick = &mut |done, rows| tick(done as u64 * per_row, rows as u64 * per_row);
        wedge_runner::sobol(&loaded.model, &loaded.hash, settings, command, &stop, tick)
    })?;
    flags.work.out.write(&result)
}
