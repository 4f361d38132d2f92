//! Figures of typed results: each returns an SVG document.

use wedge_runner::{ArmSummary, RunResult, SurvivalPoint, TornadoBar};

use crate::ReportError;
use crate::charts::{Curve, Interval, forest_svg, heatmap_svg, survival_svg, sweep_svg};

fn curve_points(points: &[SurvivalPoint]) -> Vec<(f64, f64, f64, f64)> {
    points
        .iter()
        .map(|p| (p.year, p.survival, p.ci95[0], p.ci95[1]))
        .collect()
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

/// The survival curve of one run result.
pub fn run_survival_svg(r: &RunResult) -> Result<String, ReportError> {
    survival_svg(
        &format!("Survival of the partnership: {}", r.scenario),
        &[Curve {
            label: &r.scenario,
            points: curve_points(&r.survival),
        }],
    )
}

/// A forest plot of every arm's paired delta against the baseline (the first arm).
pub fn arms_forest_svg(title: &str, arms: &[ArmSummary]) -> Result<String, ReportError> {
    let rows: Vec<Interval<'_>> = arms.iter().skip(1).map(|a| delta_row(&a.name, a)).collect();
    forest_svg(
        title,
        "change in split probability, percentage points (paired 95% interval)",
        &rows,
    )
}

/// Survival curves of every arm.
pub fn arms_survival_svg(arms: &[ArmSummary]) -> Result<String, ReportError> {
    let curves: Vec<Curve<'_>> = arms
        .iter()
        .map(|a| Curve {
            label: &a.name,
            points: curve_points(&a.survival),
        })
        .collect();
    survival_svg("Survival of the partnership by arm", &curves)
}

/// The split probability along a one-parameter sweep.
pub fn sweep_curve_svg(
    param: &str,
    values: &[f64],
    arms: &[ArmSummary],
) -> Result<String, ReportError> {
    let points: Vec<(f64, f64, f64, f64)> = values
        .iter()
        .zip(arms)
        .map(|(x, a)| (*x, a.split.probability, a.split.ci95[0], a.split.ci95[1]))
        .collect();
    sweep_svg(
        &format!("Split probability against {param}"),
        param,
        &points,
    )
}

/// A heat map of split probability over a two-parameter grid (the first varies slowest).
pub fn sweep_heatmap_svg(
    x: (&str, &[f64]),
    y: (&str, &[f64]),
    arms: &[ArmSummary],
) -> Result<String, ReportError> {
    let cells: Vec<f64> = arms.iter().map(|a| a.split.probability).collect();
    heatmap_svg("Split probability", x, y, &cells)
}

/// The split probability at every point of a design, as a forest plot.
pub fn design_points_svg(arms: &[ArmSummary]) -> Result<String, ReportError> {
    let rows: Vec<Interval<'_>> = arms.iter().map(|a| split_row(&a.name, a)).collect();
    forest_svg(
        "Split probability at each design point",
        "split probability, %",
        &rows,
    )
}

/// A tornado: the low and high arms' deltas for each uncertainty, widest first.
pub fn tornado_svg(scenario: &str, bars: &[TornadoBar]) -> Result<String, ReportError> {
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
    forest_svg(
        &format!("Tornado: {scenario}"),
        "change in split probability vs all drawn, percentage points",
        &rows,
    )
}
