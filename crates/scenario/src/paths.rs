//! Every field path a scenario can set (`set`, `--param`, `--sweep`), with its range.
//!
//! [`settable_paths`] lists the paths [`crate::overrides::apply`] accepts for
//! one resolved scenario — its levers, uncertainties and agents by name — and
//! the range validation enforces, so that `wedge show --paths` can tell a
//! user what they may sweep before they try.

use wedge_core::{Distribution, EventKind, FEATURE_NAMES, MAX_HORIZON_TURNS, ParamId};

use crate::schema::{ModeSpec, ScenarioFile};

/// One settable path.
#[derive(Debug, Clone, PartialEq)]
pub struct SettablePath {
    /// The dotted path, e.g. `levers.arms-control.intensity`.
    pub path: String,
    /// Smallest valid value.
    pub min: f64,
    /// Largest valid value (may be infinite).
    pub max: f64,
    /// Whether loading refuses values outside `[min, max]`; when false the range is advisory (see `note`).
    pub enforced: bool,
    /// What the value means, or a caveat about its range.
    pub note: String,
}

impl std::fmt::Display for SettablePath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let range = format!("[{}, {}]", self.min, self.max);
        if self.note.is_empty() {
            write!(f, "{:<58} {range}", self.path)
        } else {
            write!(f, "{:<58} {range:<22} {}", self.path, self.note)
        }
    }
}

fn entry(path: String, min: f64, max: f64, note: &str) -> SettablePath {
    SettablePath {
        path,
        min,
        max,
        enforced: true,
        note: note.to_string(),
    }
}

/// Every path settable on this resolved scenario (levers expanded), with its range.
pub fn settable_paths(file: &ScenarioFile) -> Vec<SettablePath> {
    let turn_years = file.turn_years.unwrap_or(0.25);
    let horizon_years = file.horizon_years.unwrap_or(10.0);
    let horizon_turns = (horizon_years / turn_years).round().max(1.0);
    let mut out = Vec::new();
    for id in ParamId::all_paths()
        .iter()
        .filter_map(|p| ParamId::parse(p))
    {
        let (min, max) = id.range();
        let path = id.path();
        // A drawn quantity is replaced by its draw in every run: point at the distribution instead.
        let note = match file.uncertainties.iter().find(|u| u.target == path) {
            Some(u) => format!(
                "drawn by uncertainty `{}`: setting it has no effect; set uncertainties.{}.* instead",
                u.name, u.name
            ),
            None => String::new(),
        };
        out.push(entry(path, min, max, &note));
    }
    out.push(entry(
        "start_year".into(),
        -10_000.0,
        10_000.0,
        "calendar year of the first turn",
    ));
    out.push(entry(
        "turn_years".into(),
        1e-3,
        1.0,
        "years per turn (0.25 is a quarter)",
    ));
    out.push(entry(
        "horizon_years".into(),
        turn_years,
        f64::from(MAX_HORIZON_TURNS) * turn_years,
        "at most 4000 turns",
    ));
    out.push(entry("split.threshold".into(), -1.0, 1.0, ""));
    out.push(entry("split.amity_tension".into(), 0.0, 1.0, ""));
    out.push(entry(
        "split.consecutive_turns".into(),
        1.0,
        horizon_turns,
        "whole turns, at most the horizon",
    ));
    for lever in &file.levers {
        let base = format!("levers.{}", lever.name);
        out.push(entry(format!("{base}.intensity"), 0.0, 100.0, ""));
        for field in ["onset_years", "ramp_years", "duration_years"] {
            out.push(SettablePath {
                path: format!("{base}.{field}"),
                min: 0.0,
                max: horizon_years,
                enforced: false,
                note: if field == "onset_years" {
                    "years after start_year; beyond the horizon the lever never acts".into()
                } else {
                    "years; beyond the horizon means to the end".into()
                },
            });
        }
    }
    for u in &file.uncertainties {
        let base = format!("uncertainties.{}", u.name);
        let Some(target) = ParamId::parse(&u.target) else {
            continue;
        };
        let (min, max) = target.range();
        let fields: &[&str] = match u.distribution {
            Distribution::Uniform { .. } => &["low", "high"],
            Distribution::Triangular { .. } => &["low", "mode", "high"],
            Distribution::Normal { .. } => &["mean", "sd"],
            Distribution::Choice(_) => &[],
        };
        for field in fields {
            if *field == "sd" {
                out.push(entry(format!("{base}.sd"), 0.0, f64::INFINITY, "positive"));
            } else {
                out.push(entry(
                    format!("{base}.{field}"),
                    min,
                    max,
                    "the range of its target",
                ));
            }
        }
    }
    for kind in EventKind::ALL {
        let base = format!("events.{}", kind.name());
        out.push(entry(
            format!("{base}.per_year"),
            0.0,
            10.0,
            "events per year",
        ));
        if matches!(
            kind,
            EventKind::RussiaLeadershipChange | EventKind::ChinaLeadershipChange
        ) {
            out.push(entry(format!("{base}.per_year_of_tenure"), 0.0, 1.0, ""));
        } else {
            out.push(entry(format!("{base}.size"), 0.0, 2.0, ""));
        }
    }
    for agent in file.agents.iter().flatten() {
        let base = format!("agents.{}", agent.actor.name());
        if agent
            .decisions
            .iter()
            .any(|d| matches!(d.mode, ModeSpec::Adaptive { .. }))
        {
            out.push(entry(
                format!("{base}.rationality"),
                0.0,
                1e4,
                "every adaptive decision of the agent",
            ));
        }
        for feature in FEATURE_NAMES {
            out.push(entry(
                format!("{base}.objective.{feature}"),
                -100.0,
                100.0,
                "",
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::Override;
    use crate::load::Resolved;

    #[test]
    fn every_listed_path_is_settable_and_its_enforced_range_is_the_validated_one() {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/kupchan-package.ron");
        let resolved = Resolved::read(&path).map_err(|e| format!("{e:?}"));
        let resolved = resolved.unwrap_or_else(|e| panic!("{e}"));
        let loaded = resolved.build(&[], &[]).map_err(|e| format!("{e:?}"));
        let loaded = loaded.unwrap_or_else(|e| panic!("{e}"));
        let paths = settable_paths(&loaded.resolved);
        assert!(paths.iter().any(|p| p.path.starts_with("levers.")));
        assert!(paths.iter().any(|p| p.path.starts_with("agents.")));
        let drawn = paths.iter().find(|p| p.path == "params.transition_pace");
        assert!(drawn.is_some_and(|p| p.note.contains("uncertainties.transition_pace")));
        for p in &paths {
            let mut file = loaded.resolved.clone();
            assert_eq!(
                crate::overrides::apply(&mut file, &p.path, p.min.max(-1e9)),
                Ok(()),
                "{} is listed but cannot be set",
                p.path
            );
            if !p.enforced {
                continue;
            }
            for outside in [p.max + p.max.abs().max(1.0), p.min - p.min.abs().max(1.0)] {
                if !outside.is_finite() {
                    continue;
                }
                let o = Override {
                    path: p.path.clone(),
                    value: outside,
                };
                assert!(
                    resolved.build(&[], &[o]).is_err(),
                    "{} = {outside} is outside [{}, {}] but loads",
                    p.path,
                    p.min,
                    p.max
                );
            }
        }
    }
}
