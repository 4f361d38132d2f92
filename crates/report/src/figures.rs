//! Figures of typed results: each returns an SVG document.

use wedge_runner::{ArmSummary, MorrisEffect, RunResult, SurvivalPoint, TornadoBar};

use crate::ReportError;
use crate::charts::{Curve, Interval, forest_svg, heatmap_svg, sweep_svg};

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
    crate::charts::survival_svg_from(
        &format!("Survival of the partnership: {}", r.scenario),
        &[Curve {
            label: &r.scenario,
            points: curve_points(&r.survival),
        }],
        r.start_year,
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
    crate::charts::survival_svg_from(
        "Survival of the partnership by arm",
        &curves,
        arms.first().and_then(|a| a.start_year),
    )
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

/// The inputs of a design point from its name (`path=value path=value …`).
fn point_inputs(name: &str) -> Vec<(String, f64)> {
    name.split_whitespace()
        .filter_map(|part| {
            let (path, value) = part.split_once('=')?;
            Some((path.to_string(), value.parse().ok()?))
        })
        .collect()
}

/// The split probability at every point of a design (a Latin hypercube or a
/// grid of three or more inputs): one scatter panel of outcome against each
/// input. Arms whose names carry no inputs are drawn as a forest plot.
pub fn design_points_svg(arms: &[ArmSummary]) -> Result<String, ReportError> {
    let mut panels: Vec<crate::charts::Panel> = Vec::new();
    for a in arms {
        for (path, value) in point_inputs(&a.name) {
            let point = (value, a.split.probability, a.split.ci95[0], a.split.ci95[1]);
            match panels.iter_mut().find(|(p, _)| *p == path) {
                Some((_, pts)) => pts.push(point),
                None => panels.push((path, vec![point])),
            }
        }
    }
    if panels.is_empty() {
        let rows: Vec<Interval<'_>> = arms.iter().map(|a| split_row(&a.name, a)).collect();
        return forest_svg(
            "Split probability at each design point",
            "split probability, %",
            &rows,
        );
    }
    crate::charts::panels_svg(
        "Split probability against each input of the design",
        "split probability, %",
        &panels,
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

/// Morris screening: each uncertainty at (μ*, σ) — far right matters, high up
/// acts through interactions or non-linearly — labelled by name.
pub fn morris_svg(scenario: &str, effects: &[MorrisEffect]) -> Result<String, ReportError> {
    let points: Vec<(String, f64, f64)> = effects
        .iter()
        .map(|e| (e.uncertainty.clone(), e.mu_star * 100.0, e.sigma * 100.0))
        .collect();
    crate::charts::scatter_svg(
        &format!("Morris screening: {scenario}"),
        "μ*: mean |elementary effect| on the split probability, pp",
        "σ of the elementary effects, pp",
        &points,
    )
}
