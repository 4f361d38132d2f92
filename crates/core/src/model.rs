//! A validated model: the runtime form of a scenario, checked at construction.
//!
//! [`Model::new`] is the only way to build a [`Model`]; it checks every
//! quantity against its admissible range, so [`crate::simulate`] never fails
//! on input.

use serde::{Deserialize, Serialize};

use crate::actor::Actor;
use crate::decision::MAX_OPTIONS;
use crate::events::{EventHazards, EventKind};
use crate::lever::{Condition, Lever};
use crate::option_flows::OptionFlows;
use crate::params::{Coefficient, ParamId, Params};
use crate::policy::{Agent, Decision, DecisionMode};
use crate::split::SplitRule;
use crate::state::WorldState;
use crate::uncertainty::{Distribution, Uncertainty};

/// Longest horizon a model may have, in turns (a thousand years of quarters).
pub const MAX_HORIZON_TURNS: u32 = 4000;

/// Everything a run needs, before validation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelSpec {
    /// Scenario name, for reports.
    pub name: String,
    /// Calendar year of the first turn (e.g. 2021.5 for mid-2021).
    pub start_year: f64,
    /// Length of a turn in years, (0, 1].
    pub turn_years: f64,
    /// Number of turns, 1..=[`MAX_HORIZON_TURNS`].
    pub horizon_turns: u32,
    /// Initial state.
    pub initial: WorldState,
    /// Coefficients.
    pub params: Params,
    /// Event hazards.
    pub hazards: EventHazards,
    /// Agents, in the order their decisions are resolved.
    pub agents: Vec<Agent>,
    /// Levers in force.
    pub levers: Vec<Lever>,
    /// The split rule.
    pub split: SplitRule,
    /// Uncertainties drawn per run.
    pub uncertainties: Vec<Uncertainty>,
}

/// A problem found while validating a model: the field path and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelError {
    /// Dotted path of the offending field, e.g. `agents.russia.decisions.posture.mode`.
    pub path: String,
    /// What is wrong and what would be valid.
    pub message: String,
}

impl std::fmt::Display for ModelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for ModelError {}

/// A validated model. Construct with [`Model::new`].
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    spec: ModelSpec,
    layout: Vec<(usize, usize)>,
    /// Every decision's option changes, the same for every run of the model.
    option_flows: OptionFlows,
    /// Whether any decision is adaptive (a model without one has nothing to review).
    any_adaptive: bool,
}

/// Where one decision sits: its agent and the decision's place in the agent's list.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionSlot {
    /// The agent's actor.
    pub actor: Actor,
    /// The decision's name.
    pub decision: String,
    /// The names of its options.
    pub options: Vec<String>,
    /// Whether the agent chooses it (by look-ahead utilities) rather than
    /// having it pinned or scheduled.
    pub adaptive: bool,
}

struct Checker {
    errors: Vec<ModelError>,
}

impl Checker {
    fn fail(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.errors.push(ModelError {
            path: path.into(),
            message: message.into(),
        });
    }

    fn range(&mut self, path: &str, value: f64, min: f64, max: f64) {
        if !value.is_finite() || value < min || value > max {
            self.fail(
                path,
                format!("{value} is outside the valid range [{min}, {max}]"),
            );
        }
    }
}

impl Model {
    /// Validate a specification. Every problem found is returned, not just the first.
    pub fn new(spec: ModelSpec) -> Result<Model, Vec<ModelError>> {
        let mut c = Checker { errors: Vec::new() };
        c.range("turn_years", spec.turn_years, 1e-3, 1.0);
        if spec.horizon_turns == 0 || spec.horizon_turns > MAX_HORIZON_TURNS {
            c.fail(
                "horizon_years",
                format!(
                    "{} turns is not a usable horizon: it must be between 1 and {MAX_HORIZON_TURNS} turns",
                    spec.horizon_turns
                ),
            );
        }
        c.range("start_year", spec.start_year, -10_000.0, 10_000.0);
        for b in spec.initial.bounded() {
            c.range(&format!("initial.{}", b.name), b.value, b.min, b.max);
        }
        for coefficient in Coefficient::all() {
            let (min, max) = coefficient.range();
            let path = format!("params.{}", coefficient.name());
            c.range(&path, spec.params.value(coefficient), min, max);
        }
        check_hazards(&mut c, &spec.hazards);
        check_agents(&mut c, &spec.agents);
        for lever in &spec.levers {
            let path = format!("levers.{}", lever.name);
            c.range(&format!("{path}.intensity"), lever.intensity, 0.0, 100.0);
            for effect in &lever.effects {
                c.range(&format!("{path}.effects"), effect.per_year, -10.0, 10.0);
            }
            match lever.condition {
                Condition::Always => {}
                Condition::WhileAggressionBelow { max, .. } => {
                    c.range(&format!("{path}.condition.max"), max, 0.0, 1.0)
                }
                Condition::WhileAlignmentAbove { min } => {
                    c.range(&format!("{path}.condition.min"), min, -1.0, 1.0)
                }
                Condition::WhileAlignmentBelow { max } => {
                    c.range(&format!("{path}.condition.max"), max, -1.0, 1.0)
                }
            }
        }
        c.range("split.threshold", spec.split.threshold, -1.0, 1.0);
        c.range("split.amity_tension", spec.split.amity_tension, 0.0, 1.0);
        if spec.split.consecutive_turns == 0
            || spec.split.consecutive_turns > spec.horizon_turns.max(1)
        {
            c.fail(
                "split.consecutive_turns",
                format!(
                    "{} is not valid: it must be between 1 and the horizon ({} turns)",
                    spec.split.consecutive_turns, spec.horizon_turns
                ),
            );
        }
        check_uncertainty_streams(&mut c, &spec.uncertainties);
        for u in &spec.uncertainties {
            check_distribution(
                &mut c,
                &format!("uncertainties.{}", u.name),
                &u.distribution,
                u.target,
            );
        }
        if c.errors.is_empty() {
            let layout = spec
                .agents
                .iter()
                .enumerate()
                .flat_map(|(a, agent)| (0..agent.decisions.len()).map(move |d| (a, d)))
                .collect();
            let option_flows = OptionFlows::new(&spec.agents);
            let any_adaptive = spec
                .agents
                .iter()
                .any(|agent| agent.decisions.iter().any(Decision::is_adaptive));
            Ok(Model {
                spec,
                layout,
                option_flows,
                any_adaptive,
            })
        } else {
            Err(c.errors)
        }
    }

