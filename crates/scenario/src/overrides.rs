//! Overrides by field path: `set` in scenario files, `--param` in sweeps.
//!
//! Paths address numeric fields of a resolved scenario:
//! `params.NAME`, `initial.PATH`, `start_year`, `turn_years`, `horizon_years`,
//! `split.threshold|consecutive_turns|amity_tension`,
//! `levers.NAME.intensity|onset_years|ramp_years|duration_years`,
//! `uncertainties.NAME.low|high|mean|sd|mode`,
//! `events.KIND.per_year|size|per_year_of_tenure`,
//! `agents.ACTOR.rationality` (every adaptive decision of the agent) and
//! `agents.ACTOR.objective.FEATURE`.

use wedge_core::{Distribution, FEATURE_NAMES, ParamId};

use crate::schema::{ModeSpec, ScenarioFile};
use crate::suggest::help_for;

/// One numeric override.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    /// Field path.
    pub path: String,
    /// New value.
    pub value: f64,
}

impl std::str::FromStr for Override {
    type Err = String;

    /// Parse `PATH=VALUE`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (path, value) = text
            .split_once('=')
            .ok_or_else(|| format!("`{text}` is not PATH=VALUE (e.g. params.threat_weight=0.6)"))?;
        let value: f64 = value
            .trim()
            .parse()
            .map_err(|_| format!("`{value}` is not a number (in `{text}`)"))?;
        if !value.is_finite() {
            return Err(format!("`{text}`: the value must be a finite number"));
        }
        Ok(Override {
            path: path.trim().to_string(),
            value,
        })
    }
}

const TOP: &[&str] = &[
    "params",
    "initial",
    "start_year",
    "turn_years",
    "horizon_years",
    "split",
    "levers",
    "uncertainties",
    "events",
    "agents",
];

/// Apply one override to a resolved file (levers already expanded inline).
pub fn apply(file: &mut ScenarioFile, path: &str, value: f64) -> Result<(), String> {
    let parts: Vec<&str> = path.split('.').collect();
    let missing = |what: &str| format!("`{path}`: the scenario has no {what} to override");
    match parts.as_slice() {
        ["params", _] | ["initial", ..] => {
            let id = ParamId::parse(path).ok_or_else(|| {
                format!(
                    "`{path}` is not a known quantity; {}",
                    help_for(path, ParamId::all_paths().iter().map(String::as_str))
                )
            })?;
            match id {
                ParamId::Coefficient(i) => {
                    *file
                        .params
                        .get_or_insert_with(Default::default)
                        .value_mut(i) = value
                }
                ParamId::Initial(v) => {
                    *file
                        .initial
                        .as_mut()
                        .ok_or_else(|| missing("initial state"))?
                        .variable_mut(v) = value
                }
            }
        }
        ["start_year"] => file.start_year = Some(value),
        ["turn_years"] => file.turn_years = Some(value),
        ["horizon_years"] => file.horizon_years = Some(value),
        ["split", field] => {
            let split = file.split.as_mut().ok_or_else(|| missing("split rule"))?;
            match *field {
                "threshold" => split.threshold = value,
                "amity_tension" => split.amity_tension = value,
                "consecutive_turns" => split.consecutive_turns = to_count(value, path)?,
                other => {
                    return Err(format!(
                        "`{other}`: {}",
                        help_for(other, ["threshold", "consecutive_turns", "amity_tension"])
                    ));
                }
            }
        }
        ["levers", name, field] => {
            let names: Vec<String> = file.levers.iter().map(|l| l.name.clone()).collect();
            let lever = file
                .levers
                .iter_mut()
                .find(|l| l.name == *name)
                .ok_or_else(|| {
                    if names.is_empty() {
                        return format!(
                            "no lever `{name}` is in force: this scenario uses no levers; add `{name}` under `levers` in the scenario to set its {field}"
                        );
                    }
                    format!(
                        "no lever `{name}` is in force; {}",
                        help_for(name, names.iter().map(String::as_str))
                    )
                })?;
            let slot = match *field {
                "intensity" => &mut lever.intensity,
                "onset_years" => &mut lever.onset_years,
                "ramp_years" => &mut lever.ramp_years,
                "duration_years" => &mut lever.duration_years,
                other => {
                    return Err(format!(
                        "`{other}`: {}",
                        help_for(
                            other,
                            ["intensity", "onset_years", "ramp_years", "duration_years"]
                        )
                    ));
                }
            };
            *slot = Some(value);
        }
        ["uncertainties", name, field] => {
            let names: Vec<String> = file.uncertainties.iter().map(|u| u.name.clone()).collect();
            let u = file
                .uncertainties
                .iter_mut()
                .find(|u| u.name == *name)
                .ok_or_else(|| {
                    format!(
                        "no uncertainty `{name}`; {}",
                        help_for(name, names.iter().map(String::as_str))
                    )
                })?;
            let slot = match (&mut u.distribution, *field) {
                (
                    Distribution::Uniform { low, .. } | Distribution::Triangular { low, .. },
                    "low",
                ) => low,
                (
                    Distribution::Uniform { high, .. } | Distribution::Triangular { high, .. },
                    "high",
                ) => high,
                (Distribution::Triangular { mode, .. }, "mode") => mode,
                (Distribution::Normal { mean, .. }, "mean") => mean,
                (Distribution::Normal { sd, .. }, "sd") => sd,
                (d, other) => return Err(format!("`{other}` is not a parameter of {d:?}")),
            };
            *slot = value;
        }
        ["events", kind, field] => {
            let events = file
                .events
                .as_mut()
                .ok_or_else(|| missing("event hazards"))?;
            let kind = wedge_core::EventKind::parse(kind).ok_or_else(|| {
                format!(
                    "no event `{kind}`; {}",
                    help_for(kind, wedge_core::EventKind::ALL.map(|k| k.name()))
                )
            })?;
            let slot = events.field_mut(kind, field).ok_or_else(|| {
                format!(
                    "`{field}`: {}",
                    help_for(
                        field,
                        wedge_core::EventHazards::fields(kind)
                            .iter()
                            .map(|(name, _, _)| *name)
                    )
                )
            })?;
            *slot = value;
        }
        ["agents", actor, rest @ ..] => {
            let agents = file.agents.as_mut().ok_or_else(|| missing("agents"))?;
            let agent = agents
                .iter_mut()
                .find(|a| a.actor.name() == *actor)
                .ok_or_else(|| {
                    format!(
                        "no agent `{actor}`; {}",
                        help_for(actor, wedge_core::Actor::ALL.map(|a| a.name()))
                    )
                })?;
            match rest {
                ["rationality"] => {
                    for d in &mut agent.decisions {
                        if let ModeSpec::Adaptive { rationality } = &mut d.mode {
                            *rationality = value;
                        }
                    }
                }
                ["objective", feature] => {
                    let index =
                        FEATURE_NAMES
                            .iter()
                            .position(|f| f == feature)
                            .ok_or_else(|| {
                                format!(
                                    "no feature `{feature}`; {}",
                                    help_for(feature, FEATURE_NAMES.iter().copied())
                                )
                            })?;
                    set_objective(&mut agent.objective, index, value);
                }
                _ => {
                    return Err(format!(
                        "`{path}`: under an agent, use `rationality` or `objective.FEATURE`"
                    ));
                }
            }
        }
        [first, ..] => {
            return Err(format!(
                "`{path}` is not an adjustable field; {}",
                help_for(first, TOP.iter().copied())
            ));
        }
        [] => return Err("empty path".to_string()),
    }
    Ok(())
}

