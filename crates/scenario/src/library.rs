//! The lever library: levers defined once, used by name from any scenario.

use crate::schema::{LeverDef, LeverLibrary, LeverUse};
use crate::suggest::help_for;

impl LeverLibrary {
    /// The lever with this name.
    pub fn get(&self, name: &str) -> Option<&LeverDef> {
        self.levers.iter().find(|l| l.name == name)
    }

    /// Names of every lever, in file order.
    pub fn names(&self) -> Vec<&str> {
        self.levers.iter().map(|l| l.name.as_str()).collect()
    }

    /// The levers of a package, or of a single lever, by name, as uses at default settings.
    pub fn uses_of(&self, name: &str) -> Result<Vec<LeverUse>, String> {
        if let Some(package) = self.packages.iter().find(|p| p.name == name) {
            return Ok(package.levers.iter().map(|l| LeverUse::named(l)).collect());
        }
        if self.get(name).is_some() {
            return Ok(vec![LeverUse::named(name)]);
        }
        let mut all = self.names();
        all.extend(self.packages.iter().map(|p| p.name.as_str()));
        Err(format!(
            "no lever or package named `{name}`; {}",
            help_for(name, all.iter().copied())
        ))
    }

    /// A use with its defaults filled in from the library, effects inline.
    pub fn expand(&self, lever: &LeverUse) -> Result<LeverUse, String> {
        if lever.effects.is_some() {
            return Ok(lever.clone());
        }
        let def = self.get(&lever.name).ok_or_else(|| {
            format!(
                "no lever named `{}` in the library; {}",
                lever.name,
                help_for(&lever.name, self.names())
            )
        })?;
        Ok(LeverUse {
            name: lever.name.clone(),
            intensity: lever.intensity.or(Some(1.0)),
            onset_years: lever.onset_years.or(Some(0.0)),
            ramp_years: lever.ramp_years.or(Some(def.ramp_years)),
            duration_years: lever.duration_years,
            condition: lever.condition.or(Some(def.condition)),
            effects: Some(def.effects.clone()),
        })
    }
}

impl LeverUse {
    /// A use of a library lever with every setting at its default.
    pub fn named(name: &str) -> LeverUse {
        LeverUse {
            name: name.to_string(),
            intensity: None,
            onset_years: None,
            ramp_years: None,
            duration_years: None,
            condition: None,
            effects: None,
        }
    }
}

/// Whether a file parses as a lever library (not a scenario).
pub fn is_lever_library(path: &std::path::Path) -> bool {
    input_text(path).is_some_and(|text| parses_as::<LeverLibrary>(&text))
}

/// A file's text, if it can be read as an input.
fn input_text(path: &std::path::Path) -> Option<String> {
    wedge_io::read_input_text(path, crate::load::MAX_FILE_BYTES).ok()
}

/// Whether `text` parses as a `T` (with RON's implicit `Some`, as the files enable).
fn parses_as<T: serde::de::DeserializeOwned>(text: &str) -> bool {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str::<T>(text)
        .is_ok()
}

/// Whether a file that is no scenario is meant as a calibration plan: it
/// parses as one, or it has the plan's `targets` field, which no scenario
/// has (so a plan with a typo gets the plan's errors, not a scenario's).
fn is_calibration_plan(path: &std::path::Path) -> bool {
    input_text(path).is_some_and(|text| {
        text.contains("targets:") || parses_as::<crate::priors::CalibrationFile>(&text)
    })
}

/// What `wedge validate` checks of a file: a scenario must load, with the
/// priors it declares (gives its name); a file that is no scenario may be a
/// lever library (gives `lever library`) or a calibration plan, whose
/// priors, targets and episodes must load (gives `calibration plan`, or the
/// plan's own errors); anything else gives the scenario's errors.
pub fn validate(path: &std::path::Path) -> Result<String, crate::ScenarioErrors> {
    let loaded = crate::load::Resolved::read(path).and_then(|resolved| {
        let loaded = resolved.build(&[], &[])?;
        crate::Priors::of_scenario_checked(&resolved).map(|_| loaded)
    });
    match loaded {
        Ok(loaded) => Ok(loaded.model.spec().name.clone()),
        Err(_) if is_lever_library(path) => Ok("lever library".to_string()),
        Err(_) if is_calibration_plan(path) => {
            crate::Calibration::read(path).map(|_| "calibration plan".to_string())
        }
        Err(e) => Err(e),
    }
}

