//! The checkpoint / partial-result reader used by `--resume` and `wedge merge`,
//! and the summarising code a merged part is handed to: forged parts (empty
//! or short `sums`, `histograms`, `choices`; counts that wrap) must be refused
//! or summarised, never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use wedge_core::Model;
use wedge_runner::partial::{Partial, merge};
use wedge_runner::summary::{Manifest, summarize};

fn summarise(part: &Partial) {
    let Ok(model) = Model::new(part.spec.clone()) else {
        return;
    };
    let manifest = Manifest {
        wedge_version: part.plan.version.clone(),
        scenario: part.plan.scenario.clone(),
        scenario_hash: part.plan.scenario_hash.clone(),
        seed: part.plan.seed,
        runs: part.aggregate.runs,
        threads: 1,
        wall_seconds: 0.0,
        runs_per_second: 0.0,
        command: "fuzz".into(),
    };
    let _ = summarize(&model, &part.aggregate, manifest);
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(part) = Partial::from_json(text)
    {
        summarise(&part);
        if let Ok(merged) = merge(&[part.clone()]) {
            summarise(&merged);
        }
        if let Ok(merged) = merge(&[part.clone(), part]) {
            summarise(&merged);
        }
    }
});
