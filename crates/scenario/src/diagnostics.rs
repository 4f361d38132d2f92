//! Errors that point at the file, line and column, with the offending source
//! line, the field path and what would be valid.

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

/// One problem with a scenario.
#[derive(Debug, Error, Diagnostic)]
pub enum ScenarioError {
    /// A file could not be read.
    #[error("cannot read {path}: {reason}")]
    #[diagnostic(code(wedge::scenario::unreadable))]
    Unreadable {
        /// The file.
        path: String,
        /// Why.
        reason: String,
        /// What to do.
        #[help]
        help: Option<String>,
    },
    /// Text that is not a valid scenario (syntax, unknown field, wrong type).
    #[error("{path}:{line}:{column}: {message}")]
    #[diagnostic(code(wedge::scenario::syntax))]
    Syntax {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
        /// The file's text.
        #[source_code]
        src: NamedSource<String>,
        /// Where.
        #[label("here")]
        span: SourceSpan,
        /// What would be valid.
        #[help]
        help: Option<String>,
    },
    /// A value that parses but is not valid.
    #[error("{path}:{line}:{column}: `{field}`: {message}")]
    #[diagnostic(code(wedge::scenario::invalid))]
    Invalid {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// Field path, e.g. `agents.russia.decisions.posture.mode.rationality`.
        field: String,
        /// What is wrong and what would be valid.
        message: String,
        /// The file's text.
        #[source_code]
        src: NamedSource<String>,
        /// Where.
        #[label("{field}")]
        span: SourceSpan,
        /// Suggestion.
        #[help]
        help: Option<String>,
    },
    /// The `extend` chain loops.
    #[error("{path}: `extend` loops back on itself: {chain}")]
    #[diagnostic(
        code(wedge::scenario::extend_cycle),
        help("remove one `extend` so that the chain ends in a file that extends nothing")
    )]
    ExtendCycle {
        /// The file that closes the loop.
        path: String,
        /// The chain of files.
        chain: String,
    },
}

/// Every problem found in a scenario, reported together.
#[derive(Debug, Error, Diagnostic)]
#[error("{} in {file}", plural(.errors.len()))]
pub struct ScenarioErrors {
    /// The scenario file that was loaded.
    pub file: String,
    /// The problems.
    #[related]
    pub errors: Vec<ScenarioError>,
}

fn plural(n: usize) -> String {
    if n == 1 {
        "1 error".to_string()
    } else {
        format!("{n} errors")
    }
}

/// Byte offset of a 1-based (line, column in characters) position.
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let within: usize = l
                .chars()
                .take(column.saturating_sub(1))
                .map(char::len_utf8)
                .sum();
            return (offset + within).min(text.len());
        }
        offset += l.len();
    }
    text.len()
}

/// 1-based (line, column in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before
        .get(line_start..)
        .map_or(1, |s| s.chars().count() + 1);
    (line, column)
}

/// A span of one token-ish width at an offset, for labels.
pub fn span_at(text: &str, offset: usize) -> SourceSpan {
    let rest = text.get(offset..).unwrap_or("");
    let width = rest
        .char_indices()
        .find(|(_, c)| c.is_whitespace() || matches!(c, ',' | ')' | ']' | '}' | ':'))
        .map_or(rest.len(), |(i, _)| i)
        .max(1)
        .min(rest.len().max(1));
    SourceSpan::new(offset.into(), width.min(text.len().saturating_sub(offset)))
}

/// An `Invalid` error located at a byte offset in a file.
pub fn invalid_at(
    path: &str,
    text: &str,
    offset: usize,
    field: &str,
    message: String,
    help: Option<String>,
) -> ScenarioError {
    let (line, column) = line_column(text, offset);
    ScenarioError::Invalid {
        path: path.to_string(),
        line,
        column,
        field: field.to_string(),
        message,
        src: NamedSource::new(path, text.to_string()),
        span: span_at(text, offset),
        help,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_positions_agree() {
        let text = "a\nbé c\nd";
        let off = offset_of(text, 2, 4);
        assert_eq!(&text[off..off + 1], "c");
        assert_eq!(line_column(text, off), (2, 4));
    }
}
