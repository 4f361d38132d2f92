//! Reading files that come in from the user, bounded.
//!
//! Every file wedge reads — scenarios, `extend` targets, lever libraries,
//! checkpoints, shard partials, results given to `report` — goes through
//! [`read_input_file`]: it refuses anything that is not a regular file (a
//! FIFO would block forever, `/dev/zero` would never end, a directory is a
//! mistake) and reads at most `limit` bytes, so that a huge or endless file
//! costs no more memory than the limit. [`decode_text`] turns the bytes into
//! text, naming a byte-order mark or an invalid byte by line and column.
//!
//! Limits used by wedge: `wedge_scenario::MAX_FILE_BYTES` (8 MiB) for
//! scenario files and lever libraries, [`MAX_PARTIAL_BYTES`] for checkpoints
//! and shard partials, [`MAX_RESULT_BYTES`] for results read back; callers
//! document theirs (see docs/SCENARIOS.md).

use std::io::Read;
use std::path::Path;

use thiserror::Error;

/// Largest checkpoint or shard partial read back (`--resume`, `wedge merge`), in bytes.
///
/// A partial of the longest horizon (4,000 turns) is far below this.
pub const MAX_PARTIAL_BYTES: u64 = 256 * 1024 * 1024;

/// Largest result file read back (`wedge report`, `suite --against`), in bytes.
pub const MAX_RESULT_BYTES: u64 = 64 * 1024 * 1024;

/// Why an incoming file could not be read.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum InputError {
    /// The file could not be opened or read (missing, no permission, I/O error).
    #[error("{0}")]
    Io(String),
    /// A directory was given where a file is expected.
    #[error("it is a directory, not a file")]
    Directory,
    /// A FIFO, socket or device (e.g. `/dev/zero`).
    #[error("it is not a regular file (a pipe, socket or device); give the path of a file")]
    NotRegular,
    /// The file is larger than the limit.
    #[error("it is larger than the limit of {limit} bytes for this kind of file")]
    TooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
    /// The text starts with a UTF-8 byte-order mark.
    #[error(
        "line 1, column 1: it starts with a UTF-8 byte-order mark (BOM); save the file as UTF-8 without BOM"
    )]
    ByteOrderMark,
    /// The text is not valid UTF-8.
    #[error(
        "line {line}, column {column}: it is not valid UTF-8 text (byte 0x{byte:02x}); save the file as UTF-8"
    )]
    NotUtf8 {
        /// 1-based line of the first invalid byte.
        line: usize,
        /// 1-based column, in characters, of the first invalid byte.
        column: usize,
        /// The first invalid byte.
        byte: u8,
    },
}

/// Read a whole regular file of at most `limit` bytes.
///
/// Refuses directories, FIFOs, sockets and devices before opening them for
/// reading (so a FIFO never blocks), and reads at most `limit + 1` bytes
/// whatever the file's reported size (so `/proc` files, files growing while
/// read and sparse files are bounded too).
pub fn read_input_file(path: &Path, limit: u64) -> Result<Vec<u8>, InputError> {
    let meta = std::fs::metadata(path).map_err(|e| InputError::Io(e.to_string()))?;
    check_kind(&meta)?;
    if meta.len() > limit {
        return Err(InputError::TooLarge { limit });
    }
    let file = std::fs::File::open(path).map_err(|e| InputError::Io(e.to_string()))?;
    // The path may have been replaced between the two looks: check what was opened.
    check_kind(&file.metadata().map_err(|e| InputError::Io(e.to_string()))?)?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len().min(limit)).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| InputError::Io(e.to_string()))?;
    if bytes.len() as u64 > limit {
        return Err(InputError::TooLarge { limit });
    }
    Ok(bytes)
}

/// Read a regular file of at most `limit` bytes as UTF-8 text (see [`decode_text`]).
pub fn read_input_text(path: &Path, limit: u64) -> Result<String, InputError> {
    decode_text(read_input_file(path, limit)?)
}

/// An incoming file that could not be read, named.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[error("cannot read {}: {source}", path.display())]
pub struct ReadError {
    /// The file.
    pub path: std::path::PathBuf,
    /// Why not.
    pub source: InputError,
}

/// [`read_input_text`], the file named in the error.
pub fn read_text(path: &Path, limit: u64) -> Result<String, ReadError> {
    read_input_text(path, limit).map_err(|source| ReadError {
        path: path.to_path_buf(),
        source,
    })
}

/// Bytes as UTF-8 text; a byte-order mark or an invalid byte is an error naming its line and column.
pub fn decode_text(bytes: Vec<u8>) -> Result<String, InputError> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(InputError::ByteOrderMark);
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let byte = bytes.get(valid).copied().unwrap_or(0);
        // The prefix up to the first invalid byte is valid UTF-8 by definition.
        let before = std::str::from_utf8(&bytes[..valid]).unwrap_or("");
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before
            .get(line_start..)
            .map_or(1, |s| s.chars().count() + 1);
        InputError::NotUtf8 { line, column, byte }
    })
}

fn check_kind(meta: &std::fs::Metadata) -> Result<(), InputError> {
    if meta.is_dir() {
        Err(InputError::Directory)
    } else if !meta.is_file() {
        Err(InputError::NotRegular)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("wedge-input-{}-{name}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join(name);
        assert!(std::fs::write(&path, bytes).is_ok());
        path
    }

    #[test]
    fn devices_and_directories_are_refused_without_reading() {
        assert_eq!(
            read_input_file(Path::new("/dev/zero"), 1024),
            Err(InputError::NotRegular)
        );
        assert_eq!(
            read_input_file(Path::new("/"), 1024),
            Err(InputError::Directory)
        );
    }

    #[test]
    fn a_fifo_is_refused_instead_of_blocking() {
        let dir = std::env::temp_dir().join(format!("wedge-fifo-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let fifo = dir.join("pipe.ron");
        let _ = std::fs::remove_file(&fifo);
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // no mkfifo on this system
        }
        assert_eq!(read_input_file(&fifo, 1024), Err(InputError::NotRegular));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn files_over_the_limit_are_refused_and_at_the_limit_accepted() {
        let path = temp("sized.ron", &[b'x'; 100]);
        assert_eq!(
            read_input_file(&path, 99),
            Err(InputError::TooLarge { limit: 99 })
        );
        assert_eq!(read_input_file(&path, 100).map(|b| b.len()), Ok(100));
    }

    #[test]
    fn a_bom_and_invalid_utf8_are_named_with_line_and_column() {
        assert_eq!(
            decode_text(b"\xEF\xBB\xBF(name: \"x\")".to_vec()),
            Err(InputError::ByteOrderMark)
        );
        assert_eq!(
            decode_text(b"(\n  name: \"\xE9t\xE9\")".to_vec()),
            Err(InputError::NotUtf8 {
                line: 2,
                column: 10,
                byte: 0xE9
            })
        );
        let message = decode_text(b"ab\ncd\xFF".to_vec())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(message.contains("line 2, column 3"), "{message}");
    }
}
