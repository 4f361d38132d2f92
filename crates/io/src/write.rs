//! Atomic writes: a temporary file beside the destination, renamed over it
//! when complete.

use std::io::Write;
use std::path::{Path, PathBuf};

use thiserror::Error;

/// Why an output could not be written, or was refused before any work.
#[derive(Debug, Error)]
pub enum OutputError {
    /// The destination is a directory.
    #[error("cannot write {}: it is a directory", path.display())]
    Directory {
        /// The destination.
        path: PathBuf,
    },
    /// A step of the write failed (`what` names it: open, create, write, sync, rename).
    #[error("cannot write {}: {what}: {source}", path.display())]
    Write {
        /// The destination.
        path: PathBuf,
        /// The step that failed.
        what: &'static str,
        /// The error of that step.
        source: std::io::Error,
    },
    /// A destination checked before any work cannot be written.
    #[error("{flag} {}: cannot write there: {why}", path.display())]
    Unwritable {
        /// The option that named it.
        flag: String,
        /// The destination.
        path: PathBuf,
        /// Why not.
        why: String,
    },
    /// A destination is an input of the command.
    #[error(
        "{flag} {} would overwrite {}, an input of this command; choose another file",
        path.display(),
        input.display()
    )]
    WouldOverwrite {
        /// The option that named it.
        flag: String,
        /// The destination.
        path: PathBuf,
        /// The input it names.
        input: PathBuf,
    },
    /// Two destinations name one file.
    #[error("{flag} and {other} both name {}; give each output its own file", path.display())]
    SameFile {
        /// The later option.
        flag: String,
        /// The earlier option naming the same file.
        other: String,
        /// The destination.
        path: PathBuf,
    },
}

impl OutputError {
    /// Whether the user asked for something impossible (an output that is an
    /// input, one file named twice) rather than the file system failing.
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            OutputError::WouldOverwrite { .. } | OutputError::SameFile { .. }
        )
    }
}

/// The directory a path is in (`.` for a bare file name).
pub(crate) fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// `dir/STEM{tail}` beside `path` (`default_stem` when `path` has none):
/// `beside("runs.csv", ".meta.json", "runs")` is `runs.meta.json`.
pub fn beside(path: &Path, tail: &str, default_stem: &str) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| default_stem.into());
    path.with_file_name(format!("{stem}{tail}"))
}

/// A file being written atomically: bytes go to a temporary file in the
/// destination's directory (random name, created exclusively, so nothing
/// planted there is followed) and [`AtomicFile::commit`] syncs it and renames
/// it over the destination. Dropped without a commit, the temporary file is
/// removed and the destination is untouched.
///
/// An existing destination is treated as `>` would treat it: if it cannot be
/// opened for writing, creating fails and the file is left alone; otherwise
/// the new file keeps its permissions (and, where allowed, its owner). A
/// device or pipe (`/dev/null`, `/dev/stdout`) is written in place: renaming
/// over it would replace it.
#[derive(Debug)]
pub struct AtomicFile {
    path: PathBuf,
    target: Target,
}

/// Where the bytes of an [`AtomicFile`] go.
#[derive(Debug)]
enum Target {
    /// A temporary file, renamed into place on commit.
    Temporary(tempfile::NamedTempFile),
    /// A device or pipe, written in place.
    InPlace(std::fs::File),
}

impl AtomicFile {
    /// Start writing `path`.
    pub fn create(path: &Path) -> Result<AtomicFile, OutputError> {
        let fail = |what, source| OutputError::Write {
            path: path.to_path_buf(),
            what,
            source,
        };
        if path.is_dir() {
            return Err(OutputError::Directory {
                path: path.to_path_buf(),
            });
        }
        let existing = match std::fs::metadata(path) {
            Ok(meta) => Some(meta),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(fail("cannot open", e)),
        };
        if let Some(meta) = &existing {
            // What `>` would do first: open the file for writing (without truncating it yet).
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(|e| fail("cannot open", e))?;
            if !meta.is_file() {
                return Ok(AtomicFile {
                    path: path.to_path_buf(),
                    target: Target::InPlace(file),
                });
            }
        }
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
        let tmp = builder
            .tempfile_in(parent_dir(path))
            .map_err(|e| fail("cannot create a temporary file", e))?;
        if let Some(meta) = &existing {
            use std::os::unix::fs::MetadataExt;
            // Keep the owner as `>` would; only possible for the owner's group or for root, so failure is not an error.
            let _ = std::os::unix::fs::fchown(tmp.as_file(), Some(meta.uid()), Some(meta.gid()));
        }
        Ok(AtomicFile {
            path: path.to_path_buf(),
            target: Target::Temporary(tmp),
        })
    }

