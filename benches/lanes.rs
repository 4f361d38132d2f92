//! How far a submodel gains when several options are advanced in lock-step
//! (`cargo bench --bench lanes`).
//!
//! The options of a review share their starting state and differ only in their
//! flows, so their look-ahead steps could run as structure of arrays: each
//! state variable an array over the options, each formula one loop over the
//! lanes that the compiler can vectorise, each branch a select. This benchmark
//! measures that on the energy-flow submodel (`wedge_core::energy_flows`: the
//! estrangement factor's `exp`, a rescaling branch, four divisions, clamps),
//! for [`LANES`] starting states: one scalar call per state against one
//! lock-step pass over all of them. The lock-step pass computes every lane
//! bit for bit as the scalar call does (checked before timing), with the C
//! library's `exp` per lane, and once more with an `exp` written as a
//! polynomial so that it vectorises too (not bit for bit). docs/PERFORMANCE.md
//! reports the figures, in the portable build and with
//! `RUSTFLAGS="-C target-cpu=native"`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use wedge_core::{EnergyRates, Model, Params, PartnerState, WorldState, energy_flows};

/// Number of options advanced in lock-step.
const LANES: usize = 8;

/// One variable over the lanes.
type Lane = [f64; LANES];

/// The energy-flow variables of one partner, one array per variable.
#[derive(Clone, Copy, Default)]
struct EnergyLanes {
    to_eu: Lane,
    to_partner: Lane,
    to_india: Lane,
    to_rest: Lane,
    india_relations: Lane,
    pipeline_capacity: Lane,
    seaborne_capacity: Lane,
}

impl EnergyLanes {
    /// Lane `i` of the partner picked by `partner` in each of `states`.
    fn gather(states: &[WorldState], partner: fn(&WorldState) -> &PartnerState) -> EnergyLanes {
        let mut lanes = EnergyLanes::default();
        for (i, state) in states.iter().enumerate() {
            let p = partner(state);
            lanes.to_eu[i] = p.energy_to_eu;
            lanes.to_partner[i] = p.energy_to_partner;
            lanes.to_india[i] = p.energy_to_india;
            lanes.to_rest[i] = p.energy_to_rest;
            lanes.india_relations[i] = p.india_relations;
            lanes.pipeline_capacity[i] = p.energy_pipeline_capacity;
            lanes.seaborne_capacity[i] = p.energy_seaborne_capacity;
        }
        lanes
    }

    /// Whether lane `i` holds the bits of `p`'s energy-flow variables.
    fn holds(&self, i: usize, p: &PartnerState) -> bool {
        [
            (self.to_eu[i], p.energy_to_eu),
            (self.to_partner[i], p.energy_to_partner),
            (self.to_india[i], p.energy_to_india),
            (self.to_rest[i], p.energy_to_rest),
            (self.pipeline_capacity[i], p.energy_pipeline_capacity),
            (self.seaborne_capacity[i], p.energy_seaborne_capacity),
        ]
        .iter()
        .all(|(a, b)| a.to_bits() == b.to_bits())
    }
}

/// The estrangement factor of each lane's alignment, with `exp` per lane.
fn hostility(alignment: &Lane, params: &Params, exp: fn(f64) -> f64) -> Lane {
    alignment.map(|alignment| {
        let shortfall = params.trade_alignment_floor - alignment;
        let e = exp(-params.trade_hostility_weight * shortfall);
        if shortfall <= 0.0 { 1.0 } else { e }
    })
}

/// `wedge_core::energy_flows` of one partner over the lanes, branches as selects.
// One index over the variables' arrays is what the compiler vectorises.
#[allow(clippy::needless_range_loop)]
#[inline(always)]
fn energy_flows_lanes(p: &mut EnergyLanes, h: &Lane, params: &Params, rates: &EnergyRates) {
    for i in 0..LANES {
        let to_eu = p.to_eu[i].clamp(0.0, 1.0);
        let mut to_partner = p.to_partner[i].max(0.0);
        let mut to_india = p.to_india[i].max(0.0);
        let mut to_rest = p.to_rest[i].max(0.0);
        let others = to_partner + to_india + to_rest;
        let room = 1.0 - to_eu;
        let rescale = others > room && others > 0.0;
        let keep = room / others;
        to_partner = if rescale {
            to_partner * keep
        } else {
            to_partner
        };
        to_india = if rescale { to_india * keep } else { to_india };
        to_rest = if rescale { to_rest * keep } else { to_rest };
        to_partner -= rates.estrange * (1.0 - h[i]) * to_partner;
        let sold = to_eu + to_partner + to_india + to_rest;
        let unsold = (1.0 - sold).max(0.0);
        let pipeline = p.pipeline_capacity[i];
        let seaborne = p.seaborne_capacity[i];
        let pulls = [
            params.partner_reroute_weight * h[i] * pipeline,
            params.india_reroute_weight * (1.0 + p.india_relations[i]).max(0.0) * to_india,
            to_rest,
        ];
        let total = pulls[0] + pulls[1] + pulls[2];
        let some_pull = total > 1e-12;
        let wanted = pulls.map(|pull| {
            if some_pull {
                unsold * pull / total
            } else {
                0.0
            }
        });
        let pipe_room = (pipeline - to_partner).max(0.0);
        let sea_room = (seaborne - to_india - to_rest).max(0.0);
        let sea_wanted = wanted[1] + wanted[2];
        let sea_taken = sea_wanted.min(sea_room);
        let to_partner_gain = rates.reroute * wanted[0].min(pipe_room);
        let some_sea = sea_wanted > 1e-12;
        let to_india_gain = rates.reroute * sea_taken * wanted[1] / sea_wanted;
        let to_rest_gain = rates.reroute * sea_taken * wanted[2] / sea_wanted;
        let pipe_asked = to_partner + wanted[0];
        let sea_asked = to_india + to_rest + sea_wanted;
        p.to_eu[i] = to_eu;
        p.to_partner[i] = to_partner + to_partner_gain;
        p.to_india[i] = to_india + if some_sea { to_india_gain } else { 0.0 };
        p.to_rest[i] = to_rest + if some_sea { to_rest_gain } else { 0.0 };
        p.pipeline_capacity[i] = pipeline + rates.pipe_build * (pipe_asked - pipeline);
        p.seaborne_capacity[i] = seaborne + rates.sea_build * (sea_asked - seaborne);
    }
}

