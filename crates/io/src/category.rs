//! What kind of failure an error is, so that a surface can report it
//! without knowing each library's variants: the command line maps the
//! category to its exit code (2 for usage, 1 for a runtime failure or a stop
//! with nothing saved) in one place.
//!
//! The errors the command line meets implement [`Categorized`]; their
//! `Display` is the message shown.

/// The kind of a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// The caller asked for something impossible or invalid (bad options,
    /// invalid input files, an output that would overwrite an input).
    Usage,
    /// The work failed for reasons outside the request (I/O, the system),
    /// or the caller stopped it and the message says what was lost.
    Runtime,
    /// The caller's stop flag ended the work before it was done (the
    /// surface says so in its own words).
    Interrupted,
}

/// An error that knows its [`Category`].
pub trait Categorized: std::error::Error {
    /// The kind of this failure.
    fn category(&self) -> Category;
}

impl Categorized for crate::OutputError {
    fn category(&self) -> Category {
        if self.is_usage() {
            Category::Usage
        } else {
            Category::Runtime
        }
    }
}

impl Categorized for crate::InputError {
    fn category(&self) -> Category {
        Category::Usage
    }
}

impl Categorized for crate::ReadError {
    fn category(&self) -> Category {
        Category::Usage
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::{InputError, OutputError};

    #[test]
    fn an_output_named_twice_is_usage_and_a_failed_write_is_runtime() {
        let twice = OutputError::SameFile {
            flag: "--plot".into(),
            other: "-o".into(),
            path: PathBuf::from("x"),
        };
        assert_eq!(twice.category(), Category::Usage);
        let directory = OutputError::Directory {
            path: PathBuf::from("x"),
        };
        assert_eq!(directory.category(), Category::Runtime);
        assert_eq!(InputError::Directory.category(), Category::Usage);
        let unread = crate::read_text(&std::env::temp_dir(), 10);
        assert!(unread.is_err_and(|e| e.category() == Category::Usage
            && e.to_string().starts_with("cannot read ")
            && e.to_string().ends_with("it is a directory, not a file")));
    }
}
