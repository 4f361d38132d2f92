//! `wedge compare` and `wedge sweep`: arms built from scenarios, run pair by pair in the library.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use wedge_calibrate::Arms;
use wedge_runner::{ComparisonResult, Design, Param, Ranking};
use wedge_scenario::arms;
use wedge_scenario::load::Resolved;

use crate::args::{BatchArgs, CompareArgs, SweepArgs, SweepDesign};
use crate::calibrate::over_ensemble;
use crate::failure::Failure;
use crate::present::{deliver, interrupt_flag, render_arms, with_progress};

/// Run the arms with a progress bar, stopping at the next wave once `stop` is set (Ctrl-C).
fn run(
    arms: &Arms,
    ranking: Ranking,
    args: &BatchArgs,
    command: &str,
    stop: &AtomicBool,
) -> Result<ComparisonResult, Failure> {
    let settings = arms.settings(args.seed(), args.runs(), args.target_ci, command);
    let per = arms.arms.len() as u64;
    let result = with_progress(args.runs() * per, args.quiet, |bar| {
        wedge_runner::compare(
            &arms.arms,
            &settings,
            ranking,
            stop,
            &mut |done, planned| {
                bar.set_length(planned * per);
                bar.set_position(done * per);
            },
        )
    });
    Ok(result?)
}

/// Write the per-run table of `arms` as played in `r` to `--runs-out`, if given.
fn runs_out(
    flag: Option<&Path>,
    (arms, r): (&Arms, &ComparisonResult),
    command: &str,
    stop: &AtomicBool,
) -> Result<(), Failure> {
    let Some(path) = flag else { return Ok(()) };
    let runs = (0..r.runs, r.runs);
    crate::runs_out::write(path, &arms.table(r.seed), runs, &arms.hash, command, stop)
}

/// `wedge compare`.
pub fn compare(flags: &CompareArgs, command: &str) -> Result<(), Failure> {
    let (args, out) = (&flags.batch, flags.runs_out.as_deref());
    args.prepare(out)?;
    let (baseline_path, variants) = flags
        .scenarios
        .split_first()
        .ok_or_else(|| Failure::usage("give a baseline scenario"))?;
    let resolved = Resolved::read(baseline_path)?;
    args.guard(out, &[&resolved.inputs[..], variants].concat())?;
    let arms = Arms::comparison(&resolved, variants, &flags.levers, flags.all_levers)?;
    if arms.arms.len() < 2 {
        return Err(Failure::usage(
            "nothing to compare: give variant scenarios, --levers or --all-levers",
        ));
    }
    let levers = arms::lever_arm_names(&resolved, &flags.levers, flags.all_levers)?;
    let ensemble = Some((variants, &levers[..]));
    let flag = flags.ensemble.as_deref();
    if let Some(text) = over_ensemble(flag, &resolved, ensemble, args, out, command)? {
        return crate::output::emit(args.out.output.as_deref(), &text);
    }
    let stop = interrupt_flag();
    let result = run(&arms, Ranking::ByDelta, args, command, &stop)?;
    deliver(args, &render_arms(&result, args.out.format, "arm")?, || {
        wedge_report::comparison_figures(&result)
    })?;
    runs_out(out, (&arms, &result), command, &stop)
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
    let params: Vec<Param> = flags
        .params
        .iter()
        .map(|p| wedge_scenario::overrides::parse_sweep_param(p))
        .map(|p| p.map(|(path, values)| Param { path, values }))
        .collect::<Result<_, _>>()
        .map_err(Failure::usage)?;
    let resolved = Resolved::read(&flags.scenario)?;
    let arms = Arms::sweep(&resolved, params, design, args.seed())?;
    args.guard(out, &resolved.inputs)?;
    let stop = interrupt_flag();
    let mut result = run(&arms, Ranking::AsGiven, args, command, &stop)?;
    result.attach_points(&arms.points);
    runs_out(out, (&arms, &result), command, &stop)?;
    deliver(
        args,
        &render_arms(&result, args.out.format, "point")?,
        || wedge_report::sweep_figures(&result, design, &arms.params),
    )
}
