//! `wedge report`: one HTML page from JSON results of run, compare and sweep.

use std::path::{Path, PathBuf};

use crate::failure::Failure;
use crate::output::write_atomic;

/// `wedge report`.
pub fn report(results: &[PathBuf], output: &Path) -> Result<(), Failure> {
    let mut documents = Vec::new();
    for path in results {
        let text = std::fs::read_to_string(path)
            .map_err(|e| usage!("cannot read {}: {e}", path.display()))?;
        let document = wedge_report::Document::from_json(&text)
            .map_err(|e| usage!("{}: {e}", path.display()))?;
        documents.push((path.display().to_string(), document));
    }
    let html = wedge_report::report(&documents).map_err(|e| Failure::runtime(e.to_string()))?;
    write_atomic(output, html.as_bytes())?;
    eprintln!("wrote {}", output.display());
    Ok(())
}
