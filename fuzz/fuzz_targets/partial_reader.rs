//! The checkpoint / partial-result reader used by `--resume` and `wedge merge`.
#![no_main]
use libfuzzer_sys::fuzz_target;
use wedge_runner::partial::{Partial, merge};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(part) = Partial::from_json(text)
    {
        let _ = merge(&[part.clone()]);
        let _ = merge(&[part.clone(), part]);
    }
});
