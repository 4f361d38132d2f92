//! `wedge validate` and `wedge show`.

use std::path::{Path, PathBuf};

use wedge_scenario::load::canonical_ron;
use wedge_scenario::schema::LeverLibrary;

use crate::failure::Failure;
use crate::output::emit;

/// `wedge validate`: every file must load (scenarios) or parse (lever libraries).
pub fn validate(files: &[PathBuf]) -> Result<(), Failure> {
    let mut failed = 0;
    for file in files {
        match wedge_scenario::load(file) {
            Ok(loaded) => println!("ok      {} ({})", file.display(), loaded.model.spec().name),
            Err(e) if is_library(file) => {
                drop(e);
                println!("ok      {} (lever library)", file.display());
            }
            Err(e) => {
                failed += 1;
                eprintln!("{:?}", miette::Report::new(e));
            }
        }
    }
    if failed > 0 {
        Err(usage!("{failed} of {} files are invalid", files.len()))
    } else {
        Ok(())
    }
}

/// Whether a file parses as a lever library (not a scenario).
pub fn is_library(path: &Path) -> bool {
    wedge_scenario::read_input_text(path, wedge_scenario::load::MAX_FILE_BYTES)
        .ok()
        .is_some_and(|text| {
            ron::Options::default()
                .from_str::<LeverLibrary>(&text)
                .is_ok()
        })
}

/// `wedge show`: the fully resolved scenario as RON, or (`--paths`) every settable path with its range.
pub fn show(scenario: &Path, paths: bool) -> Result<(), Failure> {
    let loaded = wedge_scenario::load(scenario)?;
    if paths {
        let lines: String = wedge_scenario::paths::settable_paths(&loaded.resolved)
            .iter()
            .map(|p| format!("{p}\n"))
            .collect();
        return emit(None, &lines);
    }
    emit(None, &(canonical_ron(&loaded.resolved) + "\n"))
}
