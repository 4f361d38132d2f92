//! Request bodies, checked: from client JSON to validated models.
//!
//! Bodies are parsed with unknown fields rejected, then every value is
//! checked against the server's [`Limits`] before any work starts, so a
//! request either fails fast with a 4xx naming the field or runs to the end.

use serde::Deserialize;
use wedge_core::Model;
use wedge_scenario::Resolved;
use wedge_scenario::{ConditionSpec, LeverUse};
use wedge_scenario::{baseline_arm, levers_arm};

use crate::catalog::Catalog;
use crate::error::ApiError;
use crate::limits::Limits;

/// Largest lever intensity a request may ask for.
pub const MAX_INTENSITY: f64 = 5.0;

/// Most levers one request may name.
pub const MAX_LEVERS: usize = 32;

/// One lever (or package) the client pulls, with its settings.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeverChoice {
    /// A lever or package of the scenario's lever library.
    pub name: String,
    /// Multiplier of its effects, in [0, 5] (default 1).
    #[serde(default)]
    pub intensity: Option<f64>,
    /// Years after the start when it begins, within the horizon (default 0).
    #[serde(default)]
    pub onset_years: Option<f64>,
    /// When it acts (default: the library's condition), as the scenario format writes it:
    /// `"Always"`, `{"WhileAggressionBelow": {"partner": "russia", "max": 0.35}}`, ….
    #[serde(default)]
    pub condition: Option<ConditionSpec>,
}

/// `POST /api/compare`: the baseline against the baseline with the chosen levers.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompareRequest {
    /// A scenario name from `GET /api/scenarios`.
    pub scenario: String,
    /// The package to add: at least one lever.
    pub levers: Vec<LeverChoice>,
    /// Runs per arm (default 2,000).
    #[serde(default)]
    pub runs: Option<u64>,
    /// Master seed (default 1).
    #[serde(default)]
    pub seed: Option<u64>,
}

/// `POST /api/trace`: one run of the scenario with the chosen levers.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TraceRequest {
    /// A scenario name from `GET /api/scenarios`.
    pub scenario: String,
    /// Levers to add (may be empty: the scenario as it is).
    #[serde(default)]
    pub levers: Vec<LeverChoice>,
    /// Master seed (default 1).
    #[serde(default)]
    pub seed: Option<u64>,
    /// Run index (default 0).
    #[serde(default)]
    pub run: Option<u64>,
}

/// Default runs per arm.
pub const DEFAULT_RUNS: u64 = 2_000;

/// Default master seed (as the command line's).
pub const DEFAULT_SEED: u64 = 1;

/// Parse a JSON body into a request type; the error names the problem and where.
pub fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    if body.is_empty() {
        return Err(ApiError::BadRequest(
            "the request has no body; send a JSON object".into(),
        ));
    }
    serde_json::from_slice(body).map_err(|e| ApiError::BadRequest(format!("invalid JSON: {e}")))
}

/// A validated comparison: the two arms, ready to run.
#[derive(Debug, Clone)]
pub struct ComparePlan {
    /// Arm names: the baseline's own name, then `+lever+lever…`.
    pub names: Vec<String>,
    /// The baseline, then the baseline with the package.
    pub models: Vec<Model>,
    /// SHA-256 of the baseline's resolved scenario.
    pub baseline_hash: String,
    /// Runs per arm.
    pub runs: u64,
    /// Master seed.
    pub seed: u64,
}

/// A validated trace: one model and the run to replay.
#[derive(Debug, Clone)]
pub struct TracePlan {
    /// The scenario with the chosen levers.
    pub model: Model,
    /// Master seed.
    pub seed: u64,
    /// Run index.
    pub run: u64,
}

fn finite_in(value: f64, low: f64, high: f64, what: &str) -> Result<f64, ApiError> {
    if value.is_finite() && (low..=high).contains(&value) {
        Ok(value)
    } else {
        let shown = if value.abs() < 1e6 {
            format!("{value}")
        } else {
            format!("{value:e}")
        };
        Err(ApiError::Invalid(format!(
            "{what} must be between {low} and {high}, got {shown}"
        )))
    }
}

fn check_condition(c: &ConditionSpec, lever: &str) -> Result<(), ApiError> {
    let what = |field: &str| format!("levers.{lever}.condition.{field}");
    match *c {
        ConditionSpec::Always => Ok(()),
        ConditionSpec::WhileAggressionBelow { max, .. } => {
            finite_in(max, 0.0, 1.0, &what("max")).map(drop)
        }
        ConditionSpec::WhileAlignmentAbove { min } => {
            finite_in(min, -1.0, 1.0, &what("min")).map(drop)
        }
        ConditionSpec::WhileAlignmentBelow { max } => {
            finite_in(max, -1.0, 1.0, &what("max")).map(drop)
        }
    }
}

