//! `wedge sobol`: Sobol indices of a scenario's split share and final alignment.

use wedge_runner::{SobolRunError, SobolSettings};

use crate::args::SobolArgs;
use crate::failure::Failure;
use crate::output::emit;
use crate::present::{interrupt_flag, render, with_progress};

/// `wedge sobol`.
pub fn sobol(flags: &SobolArgs) -> Result<(), Failure> {
    crate::args::use_threads(flags.threads);
    let loaded = wedge_scenario::load(&flags.scenario)?;
    let settings = SobolSettings {
        base: flags.base,
        replicates: flags.replicates,
        levers: flags.levers,
        seed: flags.seed,
        resamples: flags.resamples,
    };
    let stop = interrupt_flag();
    let result = with_progress(0, flags.quiet, |bar| {
        let replicates = settings.replicates;
        wedge_runner::sobol(
            &loaded.model,
            &loaded.hash,
            &settings,
            &stop,
            &mut |done, rows| {
                bar.set_length(rows as u64 * replicates);
                bar.set_position(done as u64 * replicates);
            },
        )
    });
    let result = result.map_err(|e| match e {
        SobolRunError::Interrupted { .. } => Failure::runtime(format!("{e} (Ctrl-C)")),
        other => other.into(),
    })?;
    emit(
        flags.out.output.as_deref(),
        &render(flags.out.format, &result)?,
    )
}
