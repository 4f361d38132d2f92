//! Property tests of the runner: merging is exact, associative and
//! order-insensitive, and a batch stopped at any chunk and resumed equals the
//! uninterrupted batch.

use std::sync::atomic::AtomicBool;

use proptest::prelude::*;
use wedge_core::Model;

use crate::aggregate::Aggregate;
use crate::partial::{FORMAT, Partial, merge};
use crate::provenance::RunPlan;
use crate::waves::{Batch, Control, run_chunks};

const RUNS: u64 = 6 * crate::CHUNK_RUNS + 17;

fn model() -> Model {
    let mut spec = wedge_core::reference::spec_2021();
    spec.horizon_turns = 8;
    spec.split.threshold = 0.6;
    spec.split.consecutive_turns = 2;
    Model::new(spec).unwrap_or_else(|e| panic!("{e:?}"))
}

fn run(model: &Model, seed: u64, first: u64, end: u64) -> Aggregate {
    let mut agg = Aggregate::new(model);
    let never = AtomicBool::new(false);
    let mut on_wave = |_: &Aggregate, _: u64| {};
    let batch = Batch {
        seed,
        runs: RUNS,
        first_chunk: first,
        end_chunk: end,
    };
    let _ = run_chunks(
        model,
        &batch,
        &mut agg,
        Control {
            stop: &never,
            on_wave: &mut on_wave,
        },
    );
    agg
}

fn part(model: &Model, seed: u64, first: u64, end: u64) -> Partial {
    Partial {
        format: FORMAT.to_string(),
        plan: RunPlan {
            version: "test".into(),
            scenario: "s".into(),
            scenario_hash: "h".into(),
            seed,
            runs: RUNS,
        },
        first_chunk: first,
        next_chunk: end,
        end_chunk: end,
        aggregate: run(model, seed, first, end),
        spec: model.spec().clone(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn merge_is_exact_and_order_insensitive(seed in 0u64..1000, cuts in proptest::collection::btree_set(1u64..7, 0..4), rotate in 0usize..4) {
        let model = model();
        let chunks = RUNS.div_ceil(crate::CHUNK_RUNS);
        let whole = run(&model, seed, 0, chunks);
        let mut bounds: Vec<u64> = std::iter::once(0).chain(cuts.into_iter()).chain(std::iter::once(chunks)).collect();
        bounds.dedup();
        let mut parts: Vec<Partial> = bounds.windows(2).map(|w| part(&model, seed, w[0], w[1])).collect();
        let n = parts.len();
        parts.rotate_left(rotate % n);
        let merged = merge(&parts).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&merged.aggregate, &whole);
        // Associativity: folding the parts from the right gives the same bits as from the left.
        let mut from_right = parts[n - 1].aggregate.clone();
        for p in parts[..n - 1].iter().rev() {
            let mut acc = p.aggregate.clone();
            acc.absorb(&from_right);
            from_right = acc;
        }
        prop_assert_eq!(&from_right, &whole);
    }

    #[test]
    fn stopping_anywhere_and_resuming_equals_the_uninterrupted_batch(seed in 0u64..1000, stop_at in 0u64..7) {
        let model = model();
        let chunks = RUNS.div_ceil(crate::CHUNK_RUNS);
        let whole = run(&model, seed, 0, chunks);
        let mut resumed = run(&model, seed, 0, stop_at);
        resumed.absorb(&run(&model, seed, stop_at, chunks));
        prop_assert_eq!(resumed, whole);
    }
}
