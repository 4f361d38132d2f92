//! The arms of a comparison, built from one resolved scenario: one arm per
//! lever or package of its library (`--levers`, `--all-levers`), and one arm
//! per point of a parameter design (`wedge sweep`).
//!
//! Every surface that compares levers (the command line, the Python package,
//! the web page) builds its arms here, so an arm named `+sanctions-relief-path`
//! is the same model wherever it was asked for.

use wedge_core::Model;

use crate::diagnostics::ScenarioErrors;
use crate::load::Resolved;
use crate::overrides::Override;
use crate::schema::LeverUse;

/// The library package whose members are the essay's levers.
pub const ESSAY_PACKAGE: &str = "kupchan-package";

/// One arm: a validated model and the name it is reported under.
#[derive(Debug, Clone)]
pub struct NamedModel {
    /// The arm's name (`+lever` for a lever arm).
    pub name: String,
    /// The validated model.
    pub model: Model,
    /// SHA-256 of the arm's resolved scenario, hex.
    pub hash: String,
}

/// Why an arm could not be built.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ArmError {
    /// The scenario with the arm's levers or overrides does not validate.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Scenario(#[from] ScenarioErrors),
    /// A lever or package the library does not hold, or no library at all.
    #[error("{0}")]
    Levers(String),
}

impl wedge_io::Categorized for ArmError {
    fn category(&self) -> wedge_io::Category {
        wedge_io::Category::Usage
    }
}

/// The scenario as written, named by its own name.
pub fn baseline_arm(resolved: &Resolved) -> Result<NamedModel, ArmError> {
    let loaded = resolved.build(&[], &[])?;
    Ok(NamedModel {
        name: loaded.model.spec().name.clone(),
        model: loaded.model,
        hash: loaded.hash,
    })
}

/// The essay's levers, one by one, then their package as a whole: the arms of `--all-levers`.
pub fn essay_lever_names(resolved: &Resolved) -> Result<Vec<String>, ArmError> {
    let library = library(resolved)?;
    let package = library
        .packages
        .iter()
        .find(|p| p.name == ESSAY_PACKAGE)
        .ok_or_else(|| {
            ArmError::Levers(format!(
                "the lever library has no `{ESSAY_PACKAGE}` package listing the essay's levers"
            ))
        })?;
    let mut names = package.levers.clone();
    names.push(ESSAY_PACKAGE.to_string());
    Ok(names)
}

/// The scenario with a lever (or a whole package) of its library added at
/// the library's defaults, named `+NAME`.
pub fn lever_arm(resolved: &Resolved, name: &str) -> Result<NamedModel, ArmError> {
    let uses = library(resolved)?.uses_of(name).map_err(ArmError::Levers)?;
    levers_arm(resolved, &format!("+{name}"), &uses)
}

/// The scenario with the given lever uses added (each may set its own
/// intensity, onset or conditions), under `name`.
pub fn levers_arm(
    resolved: &Resolved,
    name: &str,
    uses: &[LeverUse],
) -> Result<NamedModel, ArmError> {
    let loaded = resolved.build(uses, &[])?;
    Ok(NamedModel {
        name: name.to_string(),
        model: loaded.model,
        hash: loaded.hash,
    })
}

/// The scenario with overrides applied, under `name` (one point of a design).
pub fn override_arm(
    resolved: &Resolved,
    name: &str,
    point: &[(String, f64)],
) -> Result<NamedModel, ArmError> {
    let overrides: Vec<Override> = point
        .iter()
        .map(|(path, value)| Override {
            path: path.clone(),
            value: *value,
        })
        .collect();
    let loaded = resolved.build(&[], &overrides)?;
    Ok(NamedModel {
        name: name.to_string(),
        model: loaded.model,
        hash: loaded.hash,
    })
}

/// One arm per point of a design ([`override_arm`]), each named by `name`.
pub fn point_arms(
    resolved: &Resolved,
    points: &[Vec<(String, f64)>],
    name: impl Fn(&[(String, f64)]) -> String,
) -> Result<Vec<NamedModel>, ArmError> {
    points
        .iter()
        .map(|point| override_arm(resolved, &name(point), point))
        .collect()
}

