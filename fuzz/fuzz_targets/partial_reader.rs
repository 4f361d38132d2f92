//! The checkpoint / partial-result reader used by `--resume` and `wedge merge`,
//! and the summarising code a merged part is handed to: forged parts (empty
//! or short `sums`, `sketches`, `choices`; counts that wrap) must be refused
//! or summarised, never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use wedge_core::Model;
use wedge_runner::{Manifest, Partial, merge, summarize};

fn summarise(part: &Partial) {
    let Ok(model) = Model::new(part.spec.clone()) else {
        return;
    };
    let manifest = Manifest::new(part.plan.clone(), 0.0, part.aggregate.runs, "fuzz");
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
