//! The per-run table: one row per run (and per arm), with every drawn
//! uncertainty, every set or swept value and every lever's intensity as its
//! own numeric column, and the run's outcomes.
//!
//! Rows come in run-index order, and within a run in arm order, so the rows
//! of a contiguous run range (a shard) are a contiguous block of the whole
//! table: concatenating the shards' tables in order gives the whole table.
//! Runs are played in parallel chunks of [`TABLE_CHUNK_RUNS`] and each chunk
//! is handed over in order, so memory does not grow with the number of runs
//! and the rows do not depend on the number of threads.
//!
//! Cancellation: [`RunTable::rows`] checks its stop flag before every run, as
//! the batch loop does; the rows of an abandoned chunk are dropped, so the
//! sink has had exactly the chunks completed before the stop.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::aggregate::{TRACKED, Tracked};
use crate::compare::Arm;
use rayon::prelude::*;
use wedge_core::{Model, Observer, Partner, TurnRecord, simulate};
use wedge_core::{Purpose, stream};

/// Runs played in parallel before their rows are handed over.
pub const TABLE_CHUNK_RUNS: u64 = 4096;

/// The stop flag was raised before every run of a table was played.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("interrupted after {runs_done} runs of the table")]
pub struct TableInterrupted {
    /// Runs (of every arm) whose rows were handed to the sink before the stop.
    pub runs_done: u64,
}

/// Version of the table's layout, written into its metadata.
pub const TABLE_SCHEMA: u32 = 1;

/// One arm of a table: a model, its name, and its values of the set columns.
#[derive(Debug, Clone, Copy)]
pub struct TableArm<'a> {
    /// Arm name (the scenario name, `+lever`, or a sweep point's label).
    pub name: &'a str,
    /// The arm's model.
    pub model: &'a Model,
    /// Values of [`RunTable::set_columns`], in order.
    pub set: &'a [f64],
}

/// The outcomes of one run.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRow {
    /// Run index.
    pub run: u64,
    /// Arm index.
    pub arm: usize,
    /// Drawn value of each of the table's uncertainties (NaN where the arm draws none of that name).
    pub uncertainties: Vec<f64>,
    /// Intensity of each of the table's levers in this arm (0 where the lever is not in force).
    pub levers: Vec<f64>,
    /// Years from the start to the end of the turn at which the partnership split, if it did.
    pub years_to_split: Option<f64>,
    /// Calendar year at the end of that turn.
    pub split_year: Option<f64>,
    /// The partner that broke away.
    pub defector: Option<Partner>,
    /// Years from the start to Russia's first change of leader, if any.
    pub russia_leader_change_years: Option<f64>,
    /// Years from the start to China's first change of leader, if any.
    pub china_leader_change_years: Option<f64>,
    /// Alignment at the horizon.
    pub final_alignment: f64,
    /// The key variables ([`TRACKED`] less alignment) at the horizon.
    pub final_state: Vec<f64>,
}

/// A table's columns and arms; [`RunTable::rows`] plays runs into rows.
#[derive(Debug, Clone)]
pub struct RunTable<'a> {
    arms: Vec<TableArm<'a>>,
    set_columns: Vec<String>,
    uncertainties: Vec<String>,
    levers: Vec<String>,
    seed: u64,
}

