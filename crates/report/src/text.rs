//! Text tables: what the command line prints by default.

use wedge_runner::{
    ComparisonResult, Drift, Manifest, RunResult, Scoreboard, SensitivityResult, Trace,
    TracedDecision, Verdict,
};

/// A proportion's interval as a percentage range, `[a%, b%]`.
pub fn pct_interval(ci: [f64; 2]) -> String {
    format!("[{:.1}%, {:.1}%]", ci[0] * 100.0, ci[1] * 100.0)
}

/// The provenance line closing every text report.
pub fn manifest_line(m: &Manifest) -> String {
    format!(
        "\nscenario {} ({}), seed {}, wedge {}, {} threads, {:.2} s, {:.0} runs/s\n",
        m.plan.scenario,
        &m.plan.scenario_hash[..12.min(m.plan.scenario_hash.len())],
        m.plan.seed,
        m.plan.version,
        m.threads,
        m.wall_seconds,
        m.runs_per_second
    )
}

/// A run result as a readable report.
///
/// # Example
///
/// ```
/// use std::sync::atomic::AtomicBool;
/// use wedge_runner::{RunPlan, RunSession};
///
/// let model = wedge_core::Model::reference_2021();
/// let mut session = RunSession::new(&model, RunPlan::new("reference", "-", 1, 300), None);
/// session.run(&AtomicBool::new(false), &mut |_| {}).unwrap();
/// let text = wedge_report::run_text(&session.result("doc"));
/// assert!(text.contains("Split within"));
/// ```
pub fn run_text(r: &RunResult) -> String {
    let mut s = String::new();
    s += &format!(
        "wedge run: {} — {} runs, seed {}\n\n",
        r.scenario, r.runs, r.seed
    );
    s += &format!(
        "Split within {:.0} years: {:.1}% {} ({} of {} runs)\n",
        r.horizon_years,
        r.split.probability * 100.0,
        pct_interval(r.split.ci95),
        r.split.count,
        r.runs
    );
    if let Some(e) = &r.ensemble {
        s += &format!(
            "Across {} posterior draws: median {:.1}%, 5–95% of draws [{:.1}%, {:.1}%]\n",
            e.draws,
            e.split.median * 100.0,
            e.split.p05 * 100.0,
            e.split.p95 * 100.0
        );
    }
    s += &match r.median_years_to_split {
        Some(m) => format!("Median time to split: {m:.2} years\n"),
        None => "Median time to split: not reached (fewer than half the runs split)\n".to_string(),
    };
    s += &format!(
        "Who broke away: Russia {:.0}%, China {:.0}% of splits\n",
        r.defectors.russia * 100.0,
        r.defectors.china * 100.0
    );
    s += &format!(
        "Russian leadership change: in {:.0}% of runs; split hazard {:.3}/yr before, {:.3}/yr after; {:.0}% of splits came after one\n\n",
        r.leadership.change_share * 100.0,
        r.leadership.hazard_before,
        r.leadership.hazard_after,
        r.leadership.splits_after_change_share * 100.0
    );
    s += "Survival of the partnership (Kaplan–Meier, 95% interval)\n";
    for p in &r.survival {
        s += &format!(
            "  year {:>4.1}  {:>6.1}%  {}\n",
            p.year,
            p.survival * 100.0,
            pct_interval(p.ci95)
        );
    }
    s += "\nStrategic triangle (share of turns)\n";
    for (name, share) in &r.triangle {
        s += &format!("  {name:<18} {:>5.1}%\n", share * 100.0);
    }
    s += "\nPolicies chosen (share of turns)\n";
    for p in &r.policies {
        let opts: Vec<String> = p
            .options
            .iter()
            .map(|(o, v)| format!("{o} {:.0}%", v * 100.0))
            .collect();
        s += &format!("  {:<15} {:<14} {}\n", p.actor, p.decision, opts.join(", "));
    }
    s += "\nKey variables: mean [5%, 95%] at the horizon\n";
    for t in &r.trajectories {
        if let (Some(first), Some(last)) = (t.points.first(), t.points.last()) {
            s += &format!(
                "  {:<24} year {:.0}: {:.2} → year {:.0}: {:.2} [{:.2}, {:.2}]\n",
                t.variable, first.year, first.mean, last.year, last.mean, last.p05, last.p95
            );
        }
    }
    s += &manifest_line(&r.manifest);
    s
}

