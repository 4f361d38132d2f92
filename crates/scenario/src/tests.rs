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
fn every_coefficient_and_variable_is_documented_in_model_md() {
    let doc = std::fs::read_to_string(scenarios().join("../docs/MODEL.md")).unwrap_or_default();
    let defaults = wedge_core::Params::default();
    for (index, (name, min, max)) in wedge_core::params::PARAMETERS.iter().enumerate() {
        // The table row gives the default and the range the code uses.
        let default = defaults.value(index);
        let row = format!("| `{name}` | {default:?} | [{min:?}, {max:?}] |");
        assert!(
            doc.contains(&row),
            "docs/MODEL.md has no row `{row}`: is the parameter table out of date?"
        );
    }
    for (name, _, _) in wedge_core::state::STATE_VARIABLES {
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