impl<'a> RunTable<'a> {
    /// A table of `arms` under master seed `seed`; `set_columns` names the
    /// values every arm carries in [`TableArm::set`]. Uncertainties and levers
    /// are the union over the arms, in order of first appearance.
    pub fn new(arms: Vec<TableArm<'a>>, set_columns: Vec<String>, seed: u64) -> RunTable<'a> {
        let mut uncertainties: Vec<String> = Vec::new();
        let mut levers: Vec<String> = Vec::new();
        for arm in &arms {
            for u in &arm.model.spec().uncertainties {
                if !uncertainties.contains(&u.name) {
                    uncertainties.push(u.name.clone());
                }
            }
            for l in &arm.model.spec().levers {
                if !levers.contains(&l.name) {
                    levers.push(l.name.clone());
                }
            }
        }
        RunTable {
            arms,
            set_columns,
            uncertainties,
            levers,
            seed,
        }
    }

    /// The table of a comparison's or a sweep's arms, in order: arm `i`
    /// carries `values[i]` of the `set_columns` (a sweep point's values; none
    /// for arms past the end of `values`, as in a comparison).
    pub fn from_arms(
        arms: &'a [Arm],
        set_columns: Vec<String>,
        values: &'a [Vec<f64>],
        seed: u64,
    ) -> RunTable<'a> {
        let arms = arms
            .iter()
            .enumerate()
            .map(|(i, arm)| TableArm {
                name: &arm.name,
                model: &arm.model,
                set: values.get(i).map_or(&[][..], Vec::as_slice),
            })
            .collect();
        RunTable::new(arms, set_columns, seed)
    }

    /// The table of one model, its arm named after its scenario.
    pub fn single(model: &'a Model, seed: u64) -> RunTable<'a> {
        let arm = TableArm {
            name: &model.spec().name,
            model,
            set: &[],
        };
        RunTable::new(vec![arm], Vec::new(), seed)
    }

    /// Master seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The arms.
    pub fn arms(&self) -> &[TableArm<'a>] {
        &self.arms
    }

    /// Names of the set or swept values (field paths).
    pub fn set_columns(&self) -> &[String] {
        &self.set_columns
    }

    /// Names of the uncertainties.
    pub fn uncertainties(&self) -> &[String] {
        &self.uncertainties
    }

    /// Names of the levers.
    pub fn levers(&self) -> &[String] {
        &self.levers
    }

    /// Every column name, in order: `run`, `seed`, `scenario`, `arm`,
    /// `p.<path>`, `u.<name>`, `l.<name>`, then the outcomes.
    pub fn columns(&self) -> Vec<String> {
        let mut out: Vec<String> = ["run", "seed", "scenario", "arm"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        out.extend(self.set_columns.iter().map(|p| format!("p.{p}")));
        out.extend(self.uncertainties.iter().map(|u| format!("u.{u}")));
        out.extend(self.levers.iter().map(|l| format!("l.{l}")));
        out.extend(OUTCOMES.iter().map(|s| s.to_string()));
        out.extend(final_names().map(|n| format!("final.{n}")));
        out
    }

    /// Play runs `runs` of every arm and hand their rows to `sink`, one
    /// chunk at a time, in (run, arm) order. Stops with the sink's error, or
    /// with [`TableInterrupted`] once `stop` is raised (checked before every run).
    ///
    /// # Example
    ///
    /// ```
    /// use std::sync::atomic::AtomicBool;
    /// use wedge_runner::{RunRow, RunTable, TableArm, TableInterrupted};
    ///
    /// let model = wedge_core::Model::reference_2021();
    /// let arms = vec![TableArm { name: "baseline-2021", model: &model, set: &[] }];
    /// let table = RunTable::new(arms, Vec::new(), 1);
    /// let mut rows: Vec<RunRow> = Vec::new();
    /// table
    ///     .rows(0..20, &AtomicBool::new(false), |chunk| {
    ///         rows.extend_from_slice(chunk);
    ///         Ok::<(), TableInterrupted>(())
    ///     })
    ///     .unwrap();
    /// assert_eq!(rows.len(), 20);
    /// // One row per run, each a pure function of (model, seed, run).
    /// assert!(rows.iter().enumerate().all(|(i, r)| r.run == i as u64 && r.arm == 0));
    /// ```
    pub fn rows<E: From<TableInterrupted>>(
        &self,
        runs: Range<u64>,
        stop: &AtomicBool,
        mut sink: impl FnMut(&[RunRow]) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut lo = runs.start;
        while lo < runs.end {
            let hi = (lo + TABLE_CHUNK_RUNS).min(runs.end);
            let rows = self.chunk_until(lo..hi, stop).ok_or(TableInterrupted {
                runs_done: lo - runs.start,
            })?;
            sink(&rows)?;
            lo = hi;
        }
        Ok(())
    }

    /// The rows of runs `runs` (at most a chunk's worth, for bounded memory), in (run, arm) order.
    pub fn chunk(&self, runs: Range<u64>) -> Vec<RunRow> {
        self.chunk_until(runs, &AtomicBool::new(false))
            .unwrap_or_default()
    }

    /// [`RunTable::chunk`], checking `stop` before every run: `None` if it was raised.
    pub fn chunk_until(&self, runs: Range<u64>, stop: &AtomicBool) -> Option<Vec<RunRow>> {
        let n_arms = self.arms.len();
        let start = runs.start;
        // usize ranges are indexed in rayon: `collect` keeps index order.
        let count = (runs.end - runs.start) as usize * n_arms;
        (0..count)
            .into_par_iter()
            .map(|k| {
                (!stop.load(Ordering::Relaxed))
                    .then(|| self.row(start + (k / n_arms) as u64, k % n_arms))
            })
            .collect()
    }

    /// The row of one run of one arm.
    pub fn row(&self, run: u64, arm: usize) -> RunRow {
        let model = self.arms[arm].model;
        let spec = model.spec();
        let mut last = LastTurn {
            horizon: spec.horizon_turns,
            values: vec![f64::NAN; finals().count()],
        };
        let summary = simulate(model, self.seed, run, &mut last);
        let drawn = drawn_values(model, self.seed, run);
        let uncertainties = self
            .uncertainties
            .iter()
            .map(|name| {
                spec.uncertainties
                    .iter()
                    .position(|u| &u.name == name)
                    .map_or(f64::NAN, |i| drawn[i])
            })
            .collect();
        let levers = self
            .levers
            .iter()
            .map(|name| {
                spec.levers
                    .iter()
                    .find(|l| &l.name == name)
                    .map_or(0.0, |l| l.intensity)
            })
            .collect();
        let years = |turn: Option<u32>| turn.map(|t| f64::from(t + 1) * spec.turn_years);
        let years_to_split = years(summary.split_turn);
        RunRow {
            run,
            arm,
            uncertainties,
            levers,
            years_to_split,
            split_year: years_to_split.map(|y| spec.start_year + y),
            defector: summary.defector,
            russia_leader_change_years: years(summary.russia_leader_change),
            china_leader_change_years: years(summary.china_leader_change),
            final_alignment: summary.final_alignment,
            final_state: last.values,
        }
    }
}

/// The outcome columns, in order, after the inputs.
pub const OUTCOMES: [&str; 7] = [
    "split",
    "years_to_split",
    "split_year",
    "defector",
    "russia_leader_change_years",
    "china_leader_change_years",
    "final_alignment",
];

/// The key variables reported at the horizon: the tracked ones but alignment (an outcome of its own).
fn finals() -> impl Iterator<Item = &'static Tracked> {
    TRACKED.iter().filter(|t| t.name != "alignment")
}

/// Names of the key variables reported at the horizon (besides alignment).
pub fn final_names() -> impl Iterator<Item = &'static str> {
    finals().map(|t| t.name)
}

