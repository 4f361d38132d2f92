//! `wedge compare` and `wedge sweep`: arms built from scenarios, run pair by pair in the library.

use wedge_calibrate::Compared;

use crate::args::{CompareArgs, SweepArgs};
use crate::failure::Failure;
use crate::present::{deliver, interrupt_flag, with_progress};

/// `wedge compare`.
pub fn compare(CompareArgs { mut job, batch }: CompareArgs, command: &str) -> Result<(), Failure> {
    batch.work.use_threads();
    job.command = command.to_string();
    let (stop, outputs) = (interrupt_flag(), batch.outputs());
    match with_progress(batch.work.quiet, |tick| job.play(&outputs, &stop, tick))? {
        Compared::Ensemble(result) => batch.work.out.write(&result),
        Compared::Arms(_, result) => deliver(&batch, &result, || {
            wedge_report::comparison_figures(&result)
        }),
    }
}

/// `wedge sweep`.
pub fn sweep(SweepArgs { mut job, batch }: SweepArgs, command: &str) -> Result<(), Failure> {
    batch.work.use_threads();
    job.command = command.to_string();
    let (stop, outputs) = (interrupt_flag(), batch.outputs());
    let (arms, result) = with_progress(batch.work.quiet, |tick| job.play(&outputs, &stop, tick))?;
    deliver(&batch, &result, || {
        wedge_report::sweep_figures(&result, job.design(), &arms.params)
    })
}
