//! Arms of comparisons and sweeps, built from scenario files by
//! `wedge_calibrate::Arms`, as the command line builds them: the
//! baseline, variant scenarios, the baseline plus one library lever (or
//! package) each (`+name`), or one arm per design point.

use std::path::{Path, PathBuf};

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
pub use wedge_calibrate::Arms;
use wedge_calibrate::{ArmsError, SweepDesign};
use wedge_runner::Param;
use wedge_scenario::ArmError;
use wedge_scenario::Resolved;
use wedge_scenario::ScenarioErrors;

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

/// The baseline, each variant scenario, and the baseline plus each lever (a lever named twice is one arm).
pub fn comparison(baseline: &str, variants: &[String], levers: &[String]) -> PyResult<Arms> {
    let resolved = Resolved::read(Path::new(baseline)).map_err(scenario_error)?;
    let variants: Vec<PathBuf> = variants.iter().map(PathBuf::from).collect();
    Arms::comparison(&resolved, &variants, levers, false).map_err(arm_error)
}

/// One arm per point of a grid (`design = "grid"`) or Latin hypercube (`"lhs"`) over `params`.
pub fn sweep(
    scenario: &str,
    params: Vec<(String, Vec<f64>)>,
    design: &str,
    samples: usize,
    seed: u64,
) -> PyResult<Arms> {
    let design = design
        .parse::<SweepDesign>()
        .map_err(|e| PyValueError::new_err(e.to_string()))?
        .with_samples(samples);
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
    Arms::sweep(&resolved, params, design, seed).map_err(|e| match e {
        ArmsError::Arm(e) => arm_error(e),
        ArmsError::Design(e) => PyValueError::new_err(e.to_string()),
    })
}
