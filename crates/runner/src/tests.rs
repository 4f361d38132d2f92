//! Property tests of the runner: merging is exact, associative and
//! order-insensitive, and a batch stopped at any chunk and resumed equals the
//! uninterrupted batch; and the special float values that the bit-for-bit
//! checks of the fast rounding routines share.

use std::sync::atomic::AtomicBool;

use proptest::prelude::*;
use wedge_core::Model;

use crate::aggregate::Aggregate;
use crate::partial::{FORMAT, Partial, merge};
use crate::provenance::RunPlan;
use crate::waves::{Batch, Control, run_chunks};

const RUNS: u64 = 6 * crate::CHUNK_RUNS + 17;

/// The reference model cut to two years (8 turns), for tests that need runs
/// but not their length.
pub(crate) fn short_model() -> Model {
    let mut spec = wedge_core::spec_2021();
    spec.horizon_turns = 8;
    Model::new(spec).unwrap_or_else(|e| panic!("{e:?}"))
}

fn model() -> Model {
    let mut spec = wedge_core::spec_2021();
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
    let mut partial = Partial {
        format: FORMAT.to_string(),
        plan: RunPlan {
            version: "test".into(),
            scenario: model.spec().name.clone(),
            scenario_hash: "h".into(),
            seed,
            runs: RUNS,
        },
        shard: None,
        target_ci: None,
        first_chunk: first,
        next_chunk: end,
        end_chunk: end,
        aggregate: run(model, seed, first, end),
        spec: model.spec().clone(),
        checksum: String::new(),
    };
    partial.seal();
    partial
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
        // Absorbing while clearing gives the same bits and leaves the part empty.
        let mut cleared = parts[0].aggregate.clone();
        for p in &parts[1..] {
            let mut p = p.aggregate.clone();
            cleared.absorb_clearing(&mut p);
            prop_assert_eq!(&p, &Aggregate::new(&model));
        }
        prop_assert_eq!(&cleared, &whole);
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

mod integrity {
    //! Checksums, invariants and checked merging of partials read from disk.

    use super::*;
    use crate::partial::PartialError;

    fn whole(model: &Model) -> Partial {
        part(model, 3, 0, RUNS.div_ceil(crate::CHUNK_RUNS))
    }

    /// Edit a partial's JSON through `edit`, optionally resealing its checksum.
    fn edited(
        p: &Partial,
        reseal: bool,
        edit: impl Fn(&mut Partial),
    ) -> Result<Partial, PartialError> {
        let mut q = p.clone();
        edit(&mut q);
        if reseal {
            q.seal();
        }
        Partial::from_json(&serde_json::to_string(&q).unwrap_or_default())
    }

    #[test]
    fn a_sealed_partial_reads_back_and_an_edit_breaks_its_checksum() {
        let model = model();
        let p = whole(&model);
        assert_eq!(Partial::from_json(&p.to_json()), Ok(p.clone()));
        let err = edited(&p, false, |q| q.aggregate.events[0] += 1);
        assert_eq!(err, Err(PartialError::Checksum(0)));
        let err = edited(&p, false, |q| q.spec.turn_years = 0.5);
        assert_eq!(err, Err(PartialError::Checksum(0)));
    }

    #[test]
    fn counts_that_keep_the_totals_but_break_an_invariant_are_refused() {
        let model = model();
        let p = whole(&model);
        // Move a split to another turn but leave the turns at risk as they were.
        let moved = edited(&p, true, |q| {
            let t = q
                .aggregate
                .splits_by_turn
                .iter()
                .position(|n| *n > 0)
                .unwrap_or(0);
            q.aggregate.splits_by_turn[t] = q.aggregate.splits_by_turn[t].saturating_sub(1);
            let last = q.aggregate.splits_by_turn.len() - 1;
            q.aggregate.splits_by_turn[if t == last { 0 } else { last }] += 1;
        });
        assert!(
            matches!(moved, Err(PartialError::Corrupt(0, _))),
            "{moved:?}"
        );
        // A choice count moved to an option the decision does not have.
        let choice = edited(&p, true, |q| {
            let k = q.aggregate.choices.iter().position(|n| *n > 0).unwrap_or(0);
            q.aggregate.choices[k] -= 1;
            q.aggregate.choices[wedge_core::MAX_OPTIONS - 1] += 1;
        });
        assert!(
            matches!(choice, Err(PartialError::Corrupt(0, _))),
            "{choice:?}"
        );
        // A changed turn length changes the sketch shape the scenario implies.
        let turn = edited(&p, true, |q| q.spec.turn_years = 1.0);
        assert!(matches!(turn, Err(PartialError::Corrupt(0, _))), "{turn:?}");
    }

    #[test]
    fn empty_or_short_arrays_are_refused_without_panicking() {
        let model = model();
        let p = whole(&model);
        let shrink: [fn(&mut Partial); 4] = [
            |q| q.aggregate.sums.clear(),
            |q| q.aggregate.sketches.truncate(3),
            |q| q.aggregate.choices.clear(),
            |q| q.aggregate.splits_by_turn.clear(),
        ];
        for edit in shrink {
            let r = edited(&p, true, edit);
            assert!(matches!(r, Err(PartialError::Corrupt(0, _))), "{r:?}");
        }
    }

    #[test]
    fn merging_counts_that_would_wrap_is_an_error() {
        let model = model();
        let mut a = Aggregate::new(&model);
        let mut b = Aggregate::new(&model);
        a.events[0] = u64::MAX;
        b.events[0] = 1;
        assert!(a.try_absorb(&b).is_err());
    }

    #[test]
    fn an_old_format_is_named() {
        let model = model();
        let mut p = whole(&model);
        p.format = "wedge-partial-1".into();
        let text = serde_json::to_string(&p).unwrap_or_default();
        let err = Partial::from_json(&text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("wedge-partial-1") && err.contains("older wedge"),
            "{err}"
        );
    }
}

mod jobs {
    //! A checkpoint carries its whole job: run count, shard and target interval.

    use std::sync::atomic::Ordering;

    use super::*;
    use crate::CHUNK_RUNS;
    use crate::session::{Requested, RunSession, SessionError};

    fn interrupted(session: &mut RunSession<'_>, after_runs: u64) -> Partial {
        let stop = AtomicBool::new(false);
        let r = session.run(&stop, &mut |p| {
            if p.runs_done >= after_runs {
                stop.store(true, Ordering::Relaxed);
            }
        });
        assert!(r.is_err(), "the session should have been stopped");
        Partial::from_json(&session.partial().to_json()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_growing_run_covers_every_index_and_resumes() {
        let model = model();
        // 5,000 runs is not a whole number of chunks.
        let plan = RunPlan::new(&model.spec().name, "h", 5, 5_000);
        let mut whole = RunSession::new(&model, plan.clone(), Some(0.004));
        whole
            .run(&AtomicBool::new(false), &mut |_| {})
            .unwrap_or_else(|e| panic!("{e}"));
        let done = whole.partial();
        assert_eq!(done.aggregate.runs, done.plan.runs, "no run index skipped");
        // The manifest's run count reproduces the result as a plain run.
        let mut plain = RunSession::new(&model, done.plan.clone(), None);
        plain
            .run(&AtomicBool::new(false), &mut |_| {})
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(plain.partial().aggregate, done.aggregate);

        let mut first = RunSession::new(&model, plan, Some(0.004));
        let checkpoint = interrupted(&mut first, 6_000);
        assert_eq!(checkpoint.target_ci, Some(0.004));
        let mut resumed = RunSession::resume(&model, "h", checkpoint, Requested::default())
            .unwrap_or_else(|e| panic!("{e}"));
        resumed
            .run(&AtomicBool::new(false), &mut |_| {})
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(resumed.partial().aggregate, done.aggregate);
        assert_eq!(resumed.plan().runs, done.plan.runs);
    }

    #[test]
    fn a_shard_checkpoint_resumes_as_that_shard() {
        let model = model();
        let plan = RunPlan::new(&model.spec().name, "h", 7, 160 * CHUNK_RUNS);
        let mut full =
            RunSession::shard(&model, plan.clone(), 2, 4).unwrap_or_else(|e| panic!("{e}"));
        full.run(&AtomicBool::new(false), &mut |_| {})
            .unwrap_or_else(|e| panic!("{e}"));

        let mut first = RunSession::shard(&model, plan, 2, 4).unwrap_or_else(|e| panic!("{e}"));
        let checkpoint = interrupted(&mut first, 16 * CHUNK_RUNS);
        assert_eq!(checkpoint.shard, Some([2, 4]));
        let refused = RunSession::resume(
            &model,
            "h",
            checkpoint.clone(),
            Requested {
                shard: Some((3, 4)),
                ..Requested::default()
            },
        );
        let Err(SessionError::Disagrees {
            flag,
            checkpoint: theirs,
            ..
        }) = refused
        else {
            panic!("--shard 3/4 on shard 2's checkpoint must be refused");
        };
        assert_eq!(
            (flag.as_str(), theirs.as_str()),
            ("--shard 3/4", "shard 2/4")
        );
        let runs = RunSession::resume(
            &model,
            "h",
            checkpoint.clone(),
            Requested {
                runs: Some(4_000),
                ..Requested::default()
            },
        );
        assert!(matches!(
            runs,
            Err(SessionError::Disagrees { name: "--runs", .. })
        ));

        let mut resumed = RunSession::resume(&model, "h", checkpoint, Requested::default())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(resumed.shard_of(), Some([2, 4]));
        resumed
            .run(&AtomicBool::new(false), &mut |_| {})
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(resumed.sealed_partial(), full.sealed_partial());
        assert!(resumed.partial().is_complete());
    }
}

#[test]
fn bands_of_small_quantities_hold_their_mean() {
    // Russia's share of China's trade is small: the 5–95% band must hold its mean.
    let model = Model::reference_2021();
    let plan = RunPlan::new("reference", "h", 1, 2_000);
    let mut s = crate::session::RunSession::new(&model, plan, None);
    s.run(&AtomicBool::new(false), &mut |_| {})
        .unwrap_or_else(|e| panic!("{e}"));
    let result = s.result("test");
    let mut checked = 0;
    for t in &result.trajectories {
        for p in &t.points {
            assert!(
                p.p05 <= p.mean + 1e-9 && p.mean <= p.p95 + 1e-9,
                "{} year {}: {} [{}, {}]",
                t.variable,
                p.year,
                p.mean,
                p.p05,
                p.p95
            );
            checked += 1;
        }
    }
    assert!(checked >= 6);
}

#[test]
fn every_tracked_quantity_is_a_trajectory_named_in_the_output_doc() {
    let doc = include_str!("../../../docs/OUTPUT.md");
    let model = Model::reference_2021();
    let plan = RunPlan::new("reference", "h", 1, 50);
    let mut s = crate::session::RunSession::new(&model, plan, None);
    s.run(&AtomicBool::new(false), &mut |_| {})
        .unwrap_or_else(|e| panic!("{e}"));
    let result = s.result("test");
    let names: Vec<&str> = result
        .trajectories
        .iter()
        .map(|t| t.variable.as_str())
        .collect();
    let tracked: Vec<&str> = crate::aggregate::TRACKED.iter().map(|t| t.name).collect();
    assert_eq!(names, tracked);
    for (partner, other) in [("russia", "china"), ("china", "russia")] {
        for destination in [other, "eu", "us", "india", "rest"] {
            for kind in ["trade_with", "trade_value_with"] {
                let name = format!("{partner}_{kind}_{destination}");
                assert!(names.contains(&name.as_str()), "{name}");
            }
        }
    }
    for destination in ["eu", "china", "india", "rest"] {
        let name = format!("russia_energy_to_{destination}");
        assert!(names.contains(&name.as_str()), "{name}");
    }
    for name in names {
        assert!(
            doc.contains(&format!("`{name}`")),
            "{name} is not in docs/OUTPUT.md"
        );
    }
}

#[test]
fn a_fresh_session_covers_its_shard_and_a_whole_one_every_run() {
    use crate::session::{Requested, RunSession};
    let model = model();
    let plan = RunPlan::new("s", "h", 3, RUNS);
    let whole = RunSession::fresh(&model, plan.clone(), &Requested::default());
    assert_eq!(whole.map(|s| s.run_range()).ok(), Some(0..RUNS));
    let mut covered = Vec::new();
    for k in 1..=3 {
        let shard = Requested {
            shard: Some((k, 3)),
            ..Requested::default()
        };
        let session = RunSession::fresh(&model, plan.clone(), &shard);
        covered.push(session.map(|s| s.run_range()).unwrap_or(0..0));
    }
    assert_eq!(covered[0].start, 0);
    assert!(covered.windows(2).all(|w| w[0].end == w[1].start));
    assert_eq!(covered[2].end, RUNS);
    let bad = Requested {
        shard: Some((4, 3)),
        ..Requested::default()
    };
    assert!(RunSession::fresh(&model, plan, &bad).is_err());
}

#[test]
fn case_rules_come_from_at_most_one_cut() {
    use crate::discovery::CaseRule;
    assert_eq!(CaseRule::from_cuts(None, None), Some(CaseRule::IsOne));
    assert_eq!(
        CaseRule::from_cuts(Some(2.0), None),
        Some(CaseRule::Below(2.0))
    );
    assert_eq!(
        CaseRule::from_cuts(None, Some(0.5)),
        Some(CaseRule::Above(0.5))
    );
    assert_eq!(CaseRule::from_cuts(Some(1.0), Some(2.0)), None);
}

#[test]
fn a_sensitivity_design_counts_its_points() {
    // Baseline, two tornado ends per factor, k + 1 points per trajectory.
    assert_eq!(crate::sensitivity::design_points(3, 10), 1 + 6 + 40);
    assert_eq!(crate::sensitivity::design_points(0, 2), 3);
}

/// The special values every bit-for-bit check of a fast float routine starts
/// from: signed zeros, NaN, the infinities, the extremes and the smallest normal.
pub(crate) const EDGE_FLOATS: [f64; 8] = [
    0.0,
    -0.0,
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::MAX,
    f64::MIN,
    f64::MIN_POSITIVE,
];
