//! Text renderings of exploration results: Sobol indices and PRIM boxes.

use std::fmt::Write as _;

use wedge_analysis::Bounds;
use wedge_runner::{Discovery, SobolResult};

/// Noise share above which the text warns that replicates are too few.
pub const NOISE_WARNING: f64 = 0.05;

/// Sobol indices as a table per outcome, with the noise share and a warning when it is large.
pub fn sobol_text(r: &SobolResult) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "wedge sobol: {} — {} factors, {} base points × {} rows each = {} rows, × {} runs = {} runs, seed {}",
        r.manifest.plan.scenario,
        r.factors.len(),
        r.base,
        r.rows / r.base.max(1),
        r.rows,
        r.replicates,
        r.manifest.plan.runs,
        r.manifest.plan.seed
    );
    let width = r
        .factors
        .iter()
        .map(|f| f.name.chars().count())
        .max()
        .unwrap_or(6)
        .max(6);
    for o in &r.outcomes {
        let label = match o.outcome.as_str() {
            "split" => "Split within the horizon (share of a row's runs)".to_string(),
            "final_alignment" => "Final alignment (mean of a row's runs)".to_string(),
            other => other.to_string(),
        };
        let _ = writeln!(
            out,
            "\n{label}: mean {:.4}, variance across rows {:.3e}, noise share σ²/V = {:.3}",
            o.indices.mean, o.indices.variance, o.noise.share
        );
        let _ = writeln!(
            out,
            "  {:width$}  {:>16}  {:>16}",
            "factor", "S1 (95%)", "ST (95%)"
        );
        for (f, (s1, st)) in r
            .factors
            .iter()
            .zip(o.indices.first_order.iter().zip(&o.indices.total_order))
        {
            let _ = writeln!(
                out,
                "  {:width$}  {:>16}  {:>16}",
                f.name,
                estimate(s1.value, s1.conf),
                estimate(st.value, st.conf)
            );
        }
        if o.noise.share > NOISE_WARNING {
            let _ = writeln!(
                out,
                "  note: σ²/V above {NOISE_WARNING}: chance within a row's {} runs blurs the indices (S1 shrinks, ST grows); raise --replicates (about {} would bring it to {NOISE_WARNING}).",
                r.replicates,
                suggested_replicates(r.replicates, o.noise.share)
            );
        }
    }
    out
}

fn estimate(value: f64, conf: Option<f64>) -> String {
    match conf {
        Some(c) => format!("{value:.3} ± {c:.3}"),
        None => format!("{value:.3}"),
    }
}

/// Replicates that would bring the noise share to the warning level, if the
/// variance of the true row means stays put (σ² falls as 1/K).
fn suggested_replicates(k: u64, share: f64) -> u64 {
    // share = σ²/V with V = V_true + σ², so σ²_K = share·V and V_true = (1 − share)·V.
    let signal = (1.0 - share).max(1e-3);
    let target = NOISE_WARNING / (1.0 - NOISE_WARNING);
    ((k as f64) * share / signal / target).ceil().max(k as f64) as u64
}

