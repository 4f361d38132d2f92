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
    std::fs::read_to_string(path).ok().is_some_and(|text| {
        ron::Options::default()
            .from_str::<LeverLibrary>(&text)
            .is_ok()
    })
}

/// `wedge show`: the fully resolved scenario as RON.
pub fn show(scenario: &Path) -> Result<(), Failure> {
    let loaded = wedge_scenario::load(scenario)?;
    emit(None, &(canonical_ron(&loaded.resolved) + "\n"))
}
