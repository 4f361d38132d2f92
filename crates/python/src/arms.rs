//! Arms of comparisons and sweeps, built from scenario files by the scenario
//! crate's shared arms module, as the command line builds them: the
//! baseline, variant scenarios, the baseline plus one library lever (or
//! package) each (`+name`), or one arm per design point.

use std::path::{Path, PathBuf};

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use wedge_runner::{Arm, Design, Param, Point, point_name};
use wedge_scenario::ScenarioErrors;
use wedge_scenario::arms::{self as shared, ArmError, NamedModel};
use wedge_scenario::load::Resolved;

/// Arms with the baseline's name and hash.
pub struct Arms {
    /// The arms, baseline first.
    pub arms: Vec<Arm>,
    /// Name of the baseline scenario.
    pub scenario: String,
    /// Hash of the resolved baseline scenario.
    pub hash: String,
    /// Swept paths (sweeps only).
    pub paths: Vec<String>,
    /// Each arm's swept values (sweeps only).
    pub points: Vec<Point>,
}

/// A scenario's errors as a `ValueError` listing every problem.
pub fn scenario_error(e: ScenarioErrors) -> PyErr {
    let mut text = e.to_string();
    for problem in &e.errors {
        text.push_str("\n  ");
        text.push_str(&problem.to_string());
    }
    PyValueError::new_err(text)
}

/// An arm's error as a `ValueError`.
fn arm_error(e: ArmError) -> PyErr {
    match e {
        ArmError::Scenario(e) => scenario_error(e),
        ArmError::Levers(message) => PyValueError::new_err(message),
    }
}

fn arm(named: NamedModel) -> Arm {
    Arm {
        name: named.name,
        model: named.model,
    }
}

/// The baseline, each variant scenario, and the baseline plus each lever (a lever named twice is one arm).
pub fn comparison(baseline: &str, variants: &[String], levers: &[String]) -> PyResult<Arms> {
    let resolved = Resolved::read(Path::new(baseline)).map_err(scenario_error)?;
    let variants: Vec<PathBuf> = variants.iter().map(PathBuf::from).collect();
    let named = shared::comparison_arms(&resolved, &variants, levers, false).map_err(arm_error)?;
    let (scenario, hash) = named
        .first()
        .map(|a| (a.name.clone(), a.hash.clone()))
        .unwrap_or_default();
    Ok(Arms {
        arms: named.into_iter().map(arm).collect(),
        scenario,
        hash,
        paths: Vec::new(),
        points: Vec::new(),
    })
}

/// One arm per point of a grid (`design = "grid"`) or Latin hypercube (`"lhs"`) over `params`.
pub fn sweep(
    scenario: &str,
    params: Vec<(String, Vec<f64>)>,
    design: &str,
    samples: usize,
    seed: u64,
) -> PyResult<Arms> {
    let design = match design {
        "grid" => Design::Grid,
        "lhs" => Design::LatinHypercube { samples },
        other => {
            return Err(PyValueError::new_err(format!(
                "design must be \"grid\" or \"lhs\", got {other:?}"
            )));
        }
    };
    let params: Vec<Param> = params
        .into_iter()
        .map(|(path, values)| Param { path, values })
        .collect();
    if params.is_empty() {
        return Err(PyValueError::new_err(
            "give at least one parameter to sweep",
        ));
    }
    let resolved = Resolved::read(Path::new(scenario)).map_err(scenario_error)?;
    let base = shared::baseline_arm(&resolved).map_err(arm_error)?;
    let points = (design.sweep_points(&params, seed, &base.model))
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    let named = shared::point_arms(&resolved, &points, point_name).map_err(arm_error)?;
    let hash = named.first().map(|a| a.hash.clone()).unwrap_or_default();
    Ok(Arms {
        arms: named.into_iter().map(arm).collect(),
        scenario: resolved.name().to_string(),
        hash,
        paths: params.into_iter().map(|p| p.path).collect(),
        points,
    })
}
