//! `extend` chains: two fuzzed files that may extend each other, the baseline, or nothing.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (first, second) = text.split_once('\u{1}').unwrap_or((text, "(extend: \"a.ron\")"));
    let dir = std::env::temp_dir().join(format!("wedge-fuzz-extend-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let scenarios = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
    for f in ["baseline-2021.ron", "levers.ron"] {
        if !dir.join(f).exists() {
            let _ = std::fs::copy(scenarios.join(f), dir.join(f));
        }
    }
    let _ = std::fs::write(dir.join("b.ron"), second);
    let root = dir.join("a.ron");
    if let Ok(resolved) = wedge_scenario::Resolved::from_text(&root, first) {
        let _ = resolved.build(&[], &[]);
    }
});