/// A comparison or sweep as a table; `label` names the rows (`arm` or `point`).
///
/// # Example
///
/// ```
/// use std::sync::atomic::AtomicBool;
/// use wedge_runner::{Arm, CompareSettings, Ranking, RunPlan, compare};
///
/// let model = wedge_core::Model::reference_2021();
/// let arms = vec![
///     Arm { name: "baseline".into(), model: model.clone() },
///     Arm { name: "same again".into(), model },
/// ];
/// let settings = CompareSettings::new(RunPlan::new("reference", "none", 1, 200), None, "doc");
/// let result = compare(&arms, &settings, Ranking::ByDelta, &AtomicBool::new(false), &mut |_, _| {})
///     .unwrap();
/// let text = wedge_report::comparison_text(&result, "arm");
/// assert!(text.contains("same again"));
/// let csv = wedge_report::comparison_csv(&result, "arm");
/// assert_eq!(csv.lines().count(), 3); // a header and one row per arm
/// ```
pub fn comparison_text(r: &ComparisonResult, label: &str) -> String {
    let width = r
        .arms
        .iter()
        .map(|a| a.name.len())
        .max()
        .unwrap_or(10)
        .max(label.len());
    let mut s = format!(
        "wedge compare: {} runs per {label}, seed {}, common random numbers\n\n",
        r.runs, r.seed
    );
    s += &format!(
        "{:<width$}  {:>7}  {:<17}  {:>8}  {:<19}  {:>9}  {:>7}  verdict\n",
        label, "split", "95% CI", "Δ", "Δ 95% CI (paired)", "relative", "Δmedian"
    );
    for a in &r.arms {
        let relative = a
            .delta
            .relative
            .map_or("—".to_string(), |x| format!("{:+.0}%", x * 100.0));
        let shift = a
            .delta
            .median_shift_years
            .map_or("—".to_string(), |x| format!("{x:+.2}y"));
        s += &format!(
            "{:<width$}  {:>6.1}%  {:<17}  {:>+7.2}pp  [{:+.2}, {:+.2}]pp  {:>9}  {:>7}  {}\n",
            a.name,
            a.split.probability * 100.0,
            pct_interval(a.split.ci95),
            a.delta.estimate * 100.0,
            a.delta.ci95[0] * 100.0,
            a.delta.ci95[1] * 100.0,
            relative,
            shift,
            a.delta.verdict
        );
    }
    s += &ensemble_text(r, width, label);
    s += &manifest_line(&r.manifest);
    s
}

/// The arms across an ensemble's draws: the effect's band, the share of draws
/// in which each helps, and its regret (empty without an ensemble).
fn ensemble_text(r: &ComparisonResult, width: usize, label: &str) -> String {
    let Some(draws) = r
        .arms
        .iter()
        .find_map(|a| a.ensemble.as_ref())
        .map(|e| e.draws)
    else {
        return String::new();
    };
    let mut s = format!(
        "\nAcross {draws} posterior draws (what we don't know about the coefficients; Monte Carlo above pools every draw)\n"
    );
    s += &format!(
        "{:<width$}  {:>8}  {:<19}  {:>6}  {:>9}  {:>9}\n",
        label, "Δ median", "Δ 5–95% of draws", "helps", "regret90", "regretmax"
    );
    for a in &r.arms {
        let Some(e) = &a.ensemble else { continue };
        let regret = r.regret.iter().find(|g| g.arm == a.name);
        s += &format!(
            "{:<width$}  {:>+6.2}pp  [{:+.2}, {:+.2}]pp  {:>5.0}%  {:>7.2}pp  {:>7.2}pp\n",
            a.name,
            e.effect.median * 100.0,
            e.effect.p05 * 100.0,
            e.effect.p95 * 100.0,
            e.helps_share * 100.0,
            regret.map_or(f64::NAN, |g| g.p90 * 100.0),
            regret.map_or(f64::NAN, |g| g.max * 100.0),
        );
    }
    s
}

