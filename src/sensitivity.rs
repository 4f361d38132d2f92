//! `wedge sensitivity`: a tornado and Morris screening of a scenario's uncertainties.

use wedge_calibrate::SensitivityJob;

use crate::args::SensitivityArgs;
use crate::failure::Failure;
use crate::present::{deliver, interrupt_flag, with_progress};

/// `wedge sensitivity`.
pub fn sensitivity(flags: &SensitivityArgs, command: &str) -> Result<(), Failure> {
    let args = &flags.batch;
    args.prepare(None)?;
    let job = SensitivityJob {
        scenario: flags.scenario.clone(),
        trajectories: flags.trajectories,
        requested: args.requested(None),
        command: command.to_string(),
    };
    let stop = interrupt_flag();
    let result = with_progress(args.work.quiet, |tick| {
        job.play(&args.outputs(None), &stop, tick)
    })?;
    deliver(args, &result, || wedge_report::sensitivity_figures(&result))
}
