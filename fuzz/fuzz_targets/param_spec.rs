//! `--param PATH=SPEC` and `set` paths: parsing, then each value applied to the resolved baseline.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use wedge_scenario::Resolved;
use wedge_scenario::{apply_override, parse_sweep_param};

fn baseline() -> &'static Option<Resolved> {
    static BASE: OnceLock<Option<Resolved>> = OnceLock::new();
    BASE.get_or_init(|| {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios/baseline-2021.ron");
        Resolved::read(&path).ok()
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = text.parse::<wedge_scenario::Override>();
    if let Ok((path, values)) = parse_sweep_param(text)
        && let Some(base) = baseline()
    {
        let mut file = base.file.clone();
        for value in values.into_iter().take(3) {
            let _ = apply_override(&mut file, &path, value);
        }
    }
});
