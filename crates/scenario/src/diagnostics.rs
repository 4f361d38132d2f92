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
    /// The `extend` chain is longer than the limit (without looping).
    #[error("{path}: the `extend` chain is too deep: more than {limit} files")]
    #[diagnostic(
        code(wedge::scenario::extend_too_deep),
        help("a chain of `extend` may have at most {limit} files; merge some of them into one")
    )]
    ExtendTooDeep {
        /// The first file beyond the limit.
        path: String,
        /// The limit.
        limit: usize,
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

/// Longest line, in bytes, shown in an error's source snippet; longer lines are cut around the error.
pub const MAX_SNIPPET_LINE: usize = 240;

/// Longest message, in bytes, echoed from the parser.
pub const MAX_MESSAGE: usize = 400;

/// The text to show in an error's snippet, and the offset within it.
///
/// A file whose lines are all short is shown as it is. Otherwise every
/// line is kept (so line numbers stay right) but cut to
/// [`MAX_SNIPPET_LINE`] bytes, the offending line around the offset, with
/// `…` where text was left out: a one-line file of a million brackets must
/// not print a megabyte.
pub fn excerpt(text: &str, offset: usize) -> (String, usize) {
    let offset = offset.min(text.len());
    if text.split('\n').all(|l| l.len() <= MAX_SNIPPET_LINE) {
        return (text.to_string(), offset);
    }
    let (target, _) = line_column(text, offset);
    let mut out = String::new();
    let mut new_offset = 0;
    let mut pos = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let body = line.strip_suffix('\n').unwrap_or(line);
        if i + 1 == target {
            let rel = offset.saturating_sub(pos).min(body.len());
            let start = body.floor_char_boundary(rel.saturating_sub(MAX_SNIPPET_LINE / 2));
            let stop = body.ceil_char_boundary((start + MAX_SNIPPET_LINE).min(body.len()));
            if start > 0 {
                out.push('…');
            }
            new_offset = out.len() + (rel - start);
            out.push_str(&body[start..stop]);
            if stop < body.len() {
                out.push('…');
            }
        } else if body.len() > MAX_SNIPPET_LINE {
            out.push_str(&body[..body.floor_char_boundary(MAX_SNIPPET_LINE)]);
            out.push('…');
        } else {
            out.push_str(body);
        }
        if line.len() != body.len() {
            out.push('\n');
        }
        pos += line.len();
    }
    let at = new_offset.min(out.len());
    (out, at)
}

/// A message cut to [`MAX_MESSAGE`] bytes.
pub fn capped(message: &str) -> String {
    if message.len() <= MAX_MESSAGE {
        message.to_string()
    } else {
        format!(
            "{}… ({} bytes in all)",
            &message[..message.floor_char_boundary(MAX_MESSAGE)],
            message.len()
        )
    }
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
    let (shown, at) = excerpt(text, offset);
    ScenarioError::Invalid {
        path: path.to_string(),
        line,
        column,
        field: field.to_string(),
        message,
        span: span_at(&shown, at),
        src: NamedSource::new(path, shown),
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

    #[test]
    fn long_lines_are_cut_around_the_error_keeping_line_numbers() {
        let long = format!(
            "(a: 1,\n b: {}X{},\n c: 2)",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let offset = long.find('X').unwrap_or(0);
        let (shown, at) = excerpt(&long, offset);
        assert!(shown.len() < 3 * MAX_SNIPPET_LINE, "{} bytes", shown.len());
        assert_eq!(&shown[at..at + 1], "X");
        assert_eq!(line_column(&shown, at).0, 2);
        let short = "(a: 1)";
        assert_eq!(excerpt(short, 3), (short.to_string(), 3));
        assert!(capped(&"9".repeat(5_000_000)).len() < MAX_MESSAGE + 40);
    }
}
