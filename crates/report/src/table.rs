//! CSV tables: one row per measure, stable headers (docs/OUTPUT.md).

use wedge_runner::{ComparisonResult, RunResult, SensitivityResult};

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
