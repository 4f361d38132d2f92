//! Writing results to stdout (a closed pipe ends quietly) or, through
//! wedge-io, atomically to files.

use std::io::Write;
use std::path::Path;

use crate::failure::Failure;

/// Emit a result to a file or stdout.
pub fn emit(output: Option<&Path>, text: &str) -> Result<(), Failure> {
    match output {
        Some(path) => Ok(wedge_io::write_atomic(path, text.as_bytes())?),
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(Failure::BrokenPipe),
                Err(e) => Err(Failure::runtime(format!("cannot write to stdout: {e}"))),
            }
        }
    }
}

/// Serialize as pretty JSON.
pub fn json<T: serde::Serialize>(value: &T) -> Result<String, Failure> {
    serde_json::to_string_pretty(value)
        .map(|s| s + "\n")
        .map_err(|e| Failure::runtime(format!("cannot encode JSON: {e}")))
}