    /// The validated specification.
    pub fn spec(&self) -> &ModelSpec {
        &self.spec
    }

    /// Number of turns.
    pub fn horizon_turns(&self) -> u32 {
        self.spec.horizon_turns
    }

    /// Every decision as (agent index, decision index), in resolution order.
    pub fn layout(&self) -> &[(usize, usize)] {
        &self.layout
    }

    /// Every decision's change of flows from each option to each other, for the look-ahead.
    pub fn option_flows(&self) -> &OptionFlows {
        &self.option_flows
    }

    /// Whether any decision is adaptive: a model without one has no review
    /// turns, its decisions drawing every turn as they do between reviews.
    pub fn any_adaptive(&self) -> bool {
        self.any_adaptive
    }

    /// Every decision with its actor and option names, in resolution order.
    pub fn decision_slots(&self) -> Vec<DecisionSlot> {
        self.layout
            .iter()
            .map(|&(a, d)| {
                let agent = &self.spec.agents[a];
                let decision = &agent.decisions[d];
                DecisionSlot {
                    actor: agent.actor,
                    decision: decision.name.clone(),
                    options: decision.options.iter().map(|o| o.name.clone()).collect(),
                    adaptive: decision.is_adaptive(),
                }
            })
            .collect()
    }
}

fn check_hazards(c: &mut Checker, h: &EventHazards) {
    for kind in EventKind::ALL {
        for (field, min, max) in EventHazards::fields(kind) {
            let value = h.field(kind, field).unwrap_or(f64::NAN);
            c.range(
                &format!("events.{}.{field}", kind.name()),
                value,
                *min,
                *max,
            );
        }
    }
}

fn check_agents(c: &mut Checker, agents: &[Agent]) {
    let mut seen = Vec::new();
    for agent in agents {
        let path = format!("agents.{}", agent.actor.name());
        if seen.contains(&agent.actor) {
            c.fail(
                &path,
                "this agent is declared twice; declare each actor once",
            );
        }
        seen.push(agent.actor);
        for (i, w) in agent.objective.weights().iter().enumerate() {
            c.range(
                &format!("{path}.objective.{}", crate::features::FEATURE_NAMES[i]),
                *w,
                -100.0,
                100.0,
            );
        }
        for decision in &agent.decisions {
            let dpath = format!("{path}.decisions.{}", decision.name);
            let n = decision.options.len();
            if n == 0 || n > MAX_OPTIONS {
                c.fail(
                    format!("{dpath}.options"),
                    format!("a menu needs between 1 and {MAX_OPTIONS} options, found {n}"),
                );
            }
            for option in &decision.options {
                for effect in &option.effects {
                    c.range(
                        &format!("{dpath}.options.{}.effects", option.name),
                        effect.per_year,
                        -10.0,
                        10.0,
                    );
                }
            }
            match &decision.mode {
                DecisionMode::Adaptive { rationality } => {
                    c.range(&format!("{dpath}.mode.rationality"), *rationality, 0.0, 1e4);
                }
                DecisionMode::Pinned(i) if *i >= n => {
                    c.fail(
                        format!("{dpath}.mode"),
                        format!("option {i} does not exist: the menu has {n} options"),
                    );
                }
                DecisionMode::Scheduled(entries) => {
                    for (turn, i) in entries {
                        if *i >= n {
                            c.fail(format!("{dpath}.mode"), format!("option {i} at turn {turn} does not exist: the menu has {n} options"));
                        }
                    }
                    if entries.windows(2).any(|w| w[0].0 > w[1].0) {
                        c.fail(
                            format!("{dpath}.mode"),
                            "schedule entries must be in increasing order of time",
                        );
                    }
                }
                DecisionMode::Pinned(_) => {}
            }
        }
    }
}