/// Turn the client's choices into lever uses of the scenario's library: a
/// package stands for its members, each taking the package's settings.
pub fn lever_uses(
    resolved: &Resolved,
    scenario: &str,
    choices: &[LeverChoice],
) -> Result<Vec<LeverUse>, ApiError> {
    if choices.len() > MAX_LEVERS {
        return Err(ApiError::Invalid(format!(
            "at most {MAX_LEVERS} levers per request, got {}",
            choices.len()
        )));
    }
    if choices.is_empty() {
        return Ok(Vec::new());
    }
    let library = resolved.library().ok_or_else(|| {
        ApiError::Invalid(format!(
            "scenario `{scenario}` names no lever library, so no levers can be added to it"
        ))
    })?;
    let horizon = resolved.file.horizon_years.unwrap_or(0.0);
    let mut uses: Vec<LeverUse> = Vec::new();
    for choice in choices {
        let members = library
            .uses_of(&choice.name)
            .map_err(|_| ApiError::UnknownLever {
                name: choice.name.chars().take(128).collect(),
                scenario: scenario.to_string(),
                valid: library
                    .names()
                    .into_iter()
                    .chain(library.packages.iter().map(|p| p.name.as_str()))
                    .map(str::to_string)
                    .collect(),
            })?;
        let intensity = choice
            .intensity
            .map(|x| {
                finite_in(
                    x,
                    0.0,
                    MAX_INTENSITY,
                    &format!("levers.{}.intensity", choice.name),
                )
            })
            .transpose()?;
        let onset = choice
            .onset_years
            .map(|x| {
                finite_in(
                    x,
                    0.0,
                    horizon,
                    &format!("levers.{}.onset_years", choice.name),
                )
            })
            .transpose()?;
        if let Some(c) = &choice.condition {
            check_condition(c, &choice.name)?;
        }
        for mut member in members {
            if uses.iter().any(|u| u.name == member.name) {
                return Err(ApiError::Invalid(format!(
                    "lever `{}` is named twice (directly or through a package)",
                    member.name
                )));
            }
            member.intensity = intensity;
            member.onset_years = onset;
            member.condition = choice.condition;
            uses.push(member);
        }
    }
    Ok(uses)
}

/// The name of the arm with these levers: `+a+b`, as the command line names a lever's arm.
pub fn arm_name(choices: &[LeverChoice]) -> String {
    choices.iter().map(|c| format!("+{}", c.name)).collect()
}

impl CompareRequest {
    /// Check the request and build both arms.
    pub fn plan(&self, catalog: &Catalog, limits: &Limits) -> Result<ComparePlan, ApiError> {
        let runs = self.runs.unwrap_or(DEFAULT_RUNS);
        if runs == 0 || runs > limits.max_runs {
            return Err(ApiError::Invalid(format!(
                "runs must be between 1 and {}, got {runs}",
                limits.max_runs
            )));
        }
        let resolved = catalog.resolve(&self.scenario)?;
        if self.levers.is_empty() {
            return Err(ApiError::Invalid(
                "choose at least one lever to compare with the baseline".into(),
            ));
        }
        let uses = lever_uses(&resolved, &self.scenario, &self.levers)?;
        let base = baseline_arm(&resolved)?;
        let arm = levers_arm(&resolved, &arm_name(&self.levers), &uses)?;
        let names = vec![base.name, arm.name];
        let models = vec![base.model, arm.model];
        limits.check_work(runs, &models)?;
        Ok(ComparePlan {
            names,
            models,
            baseline_hash: base.hash,
            runs,
            seed: self.seed.unwrap_or(DEFAULT_SEED),
        })
    }
}

impl TraceRequest {
    /// Check the request and build the model.
    pub fn plan(&self, catalog: &Catalog, limits: &Limits) -> Result<TracePlan, ApiError> {
        let resolved = catalog.resolve(&self.scenario)?;
        let uses = lever_uses(&resolved, &self.scenario, &self.levers)?;
        let arm = levers_arm(&resolved, &arm_name(&self.levers), &uses)?;
        limits.check_work(1, std::slice::from_ref(&arm.model))?;
        Ok(TracePlan {
            model: arm.model,
            seed: self.seed.unwrap_or(DEFAULT_SEED),
            run: self.run.unwrap_or(0),
        })
    }
}
