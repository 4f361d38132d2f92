//! `--plot` for batch commands and `wedge report`.

use std::path::{Path, PathBuf};

use wedge_report::charts::{Curve, Interval, forest_svg, survival_svg, sweep_svg};
use wedge_runner::compare::ArmSummary;
use wedge_runner::summary::{RunResult, SurvivalPoint};

use crate::failure::Failure;
use crate::output::write_atomic;

/// Check a `--plot` path before any work is done.
pub fn check_plot_path(path: Option<&Path>) -> Result<(), Failure> {
    match path {
        Some(p) if p.extension().is_none_or(|e| e != "svg") => Err(Failure::usage(format!(
            "--plot {}: charts are written as SVG (no fonts needed); give a path ending in .svg",
            p.display()
        ))),
        _ => Ok(()),
    }
}

fn curve_points(points: &[SurvivalPoint]) -> Vec<(f64, f64, f64, f64)> {
    points
        .iter()
        .map(|p| (p.year, p.survival, p.ci95[0], p.ci95[1]))
        .collect()
}

fn draw_failed(e: wedge_report::ReportError) -> Failure {
    Failure::runtime(e.to_string())
}

/// Survival curve of one run result.
pub fn plot_run(path: &Path, r: &RunResult) -> Result<(), Failure> {
    let svg = survival_svg(
        &format!("Survival of the partnership: {}", r.scenario),
        &[Curve {
            label: &r.scenario,
            points: curve_points(&r.survival),
        }],
    )
    .map_err(draw_failed)?;
    write_atomic(path, svg.as_bytes())
}

/// An arm's paired delta as a forest-plot row, in percentage points.
fn delta_row<'a>(label: &'a str, arm: &ArmSummary) -> Interval<'a> {
    let d = &arm.delta;
    Interval {
        label,
        estimate: d.estimate * 100.0,
        low: d.ci95[0] * 100.0,
        high: d.ci95[1] * 100.0,
    }
}

/// An arm's split probability as a forest-plot row, in percent.
fn split_row<'a>(label: &'a str, arm: &ArmSummary) -> Interval<'a> {
    let p = &arm.split;
    Interval {
        label,
        estimate: p.probability * 100.0,
        low: p.ci95[0] * 100.0,
        high: p.ci95[1] * 100.0,
    }
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "plot".into());
    path.with_file_name(format!("{stem}-{suffix}.svg"))
}

/// Forest plot of deltas (to `path`) and survival curves per arm (to `path` with `-survival`).
pub fn plot_arms(path: &Path, title: &str, arms: &[ArmSummary]) -> Result<(), Failure> {
    let rows: Vec<Interval<'_>> = arms.iter().skip(1).map(|a| delta_row(&a.name, a)).collect();
    let forest = forest_svg(
        title,
        "change in split probability, percentage points (paired 95% interval)",
        &rows,
    )
    .map_err(draw_failed)?;
    write_atomic(path, forest.as_bytes())?;
    let curves: Vec<Curve<'_>> = arms
        .iter()
        .map(|a| Curve {
            label: &a.name,
            points: curve_points(&a.survival),
        })
        .collect();
    let survival =
        survival_svg("Survival of the partnership by arm", &curves).map_err(draw_failed)?;
    write_atomic(&sibling(path, "survival"), survival.as_bytes())
}

/// Sweep curve over one parameter.
pub fn plot_sweep(
    path: &Path,
    param: &str,
    values: &[f64],
    arms: &[ArmSummary],
) -> Result<(), Failure> {
    let points: Vec<(f64, f64, f64, f64)> = values
        .iter()
        .zip(arms)
        .map(|(x, a)| (*x, a.split.probability, a.split.ci95[0], a.split.ci95[1]))
        .collect();
    let svg = sweep_svg(
        &format!("Split probability against {param}"),
        param,
        &points,
    )
    .map_err(draw_failed)?;
    write_atomic(path, svg.as_bytes())
}

/// Heat map of split probability over a two-parameter grid (the first varies slowest).
pub fn plot_heatmap(
    path: &Path,
    x: (&str, &[f64]),
    y: (&str, &[f64]),
    arms: &[ArmSummary],
) -> Result<(), Failure> {
    let cells: Vec<f64> = arms.iter().map(|a| a.split.probability).collect();
    let svg = wedge_report::charts::heatmap_svg("Split probability", x, y, &cells)
        .map_err(draw_failed)?;
    write_atomic(path, svg.as_bytes())
}

/// Split probability at every point of a design, as a forest plot.
pub fn plot_points(path: &Path, arms: &[ArmSummary]) -> Result<(), Failure> {
    let rows: Vec<Interval<'_>> = arms.iter().map(|a| split_row(&a.name, a)).collect();
    let svg = forest_svg(
        "Split probability at each design point",
        "split probability, %",
        &rows,
    )
    .map_err(draw_failed)?;
    write_atomic(path, svg.as_bytes())
}

/// `wedge report`.
pub fn report(results: &[PathBuf], output: &Path) -> Result<(), Failure> {
    let mut parsed = Vec::new();
    for path in results {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?;
        let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
            Failure::usage(format!(
                "{} is not a JSON result (write one with --format json): {e}",
                path.display()
            ))
        })?;
        parsed.push((path.display().to_string(), value));
    }
    let html = wedge_report::html::report(&parsed).map_err(|e| Failure::usage(e.to_string()))?;
    write_atomic(output, html.as_bytes())?;
    eprintln!("wrote {}", output.display());
    Ok(())
}

/// Tornado: the low and high arms' deltas for each uncertainty, widest first.
pub fn plot_tornado(
    path: &Path,
    scenario: &str,
    bars: &[crate::sensitivity::TornadoBar],
) -> Result<(), Failure> {
    let labels: Vec<(String, String)> = bars
        .iter()
        .map(|b| {
            (
                format!("{} low", b.uncertainty),
                format!("{} high", b.uncertainty),
            )
        })
        .collect();
    let mut rows = Vec::new();
    for (b, (lo, hi)) in bars.iter().zip(&labels) {
        for (label, arm) in [(lo, &b.low), (hi, &b.high)] {
            rows.push(delta_row(label, arm));
        }
    }
    let svg = forest_svg(
        &format!("Tornado: {scenario}"),
        "change in split probability vs all drawn, percentage points",
        &rows,
    )
    .map_err(draw_failed)?;
    write_atomic(path, svg.as_bytes())
}