fn to_count(value: f64, path: &str) -> Result<u32, String> {
    if value >= 1.0 && value <= f64::from(u32::MAX) && value.fract() == 0.0 {
        Ok(value as u32)
    } else {
        Err(format!(
            "`{path}` must be a whole number ≥ 1, found {value}"
        ))
    }
}

fn set_objective(objective: &mut wedge_core::Objective, index: usize, value: f64) {
    // Round-trip through the weights array keeps this in step with the feature table.
    let mut weights = objective.weights();
    weights[index] = value;
    *objective = wedge_core::objective_from_weights(weights);
}

/// Parse a sweep SPEC: `a,b,c` or `from:to:points`.
pub fn parse_sweep_values(spec: &str) -> Result<Vec<f64>, String> {
    let number = |s: &str| {
        s.trim()
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| format!("`{s}` is not a finite number"))
    };
    if let Some((from, rest)) = spec.split_once(':') {
        let (to, points) = rest
            .split_once(':')
            .ok_or_else(|| format!("`{spec}`: a range is from:to:points"))?;
        let (from, to) = (number(from)?, number(to)?);
        let points: usize = points
            .trim()
            .parse()
            .map_err(|_| format!("`{points}` is not a whole number of points"))?;
        if !(2..=1000).contains(&points) {
            return Err(format!("`{spec}`: a range needs between 2 and 1000 points"));
        }
        Ok((0..points)
            .map(|i| from + (to - from) * i as f64 / (points - 1) as f64)
            .collect())
    } else {
        let values: Vec<f64> = spec.split(',').map(number).collect::<Result<_, _>>()?;
        if values.is_empty() || values.len() > 1000 {
            return Err(format!("`{spec}`: give between 1 and 1000 values"));
        }
        Ok(values)
    }
}

/// Parse `PATH=SPEC`.
pub fn parse_sweep_param(text: &str) -> Result<(String, Vec<f64>), String> {
    let (path, spec) = text.split_once('=').ok_or_else(|| {
        format!("`{text}` is not PATH=SPEC (e.g. params.threat_weight=0.4:1.2:5)")
    })?;
    Ok((path.trim().to_string(), parse_sweep_values(spec)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_path_equals_value() {
        let o: Override = "params.threat_weight=0.6".parse().unwrap_or(Override {
            path: String::new(),
            value: 0.0,
        });
        assert_eq!(o.path, "params.threat_weight");
        assert_eq!(o.value, 0.6);
        assert!("params.threat_weight".parse::<Override>().is_err());
        assert!("x=abc".parse::<Override>().is_err());
        assert!("x=NaN".parse::<Override>().is_err());
    }
    #[test]
    fn specs_parse_as_lists_and_ranges() {
        assert_eq!(parse_sweep_values("0.1,0.2"), Ok(vec![0.1, 0.2]));
        assert_eq!(parse_sweep_values("0:1:3"), Ok(vec![0.0, 0.5, 1.0]));
        assert!(parse_sweep_values("0:1:1").is_err());
        assert!(parse_sweep_values("a,b").is_err());
        assert!(parse_sweep_param("x").is_err());
    }
}
