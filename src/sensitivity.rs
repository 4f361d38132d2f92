//! `wedge sensitivity`: a tornado and Morris screening of a scenario's uncertainties.

use crate::args::SensitivityArgs;
use crate::failure::Failure;
use crate::present::{deliver, interrupt_flag, with_progress};

/// `wedge sensitivity`.
pub fn sensitivity(flags: SensitivityArgs, command: &str) -> Result<(), Failure> {
    let SensitivityArgs { mut job, batch } = flags;
    batch.work.use_threads();
    job.command = command.to_string();
    let (stop, outputs) = (interrupt_flag(), batch.outputs());
    let result = with_progress(batch.work.quiet, |tick| job.play(&outputs, &stop, tick))?;
    deliver(&batch, &result, || {
        wedge_report::sensitivity_figures(&result)
    })
}
