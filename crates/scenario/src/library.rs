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
    wedge_io::read_input_text(path, crate::load::MAX_FILE_BYTES)
        .ok()
        .is_some_and(|text| {
            ron::Options::default()
                .from_str::<LeverLibrary>(&text)
                .is_ok()
        })
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
}