/// Refuse two uncertainties that would share a random stream: a repeated name, or two
/// names whose hashes land in the same stream slot (their draws would be identical).
fn check_uncertainty_streams(c: &mut Checker, uncertainties: &[Uncertainty]) {
    let mut seen: Vec<(u64, &str)> = Vec::with_capacity(uncertainties.len());
    for u in uncertainties {
        let slot = crate::rng::uncertainty_slot(&u.name);
        if let Some((_, other)) = seen.iter().find(|(s, _)| *s == slot) {
            let message = if *other == u.name {
                "is declared twice: each uncertainty needs its own name".to_string()
            } else {
                format!(
                    "draws from the same random stream as `{other}` (names hash to one of \
                     65,536 streams), so both would take identical values: rename one"
                )
            };
            c.fail(format!("uncertainties.{}", u.name), message);
        }
        seen.push((slot, &u.name));
    }
}

fn check_distribution(c: &mut Checker, path: &str, d: &Distribution, target: ParamId) {
    let (min, max) = target.range();
    match d {
        Distribution::Uniform { low, high } => {
            c.range(&format!("{path}.low"), *low, min, max);
            c.range(&format!("{path}.high"), *high, min, max);
            if low > high {
                c.fail(
                    format!("{path}.low"),
                    format!("low ({low}) must not exceed high ({high})"),
                );
            }
        }
        Distribution::Normal { mean, sd } => {
            c.range(&format!("{path}.mean"), *mean, min, max);
            if !(sd.is_finite() && *sd > 0.0) {
                c.fail(
                    format!("{path}.sd"),
                    format!("sd must be a positive number, found {sd}"),
                );
            }
        }
        Distribution::Triangular { low, mode, high } => {
            c.range(&format!("{path}.low"), *low, min, max);
            c.range(&format!("{path}.high"), *high, min, max);
            if !(low <= mode && mode <= high) {
                c.fail(
                    format!("{path}.mode"),
                    format!("need low ≤ mode ≤ high, found {low}, {mode}, {high}"),
                );
            }
        }
        Distribution::Choice(options) => {
            if options.is_empty() {
                c.fail(path, "a choice needs at least one (value, weight) pair");
            }
            for (value, weight) in options {
                c.range(&format!("{path}.value"), *value, min, max);
                c.range(&format!("{path}.weight"), *weight, 0.0, 1e9);
            }
            if options.iter().map(|(_, w)| w).sum::<f64>() <= 0.0 {
                c.fail(path, "the weights of a choice must not all be zero");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::uncertainty_slot;

    fn with_uncertainties(names: [&str; 2]) -> Result<Model, Vec<ModelError>> {
        let mut spec = Model::reference_2021().spec().clone();
        let template = spec.uncertainties[0].clone();
        spec.uncertainties = names
            .iter()
            .map(|name| Uncertainty {
                name: (*name).to_string(),
                ..template.clone()
            })
            .collect();
        Model::new(spec)
    }

    #[test]
    fn uncertainties_that_would_share_a_random_stream_are_refused() {
        // Find two names that hash into one slot (a birthday search over 65,536 slots).
        let names: Vec<String> = (0..5_000).map(|i| format!("u{i}")).collect();
        let pair = names.iter().enumerate().find_map(|(i, a)| {
            names[..i]
                .iter()
                .find(|b| uncertainty_slot(a) == uncertainty_slot(b))
                .map(|b| (a.clone(), b.clone()))
        });
        let Some((a, b)) = pair else {
            panic!("no colliding pair among 5,000 names: the slot hash changed")
        };
        let errors = with_uncertainties([&a, &b]).err().unwrap_or_default();
        assert!(
            errors
                .iter()
                .any(|e| e.to_string().contains("same random stream")),
            "{errors:?}"
        );
        let errors = with_uncertainties([&a, &a]).err().unwrap_or_default();
        assert!(
            errors
                .iter()
                .any(|e| e.to_string().contains("declared twice")),
            "{errors:?}"
        );
        assert!(with_uncertainties(["china_growth", "russia_growth"]).is_ok());
    }

    #[test]
    fn a_coefficient_index_past_the_table_is_refused() {
        let count = crate::params::PARAMETERS.len();
        assert!(Coefficient::try_from(count - 1).is_ok());
        assert!(Coefficient::try_from(count).is_err());
        let last: Result<Coefficient, _> = ron::from_str(&count.to_string());
        assert!(
            last.is_err(),
            "deserialising an out-of-range coefficient must fail"
        );
    }
}