    /// The destination.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Write all of `bytes`, naming the destination in the error.
    pub fn write_bytes(&mut self, bytes: &[u8]) -> Result<(), OutputError> {
        self.write_all(bytes).map_err(|source| OutputError::Write {
            path: self.path.clone(),
            what: "write failed",
            source,
        })
    }

    /// Sync the bytes and put them in place.
    pub fn commit(self) -> Result<(), OutputError> {
        let path = self.path;
        let fail = |what, source| OutputError::Write {
            path: path.clone(),
            what,
            source,
        };
        match self.target {
            Target::InPlace(mut file) => file.flush().map_err(|e| fail("write failed", e)),
            Target::Temporary(tmp) => {
                tmp.as_file()
                    .sync_all()
                    .map_err(|e| fail("sync failed", e))?;
                tmp.persist(&path)
                    .map(drop)
                    .map_err(|e| fail("rename failed", e.error))
            }
        }
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.target {
            Target::Temporary(tmp) => tmp.write(buf),
            Target::InPlace(file) => file.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.target {
            Target::Temporary(tmp) => tmp.flush(),
            Target::InPlace(file) => file.flush(),
        }
    }
}

/// Write `bytes` to `path` atomically (see [`AtomicFile`]): a crash leaves
/// either the old file or the new one, never half of one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let mut file = AtomicFile::create(path)?;
    file.write_bytes(bytes)?;
    file.commit()
}

/// Remove temporary files a killed process left next to `path` (never `path` itself).
pub fn remove_stale_temporaries(path: &Path) {
    let Some(name) = path.file_name() else { return };
    let prefix = format!(".{}.", name.to_string_lossy());
    for entry in std::fs::read_dir(parent_dir(path))
        .into_iter()
        .flatten()
        .flatten()
    {
        let file = entry.file_name().to_string_lossy().into_owned();
        if file.starts_with(&prefix) && file.ends_with(".tmp") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
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
    fn an_uncommitted_file_leaves_the_destination_and_no_temporary_behind() {
        let d = dir();
        let out = d.path().join("table.csv");
        std::fs::write(&out, "old").unwrap_or_default();
        let mut file = AtomicFile::create(&out).unwrap_or_else(|e| panic!("{e}"));
        assert!(file.write_bytes(b"half a ta").is_ok());
        drop(file);
        assert_eq!(std::fs::read_to_string(&out).unwrap_or_default(), "old");
        let entries = std::fs::read_dir(d.path()).map(|r| r.count()).unwrap_or(0);
        assert_eq!(entries, 1, "a temporary file was left behind");
    }

    #[test]
    fn stale_temporaries_are_removed_but_not_the_file_or_its_neighbours() {
        let d = dir();
        let out = d.path().join("ckpt.json");
        for name in [
            "ckpt.json",
            ".ckpt.json.abc123.tmp",
            ".other.json.x.tmp",
            ".ckpt.json.keep",
        ] {
            std::fs::write(d.path().join(name), "x").unwrap_or_default();
        }
        remove_stale_temporaries(&out);
        let mut left: Vec<String> = std::fs::read_dir(d.path())
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, [".ckpt.json.keep", ".other.json.x.tmp", "ckpt.json"]);
    }

    #[test]
    fn beside_replaces_the_extension_and_keeps_the_folder() {
        let p = beside(Path::new("out/runs.csv"), ".meta.json", "runs");
        assert_eq!(p, Path::new("out/runs.meta.json"));
        let p = beside(Path::new("fig.svg"), "-morris.svg", "plot");
        assert_eq!(p, Path::new("fig-morris.svg"));
    }
}
