//! Writing results: atomically to files, or to stdout with a quiet broken pipe;
//! and the checks that keep outputs from destroying inputs or failing late.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::failure::Failure;

/// Largest checkpoint or shard partial read back (`--resume`, `wedge merge`), in bytes.
///
/// A partial of the longest horizon (4,000 turns) is far below this.
pub const MAX_PARTIAL_BYTES: u64 = 256 * 1024 * 1024;

/// Largest result file read back (`wedge report`, `suite --against`), in bytes.
pub const MAX_RESULT_BYTES: u64 = 64 * 1024 * 1024;

/// Read an incoming file (checkpoint, partial, result) as text, refusing
/// non-regular files and anything over `limit` bytes.
pub fn read_input(path: &Path, limit: u64) -> Result<String, Failure> {
    wedge_scenario::read_input_text(path, limit)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))
}

/// Write `bytes` to `path` atomically: a temporary file in the same directory
/// (random name, created exclusively, so nothing planted there is followed),
/// flushed and synced, then renamed over the target. A crash leaves either
/// the old file or the new one, never half of one.
///
/// An existing destination is treated as `>` would treat it: if it cannot be
/// opened for writing the write fails and the file is left alone; otherwise
/// the new file keeps its permissions (and, where allowed, its owner).
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
    let existing = match std::fs::metadata(path) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(fail("cannot open", e)),
    };
    if let Some(meta) = &existing
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
    if existing.is_some() {
        // What `>` would do first: open the file for writing (without truncating it yet).
        std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(|e| fail("cannot open", e))?;
    }
    let dir = parent_dir(path);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    let permissions = match &existing {
        Some(meta) => meta.permissions(),
        // Created with 0666 less the umask, as `>` creates files.
        None => std::os::unix::fs::PermissionsExt::from_mode(0o666),
    };
    builder.permissions(permissions);
    let mut tmp = builder
        .tempfile_in(dir)
        .map_err(|e| fail("cannot create a temporary file", e))?;
    if let Some(meta) = &existing {
        use std::os::unix::fs::MetadataExt;
        // Keep the owner as `>` would; only possible for the owner's group or for root, so failure is not an error.
        let _ = std::os::unix::fs::fchown(tmp.as_file(), Some(meta.uid()), Some(meta.gid()));
    }
    tmp.write_all(bytes).map_err(|e| fail("write failed", e))?;
    tmp.as_file()
        .sync_all()
        .map_err(|e| fail("sync failed", e))?;
    tmp.persist(path)
        .map(|_| ())
        .map_err(|e| fail("rename failed", e.error))
}

/// The directory a path is in (`.` for a bare file name).
fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// A path resolved as far as the file system allows: the file itself if it
/// exists (following symbolic links), else its canonical directory joined
/// with its name.
fn resolve(path: &Path) -> PathBuf {
    if let Ok(canonical) = std::fs::canonicalize(path) {
        return canonical;
    }
    match (std::fs::canonicalize(parent_dir(path)), path.file_name()) {
        (Ok(dir), Some(name)) => dir.join(name),
        _ => path.to_path_buf(),
    }
}

/// Whether two paths name the same file: same resolved path, or same device and inode (hard links).
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    if resolve(a) == resolve(b) {
        return true;
    }
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.is_file() && x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

/// Refuse any output that would overwrite an input of the command.
///
/// `outputs` pairs each destination with the flag that named it (for the
/// message); `inputs` are every file the command reads — the scenario, each
/// file of its `extend` chain and its lever library
/// ([`wedge_scenario::LoadedScenario::inputs`]), a checkpoint being resumed,
/// parts being merged. Paths are compared after resolving links, so
/// `./x.ron`, a symbolic link to it and a hard link all count as `x.ron`.
/// Two outputs naming the same file are refused too.
pub fn refuse_inputs(outputs: &[(&str, &Path)], inputs: &[PathBuf]) -> Result<(), Failure> {
    for (i, (flag, out)) in outputs.iter().enumerate() {
        if let Some(input) = inputs.iter().find(|input| same_file(out, input)) {
            return Err(Failure::usage(format!(
                "{flag} {} would overwrite {}, an input of this command; choose another file",
                out.display(),
                input.display()
            )));
        }
        if let Some((other, _)) = outputs[..i]
            .iter()
            .find(|(_, earlier)| same_file(out, earlier))
        {
            return Err(Failure::usage(format!(
                "{flag} and {other} both name {}; give each output its own file",
                out.display()
            )));
        }
    }
    Ok(())
}

/// Before any work: refuse destinations that are inputs (or name one file
/// twice) and check that each one can be written. `None` entries (flags not
/// given) are skipped.
pub fn guard_outputs(outputs: &[(&str, Option<&Path>)], inputs: &[PathBuf]) -> Result<(), Failure> {
    let given: Vec<(&str, &Path)> = outputs
        .iter()
        .filter_map(|(flag, path)| path.map(|p| (*flag, p)))
        .collect();
    refuse_inputs(&given, inputs)?;
    given
        .iter()
        .try_for_each(|(flag, path)| check_writable(flag, path))
}

