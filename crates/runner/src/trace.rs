//! Tracing: one run replayed turn by turn, with every decision's options and
//! utilities, the events, and why the run ended as it did.

use serde::Serialize;
use wedge_core::EVENT_COUNT;
use wedge_core::draw_uncertainties;
use wedge_core::{
    Actor, DecisionSlot, EventKind, Model, Observer, Params, Partner, RunSummary, TurnRecord,
    WorldState, simulate,
};
use wedge_core::{need, willingness_terms};

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
    /// Russia's need for China at the end of the turn (not in the JSON trace).
    #[serde(skip)]
    pub russia_need: f64,
}

struct Tracer<'p> {
    params: &'p Params,
    start_year: f64,
    turn_years: f64,
    slots: Vec<DecisionSlot>,
    turns: Vec<TracedTurn>,
}

impl Observer for Tracer<'_> {
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
            russia_need: need(&r.state.russia, self.params),
        });
    }
}

/// The decision that took a partner out of the partnership: the last time,
/// up to the split, that Russia or China chose the strongest step away from
/// the partnership on one of its menus (the option with the most negative
/// pull on the alignment, e.g. "leave" or "tilt-west").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SplitDecision {
    /// The partner that decided (`russia` or `china`).
    pub actor: String,
    /// `actor.decision`.
    pub decision: String,
    /// The option taken.
    pub option: String,
    /// Turn at which it was taken.
    pub turn: u32,
    /// Calendar year at the end of that turn.
    pub year: f64,
    /// Whether the partner chose it (false when the scenario pins or schedules it).
    pub adaptive: bool,
    /// Its look-ahead utility less the best alternative's (positive: the
    /// partner's best option; negative: the logit draw took a worse one);
    /// `None` when the decision is imposed.
    pub margin: Option<f64>,
    /// The best alternative, by look-ahead utility.
    pub runner_up: Option<String>,
}

/// How a traced run ended, in words a report can print.
#[derive(Debug, Clone, PartialEq)]
pub struct TracedSplit {
    /// Calendar year of the split.
    pub year: f64,
    /// Who broke away.
    pub defector: String,
    /// The decision that took a partner out, if a partner stepped away at all
    /// (otherwise the alignment drifted below the threshold on its own).
    pub decision: Option<SplitDecision>,
    /// The defector's willingness terms that moved since the start, most negative first.
    pub pressures: Vec<(String, f64)>,
}

/// One run, turn by turn (what `wedge trace --format json` prints, plus
/// derived findings that the JSON leaves out).
#[derive(Debug, Clone, Serialize)]
pub struct Trace {
    /// Scenario name.
    pub scenario: String,
    /// Master seed.
    pub seed: u64,
    /// Run index.
    pub run: u64,
    /// The run's outcome.
    pub summary: RunSummary,
    /// Every turn.
    pub turns: Vec<TracedTurn>,
    /// The decision behind the split (see [`SplitDecision`]), if the run split and a partner stepped away.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split_decision: Option<SplitDecision>,
    /// Provenance (filled in by the caller, who knows the scenario's hash and the command).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest: Option<crate::provenance::Manifest>,
    /// Length of a turn, years.
    #[serde(skip)]
    pub turn_years: f64,
    /// The split, if any.
    #[serde(skip)]
    pub split: Option<TracedSplit>,
    /// Calendar year of Russia's first leadership change, if any.
    #[serde(skip)]
    pub russia_leader_change_year: Option<f64>,
    /// Each willingness term: name, then Russia start, Russia end, China start, China end.
    #[serde(skip)]
    pub willingness_terms: Vec<(String, [f64; 4])>,
}

impl Trace {
    /// Fill in the provenance: the plan of a trace is its one run (index
    /// `run` of the seed's streams), of the scenario hashing to `scenario_hash`.
    pub fn stamp(&mut self, scenario_hash: &str, wall_seconds: f64, command: &str) {
        let plan = crate::provenance::RunPlan::new(&self.scenario, scenario_hash, self.seed, 1);
        self.manifest = Some(crate::provenance::Manifest::new(
            plan,
            wall_seconds,
            1,
            command,
        ));
    }

    /// Replay run `run` of `model` from `seed`.
    ///
    /// # Example
    ///
    /// ```
    /// let model = wedge_core::Model::reference_2021();
    /// let trace = wedge_runner::Trace::record(&model, 1, 0);
    /// assert!(!trace.turns.is_empty());
    /// ```
    pub fn record(model: &Model, seed: u64, run: u64) -> Trace {
        let spec = model.spec();
        let (initial, params) = draw_uncertainties(model, seed, run);
        let mut tracer = Tracer {
            params: &params,
            start_year: spec.start_year,
            turn_years: spec.turn_years,
            slots: model.decision_slots(),
            turns: Vec::new(),
        };
        let summary = simulate(model, seed, run, &mut tracer);
        let turns = tracer.turns;
        let year_of = |turn: u32| spec.start_year + (turn + 1) as f64 * spec.turn_years;
        let split = match (summary.split_turn, summary.defector) {
            (Some(turn), Some(defector)) => turns.get(turn as usize).map(|t| TracedSplit {
                year: year_of(turn),
                defector: defector.name().to_string(),
                decision: split_decision(model, &turns, turn),
                pressures: pressures(&initial, &t.state, defector, &params),
            }),
            _ => None,
        };
        let willingness_terms = match turns.last() {
            Some(last) => {
                let rows: Vec<_> = [Partner::Russia, Partner::China]
                    .iter()
                    .map(|p| {
                        (
                            willingness_terms(&initial, *p, &params),
                            willingness_terms(&last.state, *p, &params),
                        )
                    })
                    .collect();
                (0..rows[0].0.len())
                    .map(|i| {
                        (
                            rows[0].0[i].0.to_string(),
                            [
                                rows[0].0[i].1,
                                rows[0].1[i].1,
                                rows[1].0[i].1,
                                rows[1].1[i].1,
                            ],
                        )
                    })
                    .collect()
            }
            None => Vec::new(),
        };
        Trace {
            scenario: spec.name.clone(),
            seed,
            run,
            russia_leader_change_year: summary.russia_leader_change.map(year_of),
            split_decision: split.as_ref().and_then(|s| s.decision.clone()),
            summary,
            turns,
            manifest: None,
            turn_years: spec.turn_years,
            split,
            willingness_terms,
        }
    }
}

