//! `wedge compare` and `wedge sweep`: arms built from scenarios, run pair by pair in the library.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use wedge_runner::{
    Arm, CompareError, CompareSettings, ComparisonResult, Design, Param, Ranking, RunTable,
    SweptValues, TableArm, check_not_drawn, point_name,
};
use wedge_scenario::arms;
use wedge_scenario::load::Resolved;

use crate::args::{BatchArgs, CompareArgs, Format, SweepArgs, SweepDesign, check_batch};
use crate::failure::Failure;
use crate::output::{emit, guard_outputs};
use crate::present::{interrupt_flag, progress, render, sibling, write_svg};

/// Run the arms with a progress bar, stopping at the next wave once `stop` is set (Ctrl-C).
fn run(
    arms: &[Arm],
    scenario: &str,
    hash: &str,
    ranking: Ranking,
    args: &BatchArgs,
    command: &str,
    stop: &AtomicBool,
) -> Result<ComparisonResult, Failure> {
    let settings = CompareSettings {
        scenario: scenario.to_string(),
        scenario_hash: hash.to_string(),
        seed: args.seed(),
        runs: args.runs(),
        target_ci: args.target_ci,
        command: command.to_string(),
    };
    let per = arms.len() as u64;
    let bar = progress(args.runs() * per, args.quiet);
    let result = wedge_runner::compare(arms, &settings, ranking, stop, &mut |done, planned| {
        bar.set_length(planned * per);
        bar.set_position(done * per);
    });
    bar.finish_and_clear();
    result.map_err(|e| match e {
        CompareError::Interrupted(_) => {
            Failure::runtime("interrupted by Ctrl-C or SIGTERM (no checkpoint: rerun the command)")
        }
        other => Failure::usage(other.to_string()),
    })
}

/// Write the per-run table of `arms` (run by run, every arm of a run together) for the
/// comparison's runs, with each arm's swept values in `p.` columns.
fn write_table(
    path: &Path,
    arms: &[Arm],
    set: (&[String], &[Vec<f64>]),
    result: &ComparisonResult,
    command: &str,
    stop: &AtomicBool,
) -> Result<(), Failure> {
    let (columns, values) = set;
    let table_arms = arms
        .iter()
        .enumerate()
        .map(|(i, arm)| TableArm {
            name: &arm.name,
            model: &arm.model,
            set: values.get(i).map_or(&[][..], Vec::as_slice),
        })
        .collect();
    let table = RunTable::new(table_arms, columns.to_vec(), result.seed);
    let hash = &result.manifest.plan.scenario_hash;
    crate::runs_out::write(
        path,
        &table,
        0..result.runs,
        result.runs,
        hash,
        command,
        stop,
    )
}

/// A named model as a comparison arm.
fn arm(named: wedge_scenario::NamedModel) -> Arm {
    Arm {
        name: named.name,
        model: named.model,
    }
}

/// `wedge compare`.
pub fn compare(flags: &CompareArgs, command: &str) -> Result<(), Failure> {
    let args = &flags.batch;
    check_batch(args)?;
    if let Some(path) = &flags.runs_out {
        crate::runs_out::check_path(path)?;
    }
    let (baseline_path, variants) = flags
        .scenarios
        .split_first()
        .ok_or_else(|| Failure::usage("give a baseline scenario"))?;
    let resolved = Resolved::read(baseline_path)?;
    let mut inputs = resolved.inputs.clone();
    inputs.extend(variants.iter().cloned());
    guard_outputs(&destinations(args, flags.runs_out.as_deref()), &inputs)?;
    let base = arms::baseline_arm(&resolved)?;
    let (base_name, base_hash) = (base.name.clone(), base.hash.clone());
    let mut arms = vec![arm(base)];
    for path in variants {
        let v = wedge_scenario::load(path)?;
        arms.push(Arm {
            name: v.model.spec().name.clone(),
            model: v.model,
        });
    }
    let mut lever_names: Vec<String> = flags.levers.clone();
    if flags.all_levers {
        lever_names.extend(arms::essay_lever_names(&resolved)?);
    }
    // A lever named twice is one arm.
    let mut seen = std::collections::HashSet::new();
    lever_names.retain(|name| seen.insert(name.clone()));
    for name in &lever_names {
        arms.push(arm(arms::lever_arm(&resolved, name)?));
    }
    if arms.len() < 2 {
        return Err(Failure::usage(
            "nothing to compare: give variant scenarios, --levers or --all-levers",
        ));
    }
    if let Some(post) = crate::calibrate::posterior_for(flags.ensemble.as_deref(), &resolved)? {
        let text = crate::calibrate::over_ensemble(
            &post,
            &resolved,
            variants,
            &lever_names,
            args,
            command,
            true,
        );
        return emit(args.output.as_deref(), &text?);
    }
    let stop = interrupt_flag();
    let result = run(
        &arms,
        &base_name,
        &base_hash,
        Ranking::ByDelta,
        args,
        command,
        &stop,
    )?;
    // The result first: a chart that fails must not lose it.
    emit(
        args.output.as_deref(),
        &render_arms(&result, args.format, "arm")?,
    )?;
    if let Some(path) = &flags.runs_out {
        write_table(path, &arms, (&[], &[]), &result, command, &stop)?;
    }
    if let Some(path) = &args.plot {
        let title = format!("Levers against {base_name} (paired, common random numbers)");
        write_svg(path, wedge_report::arms_forest_svg(&title, &result.arms))?;
        let survival = wedge_report::arms_survival_svg(&result.arms);
        write_svg(&sibling(path, "survival"), survival)?;
    }
    write_plot_data(args, || wedge_report::arms_plot_csv(&result.arms))
}

