//! Python bindings for wedge: the `wedge._wedge` extension module.
//!
//! Thin adapters over the library: each function loads a scenario, calls the
//! runner, and hands back plain Python values (JSON text for summaries, a
//! dict of numpy columns for the per-run table). The simulation runs with the
//! interpreter released (`py.detach`): the per-run table one chunk at a time,
//! with Ctrl-C checked between chunks; the library's experiments (which call
//! back from their own threads) on a worker thread while the calling thread
//! checks for Ctrl-C and, on one, asks the experiment to stop at its next
//! wave. The Python package (`python/wedge`) builds the pandas objects and
//! carries the documentation.

mod arms;
mod columns;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use pyo3::exceptions::{PyKeyboardInterrupt, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use wedge_scenario::LoadedScenario;

// Most runs one call accepts (per arm): the command line's limit.
use wedge_runner::MAX_RUNS;

/// Load a scenario, turning its errors into a `ValueError` listing every problem.
fn load(path: &str) -> PyResult<LoadedScenario> {
    wedge_scenario::load(Path::new(path)).map_err(arms::scenario_error)
}

/// Check a run count.
fn check_runs(runs: u64) -> PyResult<()> {
    if runs == 0 || runs > MAX_RUNS {
        return Err(PyValueError::new_err(format!(
            "runs must be between 1 and {MAX_RUNS}, got {runs}"
        )));
    }
    Ok(())
}

/// Turn a pending signal (Ctrl-C) into an exception that names what was cut short.
fn interrupted(py: Python<'_>, what: &str) -> PyResult<()> {
    py.check_signals().map_err(|e| {
        if e.is_instance_of::<PyKeyboardInterrupt>(py) {
            PyKeyboardInterrupt::new_err(format!("{what} interrupted"))
        } else {
            e
        }
    })
}

/// Run `work` with the interpreter released, on a worker thread, while this
/// thread checks for Ctrl-C every 50 ms; on one, `work`'s stop flag is set and
/// the signal's exception is raised once `work` has returned.
fn interruptible<T: Send>(
    py: Python<'_>,
    what: &str,
    work: impl FnOnce(&AtomicBool) -> T + Send,
) -> PyResult<T> {
    let stop = AtomicBool::new(false);
    let mut signal: Option<PyErr> = None;
    let outcome = py.detach(|| {
        std::thread::scope(|scope| {
            let handle = scope.spawn(|| work(&stop));
            while !handle.is_finished() {
                std::thread::sleep(Duration::from_millis(50));
                if signal.is_none()
                    && let Err(e) = Python::attach(|py| py.check_signals())
                {
                    signal = Some(e);
                    stop.store(true, Ordering::Relaxed);
                }
            }
            handle.join()
        })
    });
    if let Some(e) = signal {
        return Err(Python::attach(|py| {
            if e.is_instance_of::<PyKeyboardInterrupt>(py) {
                PyKeyboardInterrupt::new_err(format!("{what} interrupted"))
            } else {
                e
            }
        }));
    }
    outcome.map_err(|_| PyRuntimeError::new_err(format!("{what} failed: a worker thread panicked")))
}

/// The extension module.
#[pymodule]
mod _wedge {
    use pyo3::prelude::*;
    use pyo3::types::PyDict;

    use numpy::PyReadonlyArray1;
    use pyo3::exceptions::{PyRuntimeError, PyValueError};
    use wedge_analysis::PrimOptions;

    use super::{arms, check_runs, columns, interrupted, interruptible, load};
    use wedge_runner::{
        CaseRule, Column, ComparisonResult, DiscoverSettings, RunPlan, RunSession, SobolSettings,
        TABLE_CHUNK_RUNS,
    };

    /// The wedge version.
    #[pyfunction]
    fn version() -> &'static str {
        env!("CARGO_PKG_VERSION")
    }

