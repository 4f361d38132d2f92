//! `wedge report`: one HTML page from JSON results of run, compare and sweep.

use std::path::{Path, PathBuf};

use crate::failure::Failure;

/// `wedge report`.
pub fn report(results: &[PathBuf], output: &Path) -> Result<(), Failure> {
    let mut documents = Vec::new();
    for path in results {
        let text = wedge_io::read_text(path, wedge_io::MAX_RESULT_BYTES)?;
        let document = wedge_report::Document::from_json(&text)
            .map_err(|e| usage!("{}: {e}", path.display()))?;
        documents.push((path.display().to_string(), document));
    }
    let html = wedge_report::report(&documents)?;
    wedge_io::write_atomic(output, html.as_bytes())?;
    eprintln!("wrote {}", output.display());
    Ok(())
}