/// Records the key variables at the last turn.
struct LastTurn {
    horizon: u32,
    values: Vec<f64>,
}

impl Observer for LastTurn {
    fn turn(&mut self, record: &TurnRecord<'_>) {
        if record.turn + 1 == self.horizon {
            for (slot, tracked) in self.values.iter_mut().zip(finals()) {
                *slot = (tracked.read)(record.state);
            }
        }
    }
}

/// The value each of the model's uncertainties takes in run `run`, in
/// declaration order: the same draw, from the same stream, with the same
/// clamping as the engine's `draw_uncertainties`.
pub fn drawn_values(model: &Model, seed: u64, run: u64) -> Vec<f64> {
    model
        .spec()
        .uncertainties
        .iter()
        .map(|u| {
            let value =
                u.distribution
                    .sample(&mut stream(seed, run, Purpose::Uncertainty(&u.name)));
            let (min, max) = u.target.range();
            value.clamp(min, max)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use wedge_core::ParamId;
    use wedge_core::draw_uncertainties;

    #[test]
    fn a_table_of_arms_gives_each_its_point_and_comparison_arms_none() {
        let model = Model::reference_2021();
        let arms = vec![
            crate::compare::Arm {
                name: "a".into(),
                model: model.clone(),
            },
            crate::compare::Arm {
                name: "b".into(),
                model: model.clone(),
            },
        ];
        let values = vec![vec![0.25]];
        let table = RunTable::from_arms(&arms, vec!["params.x".into()], &values, 9);
        assert_eq!(table.arms()[0].set, [0.25]);
        assert!(table.arms()[1].set.is_empty());
        assert_eq!(table.seed(), 9);
        let single = RunTable::single(&model, 9);
        assert_eq!(single.arms()[0].name, model.spec().name);
        assert_eq!(
            single.columns(),
            RunTable::from_arms(&arms[..1], Vec::new(), &[], 9).columns()
        );
    }

    #[test]
    fn drawn_values_are_what_the_engine_draws() {
        let model = Model::reference_2021();
        for run in 0..50 {
            let drawn = drawn_values(&model, 7, run);
            let (state, params) = draw_uncertainties(&model, 7, run);
            for (u, value) in model.spec().uncertainties.iter().zip(&drawn) {
                let engine = match u.target {
                    ParamId::Coefficient(i) => params.value(i),
                    ParamId::Initial(i) => state.variable(i),
                };
                assert_eq!(engine, *value, "{} in run {run}", u.name);
            }
        }
    }

    #[test]
    fn a_raised_stop_flag_stops_the_table() {
        let model = Model::reference_2021();
        let table = RunTable::single(&model, 3);
        let mut handed = 0;
        let raised = AtomicBool::new(true);
        let before = table.rows(0..10, &raised, |rows| {
            handed += rows.len();
            Ok::<(), TableInterrupted>(())
        });
        assert_eq!(before, Err(TableInterrupted { runs_done: 0 }));
        assert_eq!(handed, 0);
        assert!(table.chunk_until(0..10, &raised).is_none());
        // Raised while the first chunk is handed over: the table ends after it.
        let stop = AtomicBool::new(false);
        let runs = TABLE_CHUNK_RUNS + 5;
        let during = table.rows(0..runs, &stop, |rows| {
            handed += rows.len();
            stop.store(true, Ordering::Relaxed);
            Ok::<(), TableInterrupted>(())
        });
        assert_eq!(
            during,
            Err(TableInterrupted {
                runs_done: TABLE_CHUNK_RUNS
            })
        );
        assert_eq!(handed as u64, TABLE_CHUNK_RUNS);
    }

    #[test]
    fn rows_do_not_depend_on_chunking_and_agree_with_the_engine() {
        let model = Model::reference_2021();
        let name = "reference";
        let table = RunTable::new(
            vec![TableArm {
                name,
                model: &model,
                set: &[],
            }],
            Vec::new(),
            3,
        );
        let whole = table.chunk(0..40);
        let mut pieces = Vec::new();
        let go = AtomicBool::new(false);
        let result: Result<(), TableInterrupted> = table.rows(0..40, &go, |rows| {
            pieces.extend_from_slice(rows);
            Ok(())
        });
        assert!(result.is_ok());
        assert_eq!(whole, pieces);
        assert_eq!(table.chunk(10..20), whole[10..20].to_vec());
        for row in &whole {
            let summary = simulate(&model, 3, row.run, &mut wedge_core::NoObserver);
            assert_eq!(row.years_to_split.is_some(), summary.split_turn.is_some());
            assert_eq!(row.defector, summary.defector);
            assert_eq!(row.final_alignment, summary.final_alignment);
            assert!(row.final_state.iter().all(|v| v.is_finite()));
        }
        assert_eq!(
            table.columns().len(),
            4 + model.spec().uncertainties.len()
                + table.levers().len()
                + OUTCOMES.len()
                + final_names().count()
        );
    }
}
