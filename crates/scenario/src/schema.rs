//! The RON schema of scenario and lever-library files.
//!
//! Plain serde types, externally tagged enums and `deny_unknown_fields`
//! everywhere, so that ron reports exact spans for typos. Every top-level
//! field of a scenario is optional in the file: a file that `extend`s another
//! supplies only what differs, and the resolved chain must supply the rest.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use wedge_core::{
    Actor, Distribution, Effect, EventHazards, Objective, Params, SplitRule, WorldState,
};

/// A scenario file.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScenarioFile {
    /// Another scenario file this one builds on, relative to this file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extend: Option<String>,
    /// The lever library that `levers` refer to, relative to this file (inherited).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lever_library: Option<String>,
    /// Posterior ensemble (from `wedge calibrate`) that `wedge run` and
    /// `wedge compare` play by default, relative to this file (inherited).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub posterior: Option<String>,
    /// Priors this scenario declares for calibration and ensembles: a priors
    /// file (`extend`, relative to this file) and entries that replace its
    /// own by path (merged along the `extend` chain, the child's entries winning).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priors: Option<PriorsFile>,
    /// Short name, used in reports.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What the scenario represents and where its figures come from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Calendar year of the first turn (e.g. 2021.5 is mid-2021).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_year: Option<f64>,
    /// Turn length in years, (0, 1]; 0.25 is a quarter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub turn_years: Option<f64>,
    /// Horizon in years; the number of turns is horizon / turn length, rounded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub horizon_years: Option<f64>,
    /// Initial world state (replaces the base's whole state; use `set` for single values).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub initial: Option<WorldState>,
    /// Model coefficients; omitted ones take their documented defaults.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub params: Option<Params>,
    /// Event hazards.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<EventHazards>,
    /// The agents: each replaces the base's agent of the same actor, in its place (use `pin` to impose one decision).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agents: Option<Vec<AgentSpec>>,
    /// Levers in force, added to the base's.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub levers: Vec<LeverUse>,
    /// The split rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub split: Option<SplitRule>,
    /// Uncertainties, added to the base's (one with the same name replaces it).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub uncertainties: Vec<UncertaintySpec>,
    /// Single values to override by field path, e.g. `"initial.russia.sanctions": 0.5`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub set: BTreeMap<String, f64>,
    /// Decisions to impose on an agent instead of letting it choose.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pin: Vec<Pin>,
}

/// An agent: its objective and its decisions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentSpec {
    /// Which state.
    pub actor: Actor,
    /// Weights over features; omitted weights are zero.
    #[serde(default)]
    pub objective: Objective,
    /// Decisions taken each turn, in order.
    pub decisions: Vec<DecisionSpec>,
}

/// One decision: a menu of policies and how one is chosen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionSpec {
    /// Name of the decision.
    pub name: String,
    /// The menu; the first option is the status quo an agent starts from.
    pub options: Vec<PolicySpec>,
    /// How the option is chosen each turn.
    pub mode: ModeSpec,
}

/// An option on a menu.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicySpec {
    /// Name of the option.
    pub name: String,
    /// Its effects on the channels, per year.
    #[serde(default)]
    pub effects: Vec<Effect>,
}

/// How a decision is taken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ModeSpec {
    /// Logit choice over one-step look-ahead utilities.
    Adaptive {
        /// Logit precision λ, ≥ 0.
        rationality: f64,
    },
    /// Always this option (by name).
    Pinned(String),
    /// From each year (since the start) on, the named option.
    Scheduled(Vec<(f64, String)>),
}

/// A decision imposed on an agent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pin {
    /// The agent.
    pub actor: Actor,
    /// The decision's name.
    pub decision: String,
    /// The mode imposed.
    pub mode: ModeSpec,
}

/// When a lever acts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum ConditionSpec {
    /// Whatever happens.
    Always,
    /// While the partner's aggression is at most `max`.
    WhileAggressionBelow {
        /// The partner watched.
        partner: wedge_core::Partner,
        /// Highest aggression at which the lever acts, [0, 1].
        max: f64,
    },
    /// While alignment is at least `min`.
    WhileAlignmentAbove {
        /// Lowest alignment at which the lever acts.
        min: f64,
    },
    /// While alignment is at most `max`.
    WhileAlignmentBelow {
        /// Highest alignment at which the lever acts.
        max: f64,
    },
}

/// A lever put in force by a scenario: a library lever by name, or an inline one with `effects`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeverUse {
    /// The lever's name (in the library unless `effects` is given).
    pub name: String,
    /// Multiplier of the lever's effects, ≥ 0 (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intensity: Option<f64>,
    /// Years after the start when the lever begins (default: the library's, else 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub onset_years: Option<f64>,
    /// Years to ramp to full intensity (default: the library's, else 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ramp_years: Option<f64>,
    /// Years the lever lasts (default: to the horizon).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_years: Option<f64>,
    /// Condition (default: the library's, else `Always`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<ConditionSpec>,
    /// Inline effects, for a lever not in the library.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effects: Option<Vec<Effect>>,
}

/// A lever in the library.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeverDef {
    /// Name scenarios use.
    pub name: String,
    /// What it is, in the essay's words, and where its sizes come from.
    pub description: String,
    /// Who pulls it.
    pub pulled_by: Vec<Actor>,
    /// Effects at intensity 1, per year.
    pub effects: Vec<Effect>,
    /// Default condition.
    #[serde(default = "always")]
    pub condition: ConditionSpec,
    /// Default ramp in years.
    #[serde(default)]
    pub ramp_years: f64,
}

fn always() -> ConditionSpec {
    ConditionSpec::Always
}

/// A named bundle of levers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Package {
    /// Name.
    pub name: String,
    /// What it represents.
    pub description: String,
    /// Levers, by library name.
    pub levers: Vec<String>,
}

/// A lever-library file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeverLibrary {
    /// The levers.
    pub levers: Vec<LeverDef>,
    /// Named packages of levers.
    #[serde(default)]
    pub packages: Vec<Package>,
}

/// An uncertainty as written in a file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UncertaintySpec {
    /// Name (keys its random stream).
    pub name: String,
    /// Path of the quantity it sets: `params.NAME` or `initial.PATH`.
    pub target: String,
    /// Its distribution.
    pub distribution: wedge_core::Distribution,
}

/// One prior: a field path, its distribution and the source that bounds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriorSpec {
    /// Field path, e.g. `params.threat_weight` or `agents.russia.rationality`.
    pub path: String,
    /// Its distribution (Uniform, Triangular or Normal; Normal is clamped to the path's range).
    pub distribution: Distribution,
    /// The source that bounds it, or "assumption: why".
    pub source: String,
}

/// A priors file as written, or a scenario's `priors` block.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriorsFile {
    /// Another priors file this one overrides, relative to this file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extend: Option<String>,
    /// Name used in reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The priors; one for a path already declared by the base replaces it.
    #[serde(default)]
    pub priors: Vec<PriorSpec>,
}
