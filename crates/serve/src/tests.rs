//! Unit tests of the server's checks: names, limits, request bodies.

use std::path::PathBuf;

use crate::ServeFlags;
use crate::catalog::Catalog;
use crate::error::ApiError;
use crate::limits::Limits;
use crate::request::{CompareRequest, LeverChoice, TraceRequest, arm_name, parse};

fn shipped() -> Catalog {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    Catalog::open(&dir).expect("the shipped scenarios folder opens")
}

#[test]
fn names_are_stems_inside_the_folder_only() {
    let catalog = shipped();
    assert!(catalog.resolve("baseline-2021").is_ok());
    for name in [
        "",
        "../scenarios/baseline-2021",
        "baseline-2021.ron",
        "a b",
        "levers/..",
        "/etc/passwd",
    ] {
        let err = catalog.resolve(name).expect_err(name);
        assert!(
            matches!(err, ApiError::UnknownScenario { .. }),
            "{name}: {err:?}"
        );
    }
    let listed: Vec<String> = catalog.list().into_iter().map(|s| s.name).collect();
    assert!(listed.contains(&"kupchan-package".to_string()));
    assert!(!listed.contains(&"levers".to_string()));
}

#[test]
fn the_work_budget_scales_with_the_horizon() {
    let limits = Limits::with_max_runs(1000);
    let model = wedge_core::Model::reference_2021();
    let turns = u64::from(model.horizon_turns());
    let two = [model.clone(), model];
    let most = limits.max_run_turns / (2 * turns);
    assert!(limits.check_work(most, &two).is_ok());
    let err = limits
        .check_work(most + 1, &two)
        .expect_err("over the budget");
    assert!(
        err.to_string().contains(&format!("at most {most} runs")),
        "{err}"
    );
}

#[test]
fn bodies_reject_unknown_fields_and_bad_values() {
    let err = parse::<CompareRequest>(br#"{"scenario": "x", "levers": [], "sede": 1}"#)
        .expect_err("unknown field");
    assert!(err.to_string().contains("unknown field `sede`"), "{err}");
    assert!(parse::<TraceRequest>(b"").is_err());
    assert!(parse::<TraceRequest>(br#"{"scenario": "x", "run": 1.5}"#).is_err());
    let ok: TraceRequest = parse(br#"{"scenario": "x"}"#).expect("defaults fill the rest");
    assert_eq!((ok.seed, ok.run, ok.levers.len()), (None, None, 0));

    let catalog = shipped();
    let limits = Limits::default();
    let ask = |levers: &str| {
        parse::<CompareRequest>(
            format!(r#"{{"scenario": "baseline-2021", "runs": 10, "levers": {levers}}}"#)
                .as_bytes(),
        )
        .expect("valid JSON")
        .plan(&catalog, &limits)
    };
    assert!(ask(r#"[{"name": "arms-control", "intensity": 2.5, "onset_years": 10}]"#).is_ok());
    for (levers, fragment) in [
        (
            r#"[{"name": "arms-control", "intensity": -0.1}]"#,
            "intensity",
        ),
        (
            r#"[{"name": "arms-control", "onset_years": 10.5}]"#,
            "onset_years",
        ),
        (
            r#"[{"name": "interest-dialogue", "condition": {"WhileAlignmentAbove": {"min": -2}}}]"#,
            "condition.min",
        ),
        (
            r#"[{"name": "arms-control"}, {"name": "arms-control"}]"#,
            "named twice",
        ),
    ] {
        let err = ask(levers).expect_err(levers);
        assert!(err.to_string().contains(fragment), "{levers}: {err}");
    }
}

#[test]
fn an_arm_is_named_as_the_command_line_names_a_lever() {
    let choice = |name: &str| LeverChoice {
        name: name.into(),
        intensity: None,
        onset_years: None,
        condition: None,
    };
    assert_eq!(arm_name(&[choice("arms-control")]), "+arms-control");
    assert_eq!(arm_name(&[choice("a"), choice("b")]), "+a+b");
}

#[test]
fn flags_become_a_checked_config_or_a_message_naming_the_flag() {
    let flags = ServeFlags {
        port: 0,
        bind: "::1".into(),
        scenarios: "scenarios".into(),
        max_runs: 500,
        max_jobs: 3,
    };
    let config = flags.config().unwrap_or_else(|e| panic!("{e}"));
    assert!(config.bind.ip().is_loopback());
    assert_eq!(config.scenarios, PathBuf::from("scenarios"));
    assert_eq!((config.limits.max_runs, config.limits.max_jobs), (500, 3));
    let refused = |bind: &str, max_runs: u64, max_jobs: usize| {
        let flags = ServeFlags {
            bind: bind.into(),
            max_runs,
            max_jobs,
            ..flags.clone()
        };
        flags.config().err().unwrap_or_default()
    };
    assert!(refused("localhost", 500, 3).starts_with("--bind"));
    assert!(refused("127.0.0.1", 0, 3).starts_with("--max-runs"));
    assert!(refused("127.0.0.1", 500, 65).starts_with("--max-jobs"));
}
