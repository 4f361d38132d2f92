//! Find where a field path is written in a file, for errors found after parsing.
//!
//! Semantic checks run on the resolved model and report a dotted field path
//! (`agents.russia.decisions.posture.mode.rationality`). This module walks the
//! path's segments through the text — each one searched as a whole word after
//! the previous one — and returns the position of the deepest segment found.

/// Whether a character can be part of a name as scenarios write them.
fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// Byte offset of the next whole-word occurrence of `word` at or after `from`, skipping comments.
pub fn find_word(text: &str, word: &str, from: usize) -> Option<usize> {
    if word.is_empty() {
        return None;
    }
    let mut start = from;
    while let Some(found) = text.get(start..).and_then(|rest| rest.find(word)) {
        let at = start + found;
        let before_ok = text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !is_name_char(c));
        let after_ok = text[at + word.len()..]
            .chars()
            .next()
            .is_none_or(|c| !is_name_char(c));
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let in_comment = text[line_start..at].contains("//");
        if before_ok && after_ok && !in_comment {
            return Some(at);
        }
        start = at + word.len();
    }
    None
}

/// Offset of the deepest segment of `path` found in order in `text`, if any.
pub fn locate(text: &str, path: &str) -> Option<usize> {
    let mut position = 0;
    let mut found = None;
    for segment in path.split('.') {
        if let Some(at) = find_word(text, segment, position) {
            position = at + segment.len();
            found = Some(at);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_nested_fields() {
        let text = "(agents: [(actor: russia, // rationality\n decisions: [(mode: Adaptive(rationality: -1.0))])])";
        let at = locate(text, "agents.russia.decisions.posture.mode.rationality").unwrap_or(0);
        assert!(text[at..].starts_with("rationality: -1.0"));
    }

    #[test]
    fn respects_word_boundaries() {
        assert_eq!(
            find_word("sanctions-relief sanctions", "sanctions", 0),
            Some(17)
        );
    }
}
