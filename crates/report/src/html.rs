//! A self-contained HTML report from typed wedge results (run, compare, sweep).

use wedge_runner::{ComparisonResult, Manifest, RunResult};

use crate::ReportError;
use crate::charts::{Curve, Interval, forest_svg, survival_svg};

/// A result that can go on the page.
#[derive(Debug, Clone)]
pub enum Document {
    /// A `wedge run` result.
    Run(Box<RunResult>),
    /// A `wedge compare` or `wedge sweep` result.
    Comparison(Box<ComparisonResult>),
}

impl Document {
    /// Read a `--format json` result of run, compare or sweep as the document it is.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(wedge_report::Document::from_json("{\"tornado\": []}").is_err());
    /// ```
    pub fn from_json(text: &str) -> Result<Document, ReportError> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            ReportError::Input(format!("not JSON (write results with --format json): {e}"))
        })?;
        let typed = if value.get("arms").is_some() {
            serde_json::from_value(value).map(|c| Document::Comparison(Box::new(c)))
        } else if value.get("survival").is_some() {
            serde_json::from_value(value).map(|r| Document::Run(Box::new(r)))
        } else {
            return Err(ReportError::Input(
                "neither a run nor a comparison result".into(),
            ));
        };
        typed.map_err(|e| ReportError::Input(e.to_string()))
    }
}

/// Escape text for HTML.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

fn interval(ci: [f64; 2]) -> String {
    format!("[{}, {}]", pct(ci[0]), pct(ci[1]))
}

fn manifest_table(m: &Manifest) -> String {
    let rows: [(&str, String); 9] = [
        ("wedge_version", m.plan.version.clone()),
        ("scenario", m.plan.scenario.clone()),
        ("scenario_hash", m.plan.scenario_hash.clone()),
        ("seed", m.plan.seed.to_string()),
        ("runs", m.plan.runs.to_string()),
        ("threads", m.threads.to_string()),
        ("wall_seconds", format!("{:?}", m.wall_seconds)),
        ("runs_per_second", format!("{:?}", m.runs_per_second)),
        ("command", m.command.clone()),
    ];
    let mut s = String::from("<table class=\"manifest\">");
    for (k, v) in rows {
        s += &format!("<tr><th>{}</th><td>{}</td></tr>", escape(k), escape(&v));
    }
    s + "</table>"
}

fn run_section(v: &RunResult) -> Result<String, ReportError> {
    let name = &v.scenario;
    let mut s = format!("<h2>Run: {}</h2>", escape(name));
    s += &format!(
        "<p>Split within {} years: <b>{}</b> {} ({} of {} runs). Who broke away: Russia {}, China {} of splits.</p>",
        v.horizon_years,
        pct(v.split.probability),
        interval(v.split.ci95),
        v.split.count,
        v.runs,
        pct(v.defectors.russia),
        pct(v.defectors.china)
    );
    let points: Vec<(f64, f64, f64, f64)> = v
        .survival
        .iter()
        .map(|p| (p.year, p.survival, p.ci95[0], p.ci95[1]))
        .collect();
    s += &survival_svg(
        &format!("Survival of the partnership: {name}"),
        &[Curve {
            label: name,
            points,
        }],
    )?;
    s += "<table><tr><th>year</th><th>survival</th><th>95% interval</th></tr>";
    for p in &v.survival {
        s += &format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            p.year,
            pct(p.survival),
            interval(p.ci95)
        );
    }
    s += "</table><h3>Strategic triangle (share of turns)</h3><table>";
    for (name, share) in &v.triangle {
        s += &format!("<tr><td>{}</td><td>{}</td></tr>", escape(name), pct(*share));
    }
    s += "</table>";
    Ok(s + &format!("<h3>Manifest</h3>{}", manifest_table(&v.manifest)))
}

fn compare_section(v: &ComparisonResult) -> Result<String, ReportError> {
    let base = v.arms.first().map_or("baseline", |a| a.name.as_str());
    let mut s = format!(
        "<h2>Comparison against {} ({} runs per arm, common random numbers)</h2>",
        escape(base),
        v.runs
    );
    let rows: Vec<Interval<'_>> = v
        .arms
        .iter()
        .skip(1)
        .map(|a| Interval {
            label: &a.name,
            estimate: a.delta.estimate * 100.0,
            low: a.delta.ci95[0] * 100.0,
            high: a.delta.ci95[1] * 100.0,
        })
        .collect();
    s += &forest_svg(
        "Change in split probability vs baseline (paired 95% interval)",
        "percentage points",
        &rows,
    )?;
    s += "<table><tr><th>rank</th><th>arm</th><th>split</th><th>95% interval</th><th>Δ vs baseline</th><th>Δ 95% interval (paired)</th><th>verdict</th></tr>";
    for (i, a) in v.arms.iter().enumerate() {
        s += &format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:+.2} pp</td><td>[{:+.2}, {:+.2}] pp</td><td>{}</td></tr>",
            if i == 0 {
                "baseline".to_string()
            } else {
                i.to_string()
            },
            escape(&a.name),
            pct(a.split.probability),
            interval(a.split.ci95),
            a.delta.estimate * 100.0,
            a.delta.ci95[0] * 100.0,
            a.delta.ci95[1] * 100.0,
            escape(&a.delta.verdict)
        );
    }
    s += "</table>";
    Ok(s + &format!("<h3>Manifest</h3>{}", manifest_table(&v.manifest)))
}

/// One page from any number of results, each with the name of its source.
pub fn report(results: &[(String, Document)]) -> Result<String, ReportError> {
    let mut body = String::new();
    for (source, doc) in results {
        body += &match doc {
            Document::Comparison(c) => compare_section(c)?,
            Document::Run(r) => run_section(r)?,
        };
        body += &format!("<p class=\"source\">from {}</p><hr>", escape(source));
    }
    Ok(format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>wedge report</title>\
<style>body{{font-family:sans-serif;max-width:960px;margin:2em auto;color:#222}}table{{border-collapse:collapse;margin:1em 0}}\
td,th{{border:1px solid #ccc;padding:4px 8px;text-align:left}}th{{background:#f4f4f4}}.source{{color:#777;font-size:small}}</style>\
</head><body><h1>wedge report</h1><p>Split probabilities of the China–Russia partnership, with 95% intervals; differences between arms are paired on common random numbers.</p>\n{body}</body></html>\n"
    ))
}
