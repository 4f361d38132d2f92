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
//! let resolved = wedge_scenario::load::Resolved::read(&dir.join("baseline-2021.ron"))?;
//! assert_eq!(resolved.build(&[], &[])?.hash, loaded.hash);
//! let lever = wedge_scenario::arms::lever_arm(&resolved, "arms-control")?;
//! assert_eq!(lever.name, "+arms-control");
//! assert_ne!(lever.hash, loaded.hash);
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]
// Errors carry their source text so that reports can show the offending line; they are built once, on the error path.
#![allow(clippy::result_large_err)]

pub mod arms;
pub mod diagnostics;
pub mod library;
pub mod load;
pub mod locate;
pub mod overrides;
pub mod paths;
pub mod priors;
pub mod schema;
pub mod suggest;

#[cfg(test)]
mod tests;

pub use arms::{ArmError, ESSAY_PACKAGE, NamedModel};
pub use diagnostics::{ScenarioError, ScenarioErrors};
pub use library::{FolderError, is_lever_library, load_folder, scenario_files, validate};
pub use load::{LoadedScenario, load, load_with_overrides};
pub use overrides::Override;
pub use priors::{Calibration, PosteriorFile, Priors};
pub use wedge_io::{InputError, read_input_file, read_input_text};
