//! Scenario files for wedge: the RON schema, `extend` resolution, the lever
//! library, overrides by field path, and validation with errors that point
//! at the file, line and column.
//!
//! Loading goes one way: text → [`schema::ScenarioFile`] (syntax, unknown
//! fields) → merged along the `extend` chain → levers expanded from the
//! library → `set` overrides and `pin`s applied → [`wedge_core::Model`]
//! (semantic checks). Only a validated model leaves this crate.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use std::path::Path;
//! let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
//! // A scenario as written: its validated model and the hash of its resolved form.
//! let loaded = wedge_scenario::load(&dir.join("baseline-2021.ron"))?;
//! assert_eq!(loaded.hash.len(), 64);
//! // Resolved once, then built as written or with a lever of its library.
//! let resolved = wedge_scenario::Resolved::read(&dir.join("baseline-2021.ron"))?;
//! assert_eq!(resolved.build(&[], &[])?.hash, loaded.hash);
//! let lever = wedge_scenario::lever_arm(&resolved, "arms-control")?;
//! assert_eq!(lever.name, "+arms-control");
//! assert_ne!(lever.hash, loaded.hash);
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]
// Errors carry their source text so that reports can show the offending line; they are built once, on the error path.
#![allow(clippy::result_large_err)]

mod arms;
mod diagnostics;
mod library;
mod load;
mod locate;
mod overrides;
mod paths;
mod priors;
mod schema;
mod suggest;

#[cfg(test)]
mod tests;

pub use arms::{
    ArmError, ESSAY_PACKAGE, NamedModel, baseline_arm, comparison_arms, essay_lever_names,
    lever_arm, lever_arm_names, levers_arm, override_arm, point_arms,
};
pub use diagnostics::{ScenarioError, ScenarioErrors, invalid_at};
pub use library::{FolderError, is_lever_library, load_folder, scenario_files, validate};
pub use load::{
    LoadedScenario, MAX_EXTEND_DEPTH, MAX_FILE_BYTES, PriorsBlock, Resolved, Source, canonical_ron,
    load, load_with_overrides,
};
pub use overrides::{Override, apply as apply_override, parse_sweep_param, parse_sweep_values};
pub use paths::{SettablePath, settable_paths};
pub use priors::{
    Calibration, CalibrationFile, EventSpec, POSTERIOR_FORMAT, PosteriorDraw, PosteriorFile,
    Priors, Role, TargetRecord, TargetSpec,
};
pub use schema::{
    AgentSpec, ConditionSpec, DecisionSpec, LeverDef, LeverLibrary, LeverUse, ModeSpec, Package,
    Pin, PolicySpec, PriorSpec, PriorsFile, ScenarioFile, UncertaintySpec,
};
pub use wedge_io::{InputError, read_input_file, read_input_text};