/// The arms of a comparison: the baseline (the scenario as written), each
/// variant scenario under its own name, then the baseline plus each lever
/// or package of `levers` (`+NAME`; a name given twice is one arm). With
/// `all_levers`, the essay's levers follow ([`essay_lever_names`]).
pub fn comparison_arms(
    resolved: &Resolved,
    variants: &[std::path::PathBuf],
    levers: &[String],
    all_levers: bool,
) -> Result<Vec<NamedModel>, ArmError> {
    let mut arms = vec![baseline_arm(resolved)?];
    for path in variants {
        let loaded = crate::load(path)?;
        arms.push(NamedModel {
            name: loaded.model.spec().name.clone(),
            model: loaded.model,
            hash: loaded.hash,
        });
    }
    for name in &lever_arm_names(resolved, levers, all_levers)? {
        arms.push(lever_arm(resolved, name)?);
    }
    Ok(arms)
}

/// The levers and packages a comparison plays, in order: `levers` as given,
/// then with `all_levers` the essay's levers ([`essay_lever_names`]); a name
/// given twice is one arm.
pub fn lever_arm_names(
    resolved: &Resolved,
    levers: &[String],
    all_levers: bool,
) -> Result<Vec<String>, ArmError> {
    let mut names = levers.to_vec();
    if all_levers {
        names.extend(essay_lever_names(resolved)?);
    }
    let mut seen = std::collections::HashSet::new();
    names.retain(|name| seen.insert(name.clone()));
    Ok(names)
}

fn library(resolved: &Resolved) -> Result<&crate::schema::LeverLibrary, ArmError> {
    resolved.library().ok_or_else(|| {
        ArmError::Levers(format!(
            "{} names no lever_library",
            resolved
                .sources
                .first()
                .map_or("the scenario", |s| s.path.as_str())
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn baseline() -> Resolved {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/baseline-2021.ron");
        Resolved::read(&path).unwrap_or_else(|e| panic!("{e:?}"))
    }

    #[test]
    fn the_essay_package_comes_last_after_its_members() {
        let names = essay_lever_names(&baseline()).unwrap_or_default();
        assert!(names.len() >= 3, "{names:?}");
        assert_eq!(names.last().map(String::as_str), Some(ESSAY_PACKAGE));
    }

    #[test]
    fn a_lever_arm_differs_from_the_baseline_and_is_named_for_its_lever() {
        let resolved = baseline();
        let base = baseline_arm(&resolved).unwrap_or_else(|e| panic!("{e:?}"));
        let names = essay_lever_names(&resolved).unwrap_or_default();
        let arm = lever_arm(&resolved, &names[0]).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(arm.name, format!("+{}", names[0]));
        assert_ne!(arm.hash, base.hash);
    }

    #[test]
    fn a_comparison_is_the_baseline_then_each_lever_once() {
        let resolved = baseline();
        let names = essay_lever_names(&resolved).unwrap_or_default();
        let twice = vec![names[0].clone(), names[0].clone()];
        let arms = comparison_arms(&resolved, &[], &twice, false).unwrap_or_default();
        let arm_names: Vec<&str> = arms.iter().map(|a| a.name.as_str()).collect();
        let lever = format!("+{}", names[0]);
        assert_eq!(arm_names, [resolved.name(), lever.as_str()]);
        let all = comparison_arms(&resolved, &[], &twice, true).unwrap_or_default();
        assert_eq!(all.len(), 1 + names.len());
    }

    #[test]
    fn an_unknown_lever_is_refused_with_the_valid_names() {
        let message = match lever_arm(&baseline(), "sanctions-relief") {
            Err(ArmError::Levers(m)) => m,
            other => panic!("{other:?}"),
        };
        assert!(message.contains("sanctions-relief-path"), "{message}");
    }

    #[test]
    fn point_arms_are_named_by_their_points_and_differ_by_their_values() {
        let resolved = baseline();
        let points = vec![
            vec![("params.threat_weight".to_string(), 0.5)],
            vec![("params.threat_weight".to_string(), 1.5)],
        ];
        let name = |p: &[(String, f64)]| format!("{}={}", p[0].0, p[0].1);
        let arms = point_arms(&resolved, &points, name).unwrap_or_else(|e| panic!("{e:?}"));
        let names: Vec<&str> = arms.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(
            names,
            ["params.threat_weight=0.5", "params.threat_weight=1.5"]
        );
        assert_ne!(arms[0].hash, arms[1].hash);
        assert_ne!(arms[0].model.spec(), arms[1].model.spec());
    }
}
