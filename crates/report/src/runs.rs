//! The per-run table as CSV, and its metadata sidecar (`*.meta.json`).
//!
//! One header row, then one row per run (and arm) in the order the runner
//! hands them over. Numbers are written in Rust's shortest round-trip form,
//! so reading them back gives the very same floating-point values; a missing
//! value (a run that did not split has no split year) is an empty cell. The
//! CSV holds nothing but the table: what produced it (versions, scenario
//! hashes, seed, run range, distributions) goes to the sidecar.

use std::io::Write;
use std::ops::Range;

use serde::Serialize;
use wedge_runner::{RunRow, RunTable, TABLE_SCHEMA};

/// Writes a per-run table as CSV, chunk by chunk.
pub struct RunsCsv<W: Write> {
    writer: csv::Writer<W>,
    record: Vec<String>,
}

impl<W: Write> RunsCsv<W> {
    /// Start a table: writes the header row.
    pub fn new(out: W, table: &RunTable<'_>) -> Result<RunsCsv<W>, std::io::Error> {
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record(table.columns())?;
        writer.flush()?;
        Ok(RunsCsv {
            writer,
            record: Vec::new(),
        })
    }

    /// Append rows.
    pub fn write(&mut self, table: &RunTable<'_>, rows: &[RunRow]) -> Result<(), std::io::Error> {
        for row in rows {
            let arm = &table.arms()[row.arm];
            let r = &mut self.record;
            r.clear();
            r.push(row.run.to_string());
            r.push(table.seed().to_string());
            r.push(arm.model.spec().name.clone());
            r.push(arm.name.to_string());
            r.extend(arm.set.iter().map(|v| number(*v)));
            r.extend(row.uncertainties.iter().map(|v| number(*v)));
            r.extend(row.levers.iter().map(|v| number(*v)));
            r.push(u8::from(row.years_to_split.is_some()).to_string());
            r.push(optional(row.years_to_split));
            r.push(optional(row.split_year));
            r.push(row.defector.map_or(String::new(), |p| p.name().to_string()));
            r.push(optional(row.russia_leader_change_years));
            r.push(optional(row.china_leader_change_years));
            r.push(number(row.final_alignment));
            r.extend(row.final_state.iter().map(|v| number(*v)));
            self.writer.write_record(&*r)?;
        }
        Ok(())
    }

    /// Flush and hand back the writer.
    pub fn finish(self) -> Result<W, std::io::Error> {
        self.writer.into_inner().map_err(|e| e.into_error())
    }
}

/// A number in shortest round-trip form; NaN (no value) as an empty cell.
fn number(v: f64) -> String {
    if v.is_nan() {
        String::new()
    } else {
        format!("{v}")
    }
}

fn optional(v: Option<f64>) -> String {
    v.map_or(String::new(), number)
}

/// One arm as the sidecar describes it.
#[derive(Debug, Serialize)]
pub struct ArmMeta {
    /// Arm name.
    pub name: String,
    /// Scenario name.
    pub scenario: String,
    /// Values of the table's `p.` columns in this arm, by field path.
    pub set: Vec<(String, f64)>,
    /// The arm's uncertainties: name, target and distribution.
    pub uncertainties: Vec<UncertaintyMeta>,
    /// The arm's levers in force: name and intensity.
    pub levers: Vec<LeverMeta>,
}

/// An uncertainty as the sidecar describes it.
#[derive(Debug, Serialize)]
pub struct UncertaintyMeta {
    /// Its name (the column is `u.<name>`).
    pub name: String,
    /// The quantity it sets.
    pub target: String,
    /// Its distribution, as written in scenario files.
    pub distribution: wedge_core::Distribution,
}

/// A lever as the sidecar describes it.
#[derive(Debug, Serialize)]
pub struct LeverMeta {
    /// Its name (the column is `l.<name>`).
    pub name: String,
    /// Its intensity.
    pub intensity: f64,
}

/// The sidecar of a per-run table.
#[derive(Debug, Serialize)]
pub struct RunsMeta {
    /// Layout version of the table.
    pub schema: u32,
    /// wedge version.
    pub wedge_version: String,
    /// The command that wrote it.
    pub command: String,
    /// SHA-256 of the (first arm's) resolved scenario.
    pub scenario_hash: String,
    /// Master seed.
    pub seed: u64,
    /// Runs of the whole plan (per arm).
    pub runs: u64,
    /// First run index in this file.
    pub first_run: u64,
    /// One past the last run index in this file.
    pub end_run: u64,
    /// Rows per run (one per arm), in arm order.
    pub arms: Vec<ArmMeta>,
    /// Every column, in order.
    pub columns: Vec<String>,
}

/// The sidecar of the rows `runs` of `table`, out of a plan of `plan_runs` runs.
pub fn runs_meta(
    table: &RunTable<'_>,
    runs: Range<u64>,
    plan_runs: u64,
    scenario_hash: &str,
    command: &str,
) -> RunsMeta {
    let arms = table
        .arms()
        .iter()
        .map(|arm| {
            let spec = arm.model.spec();
            ArmMeta {
                name: arm.name.to_string(),
                scenario: spec.name.clone(),
                set: table
                    .set_columns()
                    .iter()
                    .cloned()
                    .zip(arm.set.iter().copied())
                    .collect(),
                uncertainties: spec
                    .uncertainties
                    .iter()
                    .map(|u| UncertaintyMeta {
                        name: u.name.clone(),
                        target: u.target.path(),
                        distribution: u.distribution.clone(),
                    })
                    .collect(),
                levers: spec
                    .levers
                    .iter()
                    .map(|l| LeverMeta {
                        name: l.name.clone(),
                        intensity: l.intensity,
                    })
                    .collect(),
            }
        })
        .collect();
    RunsMeta {
        schema: TABLE_SCHEMA,
        wedge_version: wedge_runner::VERSION.to_string(),
        command: command.to_string(),
        scenario_hash: scenario_hash.to_string(),
        seed: table.seed(),
        runs: plan_runs,
        first_run: runs.start,
        end_run: runs.end,
        arms,
        columns: table.columns(),
    }
}
