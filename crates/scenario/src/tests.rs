//! Tests of loading: the shipped baseline is the engine's reference model,
//! every parameter is documented, and no text makes the loader panic.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use wedge_core::Model;

use crate::load::{Resolved, load};

fn scenarios() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios")
}

#[test]
fn the_shipped_baseline_is_the_reference_model() {
    let loaded = load(&scenarios().join("baseline-2021.ron")).map_err(|e| format!("{e:?}"));
    let loaded = loaded.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.model, Model::reference_2021());
}

#[test]
fn the_shipped_russia_backing_scenario_is_the_russia_backing_model() {
    let loaded = load(&scenarios().join("russia-backing-2021.ron")).map_err(|e| format!("{e:?}"));
    let loaded = loaded.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.model, Model::russia_backing_2021());
}

#[test]
fn the_shipped_sino_soviet_scenario_plays_the_era_agents() {
    let loaded = load(&scenarios().join("history-1950.ron")).map_err(|e| format!("{e:?}"));
    let loaded = loaded.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.model.spec().agents, wedge_core::agents_era());
}

#[test]
fn every_coefficient_and_variable_is_documented_in_model_md() {
    let doc = std::fs::read_to_string(scenarios().join("../docs/MODEL.md")).unwrap_or_default();
    let defaults = wedge_core::Params::default();
    for coefficient in wedge_core::Coefficient::all() {
        // The table row gives the default and the range the code uses.
        let (name, (min, max)) = (coefficient.name(), coefficient.range());
        let default = defaults.value(coefficient);
        let row = format!("| `{name}` | {default:?} | [{min:?}, {max:?}] |");
        assert!(
            doc.contains(&row),
            "docs/MODEL.md has no row `{row}`: is the parameter table out of date?"
        );
    }
    for (name, _, _) in wedge_core::STATE_VARIABLES {
        let field = name.rsplit('.').next().unwrap_or(name);
        assert!(
            doc.contains(field),
            "docs/MODEL.md does not mention `{field}`"
        );
    }
}

#[test]
fn an_extended_scenario_only_adds_what_differs() {
    let base = load(&scenarios().join("baseline-2021.ron")).map_err(|e| format!("{e:?}"));
    let lever = load(&scenarios().join("lever-arms-control.ron")).map_err(|e| format!("{e:?}"));
    let (base, lever) = (
        base.unwrap_or_else(|e| panic!("{e}")),
        lever.unwrap_or_else(|e| panic!("{e}")),
    );
    assert_eq!(base.model.spec().initial, lever.model.spec().initial);
    assert_eq!(lever.model.spec().levers.len(), 1);
    assert_ne!(base.hash, lever.hash);
}

