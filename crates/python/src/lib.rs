//! Python bindings for wedge: the `wedge._wedge` extension module.
//!
//! Thin adapters over the library: each function loads a scenario, calls the
//! runner, and hands back plain Python values (JSON text for summaries, a
//! dict of numpy columns for the per-run table). The simulation runs with the
//! interpreter released (`py.detach`), one chunk at a time, and Ctrl-C is
//! checked between chunks. The Python package (`python/wedge`) builds the
//! pandas objects and carries the documentation.

mod columns;
mod table;

use std::path::Path;

use pyo3::exceptions::{PyKeyboardInterrupt, PyValueError};
use pyo3::prelude::*;
use wedge_scenario::LoadedScenario;

/// Most runs one call accepts (per arm), as on the command line.
const MAX_RUNS: u64 = 1_000_000_000;

/// Load a scenario, turning its errors into a `ValueError` listing every problem.
fn load(path: &str) -> PyResult<LoadedScenario> {
    wedge_scenario::load(Path::new(path)).map_err(|e| {
        let mut text = e.to_string();
        for problem in &e.errors {
            text.push_str("\n  ");
            text.push_str(&problem.to_string());
        }
        PyValueError::new_err(text)
    })
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

/// The extension module.
#[pymodule]
mod _wedge {
    use pyo3::prelude::*;
    use pyo3::types::PyDict;

    use super::{check_runs, columns, interrupted, load, table};

    /// The wedge version.
    #[pyfunction]
    fn version() -> &'static str {
        env!("CARGO_PKG_VERSION")
    }

    /// The per-run table of a scenario: a dict of column name to numpy array
    /// (numbers) or to `(codes, categories)` (labels), in column order.
    #[pyfunction]
    #[pyo3(signature = (scenario, runs, seed))]
    fn runs<'py>(
        py: Python<'py>,
        scenario: &str,
        runs: u64,
        seed: u64,
    ) -> PyResult<Bound<'py, PyDict>> {
        check_runs(runs)?;
        let loaded = load(scenario)?;
        let name = loaded.model.spec().name.clone();
        let arm = table::TableArm {
            name: &name,
            model: &loaded.model,
            set: &[],
        };
        let table = table::RunTable::new(vec![arm], Vec::new(), seed);
        let mut builder = columns::Columns::new(&table);
        let mut lo = 0;
        while lo < runs {
            let hi = (lo + table::TABLE_CHUNK_RUNS).min(runs);
            let rows = py.detach(|| table.chunk(lo..hi));
            builder.push(&table, &rows);
            interrupted(py, "wedge.runs")?;
            lo = hi;
        }
        builder.into_dict(py)
    }
}
