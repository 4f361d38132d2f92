//! `wedge compare` and `wedge sweep`: arms built from scenarios, run pair by pair in the library.

use wedge_calibrate::{CompareJob, Compared, SweepJob};
use wedge_runner::Design;

use crate::args::{CompareArgs, SweepArgs, SweepDesign};
use crate::failure::Failure;
use crate::present::{deliver, interrupt_flag, with_progress};

/// `wedge compare`.
pub fn compare(flags: &CompareArgs, command: &str) -> Result<(), Failure> {
    let (args, out) = (&flags.batch, flags.runs_out.as_deref());
    args.prepare(out)?;
    let job = CompareJob {
        scenarios: flags.scenarios.clone(),
        levers: flags.levers.clone(),
        all_levers: flags.all_levers,
        ensemble: flags.ensemble.clone(),
        requested: args.requested(None),
        command: command.to_string(),
    };
    let stop = interrupt_flag();
    let played = with_progress(args.work.quiet, |tick| {
        job.play(&args.outputs(out), &stop, tick)
    })?;
    let (arms, result) = match played {
        Compared::Ensemble(result) => return args.work.out.write(&result),
        Compared::Arms(arms, result) => (arms, result),
    };
    deliver(args, &result, || wedge_report::comparison_figures(&result))?;
    match out {
        Some(path) => Ok(arms.write_runs(path, &result, command, &stop)?),
        None => Ok(()),
    }
}

/// `wedge sweep`.
pub fn sweep(flags: &SweepArgs, command: &str) -> Result<(), Failure> {
    let (args, out) = (&flags.batch, flags.runs_out.as_deref());
    args.prepare(out)?;
    let design = match flags.design {
        SweepDesign::Grid => Design::Grid,
        SweepDesign::Lhs => Design::LatinHypercube {
            samples: flags.samples,
        },
    };
    let job = SweepJob {
        scenario: flags.scenario.clone(),
        params: SweepJob::params(&flags.params)?,
        design,
        requested: args.requested(None),
        command: command.to_string(),
    };
    let stop = interrupt_flag();
    let outputs = args.outputs(out);
    let (arms, result) = with_progress(args.work.quiet, |tick| job.play(&outputs, &stop, tick))?;
    if let Some(path) = out {
        arms.write_runs(path, &result, command, &stop)?;
    }
    deliver(args, &result, || {
        wedge_report::sweep_figures(&result, design, &arms.params)
    })
}