/// The scenario files of a folder: every `*.ron` but lever libraries, sorted.
pub fn scenario_files(dir: &std::path::Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .filter(|p| !is_lever_library(p))
        .collect();
    files.sort();
    Ok(files)
}

/// Why a folder of scenarios could not be loaded.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum FolderError {
    /// The folder cannot be listed.
    #[error("cannot read {}: {source}", .dir.display())]
    Unreadable {
        /// The folder.
        dir: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The folder holds no scenario file.
    #[error("{} holds no scenario files (*.ron other than lever libraries)", .0.display())]
    Empty(std::path::PathBuf),
    /// A scenario in it does not load (reported with its source lines).
    #[error(transparent)]
    #[diagnostic(transparent)]
    Scenario(#[from] crate::ScenarioErrors),
}

impl wedge_io::Categorized for FolderError {
    fn category(&self) -> wedge_io::Category {
        wedge_io::Category::Usage
    }
}

/// Load every scenario of a folder ([`scenario_files`]), each with its file
/// name; a folder with none is an error.
pub fn load_folder(
    dir: &std::path::Path,
) -> Result<Vec<(String, crate::LoadedScenario)>, FolderError> {
    let files = scenario_files(dir).map_err(|source| FolderError::Unreadable {
        dir: dir.to_path_buf(),
        source,
    })?;
    if files.is_empty() {
        return Err(FolderError::Empty(dir.to_path_buf()));
    }
    files
        .iter()
        .map(|file| {
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
            Ok((name.unwrap_or_default(), crate::load(file)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scenarios_folder_lists_scenarios_but_not_the_lever_library() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
        let files = scenario_files(&dir).unwrap_or_default();
        assert!(files.iter().any(|f| f.ends_with("baseline-2021.ron")));
        let libraries: Vec<_> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| is_lever_library(p))
            .collect();
        assert!(!libraries.is_empty());
        assert!(libraries.iter().all(|l| !files.contains(l)));
        assert!(files.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn a_scenario_validates_by_name_a_lever_library_as_such_and_a_broken_file_not() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
        let name = validate(&dir.join("baseline-2021.ron")).map_err(|e| e.to_string());
        let library = crate::load::Resolved::read(&dir.join("baseline-2021.ron"))
            .map(|r| r.name().to_string())
            .map_err(|e| e.to_string());
        assert_eq!(name, library);
        let levers = validate(&dir.join("levers.ron")).map_err(|e| e.to_string());
        assert_eq!(levers.as_deref(), Ok("lever library"));
        let broken = std::env::temp_dir().join(format!("wedge-broken-{}.ron", std::process::id()));
        let _ = std::fs::write(&broken, "(name: ");
        assert!(validate(&broken).is_err_and(|e| !e.errors.is_empty()));
        let _ = std::fs::remove_file(&broken);
    }

    #[test]
    fn a_folder_loads_every_scenario_by_file_name_and_an_empty_one_is_an_error() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
        let loaded = load_folder(&dir).unwrap_or_else(|e| panic!("{e}"));
        let names: Vec<&str> = loaded.iter().map(|(n, _)| n.as_str()).collect();
        assert!(names.contains(&"baseline-2021.ron"));
        assert!(names.windows(2).all(|w| w[0] < w[1]), "sorted: {names:?}");
        let empty = std::env::temp_dir().join(format!("wedge-empty-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&empty);
        assert!(matches!(load_folder(&empty), Err(FolderError::Empty(_))));
        let _ = std::fs::remove_dir(&empty);
        assert!(matches!(
            load_folder(&empty.join("missing")),
            Err(FolderError::Unreadable { .. })
        ));
    }
}
