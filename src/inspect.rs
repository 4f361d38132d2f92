//! `wedge validate` and `wedge show`.

use std::path::{Path, PathBuf};

use wedge_scenario::canonical_ron;

use crate::failure::Failure;
use crate::present::emit;

/// `wedge validate`: every file must load (scenarios, with the priors they
/// declare) or parse (lever libraries).
pub fn validate(files: &[PathBuf]) -> Result<(), Failure> {
    let mut failed = 0;
    for file in files {
        // Each line through the same error-handled path as results: a closed
        // pipe ends quietly, a full disk is an I/O failure (exit 1).
        match wedge_scenario::validate(file) {
            Ok(what) => emit(None, &format!("ok      {} ({what})\n", file.display()))?,
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

/// `wedge show`: the fully resolved scenario as RON, or (`--paths`) every settable path with its range.
pub fn show(scenario: &Path, paths: bool) -> Result<(), Failure> {
    let loaded = wedge_scenario::load(scenario)?;
    if paths {
        let lines: String = wedge_scenario::settable_paths(&loaded.resolved)
            .iter()
            .map(|p| format!("{p}\n"))
            .collect();
        return emit(None, &lines);
    }
    emit(None, &(canonical_ron(&loaded.resolved) + "\n"))
}