/// A PRIM result as the EMA Workbench's `inspect` shows it: the trajectory,
/// then each chosen box with its restricted inputs, bounds and quasi-p values.
pub fn discovery_text(d: &Discovery, source: &str) -> String {
    let mut out = String::new();
    let rule = match d.rule {
        wedge_runner::CaseRule::IsOne => format!("{} = 1", d.outcome),
        wedge_runner::CaseRule::Below(c) => format!("{} < {c}", d.outcome),
        wedge_runner::CaseRule::Above(c) => format!("{} > {c}", d.outcome),
    };
    let _ = writeln!(
        out,
        "wedge discover: {source} — {} rows, {} cases of interest ({rule}), {} inputs",
        d.rows,
        d.cases,
        d.inputs.len()
    );
    if !d.constant.is_empty() {
        let _ = writeln!(out, "left out (never vary): {}", d.constant.join(", "));
    }
    if !d.repeated.is_empty() {
        let _ = writeln!(
            out,
            "left out (repeat an earlier input): {}",
            d.repeated.join(", ")
        );
    }
    for (i, b) in d.boxes.iter().enumerate() {
        let _ = writeln!(
            out,
            "\nBox {}: peeling trajectory over {} rows (coverage–density trade-off)",
            i + 1,
            b.rows_available
        );
        let _ = writeln!(
            out,
            "  {:>4}  {:>8}  {:>8}  {:>6}  {:>7}",
            "step", "coverage", "density", "mass", "res_dim"
        );
        for s in &b.trajectory {
            let mark = if Some(s.id) == b.selected {
                "  ◀ chosen"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "  {:>4}  {:>8.3}  {:>8.3}  {:>6.3}  {:>7}{mark}",
                s.id, s.coverage, s.density, s.mass, s.res_dim
            );
        }
        match &b.inspection {
            None => {
                let _ = writeln!(
                    out,
                    "  no step reaches density {:.2}; lower --threshold to choose one",
                    d.threshold
                );
            }
            Some(x) => {
                let _ = writeln!(
                    out,
                    "\n  chosen: step {} (best coverage with density ≥ {:.2}): coverage {:.3}, density {:.3}, mass {:.3}, {} of {} rows, {} restricted inputs",
                    x.step, d.threshold, x.coverage, x.density, x.mass, x.k, x.n, x.res_dim
                );
                let width = x
                    .restrictions
                    .iter()
                    .map(|r| r.name.chars().count())
                    .max()
                    .unwrap_or(5)
                    .max(5);
                let _ = writeln!(
                    out,
                    "  {:width$}  {:>10}  {:>10}  {:>9}  {:>9}",
                    "input", "min", "max", "qp low", "qp high"
                );
                for r in &x.restrictions {
                    let qp = |q: Option<f64>| q.map_or("—".to_string(), |q| format!("{q:.2e}"));
                    let star = if r.significant {
                        ""
                    } else {
                        "  (not significant)"
                    };
                    match &r.bounds {
                        Bounds::Numeric { low, high } => {
                            let _ = writeln!(
                                out,
                                "  {:width$}  {:>10.4}  {:>10.4}  {:>9}  {:>9}{star}",
                                r.name,
                                low,
                                high,
                                qp(r.qp_low),
                                qp(r.qp_high)
                            );
                        }
                        Bounds::Categorical { allowed } => {
                            let _ = writeln!(
                                out,
                                "  {:width$}  in {{{}}}  qp {}{star}",
                                r.name,
                                allowed.join(", "),
                                qp(r.qp_low.or(r.qp_high))
                            );
                        }
                    }
                }
            }
        }
    }
    out
}

/// Sobol indices as CSV: one row per outcome and factor.
pub fn sobol_csv(r: &SobolResult) -> String {
    let mut rows = Vec::new();
    for o in &r.outcomes {
        for (f, (s1, st)) in r
            .factors
            .iter()
            .zip(o.indices.first_order.iter().zip(&o.indices.total_order))
        {
            let conf = |c: Option<f64>| c.map_or(String::new(), |c| c.to_string());
            rows.push(vec![
                o.outcome.clone(),
                f.name.clone(),
                serde_plain_kind(f),
                s1.value.to_string(),
                conf(s1.conf),
                st.value.to_string(),
                conf(st.conf),
                o.noise.share.to_string(),
            ]);
        }
    }
    crate::csv_rows(
        &[
            "outcome",
            "factor",
            "kind",
            "s1",
            "s1_conf",
            "st",
            "st_conf",
            "noise_share",
        ],
        &rows,
    )
}

fn serde_plain_kind(f: &wedge_runner::SobolFactor) -> String {
    match f.kind {
        wedge_runner::FactorKind::Uncertainty => "uncertainty".into(),
        wedge_runner::FactorKind::Lever => "lever".into(),
    }
}

/// A PRIM result as CSV: the peeling trajectory of every box, the chosen steps marked.
pub fn discovery_csv(d: &Discovery) -> String {
    let mut rows = Vec::new();
    for (i, b) in d.boxes.iter().enumerate() {
        for s in &b.trajectory {
            rows.push(vec![
                (i + 1).to_string(),
                s.id.to_string(),
                s.coverage.to_string(),
                s.density.to_string(),
                s.mass.to_string(),
                s.res_dim.to_string(),
                s.n.to_string(),
                s.k.to_string(),
                u8::from(Some(s.id) == b.selected).to_string(),
            ]);
        }
    }
    crate::csv_rows(
        &[
            "box", "step", "coverage", "density", "mass", "res_dim", "n", "k", "chosen",
        ],
        &rows,
    )
}
