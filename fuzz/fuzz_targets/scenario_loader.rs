//! Scenario text → validated model, end to end (extending the shipped baseline when asked).
#![no_main]
use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios/fuzz-case.ron");
        if let Ok(resolved) = wedge_scenario::Resolved::from_text(&path, text) {
            let _ = resolved.build(&[], &[]);
        }
    }
});
