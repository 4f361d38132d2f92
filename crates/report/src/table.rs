//! CSV tables: one row per measure, stable headers (docs/OUTPUT.md).

use wedge_runner::{ComparisonResult, RunResult, Scoreboard, SensitivityResult, Trace};

/// Rows under a header, as CSV text.
pub fn csv_rows(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = csv::Writer::from_writer(Vec::new());
    let _ = out.write_record(header);
    for row in rows {
        let _ = out.write_record(row);
    }
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// A run result: the split probability and the survival curve.
pub fn run_csv(r: &RunResult) -> String {
    let mut rows = vec![vec![
        "split".into(),
        "".into(),
        r.split.probability.to_string(),
        r.split.ci95[0].to_string(),
        r.split.ci95[1].to_string(),
    ]];
    for p in &r.survival {
        rows.push(vec![
            "survival".into(),
            p.year.to_string(),
            p.survival.to_string(),
            p.ci95[0].to_string(),
            p.ci95[1].to_string(),
        ]);
    }
    csv_rows(
        &["measure", "year", "value", "ci95_low", "ci95_high"],
        &rows,
    )
}

/// A comparison or sweep, one row per arm; `label` heads the name column.
/// A sweep's points have one column per swept parameter instead of a name,
/// so the table is tidy (no packed `path=value` strings).
pub fn comparison_csv(r: &ComparisonResult, label: &str) -> String {
    let swept: Vec<String> = r
        .arms
        .iter()
        .find(|a| !a.params.is_empty())
        .map(|a| a.params.0.iter().map(|(p, _)| p.clone()).collect())
        .unwrap_or_default();
    let rows: Vec<Vec<String>> = r
        .arms
        .iter()
        .map(|a| {
            let mut row: Vec<String> = if swept.is_empty() {
                vec![a.name.clone()]
            } else {
                swept
                    .iter()
                    .map(|p| a.params.get(p).map_or(String::new(), |v| v.to_string()))
                    .collect()
            };
            row.extend([
                a.split.probability.to_string(),
                a.split.ci95[0].to_string(),
                a.split.ci95[1].to_string(),
                a.delta.estimate.to_string(),
                a.delta.ci95[0].to_string(),
                a.delta.ci95[1].to_string(),
                a.delta.verdict.clone(),
            ]);
            row
        })
        .collect();
    let mut header: Vec<&str> = if swept.is_empty() {
        vec![label]
    } else {
        swept.iter().map(String::as_str).collect()
    };
    header.extend([
        "split_probability",
        "split_ci95_low",
        "split_ci95_high",
        "delta",
        "delta_ci95_low",
        "delta_ci95_high",
        "verdict",
    ]);
    csv_rows(&header, &rows)
}

/// A sensitivity analysis: tornado rows, then Morris rows.
pub fn sensitivity_csv(r: &SensitivityResult) -> String {
    let mut rows: Vec<Vec<String>> = r
        .tornado
        .iter()
        .map(|t| {
            vec![
                "tornado".into(),
                t.uncertainty.clone(),
                t.low.split.probability.to_string(),
                t.high.split.probability.to_string(),
                t.swing.to_string(),
            ]
        })
        .collect();
    rows.extend(r.morris.iter().map(|m| {
        vec![
            "morris".into(),
            m.uncertainty.clone(),
            m.mu_star.to_string(),
            m.mu.to_string(),
            m.sigma.to_string(),
        ]
    }));
    csv_rows(&["design", "uncertainty", "a", "b", "c"], &rows)
}

/// A suite scoreboard, one row per scenario file.
pub fn scoreboard_csv(board: &Scoreboard) -> String {
    let rows: Vec<Vec<String>> = board
        .scores
        .iter()
        .map(|s| {
            vec![
                s.file.clone(),
                s.scenario.clone(),
                s.split_probability.to_string(),
                s.ci95[0].to_string(),
                s.ci95[1].to_string(),
                s.median_years_to_split
                    .map(|y| y.to_string())
                    .unwrap_or_default(),
                s.russia_defects.to_string(),
                s.china_defects.to_string(),
            ]
        })
        .collect();
    csv_rows(
        &[
            "file",
            "scenario",
            "split_probability",
            "ci95_low",
            "ci95_high",
            "median_years_to_split",
            "russia_defects",
            "china_defects",
        ],
        &rows,
    )
}

/// A traced run, one row per turn: the key state, willingness, triangle and events.
pub fn trace_csv(trace: &Trace) -> String {
    let rows: Vec<Vec<String>> = trace
        .turns
        .iter()
        .map(|t| {
            vec![
                t.turn.to_string(),
                t.year.to_string(),
                t.state.alignment.to_string(),
                t.willingness[0].to_string(),
                t.willingness[1].to_string(),
                t.triangle.clone(),
                t.split.to_string(),
                t.events.join(";"),
                t.decisions
                    .iter()
                    .map(|d| format!("{}={}", d.decision, d.chosen))
                    .collect::<Vec<_>>()
                    .join(";"),
            ]
        })
        .collect();
    csv_rows(
        &[
            "turn",
            "year",
            "alignment",
            "russia_willingness",
            "china_willingness",
            "triangle",
            "split",
            "events",
            "choices",
        ],
        &rows,
    )
}

/// Header of every `--plot-data` file: one row per plotted point.
const PLOT_HEADER: [&str; 7] = [
    "chart",
    "series",
    "x",
    "value",
    "ci95_low",
    "ci95_high",
    "unit",
];

fn plot_row(chart: &str, series: &str, x: String, v: [f64; 3], unit: &str) -> Vec<String> {
    vec![
        chart.into(),
        series.into(),
        x,
        v[0].to_string(),
        v[1].to_string(),
        v[2].to_string(),
        unit.into(),
    ]
}

fn survival_rows(
    rows: &mut Vec<Vec<String>>,
    series: &str,
    start: Option<f64>,
    points: &[wedge_runner::SurvivalPoint],
) {
    for p in points {
        let year = start.map_or(p.year, |s| s + p.year);
        rows.push(plot_row(
            "survival",
            series,
            year.to_string(),
            [p.survival, p.ci95[0], p.ci95[1]],
            "proportion",
        ));
    }
}

/// The data behind a run's chart (`--plot-data`): its survival curve, by calendar year.
pub fn run_plot_csv(r: &RunResult) -> String {
    let mut rows = Vec::new();
    survival_rows(&mut rows, &r.scenario, r.start_year, &r.survival);
    csv_rows(&PLOT_HEADER, &rows)
}

/// The data behind a comparison's or sweep's charts (`--plot-data`): each
/// arm's split probability and paired delta, and its survival curve.
pub fn arms_plot_csv(arms: &[wedge_runner::ArmSummary]) -> String {
    let mut rows = Vec::new();
    for a in arms {
        rows.push(plot_row(
            "split",
            &a.name,
            String::new(),
            [a.split.probability, a.split.ci95[0], a.split.ci95[1]],
            "proportion",
        ));
        rows.push(plot_row(
            "delta",
            &a.name,
            String::new(),
            [a.delta.estimate, a.delta.ci95[0], a.delta.ci95[1]],
            "proportion",
        ));
    }
    for a in arms {
        survival_rows(&mut rows, &a.name, a.start_year, &a.survival);
    }
    csv_rows(&PLOT_HEADER, &rows)
}

/// The data behind the tornado and Morris charts (`--plot-data`).
pub fn sensitivity_plot_csv(r: &SensitivityResult) -> String {
    let mut rows = Vec::new();
    for b in &r.tornado {
        for (end, value, arm) in [
            ("low", b.low_value, &b.low),
            ("high", b.high_value, &b.high),
        ] {
            rows.push(plot_row(
                "tornado",
                &format!("{} {end}", b.uncertainty),
                value.to_string(),
                [arm.delta.estimate, arm.delta.ci95[0], arm.delta.ci95[1]],
                "proportion",
            ));
        }
    }
    for m in &r.morris {
        rows.push(plot_row(
            "morris",
            &m.uncertainty,
            m.mu_star.to_string(),
            [m.sigma, m.mu_star_ci95[0], m.mu_star_ci95[1]],
            "proportion",
        ));
    }
    csv_rows(&PLOT_HEADER, &rows)
}