/// A sensitivity analysis: the tornado and the Morris effects.
pub fn sensitivity_text(r: &SensitivityResult) -> String {
    let mut s = format!(
        "wedge sensitivity: {} — {} runs per point, seed {}; baseline split {:.1}%\n\nTornado (each uncertainty at the ends of its support, the rest drawn)\n",
        r.scenario,
        r.runs,
        r.seed,
        r.baseline.split.probability * 100.0
    );
    for t in &r.tornado {
        s += &format!(
            "  {:<24} low {:>8.4} → {:>5.1}%   high {:>8.4} → {:>5.1}%   swing {:>+6.1} pp\n",
            t.uncertainty,
            t.low_value,
            t.low.split.probability * 100.0,
            t.high_value,
            t.high.split.probability * 100.0,
            t.swing * 100.0
        );
    }
    s += &format!(
        "\nMorris elementary effects ({} trajectories; effect of moving a factor across its whole support)\n",
        r.trajectories
    );
    for m in &r.morris {
        s += &format!(
            "  {:<24} μ* {:>6.3} [{:.3}, {:.3}]   μ {:>+6.3}   σ {:>6.3}\n",
            m.uncertainty, m.mu_star, m.mu_star_ci95[0], m.mu_star_ci95[1], m.mu, m.sigma
        );
    }
    s + &format!("\n{:.2} s\n", r.wall_seconds)
}

/// The suite scoreboard as a table.
pub fn scoreboard_text(board: &Scoreboard) -> String {
    let mut s = format!(
        "wedge suite: {} runs per scenario, seed {}\n\n",
        board.runs, board.seed
    );
    s += &format!(
        "{:<40} {:>7}  {:<17} {:>8}  {:>7} {:>7}\n",
        "scenario file", "split", "95% CI", "median", "Russia", "China"
    );
    for sc in &board.scores {
        s += &format!(
            "{:<40} {:>6.1}%  [{:>5.1}%, {:>5.1}%] {:>8}  {:>6.0}% {:>6.0}%\n",
            sc.file,
            sc.split_probability * 100.0,
            sc.ci95[0] * 100.0,
            sc.ci95[1] * 100.0,
            sc.median_years_to_split
                .map_or("—".into(), |m| format!("{m:.2}y")),
            sc.russia_defects * 100.0,
            sc.china_defects * 100.0
        );
    }
    s
}

/// Each scenario against a saved scoreboard (see [`Scoreboard::against`]).
pub fn drift_text(saved: &Scoreboard, drift: &[Drift]) -> String {
    let mut text = format!(
        "\nAgainst the saved scoreboard ({} runs, seed {}):\n",
        saved.runs, saved.seed
    );
    for d in drift {
        text += &match d {
            Drift::New { file } => format!("  {file:<40} new (not in the saved scoreboard)\n"),
            Drift::Missing { file } => {
                format!("  {file:<40} missing (in the saved scoreboard only)\n")
            }
            Drift::Scored {
                file,
                before,
                after,
                verdict,
            } => format!(
                "  {:<40} {:>6.1}% → {:>6.1}%  {}\n",
                file,
                before * 100.0,
                after * 100.0,
                match verdict {
                    Verdict::Moved => "MOVED beyond its interval",
                    Verdict::Identical => "identical",
                    Verdict::Within => "within its interval",
                }
            ),
        };
    }
    text
}

/// `actor.decision=option`, with why: the utility margin, or "imposed".
fn explained(d: &TracedDecision) -> String {
    match d.margin() {
        Some((margin, other)) => format!("{}={} [u {margin:+.4} vs {other}]", d.decision, d.chosen),
        None => format!("{}={} [imposed]", d.decision, d.chosen),
    }
}