    /// The per-run table of a scenario (one arm), a comparison (with
    /// `variants` or `levers`) or a sweep (with `params`): a dict of column
    /// name to numpy array (numbers) or to `(codes, categories)` (labels).
    #[pyfunction]
    #[pyo3(signature = (scenario, runs, seed, variants, levers, params, design, samples))]
    #[allow(clippy::too_many_arguments)]
    fn runs<'py>(
        py: Python<'py>,
        scenario: &str,
        runs: u64,
        seed: u64,
        variants: Vec<String>,
        levers: Vec<String>,
        params: Vec<(String, Vec<f64>)>,
        design: &str,
        samples: usize,
    ) -> PyResult<Bound<'py, PyDict>> {
        check_runs(runs)?;
        let built = if params.is_empty() {
            arms::comparison(scenario, &variants, &levers)?
        } else {
            arms::sweep(scenario, params, design, samples, seed)?
        };
        let table = built.table(seed);
        let mut builder = columns::Columns::new(&table);
        let mut lo = 0;
        while lo < runs {
            let hi = (lo + TABLE_CHUNK_RUNS).min(runs);
            let rows = py.detach(|| table.chunk(lo..hi));
            builder.push(&table, &rows);
            interrupted(py, "wedge.runs")?;
            lo = hi;
        }
        builder.into_dict(py)
    }

    /// The summary of a batch (what `wedge run --format json` prints), as JSON text.
    #[pyfunction]
    #[pyo3(signature = (scenario, runs, seed))]
    fn run(py: Python<'_>, scenario: &str, runs: u64, seed: u64) -> PyResult<String> {
        check_runs(runs)?;
        let loaded = load(scenario)?;
        let plan = RunPlan::new(&loaded.model.spec().name, &loaded.hash, seed, runs);
        let mut session = RunSession::new(&loaded.model, plan, None);
        let outcome = interruptible(py, "wedge.run", |stop| session.run(stop, &mut |_| {}))?;
        outcome.map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
        to_json(&session.result("python: wedge.run"))
    }

    /// A paired comparison (what `wedge compare --format json` prints), as JSON text.
    #[pyfunction]
    #[pyo3(signature = (baseline, variants, levers, runs, seed))]
    fn compare(
        py: Python<'_>,
        baseline: &str,
        variants: Vec<String>,
        levers: Vec<String>,
        runs: u64,
        seed: u64,
    ) -> PyResult<String> {
        check_runs(runs)?;
        let built = arms::comparison(baseline, &variants, &levers)?;
        to_json(&play(py, &built, runs, seed, "python: wedge.compare")?)
    }

    /// A sweep (what `wedge sweep --format json` prints), as JSON text.
    #[pyfunction]
    #[pyo3(signature = (scenario, params, design, samples, runs, seed))]
    fn sweep(
        py: Python<'_>,
        scenario: &str,
        params: Vec<(String, Vec<f64>)>,
        design: &str,
        samples: usize,
        runs: u64,
        seed: u64,
    ) -> PyResult<String> {
        check_runs(runs)?;
        let built = arms::sweep(scenario, params, design, samples, seed)?;
        to_json(&play(py, &built, runs, seed, "python: wedge.sweep")?)
    }

    /// Play arms pair by pair, interruptibly (a sweep's points in design order, with their values).
    fn play(
        py: Python<'_>,
        built: &arms::Arms,
        runs: u64,
        seed: u64,
        command: &str,
    ) -> PyResult<ComparisonResult> {
        let outcome = interruptible(py, command, |stop| {
            built.play((seed, runs, None), command, stop, &mut |_, _| {})
        })?;
        outcome.map_err(|e| PyValueError::new_err(e.to_string()))
    }

    fn to_json<T: serde::Serialize>(value: &T) -> PyResult<String> {
        serde_json::to_string(value).map_err(|e| PyRuntimeError::new_err(e.to_string()))
    }

    /// Sobol indices of a scenario's split share and final alignment, as JSON text.
    #[pyfunction]
    #[pyo3(signature = (scenario, base, replicates, levers, seed, resamples))]
    fn sobol(
        py: Python<'_>,
        scenario: &str,
        base: usize,
        replicates: u64,
        levers: bool,
        seed: u64,
        resamples: usize,
    ) -> PyResult<String> {
        let loaded = load(scenario)?;
        let settings = SobolSettings {
            base,
            replicates,
            levers,
            seed,
            resamples,
        };
        let result = interruptible(py, "wedge.sobol", |stop| {
            wedge_runner::sobol(
                &loaded.model,
                &loaded.hash,
                &settings,
                "python: wedge.sobol",
                stop,
                &mut |_, _| {},
            )
        })?;
        let result = result.map_err(|e| PyValueError::new_err(e.to_string()))?;
        serde_json::to_string(&result).map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// PRIM boxes over a table's columns, as JSON text. `numeric` and `labels`
    /// map column names to values; `order` gives the column order.
    #[pyfunction]
    #[pyo3(signature = (order, numeric, labels, outcome, rule, cut, inputs, threshold, peel_alpha, paste_alpha, mass_min, max_boxes))]
    #[allow(clippy::too_many_arguments)]
    fn discover(
        order: Vec<String>,
        numeric: std::collections::HashMap<String, PyReadonlyArray1<'_, f64>>,
        labels: std::collections::HashMap<String, Vec<String>>,
        outcome: String,
        rule: &str,
        cut: f64,
        inputs: Vec<String>,
        threshold: f64,
        peel_alpha: f64,
        paste_alpha: f64,
        mass_min: f64,
        max_boxes: usize,
    ) -> PyResult<String> {
        let mut columns = Vec::with_capacity(order.len());
        for name in order {
            let column = if let Some(values) = numeric.get(&name) {
                Column::Numeric(values.as_array().iter().copied().collect())
            } else if let Some(values) = labels.get(&name) {
                Column::Labels(values.clone())
            } else {
                return Err(PyValueError::new_err(format!(
                    "no values for column `{name}`"
                )));
            };
            columns.push((name, column));
        }
        let rule = match rule {
            "is_one" => CaseRule::IsOne,
            "below" => CaseRule::Below(cut),
            "above" => CaseRule::Above(cut),
            other => {
                return Err(PyValueError::new_err(format!(
                    "unknown case rule `{other}`"
                )));
            }
        };
        let settings = DiscoverSettings {
            outcome,
            rule,
            inputs,
            options: PrimOptions {
                threshold,
                peel_alpha,
                paste_alpha,
                mass_min,
                max_boxes,
                ..PrimOptions::default()
            },
        };
        let found = wedge_runner::discover(&columns, &settings)
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        serde_json::to_string(&found).map_err(|e| PyValueError::new_err(e.to_string()))
    }
}