#[test]
fn a_child_s_agent_replaces_only_its_actor_s_agent_in_its_place() {
    let dir = std::env::temp_dir().join(format!("wedge-agents-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    for f in ["baseline-2021.ron", "levers.ron"] {
        let _ = std::fs::copy(scenarios().join(f), dir.join(f));
    }
    let russia = r#"(actor: russia, objective: (russia_comfort: 1.0), decisions: [(name: "alignment", options: [(name: "hedge", effects: [])], mode: Adaptive(rationality: 7.0))])"#;
    let child = |agents: &str| {
        let path = dir.join("child.ron");
        let text = format!("(extend: \"baseline-2021.ron\", name: \"child\", agents: [{agents}])");
        let _ = std::fs::write(&path, text);
        load(&path)
    };
    let base = load(&scenarios().join("baseline-2021.ron")).map_err(|e| format!("{e:?}"));
    let base = base.unwrap_or_else(|e| panic!("{e}"));
    let one = child(russia).map_err(|e| format!("{e:?}"));
    let one = one.unwrap_or_else(|e| panic!("{e}"));
    let (before, after) = (&base.model.spec().agents, &one.model.spec().agents);
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(after) {
        assert_eq!(b.actor, a.actor, "every agent keeps its place");
        if a.actor == wedge_core::Actor::Russia {
            assert_eq!(a.decisions.len(), 1);
            assert_eq!(a.decisions[0].options.len(), 1);
        } else {
            assert_eq!(a, b, "the other agents are inherited unchanged");
        }
    }
    // An actor declared twice in the child is still an error.
    assert!(child(&format!("{russia}, {russia}")).is_err());
}

fn load_text(text: &str) -> bool {
    let dir = std::env::temp_dir().join(format!("wedge-prop-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    for f in ["baseline-2021.ron", "levers.ron"] {
        if !dir.join(f).exists() {
            let _ = std::fs::copy(scenarios().join(f), dir.join(f));
        }
    }
    let path = dir.join("case.ron");
    let _ = std::fs::write(&path, text);
    Resolved::read(&path)
        .and_then(|r| r.build(&[], &[]))
        .is_ok()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        let _ = load_text(&text);
    }

    #[test]
    fn mutated_scenarios_never_panic(cut in 0usize..2000, insert in "[(),:\"a-z0-9.\\-\\[\\]{} ]{0,12}") {
        let source = std::fs::read_to_string(scenarios().join("kupchan-package.ron")).unwrap_or_default();
        let at = source.char_indices().map(|(i, _)| i).nth(cut % source.chars().count().max(1)).unwrap_or(0);
        let mutated = format!("{}{}{}", &source[..at], insert, &source[at..]);
        let _ = load_text(&mutated);
    }

    #[test]
    fn in_range_overrides_run_without_nan(bias in -0.5f64..0.5, threat in 0.0f64..2.0, alignment in -1.0f64..1.0, seed in 0u64..1000) {
        let resolved = Resolved::read(&scenarios().join("baseline-2021.ron"));
        prop_assume!(resolved.is_ok());
        let overrides = [
            crate::Override { path: "params.willingness_bias".into(), value: bias },
            crate::Override { path: "params.threat_weight".into(), value: threat },
            crate::Override { path: "initial.alignment".into(), value: alignment },
        ];
        if let Ok(loaded) = resolved.and_then(|r| r.build(&[], &overrides)) {
            let s = wedge_core::simulate(&loaded.model, seed, 0, &mut wedge_core::NoObserver);
            prop_assert!(s.final_alignment.is_finite());
        }
    }
}

/// A fresh directory with the shipped baseline and lever library in it.
fn workspace(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wedge-load-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::create_dir_all(&dir);
    for f in ["baseline-2021.ron", "levers.ron"] {
        let _ = std::fs::copy(scenarios().join(f), dir.join(f));
    }
    dir
}

fn error_text(path: &Path) -> String {
    match Resolved::read(path).and_then(|r| r.build(&[], &[])) {
        Ok(_) => String::new(),
        Err(e) => {
            let mut text = format!("{e}");
            for error in &e.errors {
                text += &format!("\n{error} {error:?}");
                if let Some(help) = miette::Diagnostic::help(error) {
                    text += &format!(" help: {help}");
                }
            }
            text
        }
    }
}

#[test]
fn a_long_extend_chain_is_too_deep_not_a_cycle() {
    let dir = workspace("deep");
    let limit = crate::load::MAX_EXTEND_DEPTH;
    let write = |i: usize, target: &str| {
        let _ = std::fs::write(
            dir.join(format!("c{i}.ron")),
            format!("(extend: \"{target}\", name: \"c{i}\")"),
        );
    };
    // c0 extends the baseline; c(k) extends c(k-1).
    write(0, "baseline-2021.ron");
    for i in 1..=limit {
        write(i, &format!("c{}.ron", i - 1));
    }
    // limit - 1 links plus the baseline: exactly `limit` files load.
    assert_eq!(error_text(&dir.join(format!("c{}.ron", limit - 2))), "");
    let message = error_text(&dir.join(format!("c{limit}.ron")));
    assert!(message.contains("too deep"), "{message}");
    assert!(message.contains(&limit.to_string()), "{message}");
    assert!(!message.contains("loops back"), "{message}");
    // A real cycle is still a cycle.
    let _ = std::fs::write(dir.join("a.ron"), "(extend: \"b.ron\")");
    let _ = std::fs::write(dir.join("b.ron"), "(extend: \"a.ron\")");
    assert!(error_text(&dir.join("a.ron")).contains("loops back"));
}

#[test]
fn a_bom_or_invalid_utf8_is_named_with_line_and_column() {
    let dir = workspace("utf8");
    let bom = dir.join("bom.ron");
    let _ = std::fs::write(&bom, b"\xEF\xBB\xBF(extend: \"baseline-2021.ron\")");
    let message = error_text(&bom);
    assert!(message.contains("byte-order mark"), "{message}");
    assert!(message.contains("line 1, column 1"), "{message}");
    let latin1 = dir.join("latin1.ron");
    let _ = std::fs::write(
        &latin1,
        b"(\n  extend: \"baseline-2021.ron\",\n  name: \"\xE9\")",
    );
    let message = error_text(&latin1);
    assert!(message.contains("line 3, column 10"), "{message}");
    assert!(!message.contains("offset"), "{message}");
}

#[test]
fn non_regular_inputs_are_refused_as_scenario_extend_target_and_library() {
    let dir = workspace("devices");
    assert!(error_text(Path::new("/dev/zero")).contains("not a regular file"));
    let _ = std::fs::write(dir.join("ext.ron"), "(extend: \"/dev/zero\")");
    assert!(error_text(&dir.join("ext.ron")).contains("not a regular file"));
    let _ = std::fs::write(
        dir.join("lib.ron"),
        "(extend: \"baseline-2021.ron\", lever_library: \"/dev/zero\")",
    );
    assert!(error_text(&dir.join("lib.ron")).contains("not a regular file"));
}

#[test]
fn an_error_on_a_huge_line_prints_a_short_snippet() {
    let dir = workspace("huge");
    let nested = dir.join("nested.ron");
    let _ = std::fs::write(&nested, "[".repeat(1_000_000));
    let number = dir.join("number.ron");
    let _ = std::fs::write(
        &number,
        format!(
            "(extend: \"baseline-2021.ron\", start_year: {})",
            "9".repeat(5_000_000)
        ),
    );
    for path in [nested, number] {
        let Err(e) = Resolved::read(&path).and_then(|r| r.build(&[], &[])) else {
            panic!("{} loads", path.display())
        };
        let mut rendered = String::new();
        let handler = miette::GraphicalReportHandler::new();
        for error in &e.errors {
            let _ = handler.render_report(&mut rendered, error);
        }
        assert!(rendered.len() < 4_000, "{} bytes of error", rendered.len());
    }
}

#[test]
fn a_calendar_year_as_onset_says_years_after_start_year() {
    let dir = workspace("onset");
    let path = dir.join("onset.ron");
    let _ = std::fs::write(
        &path,
        "(extend: \"baseline-2021.ron\", levers: [(name: \"arms-control\", onset_years: 2024)])",
    );
    let message = error_text(&path);
    assert!(message.contains("years after start_year"), "{message}");
    assert!(message.contains("e.g. 3 for 2024.5"), "{message}");
    // With one-year turns 2024 years is within reach of the turn count: still refused.
    let _ = std::fs::write(
        &path,
        "(extend: \"baseline-2021.ron\", turn_years: 1.0, levers: [(name: \"arms-control\", onset_years: 2024)])",
    );
    assert!(error_text(&path).contains("calendar year"));
}

#[test]
fn a_bad_pin_option_is_reported_at_the_pin() {
    let dir = workspace("pin");
    let path = dir.join("pin.ron");
    let _ = std::fs::write(
        &path,
        "(\n  extend: \"baseline-2021.ron\",\n  name: \"p\",\n  pin: [(actor: russia, decision: \"posture\", mode: Pinned(\"escalat\"))],\n)",
    );
    let Err(e) = Resolved::read(&path).and_then(|r| r.build(&[], &[])) else {
        panic!("a pin to a missing option loads")
    };
    let located: Vec<(String, usize)> = e
        .errors
        .iter()
        .filter_map(|e| match e {
            crate::ScenarioError::Invalid { path, line, .. } => Some((path.clone(), *line)),
            _ => None,
        })
        .collect();
    assert_eq!(located, vec![(path.display().to_string(), 4)], "{e:?}");
    assert!(format!("{e:?}").contains("did you mean `escalate`"));
}

#[test]
fn setting_a_lever_that_is_not_in_force_does_not_list_nothing() {
    let base = Resolved::read(&scenarios().join("baseline-2021.ron"));
    let o = crate::Override {
        path: "levers.arms-control.intensity".into(),
        value: 0.5,
    };
    let message = match base.and_then(|r| r.build(&[], &[o])) {
        Ok(_) => String::new(),
        Err(e) => format!("{e:?}"),
    };
    assert!(message.contains("uses no levers"), "{message}");
    assert!(!message.contains("valid: "), "{message}");
}

#[test]
fn the_loader_lists_every_file_it_read() {
    let loaded = load(&scenarios().join("escalation-2021.ron")).map_err(|e| format!("{e:?}"));
    let loaded = loaded.unwrap_or_else(|e| panic!("{e}"));
    let canonical = |f: &str| std::fs::canonicalize(scenarios().join(f)).ok();
    let expected: Vec<PathBuf> = ["escalation-2021.ron", "baseline-2021.ron", "levers.ron"]
        .iter()
        .filter_map(|f| canonical(f))
        .collect();
    assert_eq!(loaded.inputs, expected);
}

fn priors_error(e: &crate::ScenarioErrors) -> String {
    e.errors
        .iter()
        .map(|error| format!("{error} {error:?}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_scenario_priors_block_extends_a_file_and_replaces_entries_by_path_along_the_chain() {
    use crate::priors::Priors;
    use wedge_core::Distribution;
    let dir = workspace("priors");
    std::fs::write(
        dir.join("base-priors.ron"),
        "(priors: [\n  (path: \"params.threat_weight\", distribution: Uniform(low: 0.4, high: 1.2), source: \"a\"),\n  (path: \"params.need_weight\", distribution: Uniform(low: 1.0, high: 2.0), source: \"b\"),\n])",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.join("mid.ron"),
        "(extend: \"baseline-2021.ron\", name: \"mid\", priors: (extend: \"base-priors.ron\", priors: [\n  (path: \"params.need_weight\", distribution: Uniform(low: 1.2, high: 1.4), source: \"mid\"),\n]))",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.join("child.ron"),
        "(extend: \"mid.ron\", name: \"baseline-2021\", priors: (priors: [\n  (path: \"params.threat_weight\", distribution: Uniform(low: 0.5, high: 0.6), source: \"child\"),\n  (path: \"params.tension_rate\", distribution: Uniform(low: 0.2, high: 0.6), source: \"new\"),\n]))",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let r = Resolved::read(&dir.join("child.ron")).unwrap_or_else(|e| panic!("{e:?}"));
    // The block does not change the model: the scenario builds as its base.
    let base = load(&dir.join("baseline-2021.ron")).unwrap_or_else(|e| panic!("{e:?}"));
    let built = r.build(&[], &[]).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(
        built.model == base.model,
        "the priors block changed the model"
    );
    let p = Priors::of_scenario(&r)
        .unwrap_or_else(|e| panic!("{e:?}"))
        .unwrap_or_else(|| panic!("no priors"));
    p.check(&r)
        .unwrap_or_else(|e| panic!("{}", priors_error(&e)));
    assert_eq!(
        p.paths(),
        [
            "params.threat_weight",
            "params.need_weight",
            "params.tension_rate"
        ]
    );
    let dist = |path: &str| p.get(path).map(|e| e.distribution.clone());
    assert_eq!(
        dist("params.threat_weight"),
        Some(Distribution::Uniform {
            low: 0.5,
            high: 0.6
        })
    );
    assert_eq!(
        dist("params.need_weight"),
        Some(Distribution::Uniform {
            low: 1.2,
            high: 1.4
        })
    );
    // A scenario without a block declares nothing.
    let plain = Resolved::read(&dir.join("baseline-2021.ron")).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(matches!(Priors::of_scenario(&plain), Ok(None)));
}

#[test]
fn a_bad_scenario_prior_is_reported_at_its_line_and_column() {
    use crate::priors::Priors;
    let dir = workspace("bad-priors");
    let cases = [
        (
            "params.threat_wieght\", distribution: Uniform(low: 0.1, high: 0.2)",
            "not a settable path",
        ),
        (
            "params.threat_weight\", distribution: Uniform(low: 0.9, high: 0.2)",
            "low ≤ high",
        ),
        (
            "params.threat_weight\", distribution: Uniform(low: -1.0, high: 0.2)",
            "inside the path's range",
        ),
        (
            "params.threat_weight\", distribution: Normal(mean: 0.5, sd: 0.0)",
            "sd > 0",
        ),
    ];
    for (entry, message) in cases {
        // The path also appears in `set` above the block: the error must point into the block.
        let text = format!(
            "(extend: \"baseline-2021.ron\",\n set: {{\"params.threat_weight\": 0.8}},\n priors: (priors: [\n  (path: \"params.need_weight\", distribution: Uniform(low: 1.0, high: 2.0), source: \"ok\"),\n  (path: \"{entry}, source: \"x\"),\n]))"
        );
        std::fs::write(dir.join("bad.ron"), text).unwrap_or_else(|e| panic!("{e}"));
        let r = Resolved::read(&dir.join("bad.ron")).unwrap_or_else(|e| panic!("{e:?}"));
        let p = Priors::of_scenario(&r)
            .unwrap_or_else(|e| panic!("{e:?}"))
            .unwrap_or_else(|| panic!("no priors"));
        let e = p
            .check(&r)
            .map(|_| ())
            .err()
            .unwrap_or_else(|| panic!("{entry} passed"));
        let shown = priors_error(&e);
        assert!(shown.contains(message), "{shown}");
        assert!(
            shown.contains("line: 5"),
            "not at the block's entry: {shown}"
        );
    }
    // One path declared twice in one block.
    std::fs::write(
        dir.join("twice.ron"),
        "(extend: \"baseline-2021.ron\", priors: (priors: [\n  (path: \"params.need_weight\", distribution: Uniform(low: 1.0, high: 2.0), source: \"a\"),\n  (path: \"params.need_weight\", distribution: Uniform(low: 1.0, high: 2.0), source: \"b\"),\n]))",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let r = Resolved::read(&dir.join("twice.ron")).unwrap_or_else(|e| panic!("{e:?}"));
    let e = Priors::of_scenario(&r)
        .err()
        .unwrap_or_else(|| panic!("accepted"));
    let shown = priors_error(&e);
    assert!(
        shown.contains("declared twice") && shown.contains("line: 3"),
        "{shown}"
    );
}
