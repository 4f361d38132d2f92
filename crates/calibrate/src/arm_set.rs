//! The arms of a comparison or a sweep, from scenario files: what `wedge
//! compare` and `wedge sweep` play, and what the Python package plays.
//!
//! [`Arms::comparison`] gives the baseline, each variant scenario and the
//! baseline plus each lever of the library (`wedge_scenario::arms`);
//! [`Arms::sweep`] gives one arm per point of a grid or Latin hypercube.
//! Each keeps the baseline's name and hash for the provenance of the result,
//! and the swept values for the per-run table.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use wedge_report::RunsFileError;
use wedge_runner::{
    Arm, CompareError, CompareSettings, ComparisonResult, Design, Param, Point, Ranking, RunPlan,
    RunTable, SweepError, point_name,
};
use wedge_scenario::{ArmError, NamedModel, Resolved, baseline_arm, comparison_arms, point_arms};

/// Why the arms could not be built.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ArmsError {
    /// An arm's scenario does not validate, or a lever is unknown.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Arm(#[from] ArmError),
    /// The swept values do not make a design.
    #[error(transparent)]
    Design(#[from] SweepError),
}

impl wedge_io::Categorized for ArmsError {
    fn category(&self) -> wedge_io::Category {
        wedge_io::Category::Usage
    }
}

/// Arms, baseline first, with the baseline's name and hash and (sweeps only)
/// the swept parameters and each arm's values.
#[derive(Debug, Clone)]
pub struct Arms {
    /// The arms, baseline first.
    pub arms: Vec<Arm>,
    /// Name of the baseline scenario.
    pub scenario: String,
    /// SHA-256 of the resolved baseline scenario, hex.
    pub hash: String,
    /// The swept parameters (sweeps only).
    pub params: Vec<Param>,
    /// Each arm's point: its swept values (sweeps only).
    pub points: Vec<Point>,
    /// Each arm's swept values, in the order of `params` (sweeps only).
    pub values: Vec<Vec<f64>>,
}

impl Arms {
    /// The baseline, each variant scenario, and the baseline plus each lever
    /// or package of `levers` (`+NAME`; a name given twice is one arm), then
    /// with `all_levers` the essay's levers.
    pub fn comparison(
        resolved: &Resolved,
        variants: &[PathBuf],
        levers: &[String],
        all_levers: bool,
    ) -> Result<Arms, ArmError> {
        let named = comparison_arms(resolved, variants, levers, all_levers)?;
        let (scenario, hash) = named
            .first()
            .map(|a| (a.name.clone(), a.hash.clone()))
            .unwrap_or_default();
        Ok(Arms {
            arms: named.into_iter().map(arm).collect(),
            scenario,
            hash,
            params: Vec::new(),
            points: Vec::new(),
            values: Vec::new(),
        })
    }

    /// One arm per point of `design` over `params` (each named `path=value`);
    /// `seed` places the points of a Latin hypercube.
    pub fn sweep(
        resolved: &Resolved,
        params: Vec<Param>,
        design: Design,
        seed: u64,
    ) -> Result<Arms, ArmsError> {
        let base = baseline_arm(resolved)?;
        let points = design.sweep_points(&params, seed, &base.model)?;
        let named = point_arms(resolved, &points, point_name)?;
        let hash = named.first().map(|a| a.hash.clone()).unwrap_or_default();
        Ok(Arms {
            arms: named.into_iter().map(arm).collect(),
            scenario: resolved.name().to_string(),
            hash,
            params,
            values: wedge_runner::point_values(&points),
            points,
        })
    }

    /// The settings of a comparison of these arms.
    pub fn settings(
        &self,
        seed: u64,
        runs: u64,
        target_ci: Option<f64>,
        command: &str,
    ) -> CompareSettings {
        CompareSettings::new(
            RunPlan::new(&self.scenario, &self.hash, seed, runs),
            target_ci,
            command,
        )
    }

    /// Play these arms pair by pair on common random numbers, `runs` per arm
    /// from `seed` (or growing to `target_ci`): a comparison ranked by paired
    /// effect, or a sweep's points in design order carrying their swept
    /// values. `progress` gets (runs done, runs planned) over every arm.
    pub fn play(
        &self,
        (seed, runs, target_ci): (u64, u64, Option<f64>),
        command: &str,
        stop: &AtomicBool,
        progress: &mut (dyn FnMut(u64, u64) + Send),
    ) -> Result<ComparisonResult, CompareError> {
        let settings = self.settings(seed, runs, target_ci, command);
        let ranking = if self.points.is_empty() {
            Ranking::ByDelta
        } else {
            Ranking::AsGiven
        };
        let per = self.arms.len() as u64;
        let tick = &mut |done, planned| progress(done * per, planned * per);
        let mut result = wedge_runner::compare(&self.arms, &settings, ranking, stop, tick)?;
        result.attach_points(&self.points);
        Ok(result)
    }

