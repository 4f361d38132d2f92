//! `wedge sensitivity`: a tornado and Morris screening of a scenario's uncertainties.

use wedge_runner::{CompareError, SensitivityError};
use wedge_scenario::load::Resolved;

use crate::args::{SensitivityArgs, check_batch};
use crate::failure::Failure;
use crate::output::emit;
use crate::present::{interrupt_flag, progress, render, write_svg};

/// `wedge sensitivity`.
pub fn sensitivity(flags: &SensitivityArgs) -> Result<(), Failure> {
    let (scenario, trajectories, args) = (&flags.scenario, flags.trajectories, &flags.batch);
    check_batch(args)?;
    if !(2..=200).contains(&trajectories) {
        return Err(usage!(
            "--trajectories must be between 2 and 200, got {trajectories}"
        ));
    }
    let model = Resolved::read(scenario)?.build(&[], &[])?.model;
    let k = model.spec().uncertainties.len() as u64;
    let arms = 1 + 2 * k + trajectories as u64 * (k + 1);
    let bar = progress(args.runs * arms, args.quiet);
    let stop = interrupt_flag();
    let result = wedge_runner::sensitivity(
        &model,
        trajectories,
        args.seed,
        args.runs,
        &stop,
        &mut |done, _| bar.set_position(done * arms),
    );
    bar.finish_and_clear();
    let result = result.map_err(|e| match e {
        SensitivityError::NoUncertainties => usage!(
            "{} declares no uncertainties to analyse",
            scenario.display()
        ),
        SensitivityError::Run(CompareError::Interrupted(_)) => {
            Failure::runtime("interrupted by Ctrl-C")
        }
        SensitivityError::Pin(_) | SensitivityError::Run(_) => Failure::runtime(e.to_string()),
        SensitivityError::Trajectories(_) => Failure::usage(e.to_string()),
    })?;
    if let Some(path) = &args.plot {
        write_svg(
            path,
            wedge_report::tornado_svg(&result.scenario, &result.tornado),
        )?;
    }
    let text = render(
        args.format,
        &result,
        wedge_report::sensitivity_text,
        wedge_report::sensitivity_csv,
    )?;
    emit(args.output.as_deref(), &text)
}