/// One run's story, turn by turn.
pub fn trace_text(trace: &Trace) -> String {
    let mut s = format!(
        "wedge trace: {}, seed {}, run {}\n\
         Each turn lists the choices that changed; [u +x vs y] is the chosen option's \
         look-ahead utility less the best alternative's (negative: the logit draw took a \
         worse option).\n\n",
        trace.scenario, trace.seed, trace.run
    );
    let mut previous: &[TracedDecision] = &[];
    for t in &trace.turns {
        let changed: Vec<String> = t
            .decisions
            .iter()
            .enumerate()
            .filter(|(i, d)| previous.get(*i).is_none_or(|p| p.chosen != d.chosen))
            .map(|(_, d)| explained(d))
            .collect();
        let mut line = format!(
            "{:>7.2}  alignment {:+.2}  willingness RU {:+.2} CN {:+.2}  {}",
            t.year, t.state.alignment, t.willingness[0], t.willingness[1], t.triangle
        );
        if !changed.is_empty() {
            line += &format!("  | now: {}", changed.join(", "));
        }
        if !t.events.is_empty() {
            line += &format!("  | events: {}", t.events.join(", "));
        }
        if t.split {
            line += "  | SPLIT";
        }
        s += &line;
        s += "\n";
        previous = &t.decisions;
    }
    match &trace.split {
        Some(split) => {
            s += &format!(
                "\nThe partnership split in {:.2}: {} broke away.\n",
                split.year, split.defector
            );
            s += &match &split.decision {
                Some(d) => format!(
                    "Decided by {}: {} chose {} in {:.2}{}.\n",
                    d.actor,
                    d.decision,
                    d.option,
                    d.year,
                    match (d.margin, &d.runner_up) {
                        (Some(m), Some(r)) =>
                            format!(", on a utility margin of {m:+.4} per year over {r}"),
                        _ => " (imposed by the scenario)".to_string(),
                    }
                ),
                None => {
                    "No partner chose to step away: the alignment drifted below the threshold.\n"
                        .to_string()
                }
            };
            s += &format!(
                "Pressures on {}'s willingness since the start (most negative first):\n",
                split.defector
            );
            for (name, delta) in split.pressures.iter().filter(|(_, d)| d.abs() > 1e-3) {
                s += &format!("  {name:<32} {delta:+.3}\n");
            }
        }
        None => {
            s += &format!(
                "\nNo split within the horizon; final alignment {:+.2}.\n",
                trace.summary.final_alignment
            )
        }
    }
    s += &yearly_variables(trace);
    if !trace.willingness_terms.is_empty() {
        s += "\nWillingness terms, start → end:\n";
        s += &format!("  {:<32} {:>15} {:>15}\n", "", "russia", "china");
        for (name, [rs, re, cs, ce]) in &trace.willingness_terms {
            s += &format!("  {name:<32} {rs:>+6.2} → {re:>+6.2} {cs:>+6.2} → {ce:>+6.2}\n");
        }
    }
    if let Some(year) = trace.russia_leader_change_year {
        s += &format!("Russia's leader changed in {year:.2}.\n");
    }
    s
}

/// The key variables at the first turn end of each calendar year, and at the split.
fn yearly_variables(trace: &Trace) -> String {
    let mut s = String::from(
        "\nKey variables at each year's end:\n     year  align  rapport  RU need  RU resent  RU tension  CN tension  RU sanct  RU aggr  RU elites\n",
    );
    let year_ends = trace
        .turns
        .iter()
        .filter(|t| t.year.floor() > (t.year - trace.turn_years).floor() || t.split);
    for t in year_ends {
        let (r, c) = (&t.state.russia, &t.state.china);
        s += &format!(
            "  {:>7.2}  {:>+5.2}  {:>7.2}  {:>7.2}  {:>9.2}  {:>10.2}  {:>10.2}  {:>8.2}  {:>7.2}  {:>+9.2}{}\n",
            t.year,
            t.state.alignment,
            t.state.rapport,
            t.russia_need,
            r.resentment,
            r.west_tension,
            c.west_tension,
            r.sanctions,
            r.aggression,
            r.elite_orientation,
            if t.split { "  split" } else { "" }
        );
    }
    s
}