/// Check, before any work, that `path` can be written: an existing file must
/// open for writing (it is not changed), and its directory must let a file be
/// created there (a probe file is created and removed). A device such as
/// `/dev/null` passes. `flag` names the option in the message.
pub fn check_writable(flag: &str, path: &Path) -> Result<(), Failure> {
    // An I/O failure (exit 1), as if the write had been tried.
    let fail = |why: String| {
        Failure::runtime(format!(
            "{flag} {}: cannot write there: {why}",
            path.display()
        ))
    };
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => return Err(fail("it is a directory".into())),
        Ok(meta) if !meta.is_file() => return Ok(()),
        Ok(_) => {
            std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(|e| fail(e.to_string()))?;
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(fail(e.to_string())),
    }
    let dir = parent_dir(path);
    tempfile::Builder::new()
        .prefix(".wedge-probe.")
        .tempfile_in(dir)
        .map(drop)
        .map_err(|e| fail(format!("cannot create a file in {}: {e}", dir.display())))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn dir() -> tempfile::TempDir {
        tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"))
    }

    #[test]
    fn a_symlink_planted_at_the_old_temporary_name_is_not_followed() {
        let d = dir();
        let victim = d.path().join("victim.txt");
        std::fs::write(&victim, "precious").unwrap_or_default();
        let out = d.path().join("out.json");
        // Names an earlier version used: `.NAME.PID.tmp`.
        let planted = d
            .path()
            .join(format!(".out.json.{}.tmp", std::process::id()));
        std::os::unix::fs::symlink(&victim, &planted).unwrap_or_default();
        assert!(write_atomic(&out, b"result").is_ok());
        assert_eq!(
            std::fs::read_to_string(&victim).unwrap_or_default(),
            "precious"
        );
        assert_eq!(std::fs::read_to_string(&out).unwrap_or_default(), "result");
    }

    #[test]
    fn a_read_only_destination_behaves_as_with_the_shell_redirection() {
        use std::os::unix::fs::PermissionsExt;
        let d = dir();
        let ours = d.path().join("ours.json");
        let shells = d.path().join("shells.json");
        for f in [&ours, &shells] {
            std::fs::write(f, "old").unwrap_or_default();
            std::fs::set_permissions(f, std::fs::Permissions::from_mode(0o444)).unwrap_or_default();
        }
        let shell_ok = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("printf new > '{}'", shells.display()))
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        assert_eq!(write_atomic(&ours, b"new").is_ok(), shell_ok);
        for f in [&ours, &shells] {
            let meta = std::fs::metadata(f).map(|m| m.permissions().mode() & 0o777);
            assert_eq!(meta.unwrap_or(0), 0o444, "{} changed mode", f.display());
        }
        assert_eq!(
            std::fs::read_to_string(&ours).unwrap_or_default(),
            std::fs::read_to_string(&shells).unwrap_or_default()
        );
    }

    #[test]
    fn new_files_get_the_usual_mode_not_the_temporary_files() {
        use std::os::unix::fs::PermissionsExt;
        let d = dir();
        let out = d.path().join("new.json");
        let shells = d.path().join("shells.json");
        assert!(write_atomic(&out, b"x").is_ok());
        let _ = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("printf x > '{}'", shells.display()))
            .status();
        let mode = |p: &Path| {
            std::fs::metadata(p)
                .map(|m| m.permissions().mode() & 0o777)
                .unwrap_or(0)
        };
        assert_eq!(mode(&out), mode(&shells));
    }

    #[test]
    fn outputs_that_are_inputs_are_refused_however_named() {
        let d = dir();
        let scenario = d.path().join("s.ron");
        std::fs::write(&scenario, "()").unwrap_or_default();
        let link = d.path().join("link.ron");
        std::os::unix::fs::symlink(&scenario, &link).unwrap_or_default();
        let hard = d.path().join("hard.ron");
        std::fs::hard_link(&scenario, &hard).unwrap_or_default();
        let dotted = d.path().join(".").join("s.ron");
        let inputs = vec![scenario.clone()];
        for out in [&scenario, &link, &hard, &dotted] {
            assert!(
                refuse_inputs(&[("-o", out)], &inputs).is_err(),
                "{}",
                out.display()
            );
        }
        let fresh = d.path().join("out.json");
        assert!(refuse_inputs(&[("-o", &fresh)], &inputs).is_ok());
        assert!(refuse_inputs(&[("-o", &fresh), ("--checkpoint", &fresh)], &inputs).is_err());
    }

    #[test]
    fn unwritable_destinations_are_found_before_any_work_without_touching_files() {
        let d = dir();
        let existing = d.path().join("kept.json");
        std::fs::write(&existing, "kept").unwrap_or_default();
        assert!(check_writable("-o", &existing).is_ok());
        assert_eq!(
            std::fs::read_to_string(&existing).unwrap_or_default(),
            "kept"
        );
        assert!(check_writable("-o", &d.path().join("new.json")).is_ok());
        assert!(!d.path().join("new.json").exists());
        assert!(check_writable("-o", &d.path().join("no/such/dir/x.json")).is_err());
        assert!(check_writable("-o", d.path()).is_err());
        assert!(check_writable("-o", Path::new("/dev/null")).is_ok());
        let entries = std::fs::read_dir(d.path()).map(|r| r.count()).unwrap_or(0);
        assert_eq!(entries, 1, "the probe left a file behind");
    }
}