    /// Write the per-run table of these arms as `result` played them to
    /// `path` (what `--runs-out` writes), with its metadata.
    pub fn write_runs(
        &self,
        path: &Path,
        result: &ComparisonResult,
        command: &str,
        stop: &AtomicBool,
    ) -> Result<(), RunsFileError> {
        let runs = (0..result.runs, result.runs);
        let table = self.table(result.seed);
        wedge_report::write_runs_table(path, &table, runs, &self.hash, command, stop)
    }

    /// The per-run table of these arms under master seed `seed`: one column
    /// per swept path (`p.PATH`) holding each arm's value.
    pub fn table(&self, seed: u64) -> RunTable<'_> {
        let paths = self.params.iter().map(|p| p.path.clone()).collect();
        RunTable::from_arms(&self.arms, paths, &self.values, seed)
    }
}

fn arm(named: NamedModel) -> Arm {
    Arm {
        name: named.name,
        model: named.model,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn baseline() -> Resolved {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/baseline-2021.ron");
        match Resolved::read(&path) {
            Ok(r) => r,
            Err(e) => panic!("the baseline scenario loads: {e}"),
        }
    }

    #[test]
    fn a_comparison_is_the_baseline_then_one_arm_per_lever_named_once() {
        let r = baseline();
        let levers = ["arms-control".to_string(), "arms-control".to_string()];
        let arms = Arms::comparison(&r, &[], &levers, false).map_err(|e| e.to_string());
        let arms = arms.unwrap_or_else(|e| panic!("{e}"));
        let names: Vec<&str> = arms.arms.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, [r.name(), "+arms-control"]);
        assert_eq!(arms.scenario, r.name());
        assert_eq!(arms.hash.len(), 64);
        assert!(arms.params.is_empty() && arms.values.is_empty());
        let settings = arms.settings(7, 100, Some(0.01), "wedge compare");
        assert_eq!((settings.plan.seed, settings.plan.runs), (7, 100));
        assert_eq!(settings.plan.scenario_hash, arms.hash);
    }

    #[test]
    fn an_unknown_lever_is_refused() {
        let r = baseline();
        let levers = ["no-such-lever".to_string()];
        assert!(Arms::comparison(&r, &[], &levers, false).is_err());
    }

    #[test]
    fn a_grid_sweep_has_one_arm_per_value_and_its_values_in_the_table() {
        let r = baseline();
        let params = vec![Param {
            path: "params.threat_weight".into(),
            values: vec![0.5, 1.0, 1.5],
        }];
        let arms = Arms::sweep(&r, params, Design::Grid, 1).map_err(|e| e.to_string());
        let arms = arms.unwrap_or_else(|e| panic!("{e}"));
        let names: Vec<&str> = arms.arms.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "params.threat_weight=0.5",
                "params.threat_weight=1",
                "params.threat_weight=1.5"
            ]
        );
        assert_eq!(arms.values, [[0.5], [1.0], [1.5]]);
        assert_eq!(arms.points.len(), 3);
        assert_eq!(arms.table(1).arms().len(), 3);
        let stop = AtomicBool::new(false);
        let played = arms.play((1, 100, None), "test", &stop, &mut |_, _| {});
        let result = played
            .map_err(|e| e.to_string())
            .unwrap_or_else(|e| panic!("{e}"));
        let order: Vec<&str> = result.arms.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(order, names, "a sweep keeps its design order");
        assert!(result.arms.iter().all(|a| !a.params.is_empty()));
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("runs.csv");
        assert!(arms.write_runs(&path, &result, "test", &stop).is_ok());
        let rows = std::fs::read_to_string(&path)
            .unwrap_or_default()
            .lines()
            .count();
        assert_eq!(
            rows,
            1 + 3 * 100,
            "a header, then one row per run and point"
        );
    }

    #[test]
    fn a_sweep_of_an_unknown_path_is_refused() {
        let r = baseline();
        let params = vec![Param {
            path: "params.no_such_parameter".into(),
            values: vec![0.5, 1.0],
        }];
        assert!(Arms::sweep(&r, params, Design::Grid, 1).is_err());
    }
}
