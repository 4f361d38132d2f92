//! `wedge sensitivity`: a tornado and Morris screening of a scenario's uncertainties.

use wedge_runner::{CompareError, SensitivityError};
use wedge_scenario::load::Resolved;

use crate::args::{SensitivityArgs, check_batch};
use crate::failure::Failure;
use crate::output::emit;
use crate::present::{interrupt_flag, progress, render, sibling, write_svg};

/// `wedge sensitivity`.
pub fn sensitivity(flags: &SensitivityArgs, command: &str) -> Result<(), Failure> {
    let (scenario, trajectories, args) = (&flags.scenario, flags.trajectories, &flags.batch);
    check_batch(args)?;
    if !(2..=200).contains(&trajectories) {
        return Err(usage!(
            "--trajectories must be between 2 and 200, got {trajectories}"
        ));
    }
    let built = Resolved::read(scenario)?.build(&[], &[])?;
    crate::output::guard_outputs(
        &[
            ("-o", args.output.as_deref()),
            ("--plot", args.plot.as_deref()),
        ],
        &built.inputs,
    )?;
    let (model, hash) = (built.model, built.hash);
    let k = model.spec().uncertainties.len() as u64;
    let arms = 1 + 2 * k + trajectories as u64 * (k + 1);
    let bar = progress(args.runs() * arms, args.quiet);
    let stop = interrupt_flag();
    let result = wedge_runner::sensitivity(
        &model,
        trajectories,
        args.seed(),
        args.runs(),
        &stop,
        &mut |done, _| bar.set_position(done * arms),
    );
    bar.finish_and_clear();
    let mut result = result.map_err(|e| match e {
        SensitivityError::NoUncertainties => usage!(
            "{} declares no uncertainties to analyse",
            scenario.display()
        ),
        SensitivityError::Run(CompareError::Interrupted(_)) => {
            Failure::runtime("interrupted by Ctrl-C or SIGTERM (no checkpoint: rerun the command)")
        }
        SensitivityError::Run(CompareError::TooLarge { .. }) => Failure::usage(e.to_string()),
        SensitivityError::Pin(_) | SensitivityError::Run(_) => Failure::runtime(e.to_string()),
        SensitivityError::Trajectories(_) => Failure::usage(e.to_string()),
    })?;
    let plan = wedge_runner::RunPlan::new(&result.scenario, &hash, result.seed, result.runs);
    result.manifest = Some(wedge_runner::Manifest::new(
        plan,
        result.wall_seconds,
        result.runs * arms,
        command,
    ));
    let text = render(
        args.format,
        &result,
        wedge_report::sensitivity_text,
        wedge_report::sensitivity_csv,
    )?;
    // The result first: a chart that fails must not lose it.
    emit(args.output.as_deref(), &text)?;
    if let Some(path) = &args.plot {
        write_svg(
            path,
            wedge_report::tornado_svg(&result.scenario, &result.tornado),
        )?;
        write_svg(
            &sibling(path, "morris"),
            wedge_report::morris_svg(&result.scenario, &result.morris),
        )?;
    }
    if let Some(path) = &args.plot_data {
        let csv = wedge_report::sensitivity_plot_csv(&result);
        crate::output::write_atomic(path, csv.as_bytes())?;
    }
    Ok(())
}