/// `-o`, `--plot` and `--plot-data` as given.
fn destinations<'a>(
    args: &'a BatchArgs,
    runs_out: Option<&'a std::path::Path>,
) -> [(&'static str, Option<&'a std::path::Path>); 4] {
    [
        ("-o", args.output.as_deref()),
        ("--plot", args.plot.as_deref()),
        ("--plot-data", args.plot_data.as_deref()),
        ("--runs-out", runs_out),
    ]
}

/// Write the data behind the charts to `--plot-data`, if given.
fn write_plot_data(args: &BatchArgs, csv: impl FnOnce() -> String) -> Result<(), Failure> {
    match &args.plot_data {
        Some(path) => crate::output::write_atomic(path, csv().as_bytes()),
        None => Ok(()),
    }
}

fn render_arms(r: &ComparisonResult, format: Format, label: &str) -> Result<String, Failure> {
    let text = |r: &ComparisonResult| wedge_report::comparison_text(r, label);
    let csv = |r: &ComparisonResult| wedge_report::comparison_csv(r, label);
    render(format, r, text, csv)
}

/// `wedge sweep`.
pub fn sweep(flags: &SweepArgs, command: &str) -> Result<(), Failure> {
    let args = &flags.batch;
    check_batch(args)?;
    if let Some(path) = &flags.runs_out {
        crate::runs_out::check_path(path)?;
    }
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
    let points = design
        .points(&params, args.seed())
        .map_err(|e| Failure::usage(e.to_string()))?;
    let resolved = Resolved::read(&flags.scenario)?;
    let base = arms::baseline_arm(&resolved)?;
    for p in &params {
        check_not_drawn(&base.model, &p.path).map_err(|e| Failure::usage(e.to_string()))?;
    }
    let mut arms = Vec::new();
    let mut hash = String::new();
    guard_outputs(
        &destinations(args, flags.runs_out.as_deref()),
        &resolved.inputs,
    )?;
    for point in &points {
        let named = arms::override_arm(&resolved, &point_name(point), point)?;
        if hash.is_empty() {
            hash = named.hash.clone();
        }
        arms.push(arm(named));
    }
    let stop = interrupt_flag();
    let mut result = run(
        &arms,
        resolved.name(),
        &hash,
        Ranking::AsGiven,
        args,
        command,
        &stop,
    )?;
    for arm in &mut result.arms {
        if let Some(point) = points.iter().find(|p| point_name(p) == arm.name) {
            arm.params = SweptValues(point.clone());
        }
    }
    if let Some(path) = &flags.runs_out {
        let columns: Vec<String> = params.iter().map(|p| p.path.clone()).collect();
        let values: Vec<Vec<f64>> = points
            .iter()
            .map(|point| point.iter().map(|(_, v)| *v).collect())
            .collect();
        write_table(path, &arms, (&columns, &values), &result, command, &stop)?;
    }
    emit(
        args.output.as_deref(),
        &render_arms(&result, args.format, "point")?,
    )?;
    if let Some(path) = &args.plot {
        let svg = match (design, params.as_slice()) {
            (Design::Grid, [x]) => wedge_report::sweep_curve_svg(&x.path, &x.values, &result.arms),
            (Design::Grid, [x, y]) => wedge_report::sweep_heatmap_svg(
                (&x.path, &x.values),
                (&y.path, &y.values),
                &result.arms,
            ),
            _ => wedge_report::design_points_svg(&result.arms),
        };
        write_svg(path, svg)?;
    }
    write_plot_data(args, || wedge_report::arms_plot_csv(&result.arms))
}
