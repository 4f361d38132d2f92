//! Writing results: atomically to files, or to stdout with a quiet broken pipe.

use std::io::Write;
use std::path::Path;

use crate::failure::Failure;

/// Write `bytes` to `path` atomically: a temporary file in the same directory,
/// flushed and synced, then renamed over the target. A crash leaves either
/// the old file or the new one, never half of one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let fail = |what: &str, e: std::io::Error| {
        Failure::runtime(format!("cannot write {}: {what}: {e}", path.display()))
    };
    if path.is_dir() {
        return Err(Failure::runtime(format!(
            "cannot write {}: it is a directory",
            path.display()
        )));
    }
    if let Ok(meta) = std::fs::metadata(path)
        && !meta.is_file()
    {
        // A device or pipe (e.g. /dev/stdout, /dev/full): write in place; renaming over it would replace it.
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(|e| fail("cannot open", e))?;
        return file
            .write_all(bytes)
            .and_then(|()| file.flush())
            .map_err(|e| fail("write failed", e));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file =
            std::fs::File::create(&tmp).map_err(|e| fail("cannot create a temporary file", e))?;
        file.write_all(bytes).map_err(|e| fail("write failed", e))?;
        file.sync_all().map_err(|e| fail("sync failed", e))?;
        std::fs::rename(&tmp, path).map_err(|e| fail("rename failed", e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Emit a result to a file or stdout.
pub fn emit(output: Option<&Path>, text: &str) -> Result<(), Failure> {
    match output {
        Some(path) => write_atomic(path, text.as_bytes()),
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
