//! `wedge report`: one HTML page from JSON results of run, compare and sweep.

use std::path::{Path, PathBuf};

use wedge_report::Document;

use crate::failure::Failure;
use crate::output::write_atomic;

/// Read a `--format json` result as the typed document it is.
fn read(path: &Path) -> Result<Document, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        Failure::usage(format!(
            "{} is not a JSON result (write one with --format json): {e}",
            path.display()
        ))
    })?;
    let typed = if value.get("arms").is_some() {
        serde_json::from_value(value).map(|c| Document::Comparison(Box::new(c)))
    } else if value.get("survival").is_some() {
        serde_json::from_value(value).map(|r| Document::Run(Box::new(r)))
    } else {
        return Err(Failure::usage(format!(
            "{} is neither a run nor a comparison result",
            path.display()
        )));
    };
    typed.map_err(|e| Failure::usage(format!("{}: not a wedge result: {e}", path.display())))
}

/// `wedge report`.
pub fn report(results: &[PathBuf], output: &Path) -> Result<(), Failure> {
    let mut documents = Vec::new();
    for path in results {
        documents.push((path.display().to_string(), read(path)?));
    }
    let html = wedge_report::report(&documents).map_err(|e| Failure::runtime(e.to_string()))?;
    write_atomic(output, html.as_bytes())?;
    eprintln!("wrote {}", output.display());
    Ok(())
}
