//! Scenario files through the command line: shipped files validate, `show`
//! round-trips, and broken files get errors naming line, column and field.

use crate::util::*;

#[test]
fn every_shipped_file_validates() {
    let mut files: Vec<String> = std::fs::read_dir(root().join("scenarios"))
        .expect("scenarios/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .map(|p| arg(&p))
        .collect();
    files.sort();
    assert!(files.len() >= 19, "{files:?}");
    let mut args = vec!["validate".to_string()];
    args.extend(files);
    let o = wedge(&args);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn validate_checks_a_calibration_plan_as_a_plan() {
    let plans = root().join("scenarios/calibration");
    let o = wedge(["validate", &arg(&plans.join("plan.ron"))]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("(calibration plan)"), "{}", stdout(&o));
    // A plan with a misspelt field gets the plan's errors: line, field and the valid names.
    let dir = tempfile::tempdir().expect("temp dir");
    for f in ["plan.ron", "priors.ron", "history-1950-1971.ron"] {
        std::fs::copy(plans.join(f), dir.path().join(f)).expect("copy");
    }
    let text = std::fs::read_to_string(dir.path().join("plan.ron")).expect("read");
    let bad = dir.path().join("plan.ron");
    std::fs::write(&bad, text.replace("  keep: 200,", "  kep: 200,")).expect("write");
    let line = text
        .lines()
        .position(|l| l == "  keep: 200,")
        .expect("the shipped plan keeps 200 draws")
        + 1;
    let o = wedge(["validate", &arg(&bad)]);
    assert_fails(&o, 2, &format!("plan.ron:{line}:3"));
    assert_fails(&o, 2, "did you mean `keep`?");
}

#[test]
fn show_round_trips() {
    let dir = tempfile::tempdir().expect("temp dir");
    let first = wedge(["show", &arg(&scenario("kupchan-package.ron"))]);
    assert!(first.status.success(), "{}", stderr(&first));
    let path = dir.path().join("resolved.ron");
    std::fs::write(&path, &first.stdout).expect("write");
    let second = wedge(["show", &arg(&path)]);
    assert!(second.status.success(), "{}", stderr(&second));
    assert_eq!(stdout(&first), stdout(&second));
}

/// (name, file text, expected fragments of the error: line:column and field or hint)
const BROKEN: &[(&str, &str, &[&str])] = &[
    ("empty", "", &["empty"]),
    ("whitespace", "   \n  ", &["empty"]),
    (
        "syntax",
        "(extend: \"baseline-2021.ron\", name: \"x\"",
        &[":1:"],
    ),
    (
        "unknown top field",
        "(extend: \"baseline-2021.ron\",\n  nmae: \"x\")",
        &[":2:3", "did you mean `name`"],
    ),
    (
        "misspelled lever",
        "(extend: \"baseline-2021.ron\",\n  levers: [(name: \"sanction-relief-path\")])",
        &[":2:", "sanctions-relief-path"],
    ),
    (
        "unknown lever field",
        "(extend: \"baseline-2021.ron\",\n  levers: [(name: \"arms-control\", intensty: 2.0)])",
        &[":2:", "intensity"],
    ),
    (
        "negative intensity",
        "(extend: \"baseline-2021.ron\",\n  levers: [(name: \"arms-control\", intensity: -2.0)])",
        &["levers.arms-control.intensity", "valid range"],
    ),
    (
        "bad enum variant",
        "(extend: \"baseline-2021.ron\",\n  pin: [(actor: russa, decision: \"posture\", mode: Pinned(\"escalate\"))])",
        &[":2:", "russia"],
    ),
    (
        "bad pinned option",
        "(extend: \"baseline-2021.ron\",\n  pin: [(actor: russia, decision: \"posture\", mode: Pinned(\"escalte\"))])",
        &["escalate"],
    ),
    (
        "bad decision",
        "(extend: \"baseline-2021.ron\",\n  pin: [(actor: russia, decision: \"postur\", mode: Pinned(\"escalate\"))])",
        &["posture"],
    ),
    (
        "horizon zero",
        "(extend: \"baseline-2021.ron\",\n  horizon_years: 0.0)",
        &["horizon_years", ":2:"],
    ),
    (
        "horizon huge",
        "(extend: \"baseline-2021.ron\",\n  horizon_years: 1e12)",
        &["horizon_years"],
    ),
    (
        "turn zero",
        "(extend: \"baseline-2021.ron\",\n  turn_years: 0.0)",
        &["turn_years"],
    ),
    (
        "set bad path",
        "(extend: \"baseline-2021.ron\",\n  set: {\"params.threat_wieght\": 1.0})",
        &["threat_weight"],
    ),
    (
        "set out of range",
        "(extend: \"baseline-2021.ron\",\n  set: {\"initial.alignment\": 3.0})",
        &["initial.alignment", "[-1, 1]"],
    ),
    (
        "probability out of range",
        "(extend: \"baseline-2021.ron\",\n  set: {\"initial.russia.sanctions\": 1.5})",
        &["initial.russia.sanctions"],
    ),
    (
        "uniform reversed",
        "(extend: \"baseline-2021.ron\",\n  uncertainties: [(name: \"u\", target: \"params.threat_weight\", distribution: Uniform(low: 2.0, high: 1.0))])",
        &["low"],
    ),
    (
        "normal sd zero",
        "(extend: \"baseline-2021.ron\",\n  uncertainties: [(name: \"u\", target: \"params.threat_weight\", distribution: Normal(mean: 1.0, sd: 0.0))])",
        &["sd"],
    ),
    (
        "triangular mode outside",
        "(extend: \"baseline-2021.ron\",\n  uncertainties: [(name: \"u\", target: \"params.threat_weight\", distribution: Triangular(low: 0.1, mode: 3.0, high: 1.0))])",
        &["mode"],
    ),
    (
        "bad target",
        "(extend: \"baseline-2021.ron\",\n  uncertainties: [(name: \"u\", target: \"params.treat_weight\", distribution: Uniform(low: 0.1, high: 1.0))])",
        &["threat_weight"],
    ),
    (
        "empty choice",
        "(extend: \"baseline-2021.ron\",\n  uncertainties: [(name: \"u\", target: \"params.threat_weight\", distribution: Choice([]))])",
        &["choice"],
    ),
    (
        "bad distribution",
        "(extend: \"baseline-2021.ron\",\n  uncertainties: [(name: \"u\", target: \"params.threat_weight\", distribution: Gaussian(mean: 1.0))])",
        &[":2:", "Normal"],
    ),
    (
        "missing file",
        "(extend: \"no-such-file.ron\")",
        &["no-such-file.ron"],
    ),
    (
        "missing library",
        "(extend: \"baseline-2021.ron\", lever_library: \"nope.ron\")",
        &["nope.ron"],
    ),
    ("no base", "(name: \"lonely\")", &["missing `start_year`"]),
    (
        "wrong type",
        "(extend: \"baseline-2021.ron\",\n  horizon_years: \"ten\")",
        &[":2:"],
    ),
    (
        "split zero turns",
        "(extend: \"baseline-2021.ron\",\n  set: {\"split.consecutive_turns\": 0.0})",
        &["consecutive_turns"],
    ),
    (
        "split threshold",
        "(extend: \"baseline-2021.ron\",\n  split: (threshold: 2.0, consecutive_turns: 4, amity_tension: 0.5))",
        &["split.threshold"],
    ),
    (
        "missing split field",
        "(extend: \"baseline-2021.ron\",\n  split: (threshold: 0.2, consecutive_turns: 4))",
        &["amity_tension"],
    ),
    (
        "bad channel",
        "(extend: \"baseline-2021.ron\",\n  levers: [(name: \"mine\", effects: [(channel: sanctionz, per_year: 0.1)])])",
        &[":2:", "sanctions"],
    ),
    (
        "hazard negative",
        "(extend: \"baseline-2021.ron\",\n  set: {\"events.border_incident.per_year\": -1.0})",
        &["events.border_incident.per_year"],
    ),
    (
        "rationality negative",
        "(extend: \"baseline-2021.ron\",\n  set: {\"agents.russia.rationality\": -1.0})",
        &["rationality"],
    ),
];

#[test]
fn broken_files_get_located_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Broken files extend the shipped baseline from a copy next to them.
    for f in ["baseline-2021.ron", "levers.ron"] {
        std::fs::copy(scenario(f), dir.path().join(f)).expect("copy");
    }
    assert!(BROKEN.len() >= 30);
    for (name, text, expected) in BROKEN {
        let path = dir.path().join(format!("{}.ron", name.replace(' ', "-")));
        std::fs::write(&path, text).expect("write");
        let o = wedge(["validate", &arg(&path)]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
        for fragment in *expected {
            assert!(
                err.contains(fragment),
                "{name}: expected `{fragment}` in:\n{err}"
            );
        }
    }
}

#[test]
fn a_broken_scenario_shows_its_source_line_whichever_command_reads_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    for f in ["baseline-2021.ron", "levers.ron"] {
        std::fs::copy(scenario(f), dir.path().join(f)).expect("copy");
    }
    let broken = dir.path().join("broken.ron");
    std::fs::write(
        &broken,
        "(extend: \"baseline-2021.ron\",\n  horizon_years: 0.0)",
    )
    .expect("write");
    let (baseline, broken, folder) = (
        arg(&dir.path().join("baseline-2021.ron")),
        arg(&broken),
        arg(dir.path()),
    );
    // Read directly, as an arm of a comparison, and as one file of a folder.
    for command in [
        vec!["run", &broken, "--runs", "10", "-q"],
        vec!["compare", &baseline, &broken, "--runs", "10", "-q"],
        vec!["sensitivity", &broken, "--runs", "10", "-q"],
        vec!["suite", &folder, "--runs", "10"],
    ] {
        let o = wedge(&command);
        assert_fails(&o, 2, "broken.ron:2:3: `horizon_years`");
        let err = stderr(&o);
        assert!(err.contains("horizon_years: 0.0"), "{command:?}: {err}");
    }
}

#[test]
fn binary_directories_and_loops_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let binary = dir.path().join("binary.ron");
    std::fs::write(&binary, [0xff, 0xfe, 0x00, 0x01, 0x80]).expect("write");
    let a = dir.path().join("a.ron");
    let b = dir.path().join("b.ron");
    std::fs::write(&a, "(extend: \"b.ron\")").expect("write");
    std::fs::write(&b, "(extend: \"a.ron\")").expect("write");
    for (path, fragment) in [
        (binary, "UTF-8"),
        (dir.path().to_path_buf(), "directory"),
        (a, "loops"),
    ] {
        let o = wedge(["validate", &arg(&path)]);
        assert_fails(&o, 2, fragment);
    }
}

#[test]
fn the_annotated_example_in_the_reference_validates() {
    let doc = std::fs::read_to_string(root().join("docs/SCENARIOS.md")).expect("docs/SCENARIOS.md");
    let start = doc.find("// Extend the baseline").expect("the example");
    let example = &doc[start..start + doc[start..].find("```").expect("end of the example")];
    let dir = tempfile::tempdir().expect("temp dir");
    for f in ["baseline-2021.ron", "levers.ron"] {
        std::fs::copy(scenario(f), dir.path().join(f)).expect("copy");
    }
    let path = dir.path().join("example.ron");
    std::fs::write(&path, example).expect("write");
    let o = wedge(["validate", &arg(&path)]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn an_extend_symlink_loop_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let a = dir.path().join("a.ron");
    std::fs::write(&a, "(extend: \"link.ron\")").expect("write");
    std::os::unix::fs::symlink(&a, dir.path().join("link.ron")).expect("symlink");
    let o = wedge(["validate", &arg(&a)]);
    assert_fails(&o, 2, "loops");
    // A symlink that points at itself.
    let selfish = dir.path().join("self.ron");
    std::os::unix::fs::symlink(&selfish, &selfish).expect("symlink");
    let o = wedge(["validate", &arg(&selfish)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"));
}
