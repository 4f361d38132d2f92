//! `wedge trace`: one run, turn by turn, and why it ended as it did.

use std::path::Path;

use serde::Serialize;
use wedge_core::dynamics::willingness_terms;
use wedge_core::events::EVENT_COUNT;
use wedge_core::run::draw_uncertainties;
use wedge_core::{EventKind, Observer, Partner, TurnRecord, WorldState, simulate};

use crate::args::Format;
use crate::failure::Failure;
use crate::output::{emit, json};

/// One turn of a trace.
#[derive(Debug, Clone, Serialize)]
pub struct TracedTurn {
    /// Turn index.
    pub turn: u32,
    /// Calendar year at the end of the turn.
    pub year: f64,
    /// Chosen option per decision, as `actor.decision=option`.
    pub choices: Vec<String>,
    /// Look-ahead utilities of the chosen options.
    pub utilities: Vec<f64>,
    /// Events that struck.
    pub events: Vec<String>,
    /// Willingness of Russia and China.
    pub willingness: [f64; 2],
    /// Strategic triangle.
    pub triangle: String,
    /// Whether the split rule was met at this turn.
    pub split: bool,
    /// The full state.
    pub state: WorldState,
}

struct Tracer {
    start_year: f64,
    turn_years: f64,
    labels: Vec<(String, Vec<String>)>,
    turns: Vec<TracedTurn>,
}

impl Observer for Tracer {
    fn turn(&mut self, r: &TurnRecord<'_>) {
        let events: Vec<String> = (0..EVENT_COUNT)
            .filter(|i| r.events[*i])
            .map(|i| EventKind::ALL[i].name().to_string())
            .collect();
        self.turns.push(TracedTurn {
            turn: r.turn,
            year: self.start_year + (r.turn + 1) as f64 * self.turn_years,
            choices: r
                .choices
                .iter()
                .zip(&self.labels)
                .map(|(c, (d, opts))| format!("{d}={}", opts[*c]))
                .collect(),
            utilities: r
                .choices
                .iter()
                .zip(r.utilities)
                .map(|(c, u)| u[*c])
                .collect(),
            events,
            willingness: r.willingness,
            triangle: r.triangle.name().to_string(),
            split: r.split_now,
            state: *r.state,
        });
    }
}

/// `wedge trace`.
pub fn trace(scenario: &Path, seed: u64, run: u64, format: Format) -> Result<(), Failure> {
    let loaded = wedge_scenario::load(scenario)?;
    let model = &loaded.model;
    let spec = model.spec();
    let labels = model
        .decision_slots()
        .into_iter()
        .map(|s| (format!("{}.{}", s.actor.name(), s.decision), s.options))
        .collect();
    let mut tracer = Tracer {
        start_year: spec.start_year,
        turn_years: spec.turn_years,
        labels,
        turns: Vec::new(),
    };
    let summary = simulate(model, seed, run, &mut tracer);
    let (initial, params) = draw_uncertainties(model, seed, run);
    if format == Format::Json {
        #[derive(Serialize)]
        struct Trace<'a> {
            scenario: &'a str,
            seed: u64,
            run: u64,
            summary: wedge_core::RunSummary,
            turns: &'a [TracedTurn],
        }
        return emit(
            None,
            &json(&Trace {
                scenario: &spec.name,
                seed,
                run,
                summary,
                turns: &tracer.turns,
            })?,
        );
    }
    let mut s = format!("wedge trace: {}, seed {seed}, run {run}\n\n", spec.name);
    let mut previous: Vec<String> = Vec::new();
    for t in &tracer.turns {
        let changed: Vec<&String> = t.choices.iter().filter(|c| !previous.contains(c)).collect();
        let mut line = format!(
            "{:>7.2}  alignment {:+.2}  willingness RU {:+.2} CN {:+.2}  {}",
            t.year, t.state.alignment, t.willingness[0], t.willingness[1], t.triangle
        );
        if !changed.is_empty() {
            line += &format!(
                "  | now: {}",
                changed
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        if !t.events.is_empty() {
            line += &format!("  | events: {}", t.events.join(", "));
        }
        if t.split {
            line += "  | SPLIT";
        }
        s += &line;
        s += "\n";
        previous = t.choices.clone();
    }
    match (summary.split_turn, summary.defector) {
        (Some(turn), Some(defector)) => {
            let at = &tracer.turns[turn as usize].state;
            s += &format!(
                "\nThe partnership split in {:.2}: {} broke away.\n",
                spec.start_year + (turn + 1) as f64 * spec.turn_years,
                defector.name()
            );
            s += &pressures(&initial, at, defector, &params);
        }
        _ => {
            s += &format!(
                "\nNo split within the horizon; final alignment {:+.2}.\n",
                summary.final_alignment
            )
        }
    }
    if let Some(last) = tracer.turns.last() {
        s += &willingness_table(&initial, &last.state, &params);
    }
    if let Some(t) = summary.russia_leader_change {
        s += &format!(
            "Russia's leader changed in {:.2}.\n",
            spec.start_year + (t + 1) as f64 * spec.turn_years
        );
    }
    emit(None, &s)
}

/// The willingness terms of the defector that moved most between the start and the split.
fn pressures(
    start: &WorldState,
    at_split: &WorldState,
    who: Partner,
    params: &wedge_core::Params,
) -> String {
    let before = willingness_terms(start, who, params);
    let after = willingness_terms(at_split, who, params);
    let mut moves: Vec<(&str, f64)> = before
        .iter()
        .zip(after.iter())
        .map(|((name, b), (_, a))| (*name, a - b))
        .collect();
    moves.sort_by(|a, b| a.1.total_cmp(&b.1));
    let mut s = format!(
        "Pressures on {}'s willingness since the start (most negative first):\n",
        who.name()
    );
    for (name, delta) in moves.iter().filter(|(_, d)| d.abs() > 1e-3) {
        s += &format!("  {name:<32} {delta:+.3}\n");
    }
    s
}

/// Each partner's willingness terms at the start and at the end of the run.
fn willingness_table(start: &WorldState, end: &WorldState, params: &wedge_core::Params) -> String {
    let mut s = String::from("\nWillingness terms, start → end:\n");
    s += &format!("  {:<32} {:>15} {:>15}\n", "", "russia", "china");
    let rows: Vec<_> = [Partner::Russia, Partner::China]
        .iter()
        .map(|p| {
            (
                willingness_terms(start, *p, params),
                willingness_terms(end, *p, params),
            )
        })
        .collect();
    for i in 0..rows[0].0.len() {
        s += &format!(
            "  {:<32} {:>+6.2} → {:>+6.2} {:>+6.2} → {:>+6.2}\n",
            rows[0].0[i].0, rows[0].0[i].1, rows[0].1[i].1, rows[1].0[i].1, rows[1].1[i].1
        );
    }
    s
}
