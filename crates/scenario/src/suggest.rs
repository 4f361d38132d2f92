//! "Did you mean" suggestions for misspelled names.

/// The closest candidate to `found`, if one is close enough to be a likely typo.
pub fn closest<'a, I>(found: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(found, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c.to_string())
}

/// A help line: "did you mean `x`?" plus the valid choices (abbreviated when long).
pub fn help_for<'a, I>(found: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'a str> + Clone,
{
    let all: Vec<&str> = candidates.clone().into_iter().collect();
    if all.is_empty() {
        return "there is none to choose from".to_string();
    }
    let listed = if all.len() > 12 {
        format!("{}, … ({} in all)", all[..12].join(", "), all.len())
    } else {
        all.join(", ")
    };
    match closest(found, candidates) {
        Some(best) => format!("did you mean `{best}`? Valid: {listed}"),
        None => format!("valid: {listed}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_a_close_name() {
        assert_eq!(
            closest(
                "sanction-relief-path",
                ["sanctions-relief-path", "arms-control"]
            )
            .as_deref(),
            Some("sanctions-relief-path")
        );
        assert_eq!(closest("zzz", ["sanctions-relief-path"]), None);
    }

    #[test]
    fn an_empty_list_is_not_printed_as_an_empty_valid_list() {
        let help = help_for("x", std::iter::empty::<&str>());
        assert!(!help.contains("valid:"), "{help}");
        assert!(help_for("x", ["a"]).ends_with("valid: a"));
    }
}
