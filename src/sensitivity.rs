//! `wedge sensitivity`: a tornado and Morris screening of a scenario's uncertainties.

use wedge_runner::SensitivityError;
use wedge_scenario::load::Resolved;

use crate::args::SensitivityArgs;
use crate::failure::Failure;
use crate::present::{deliver, interrupt_flag, render, with_progress};

/// `wedge sensitivity`.
pub fn sensitivity(flags: &SensitivityArgs, command: &str) -> Result<(), Failure> {
    let (scenario, trajectories, args) = (&flags.scenario, flags.trajectories, &flags.batch);
    args.prepare(None)?;
    let built = Resolved::read(scenario)?.build(&[], &[])?;
    args.guard(None, &built.inputs)?;
    let k = built.model.spec().uncertainties.len();
    let (points, runs) = (wedge_runner::design_points(k, trajectories), args.runs());
    let stop = interrupt_flag();
    let result = with_progress(args.quiet, |tick| {
        let tick = &mut |done, _| tick(done * points, runs * points);
        wedge_runner::sensitivity(&built.model, trajectories, args.seed(), runs, &stop, tick)
    });
    let mut result = result.map_err(|e| match e {
        SensitivityError::NoUncertainties => usage!(
            "{} declares no uncertainties to analyse",
            scenario.display()
        ),
        e => e.into(),
    })?;
    result.stamp(&built.hash, command);
    deliver(args, &render(args.out.format, &result)?, || {
        wedge_report::sensitivity_figures(&result)
    })
}
