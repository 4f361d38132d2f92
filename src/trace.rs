//! `wedge trace`: one run, turn by turn, and why it ended as it did.

use std::path::Path;

use serde::Serialize;
use wedge_core::dynamics::{need, willingness_terms};
use wedge_core::events::EVENT_COUNT;
use wedge_core::run::draw_uncertainties;
use wedge_core::{DecisionSlot, EventKind, Observer, Partner, TurnRecord, WorldState, simulate};

use crate::args::Format;
use crate::failure::Failure;
use crate::output::{emit, json};

/// The look-ahead utility an agent saw for one option.
#[derive(Debug, Clone, Serialize)]
pub struct OptionUtility {
    /// The option's name.
    pub option: String,
    /// Its look-ahead utility (the agent's weighted change in its features, per year).
    pub utility: f64,
}

/// One decision in one turn: what was taken and what each option promised.
#[derive(Debug, Clone, Serialize)]
pub struct TracedDecision {
    /// `actor.decision`.
    pub decision: String,
    /// The option taken.
    pub chosen: String,
    /// Whether the agent chose it; false when the scenario pins or schedules it.
    pub adaptive: bool,
    /// The utility of every option (empty when the decision is imposed).
    pub options: Vec<OptionUtility>,
}

impl TracedDecision {
    /// The chosen option's utility less the best alternative's, with that
    /// alternative's name; `None` for imposed decisions.
    pub fn margin(&self) -> Option<(f64, &str)> {
        let chosen = self.options.iter().find(|o| o.option == self.chosen)?;
        let best_other = self
            .options
            .iter()
            .filter(|o| o.option != self.chosen)
            .max_by(|a, b| a.utility.total_cmp(&b.utility))?;
        Some((chosen.utility - best_other.utility, &best_other.option))
    }

    /// `actor.decision=option`, with why: the utility margin, or "imposed".
    fn explained(&self) -> String {
        match self.margin() {
            Some((margin, other)) => format!(
                "{}={} [u {margin:+.4} vs {other}]",
                self.decision, self.chosen
            ),
            None => format!("{}={} [imposed]", self.decision, self.chosen),
        }
    }
}

/// One turn of a trace.
#[derive(Debug, Clone, Serialize)]
pub struct TracedTurn {
    /// Turn index.
    pub turn: u32,
    /// Calendar year at the end of the turn.
    pub year: f64,
    /// Every decision: the option taken and the utilities of all its options.
    pub decisions: Vec<TracedDecision>,
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
    slots: Vec<DecisionSlot>,
    turns: Vec<TracedTurn>,
}

impl Observer for Tracer {
    fn turn(&mut self, r: &TurnRecord<'_>) {
        let events: Vec<String> = (0..EVENT_COUNT)
            .filter(|i| r.events[*i])
            .map(|i| EventKind::ALL[i].name().to_string())
            .collect();
        let decisions: Vec<TracedDecision> = self
            .slots
            .iter()
            .zip(r.choices.iter().zip(r.utilities))
            .map(|(slot, (&chosen, utilities))| TracedDecision {
                decision: format!("{}.{}", slot.actor.name(), slot.decision),
                chosen: slot.options[chosen].clone(),
                adaptive: slot.adaptive,
                options: if slot.adaptive {
                    slot.options
                        .iter()
                        .zip(utilities)
                        .map(|(option, &utility)| OptionUtility {
                            option: option.clone(),
                            utility,
                        })
                        .collect()
                } else {
                    Vec::new()
                },
            })
            .collect();
        self.turns.push(TracedTurn {
            turn: r.turn,
            year: self.start_year + (r.turn + 1) as f64 * self.turn_years,
            decisions,
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
    let mut tracer = Tracer {
        start_year: spec.start_year,
        turn_years: spec.turn_years,
        slots: model.decision_slots(),
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
    let mut s = format!(
        "wedge trace: {}, seed {seed}, run {run}\n\
         Each turn lists the choices that changed; [u +x vs y] is the chosen option's \
         look-ahead utility less the best alternative's (negative: the logit draw took a \
         worse option).\n\n",
        spec.name
    );
    let mut previous: &[TracedDecision] = &[];
    for t in &tracer.turns {
        let changed: Vec<String> = t
            .decisions
            .iter()
            .enumerate()
            .filter(|(i, d)| previous.get(*i).is_none_or(|p| p.chosen != d.chosen))
            .map(|(_, d)| d.explained())
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
    s += &yearly_variables(&tracer.turns, spec.turn_years, &params);
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

/// The key variables at the first turn end of each calendar year, and at the split.
fn yearly_variables(turns: &[TracedTurn], turn_years: f64, params: &wedge_core::Params) -> String {
    let mut s = String::from(
        "\nKey variables at each year's end:\n     year  align  rapport  RU need  RU resent  RU tension  CN tension  RU sanct  RU aggr  RU elites\n",
    );
    let year_ends = turns
        .iter()
        .filter(|t| t.year.floor() > (t.year - turn_years).floor() || t.split);
    for t in year_ends {
        let (r, c) = (&t.state.russia, &t.state.china);
        s += &format!(
            "  {:>7.2}  {:>+5.2}  {:>7.2}  {:>7.2}  {:>9.2}  {:>10.2}  {:>10.2}  {:>8.2}  {:>7.2}  {:>+9.2}{}\n",
            t.year,
            t.state.alignment,
            t.state.rapport,
            need(r, params),
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
