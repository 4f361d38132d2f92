//! A self-contained HTML report from wedge JSON results (run, compare, sweep).

use serde_json::Value;

use crate::ReportError;
use crate::charts::{Curve, Interval, forest_svg, survival_svg};

/// Escape text for HTML.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

fn pct(v: &Value) -> String {
    format!("{:.1}%", num(v) * 100.0)
}

fn interval(v: &Value) -> String {
    format!("[{}, {}]", pct(&v[0]), pct(&v[1]))
}

fn manifest_table(m: &Value) -> String {
    let mut s = String::from("<table class=\"manifest\">");
    if let Some(map) = m.as_object() {
        for (k, v) in map {
            let text = match v {
                Value::String(t) => t.clone(),
                other => other.to_string(),
            };
            s += &format!("<tr><th>{}</th><td>{}</td></tr>", escape(k), escape(&text));
        }
    }
    s + "</table>"
}

fn run_section(v: &Value) -> Result<String, ReportError> {
    let name = v["scenario"].as_str().unwrap_or("scenario");
    let mut s = format!("<h2>Run: {}</h2>", escape(name));
    s += &format!(
        "<p>Split within {} years: <b>{}</b> {} ({} of {} runs). Who broke away: Russia {}, China {} of splits.</p>",
        num(&v["horizon_years"]),
        pct(&v["split"]["probability"]),
        interval(&v["split"]["ci95"]),
        v["split"]["count"],
        v["runs"],
        pct(&v["defectors"]["russia"]),
        pct(&v["defectors"]["china"])
    );
    let points: Vec<(f64, f64, f64, f64)> = v["survival"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            (
                num(&p["year"]),
                num(&p["survival"]),
                num(&p["ci95"][0]),
                num(&p["ci95"][1]),
            )
        })
        .collect();
    s += &survival_svg(
        &format!("Survival of the partnership: {name}"),
        &[Curve {
            label: name,
            points,
        }],
    )?;
    s += "<table><tr><th>year</th><th>survival</th><th>95% interval</th></tr>";
    for p in v["survival"].as_array().into_iter().flatten() {
        s += &format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            num(&p["year"]),
            pct(&p["survival"]),
            interval(&p["ci95"])
        );
    }
    s += "</table><h3>Strategic triangle (share of turns)</h3><table>";
    for t in v["triangle"].as_array().into_iter().flatten() {
        s += &format!(
            "<tr><td>{}</td><td>{}</td></tr>",
            escape(t[0].as_str().unwrap_or("")),
            pct(&t[1])
        );
    }
    s += "</table>";
    Ok(s + &format!("<h3>Manifest</h3>{}", manifest_table(&v["manifest"])))
}

fn compare_section(v: &Value) -> Result<String, ReportError> {
    let arms: Vec<&Value> = v["arms"].as_array().into_iter().flatten().collect();
    let base = arms
        .first()
        .and_then(|a| a["name"].as_str())
        .unwrap_or("baseline");
    let mut s = format!(
        "<h2>Comparison against {} ({} runs per arm, common random numbers)</h2>",
        escape(base),
        v["runs"]
    );
    let rows: Vec<Interval<'_>> = arms
        .iter()
        .skip(1)
        .map(|a| Interval {
            label: a["name"].as_str().unwrap_or(""),
            estimate: num(&a["delta"]["estimate"]) * 100.0,
            low: num(&a["delta"]["ci95"][0]) * 100.0,
            high: num(&a["delta"]["ci95"][1]) * 100.0,
        })
        .collect();
    s += &forest_svg(
        "Change in split probability vs baseline (paired 95% interval)",
        "percentage points",
        &rows,
    )?;
    s += "<table><tr><th>rank</th><th>arm</th><th>split</th><th>95% interval</th><th>Δ vs baseline</th><th>Δ 95% interval (paired)</th><th>verdict</th></tr>";
    for (i, a) in arms.iter().enumerate() {
        s += &format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:+.2} pp</td><td>[{:+.2}, {:+.2}] pp</td><td>{}</td></tr>",
            if i == 0 {
                "baseline".to_string()
            } else {
                i.to_string()
            },
            escape(a["name"].as_str().unwrap_or("")),
            pct(&a["split"]["probability"]),
            interval(&a["split"]["ci95"]),
            num(&a["delta"]["estimate"]) * 100.0,
            num(&a["delta"]["ci95"][0]) * 100.0,
            num(&a["delta"]["ci95"][1]) * 100.0,
            escape(a["delta"]["verdict"].as_str().unwrap_or(""))
        );
    }
    s += "</table>";
    Ok(s + &format!("<h3>Manifest</h3>{}", manifest_table(&v["manifest"])))
}

/// One page from any number of results (each a parsed `--format json` output).
pub fn report(results: &[(String, Value)]) -> Result<String, ReportError> {
    let mut body = String::new();
    for (source, v) in results {
        if v.get("arms").is_some() {
            body += &compare_section(v)?;
        } else if v.get("survival").is_some() {
            body += &run_section(v)?;
        } else {
            return Err(ReportError::Input(format!(
                "{source} is neither a run nor a comparison result"
            )));
        }
        body += &format!("<p class=\"source\">from {}</p><hr>", escape(source));
    }
    Ok(format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>wedge report</title>\
<style>body{{font-family:sans-serif;max-width:960px;margin:2em auto;color:#222}}table{{border-collapse:collapse;margin:1em 0}}\
td,th{{border:1px solid #ccc;padding:4px 8px;text-align:left}}th{{background:#f4f4f4}}.source{{color:#777;font-size:small}}</style>\
</head><body><h1>wedge report</h1><p>Split probabilities of the China–Russia partnership, with 95% intervals; differences between arms are paired on common random numbers.</p>\n{body}</body></html>\n"
    ))
}
