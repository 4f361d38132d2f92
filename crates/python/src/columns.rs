//! Column buffers for the per-run table, handed to Python as numpy arrays.
//!
//! Numbers become `float64` arrays (NaN where a value is missing, as in an
//! empty CSV cell), counts `int64`/`uint64`, and labels `(codes, categories)`
//! pairs with code −1 for a missing label, ready for
//! `pandas.Categorical.from_codes`. Categories keep declaration order, so
//! codes are stable from one call to the next.

use numpy::IntoPyArray;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use wedge_core::Partner;

use wedge_runner::{RunRow, RunTable};

/// A label column: codes into a list of categories.
#[derive(Debug, Default)]
struct Labels {
    codes: Vec<i32>,
    categories: Vec<String>,
}

/// Every column of a table, filled chunk by chunk.
#[derive(Debug)]
pub struct Columns {
    names: Vec<String>,
    run: Vec<u64>,
    seed: Vec<u64>,
    scenario: Labels,
    scenario_of_arm: Vec<i32>,
    arm: Labels,
    numbers: Vec<Vec<f64>>,
    split: Vec<i64>,
    defector: Labels,
}

impl Columns {
    /// Empty buffers for `table`'s columns.
    pub fn new(table: &RunTable<'_>) -> Columns {
        let mut scenario = Labels::default();
        let mut scenario_of_arm = Vec::new();
        for arm in table.arms() {
            let name = &arm.model.spec().name;
            let code = match scenario.categories.iter().position(|c| c == name) {
                Some(i) => i,
                None => {
                    scenario.categories.push(name.clone());
                    scenario.categories.len() - 1
                }
            };
            scenario_of_arm.push(code as i32);
        }
        let arm = Labels {
            codes: Vec::new(),
            categories: table.arms().iter().map(|a| a.name.to_string()).collect(),
        };
        let defector = Labels {
            codes: Vec::new(),
            categories: Partner::BOTH.iter().map(|p| p.name().to_string()).collect(),
        };
        let names = table.columns();
        // Every column but run, seed, scenario, arm, split and defector is a plain number.
        let numbers = names.len() - 6;
        Columns {
            names,
            run: Vec::new(),
            seed: Vec::new(),
            scenario,
            scenario_of_arm,
            arm,
            numbers: vec![Vec::new(); numbers],
            split: Vec::new(),
            defector,
        }
    }

    /// Append a chunk of rows.
    pub fn push(&mut self, table: &RunTable<'_>, rows: &[RunRow]) {
        for row in rows {
            self.run.push(row.run);
            self.seed.push(table.seed());
            self.scenario.codes.push(self.scenario_of_arm[row.arm]);
            self.arm.codes.push(row.arm as i32);
            self.split.push(i64::from(row.years_to_split.is_some()));
            self.defector
                .codes
                .push(row.defector.map_or(-1, |p| p.index() as i32));
            let set = table.arms()[row.arm].set.iter().copied();
            let values = set
                .chain(row.uncertainties.iter().copied())
                .chain(row.levers.iter().copied())
                .chain([
                    row.years_to_split.unwrap_or(f64::NAN),
                    row.split_year.unwrap_or(f64::NAN),
                    row.russia_leader_change_years.unwrap_or(f64::NAN),
                    row.china_leader_change_years.unwrap_or(f64::NAN),
                    row.final_alignment,
                ])
                .chain(row.final_state.iter().copied());
            for (column, value) in self.numbers.iter_mut().zip(values) {
                column.push(value);
            }
        }
    }

    /// The columns as a dict, in table order.
    pub fn into_dict(self, py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
        let dict = PyDict::new(py);
        let mut numbers = self.numbers.into_iter();
        let labels = |l: Labels| -> PyResult<Bound<'_, PyAny>> {
            Ok((l.codes.into_pyarray(py), l.categories)
                .into_pyobject(py)?
                .into_any())
        };
        let mut scenario = Some(self.scenario);
        let mut arm = Some(self.arm);
        let mut defector = Some(self.defector);
        let mut run = Some(self.run);
        let mut seed = Some(self.seed);
        let mut split = Some(self.split);
        for name in &self.names {
            let value: Bound<'_, PyAny> = match name.as_str() {
                "run" => run.take().unwrap_or_default().into_pyarray(py).into_any(),
                "seed" => seed.take().unwrap_or_default().into_pyarray(py).into_any(),
                "split" => split.take().unwrap_or_default().into_pyarray(py).into_any(),
                "scenario" => labels(scenario.take().unwrap_or_default())?,
                "arm" => labels(arm.take().unwrap_or_default())?,
                "defector" => labels(defector.take().unwrap_or_default())?,
                _ => numbers
                    .next()
                    .unwrap_or_default()
                    .into_pyarray(py)
                    .into_any(),
            };
            dict.set_item(name, value)?;
        }
        Ok(dict)
    }
}
