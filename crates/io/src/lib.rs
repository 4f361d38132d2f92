//! The file edge of wedge: what every surface (the command line, the web
//! server, the Python package) does when it touches the file system.
//!
//! - **Bounded reads** ([`read_input_text`]): incoming files — scenarios,
//!   checkpoints, partials, results — must be regular files under a size
//!   limit and valid UTF-8 without a byte-order mark.
//! - **Atomic writes** ([`write_atomic`], [`AtomicFile`]): a result is
//!   written to a temporary file beside its destination and renamed over it,
//!   so a crash or Ctrl-C leaves the old file or the new one, never half of
//!   one; an existing destination keeps its permissions, as with `>`.
//! - **Output guards** ([`guard_outputs`]): before any work, refuse an output
//!   that would overwrite an input of the command (however it is named:
//!   `./x`, a symbolic link, a hard link), two outputs naming one file, and a
//!   destination that cannot be written.
//! - **Failure categories** ([`Categorized`]): a library's error says
//!   whether it is the caller's mistake, a runtime failure or a stop, so a
//!   surface can map it (the command line: to an exit code) in one place.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = tempfile::tempdir()?;
//! let out = dir.path().join("result.json");
//! let scenario = dir.path().join("baseline.ron");
//! std::fs::write(&scenario, "()")?;
//! // Refused: the output is the scenario itself.
//! assert!(wedge_io::guard_outputs(&[("-o", Some(scenario.as_path()))], &[scenario.clone()]).is_err());
//! wedge_io::guard_outputs(&[("-o", Some(out.as_path()))], &[scenario])?;
//! wedge_io::write_atomic(&out, b"{}\n")?;
//! assert_eq!(wedge_io::read_input_text(&out, wedge_io::MAX_RESULT_BYTES)?, "{}\n");
//! # Ok(())
//! # }
//! ```

mod category;
mod guard;
mod read;
mod write;

pub use category::{Categorized, Category};
pub use guard::{check_writable, guard_outputs, refuse_inputs};
pub use read::{
    InputError, MAX_PARTIAL_BYTES, MAX_RESULT_BYTES, ReadError, decode_text, read_input_file,
    read_input_text, read_text,
};
pub use write::{AtomicFile, OutputError, beside, remove_stale_temporaries, write_atomic};
