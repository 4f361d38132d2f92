//! Checks made before any work: outputs must not overwrite inputs, must not
//! name one file twice, and must be writable.

use std::path::{Path, PathBuf};

use crate::write::{OutputError, parent_dir};

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
/// file of its `extend` chain and its lever library, a checkpoint being
/// resumed, parts being merged. Paths are compared after resolving links, so
/// `./x.ron`, a symbolic link to it and a hard link all count as `x.ron`.
/// Two outputs naming the same file are refused too.
pub fn refuse_inputs(outputs: &[(&str, &Path)], inputs: &[PathBuf]) -> Result<(), OutputError> {
    for (i, (flag, out)) in outputs.iter().enumerate() {
        if let Some(input) = inputs.iter().find(|input| same_file(out, input)) {
            return Err(OutputError::WouldOverwrite {
                flag: flag.to_string(),
                path: out.to_path_buf(),
                input: input.clone(),
            });
        }
        if let Some((other, _)) = outputs[..i]
            .iter()
            .find(|(_, earlier)| same_file(out, earlier))
        {
            return Err(OutputError::SameFile {
                flag: flag.to_string(),
                other: other.to_string(),
                path: out.to_path_buf(),
            });
        }
    }
    Ok(())
}

/// Before any work: refuse destinations that are inputs (or name one file
/// twice) and check that each one can be written. `None` entries (flags not
/// given) are skipped.
pub fn guard_outputs(
    outputs: &[(&str, Option<&Path>)],
    inputs: &[PathBuf],
) -> Result<(), OutputError> {
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
pub fn check_writable(flag: &str, path: &Path) -> Result<(), OutputError> {
    let fail = |why: String| OutputError::Unwritable {
        flag: flag.to_string(),
        path: path.to_path_buf(),
        why,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn dir() -> tempfile::TempDir {
        tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"))
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
