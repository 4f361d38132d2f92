//! No heap allocation inside the turn loop: a 40-turn run allocates exactly
//! as much as a 1-turn run (only the per-run setup allocates). Counted by a
//! counting global allocator (allocation-counter), in its own test binary.

use wedge_core::{Model, NoObserver, simulate};

fn allocations(model: &Model) -> u64 {
    allocation_counter::measure(|| {
        std::hint::black_box(simulate(model, 5, 3, &mut NoObserver));
    })
    .count_total
}

#[test]
fn the_turn_loop_does_not_allocate() {
    let long = Model::reference_2021();
    let mut spec = long.spec().clone();
    spec.horizon_turns = 1;
    spec.split.consecutive_turns = 1;
    let short = Model::new(spec).unwrap_or_else(|e| panic!("{e:?}"));
    let (a_short, a_long) = (allocations(&short), allocations(&long));
    // The counter is live: the per-run setup (decision streams, choice buffers) allocates.
    assert!(a_short > 0, "the allocation counter saw nothing");
    assert_eq!(
        a_long, a_short,
        "40 turns allocated {a_long} times, 1 turn {a_short} times"
    );
}