/// The decision behind a split: the steepest step away from the partnership
/// (an option that pulls the alignment down: `leave`, or a smaller step such
/// as `tilt-west`) that Russia or China chose from a year before the split's
/// streak below the threshold began up to the split, the latest of equals;
/// failing one there, the last step away before.
fn split_decision(model: &Model, turns: &[TracedTurn], split_turn: u32) -> Option<SplitDecision> {
    let spec = model.spec();
    // For each decision slot: the pull on the alignment of each of its options,
    // if it is a partner's.
    let pulls: Vec<Option<Vec<(&str, f64)>>> = model
        .layout()
        .iter()
        .map(|&(a, d)| {
            let agent = &spec.agents[a];
            matches!(agent.actor, Actor::Russia | Actor::China).then(|| {
                agent.decisions[d]
                    .options
                    .iter()
                    .map(|o| (o.name.as_str(), o.alignment_pull()))
                    .collect()
            })
        })
        .collect();
    let step_away = |chosen: &str, pulls: &Option<Vec<(&str, f64)>>| {
        pulls
            .as_ref()?
            .iter()
            .find(|(name, _)| *name == chosen)
            .map(|&(_, pull)| pull)
            .filter(|&pull| pull < 0.0)
    };
    let last = (split_turn as usize).min(turns.len().checked_sub(1)?);
    let steps: Vec<(&TracedTurn, &TracedDecision, f64)> = turns[..=last]
        .iter()
        .flat_map(|t| {
            t.decisions
                .iter()
                .zip(&pulls)
                .filter_map(move |(d, p)| step_away(&d.chosen, p).map(|pull| (t, d, pull)))
        })
        .collect();
    let turns_per_year = (1.0 / spec.turn_years).round().max(1.0) as u32;
    let window_start =
        split_turn.saturating_sub(spec.split.consecutive_turns.saturating_sub(1) + turns_per_year);
    let (t, d, _) = steps
        .iter()
        .filter(|(t, _, _)| t.turn >= window_start)
        // The steepest; among equals the latest (`min_by` keeps the first of equals, and this runs latest first).
        .rev()
        .min_by(|x, y| x.2.total_cmp(&y.2))
        .or_else(|| steps.last())?;
    let margin = d.margin();
    Some(SplitDecision {
        actor: d.decision.split('.').next().unwrap_or("").to_string(),
        decision: d.decision.clone(),
        option: d.chosen.clone(),
        turn: t.turn,
        year: t.year,
        adaptive: d.adaptive,
        margin: margin.map(|(m, _)| m),
        runner_up: margin.map(|(_, name)| name.to_string()),
    })
}

/// The willingness terms of the defector that moved between the start and the split, most negative first.
fn pressures(
    start: &WorldState,
    at_split: &WorldState,
    who: Partner,
    params: &Params,
) -> Vec<(String, f64)> {
    let before = willingness_terms(start, who, params);
    let after = willingness_terms(at_split, who, params);
    let mut moves: Vec<(String, f64)> = before
        .iter()
        .zip(after.iter())
        .map(|((name, b), (_, a))| (name.to_string(), a - b))
        .collect();
    moves.sort_by(|a, b| a.1.total_cmp(&b.1));
    moves
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trace_replays_the_run_it_names() {
        let model = Model::reference_2021();
        let trace = Trace::record(&model, 3, 17);
        let mut none = wedge_core::NoObserver;
        let plain = simulate(&model, 3, 17, &mut none);
        assert_eq!(trace.summary.split_turn, plain.split_turn);
        assert_eq!(trace.summary.final_alignment, plain.final_alignment);
        assert_eq!(trace.split.is_some(), plain.split_turn.is_some());
        assert_eq!(
            trace.turns.iter().filter(|t| t.split).count(),
            usize::from(plain.split_turn.is_some())
        );
    }

    #[test]
    fn a_split_names_the_partner_that_decided_to_leave() {
        // 2,000 runs: the baseline splits in about one run in ten.
        let model = Model::reference_2021();
        let mut named = 0;
        for run in 0..2000 {
            let trace = Trace::record(&model, 11, run);
            let (Some(split_turn), Some(split)) = (trace.summary.split_turn, &trace.split) else {
                continue;
            };
            let Some(d) = &split.decision else { continue };
            named += 1;
            assert!(d.turn <= split_turn, "{d:?}");
            assert!(d.actor == "russia" || d.actor == "china", "{d:?}");
            assert!(
                d.adaptive && d.margin.is_some() && d.runner_up.is_some(),
                "{d:?}"
            );
            // The option named is the partner's strongest step away on that menu.
            let option = model
                .spec()
                .agents
                .iter()
                .filter(|a| a.actor.name() == d.actor)
                .flat_map(|a| &a.decisions)
                .filter(|dec| d.decision.ends_with(&format!(".{}", dec.name)))
                .flat_map(|dec| &dec.options)
                .find(|o| o.name == d.option);
            assert!(option.is_some_and(|o| o.alignment_pull() < 0.0), "{d:?}");
            assert_eq!(trace.split_decision.as_ref(), Some(d));
        }
        assert!(named >= 10, "only {named} splits named a decision");
    }
}
