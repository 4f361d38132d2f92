//! The served folder of scenarios: names in, validated scenarios out.
//!
//! A client names a scenario; it never gives a path. A name is the file stem
//! of a `.ron` file directly in the folder, made only of letters, digits, `-`
//! and `_`; the file must resolve (symlinks included) to a place inside the
//! folder. Files that are not scenarios (a lever library, say) are not listed.

use std::path::{Path, PathBuf};

use serde::Serialize;
use wedge_scenario::Resolved;

use crate::error::ApiError;

/// The folder a server serves scenarios from.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// The folder, canonicalized at start.
    dir: PathBuf,
}

/// One scenario as listed by `GET /api/scenarios`.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioInfo {
    /// The name a request uses (the file stem).
    pub name: String,
    /// The scenario's own `name` field.
    pub title: String,
    /// What it represents.
    pub description: String,
    /// Calendar year of the first turn.
    pub start_year: f64,
    /// Turn length in years.
    pub turn_years: f64,
    /// Horizon in years.
    pub horizon_years: f64,
    /// Levers the scenario already puts in force.
    pub levers: Vec<String>,
    /// Whether it names a lever library (so levers can be added).
    pub has_lever_library: bool,
}

/// Whether a client-given name could be a scenario name at all.
fn plausible(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

impl Catalog {
    /// Serve the scenarios of `dir`.
    pub fn open(dir: &Path) -> std::io::Result<Catalog> {
        let dir = std::fs::canonicalize(dir)?;
        if !dir.is_dir() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotADirectory,
                format!("{} is not a folder", dir.display()),
            ));
        }
        Ok(Catalog { dir })
    }

    /// The folder served.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Stems of the `.ron` files inside the folder, sorted, that pass the name rules.
    fn stems(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut names: Vec<String> = entries
            .filter_map(Result::ok)
            .filter_map(|e| {
                let path = e.path();
                if path.extension()? != "ron" {
                    return None;
                }
                let stem = path.file_stem()?.to_str()?.to_string();
                (plausible(&stem) && self.inside(&path).is_some()).then_some(stem)
            })
            .collect();
        names.sort();
        names
    }

    /// The canonical path of a file if it lies inside the folder (after following symlinks).
    fn inside(&self, path: &Path) -> Option<PathBuf> {
        let canonical = std::fs::canonicalize(path).ok()?;
        (canonical.starts_with(&self.dir) && canonical.is_file()).then_some(canonical)
    }

    /// Read and merge a scenario by name: `None` when there is no scenario of that name.
    fn read(&self, name: &str) -> Option<Result<Resolved, ApiError>> {
        if !plausible(name) {
            return None;
        }
        let path = self.inside(&self.dir.join(format!("{name}.ron")))?;
        match Resolved::read(&path) {
            // A lever library has no `agents`: it is not a scenario.
            Ok(resolved) => resolved.file.agents.is_some().then_some(Ok(resolved)),
            Err(e) => Some(Err(e.into())),
        }
    }

    /// Every scenario in the folder, by name.
    pub fn list(&self) -> Vec<ScenarioInfo> {
        self.stems()
            .into_iter()
            .filter_map(|stem| {
                let r = self.read(&stem)?.ok()?;
                let f = &r.file;
                Some(ScenarioInfo {
                    title: r.name().to_string(),
                    description: f.description.clone().unwrap_or_default(),
                    start_year: f.start_year?,
                    turn_years: f.turn_years?,
                    horizon_years: f.horizon_years?,
                    levers: f.levers.iter().map(|l| l.name.clone()).collect(),
                    has_lever_library: r.library().is_some(),
                    name: stem,
                })
            })
            .collect()
    }

    /// The scenario with this name, resolved; an error listing the valid names otherwise.
    pub fn resolve(&self, name: &str) -> Result<Resolved, ApiError> {
        self.read(name).unwrap_or_else(|| {
            Err(ApiError::UnknownScenario {
                name: name.chars().take(128).collect(),
                valid: self.list().into_iter().map(|s| s.name).collect(),
            })
        })
    }
}
