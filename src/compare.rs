//! `wedge compare` and `wedge sweep`: arms built from scenarios, run pair by pair in the library.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use wedge_runner::{
    Arm, CompareError, ComparisonResult, Design, Param, Ranking, RunTable, point_name,
};
use wedge_scenario::NamedModel;
use wedge_scenario::arms;
use wedge_scenario::load::Resolved;

use crate::args::{
    BatchArgs, CompareArgs, DEFAULT_RUNS, Format, SweepArgs, SweepDesign, use_threads,
};
use crate::failure::Failure;
use crate::present::{deliver, interrupt_flag, render_with, with_progress};

/// Run the arms with a progress bar, stopping at the next wave once `stop` is set (Ctrl-C).
fn run(
    arms: &[Arm],
    (scenario, hash): (&str, &str),
    ranking: Ranking,
    args: &BatchArgs,
    command: &str,
    stop: &AtomicBool,
) -> Result<ComparisonResult, Failure> {
    let settings = args.settings((scenario, hash), DEFAULT_RUNS, command);
    let per = arms.len() as u64;
    with_progress(args.runs() * per, args.quiet, |bar| {
        wedge_runner::compare(arms, &settings, ranking, stop, &mut |done, planned| {
            bar.set_length(planned * per);
            bar.set_position(done * per);
        })
    })
    .map_err(|e| match e {
        CompareError::Interrupted(_) => Failure::interrupted_without_checkpoint(),
        other => Failure::usage(other.to_string()),
    })
}

/// Check the batch flags and `--runs-out` before reading any scenario.
fn check_flags(args: &BatchArgs, runs_out: Option<&Path>) -> Result<(), Failure> {
    use_threads(args.threads);
    runs_out.map_or(Ok(()), crate::runs_out::check_path)
}

/// Refuse outputs (`-o`, `--plot`, `--plot-data`, `--runs-out`) that are inputs or cannot be written.
fn guard(args: &BatchArgs, runs_out: Option<&Path>, inputs: &[PathBuf]) -> Result<(), Failure> {
    Ok(wedge_io::guard_outputs(&args.outputs(runs_out), inputs)?)
}

/// Named models as comparison arms, with the first one's name and hash.
fn as_arms(named: Vec<NamedModel>) -> (Vec<Arm>, String, String) {
    let (name, hash) = named
        .first()
        .map(|a| (a.name.clone(), a.hash.clone()))
        .unwrap_or_default();
    let arms = named
        .into_iter()
        .map(|a| Arm {
            name: a.name,
            model: a.model,
        })
        .collect();
    (arms, name, hash)
}

pub(crate) fn render_arms(
    r: &ComparisonResult,
    format: Format,
    label: &str,
) -> Result<String, Failure> {
    let text = |r: &ComparisonResult| wedge_report::comparison_text(r, label);
    let csv = |r: &ComparisonResult| wedge_report::comparison_csv(r, label);
    render_with(format, r, text, csv)
}

/// `wedge compare`.
pub fn compare(flags: &CompareArgs, command: &str) -> Result<(), Failure> {
    let args = &flags.batch;
    check_flags(args, flags.runs_out.as_deref())?;
    let (baseline_path, variants) = flags
        .scenarios
        .split_first()
        .ok_or_else(|| Failure::usage("give a baseline scenario"))?;
    let resolved = Resolved::read(baseline_path)?;
    let mut inputs = resolved.inputs.clone();
    inputs.extend(variants.iter().cloned());
    guard(args, flags.runs_out.as_deref(), &inputs)?;
    let named = arms::comparison_arms(&resolved, variants, &flags.levers, flags.all_levers)?;
    let (arms, base_name, base_hash) = as_arms(named);
    if arms.len() < 2 {
        return Err(Failure::usage(
            "nothing to compare: give variant scenarios, --levers or --all-levers",
        ));
    }
    if let Some(post) = crate::calibrate::posterior_for(
        flags.ensemble.as_deref(),
        &resolved,
        &args.outputs(flags.runs_out.as_deref()),
    )? {
        let text = crate::calibrate::over_ensemble(
            &post,
            &resolved,
            variants,
            &arms::lever_arm_names(&resolved, &flags.levers, flags.all_levers)?,
            args,
            command,
            true,
        );
        return crate::output::emit(args.out.output.as_deref(), &text?);
    }
    let stop = interrupt_flag();
    let scenario = (base_name.as_str(), base_hash.as_str());
    let result = run(&arms, scenario, Ranking::ByDelta, args, command, &stop)?;
    deliver(args, &render_arms(&result, args.out.format, "arm")?, || {
        wedge_report::comparison_figures(&result)
    })?;
    match &flags.runs_out {
        Some(path) => {
            let table = RunTable::from_arms(&arms, Vec::new(), &[], result.seed);
            let runs = (0..result.runs, result.runs);
            crate::runs_out::write(path, &table, runs, &base_hash, command, &stop)
        }
        None => Ok(()),
    }
}

/// `wedge sweep`.
pub fn sweep(flags: &SweepArgs, command: &str) -> Result<(), Failure> {
    let args = &flags.batch;
    check_flags(args, flags.runs_out.as_deref())?;
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
    let base = arms::baseline_arm(&resolved)?;
    let points = (design.sweep_points(&params, args.seed(), &base.model))
        .map_err(|e| Failure::usage(e.to_string()))?;
    guard(args, flags.runs_out.as_deref(), &resolved.inputs)?;
    let (arms, _, hash) = as_arms(arms::point_arms(&resolved, &points, point_name)?);
    let stop = interrupt_flag();
    let scenario = (resolved.name(), hash.as_str());
    let mut result = run(&arms, scenario, Ranking::AsGiven, args, command, &stop)?;
    result.attach_points(&points);
    if let Some(path) = &flags.runs_out {
        let columns: Vec<String> = params.iter().map(|p| p.path.clone()).collect();
        let values = wedge_runner::point_values(&points);
        let table = RunTable::from_arms(&arms, columns, &values, result.seed);
        let runs = (0..result.runs, result.runs);
        crate::runs_out::write(path, &table, runs, &hash, command, &stop)?;
    }
    deliver(
        args,
        &render_arms(&result, args.out.format, "point")?,
        || wedge_report::sweep_figures(&result, design, &params),
    )
}