/// `exp` as 2^k · e^r with |r| ≤ ln 2 / 2 and a degree-11 Taylor polynomial of
/// e^r, written with plain SSE2 operations so that it vectorises in the portable
/// build (k rounded by adding and removing 1.5 · 2^52, 2^k put together from its
/// bits); relative error about 1e-15 on the arguments the estrangement factor
/// takes, which lie in [−50, 0].
#[inline(always)]
fn exp_polynomial(x: f64) -> f64 {
    const ROUND: f64 = 6_755_399_441_055_744.0;
    let x = x.clamp(-700.0, 700.0);
    let shifted = x * std::f64::consts::LOG2_E + ROUND;
    let k = shifted - ROUND;
    let r = x - k * std::f64::consts::LN_2;
    let mut e = INVERSE_FACTORIALS[11];
    for c in INVERSE_FACTORIALS[..11].iter().rev() {
        e = e * r + c;
    }
    // The low bits of `shifted` hold k as a two's-complement integer.
    let scale = f64::from_bits((shifted.to_bits().wrapping_add(1023)) << 52);
    e * scale
}

/// 1/n! for n = 0…11, the Taylor coefficients of e^r.
const INVERSE_FACTORIALS: [f64; 12] = [
    1.0,
    1.0,
    1.0 / 2.0,
    1.0 / 6.0,
    1.0 / 24.0,
    1.0 / 120.0,
    1.0 / 720.0,
    1.0 / 5_040.0,
    1.0 / 40_320.0,
    1.0 / 362_880.0,
    1.0 / 3_628_800.0,
    1.0 / 39_916_800.0,
];

/// Starting states for the lanes: the baseline's state at varied alignments
/// (some under the trade floor, so that the estrangement factor takes `exp`)
/// and with varied energy flows, as the options of a review would leave them.
fn starting_states(model: &Model) -> Vec<WorldState> {
    (0..LANES)
        .map(|i| {
            let mut state = model.spec().initial;
            let x = i as f64 / LANES as f64;
            state.alignment = 0.9 - 1.6 * x;
            state.russia.energy_to_eu = 0.55 - 0.3 * x;
            state.russia.energy_to_india = 0.02 + 0.1 * x;
            state.china.india_relations = -0.3 + 0.4 * x;
            state
        })
        .collect()
}

fn lanes(c: &mut Criterion) {
    let model = Model::reference_2021();
    let params = model.spec().params;
    let dt = model.spec().turn_years;
    let rates = EnergyRates::new(&params, dt);
    let starts = starting_states(&model);

    // The lock-step pass is the scalar submodel, bit for bit, over 50 steps.
    let mut scalar = starts.clone();
    let alignment: Lane = std::array::from_fn(|i| starts[i].alignment);
    let mut russia = EnergyLanes::gather(&starts, |s| &s.russia);
    let mut china = EnergyLanes::gather(&starts, |s| &s.china);
    for _ in 0..50 {
        for state in &mut scalar {
            energy_flows(state, &params, dt);
        }
        let h = hostility(&alignment, &params, f64::exp);
        energy_flows_lanes(&mut russia, &h, &params, &rates);
        energy_flows_lanes(&mut china, &h, &params, &rates);
    }
    for (i, state) in scalar.iter().enumerate() {
        assert!(russia.holds(i, &state.russia) && china.holds(i, &state.china));
    }
    let worst = (0..2000)
        .map(|i| -50.0 * f64::from(i) / 2000.0)
        .map(|x| ((exp_polynomial(x) - x.exp()) / x.exp()).abs())
        .fold(0.0, f64::max);
    assert!(worst < 1e-14, "polynomial exp off by {worst:e}");

    let mut group = c.benchmark_group("energy flows of 8 options");
    group.throughput(Throughput::Elements(LANES as u64));
    let mut states = starts.clone();
    group.bench_function("one scalar call per option", |b| {
        b.iter(|| {
            for state in &mut states {
                energy_flows(black_box(state), &params, dt);
            }
        })
    });
    let mut russia = EnergyLanes::gather(&starts, |s| &s.russia);
    let mut china = EnergyLanes::gather(&starts, |s| &s.china);
    group.bench_function("lock-step, libm exp per lane", |b| {
        b.iter(|| {
            let h = hostility(black_box(&alignment), &params, f64::exp);
            energy_flows_lanes(black_box(&mut russia), &h, &params, &rates);
            energy_flows_lanes(black_box(&mut china), &h, &params, &rates);
        })
    });
    group.bench_function("lock-step, polynomial exp", |b| {
        b.iter(|| {
            let h = hostility(black_box(&alignment), &params, exp_polynomial);
            energy_flows_lanes(black_box(&mut russia), &h, &params, &rates);
            energy_flows_lanes(black_box(&mut china), &h, &params, &rates);
        })
    });
    group.finish();
}

criterion_group!(benches, lanes);
criterion_main!(benches);
