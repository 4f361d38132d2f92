//! The state variables that the step's costliest submodels read and write,
//! so that the look-ahead can reuse a submodel's result from the course step.
//!
//! Every option of a review is weighed by a step from the same state as the
//! turn's course step (`lookahead`), under flows that differ only in the
//! option's change. A submodel is a function of the variables it reads (and
//! of the coefficients, the step's length and, where it takes one, the
//! alignment's hostility factor), and moves only the variables it writes. So
//! when every variable it reads holds, in the option's step, the same bits as
//! in the course step, its writes hold the same bits as the course step's
//! after it: `dynamics` copies them instead of computing them again.
//!
//! The tables below are checked by the tests of this module: each submodel,
//! on many random states, is run again with every variable it does not read
//! moved, and must give the same bits for what it writes and leave every
//! other variable as it found it; and the step that reuses results must give
//! the same state as the full step, bit for bit, for every option.

use crate::channel::{CHANNEL_COUNT, Channel};
use crate::state::{PartnerState, WorldState};

/// Generates, from one table, a submodel's test of equal inputs, its copy of
/// outputs, and the dotted paths of both (for the tests).
macro_rules! stage_table {
    (
        $(#[doc = $doc:expr])*
        $Stage:ident {
            reads partners [$($pr:ident),* $(,)?],
            world [$($wr:ident),* $(,)?],
            rivalries [$($rr:ident),* $(,)?];
            writes partners [$($pw:ident),* $(,)?],
            world [$($ww:ident),* $(,)?];
        }
    ) => {
        $(#[doc = $doc])*
        pub(crate) struct $Stage;

        impl $Stage {
            /// Whether every variable the submodel reads holds the same bits in `a` and `b`.
            #[inline]
            pub(crate) fn same_inputs(a: &WorldState, b: &WorldState) -> bool {
                let mut diff = 0u64;
                $(
                    diff |= a.russia.$pr.to_bits() ^ b.russia.$pr.to_bits();
                    diff |= a.china.$pr.to_bits() ^ b.china.$pr.to_bits();
                )*
                $( diff |= a.$wr.to_bits() ^ b.$wr.to_bits(); )*
                $( diff |= a.rivalries.$rr.to_bits() ^ b.rivalries.$rr.to_bits(); )*
                diff == 0
            }

            /// Copy every variable the submodel writes from `from` into `to`.
            #[inline]
            pub(crate) fn copy_outputs(to: &mut WorldState, from: &WorldState) {
                $(
                    to.russia.$pw = from.russia.$pw;
                    to.china.$pw = from.china.$pw;
                )*
                $( to.$ww = from.$ww; )*
            }

            /// Dotted paths of the variables the submodel reads.
            #[cfg(test)]
            pub(crate) const READS: &[&str] = &[
                $( concat!("russia.", stringify!($pr)), concat!("china.", stringify!($pr)), )*
                $( stringify!($wr), )*
                $( concat!("rivalries.", stringify!($rr)), )*
            ];

            /// Dotted paths of the variables the submodel writes.
            #[cfg(test)]
            pub(crate) const WRITES: &[&str] = &[
                $( concat!("russia.", stringify!($pw)), concat!("china.", stringify!($pw)), )*
                $( stringify!($ww), )*
            ];
        }
    };
}

stage_table! {
    /// The economy (`dynamics::economy`): growth, technology, the defence
    /// industries and the junior partner's status decline.
    EconomyStage {
        reads partners [gdp, tech, growth, sanctions, defence_self_reliance, arms_from_partner],
        world [status_decline],
        rivalries [tech_theft];
        writes partners [gdp, tech, defence_self_reliance, arms_from_partner],
        world [status_decline];
    }
}

/// Generates, from one table, a per-partner piece of a submodel (one that
/// reads and writes only one partner's variables): its test of equal inputs,
/// its copy of outputs, and the names of both (for the tests).
macro_rules! partner_stage_table {
    (
        $(#[doc = $doc:expr])*
        $Stage:ident {
            reads [$($r:ident),* $(,)?];
            writes [$($w:ident),* $(,)?];
        }
    ) => {
        $(#[doc = $doc])*
        pub(crate) struct $Stage;

        impl $Stage {
            /// Whether every variable the piece reads holds the same bits in `a` and `b`.
            #[inline]
            pub(crate) fn same_inputs(a: &PartnerState, b: &PartnerState) -> bool {
                let mut diff = 0u64;
                $( diff |= a.$r.to_bits() ^ b.$r.to_bits(); )*
                diff == 0
            }

            /// Copy every variable the piece writes from `from` into `to`.
            #[inline]
            pub(crate) fn copy_outputs(to: &mut PartnerState, from: &PartnerState) {
                $( to.$w = from.$w; )*
            }

            /// Names of the partner's variables the piece reads.
            #[cfg(test)]
            pub(crate) const READS: &[&str] = &[$( stringify!($r), )*];

            /// Names of the partner's variables the piece writes.
            #[cfg(test)]
            pub(crate) const WRITES: &[&str] = &[$( stringify!($w), )*];
        }
    };
}

partner_stage_table! {
    /// Where one partner's fossil exports go (`dynamics::energy_flows`, one
    /// partner's part), given the hostility factor.
    EnergyFlowsStage {
        reads [
            energy_to_eu, energy_to_partner, energy_to_india, energy_to_rest,
            energy_pipeline_capacity, energy_seaborne_capacity, india_relations,
        ];
        writes [
            energy_to_eu, energy_to_partner, energy_to_india, energy_to_rest,
            energy_pipeline_capacity, energy_seaborne_capacity,
        ];
    }
}

partner_stage_table! {
    /// One partner's trade shares renormalised and pulled towards their
    /// structural levels (the first part of `dynamics::trade`), given the
    /// hostility factor; it also gives the share rerouted to the other partner.
    TradePullStage {
        reads [
            trade_with_partner, trade_with_eu, trade_with_us, trade_with_india, trade_with_rest,
            partner_capacity, sanctions, aggression, us_decoupling, india_relations,
        ];
        writes [trade_with_partner, trade_with_eu, trade_with_us, trade_with_india, trade_with_rest];
    }
}

/// The flow slots (as in `option_flows::flow_slot`) of the channels that
/// move any of `partner_channels` at the partners marked in `partners`, and
/// of `world_channels` (whose slots at either partner move the same world
/// variable), as a bit mask: bit `slot` set for each.
const fn flow_slots(
    partner_channels: &[Channel],
    world_channels: &[Channel],
    partners: [bool; 2],
) -> u64 {
    let mut mask = 0u64;
    let mut p = 0;
    while p < 2 {
        let mut i = 0;
        while i < partner_channels.len() {
            if partners[p] {
                mask |= 1 << (p * CHANNEL_COUNT + partner_channels[i].index());
            }
            i += 1;
        }
        let mut i = 0;
        while i < world_channels.len() {
            mask |= 1 << (p * CHANNEL_COUNT + world_channels[i].index());
            i += 1;
        }
        p += 1;
    }
    mask
}

// Every flow slot, the accommodation's included, fits a bit of a `u64`.
const _: () = assert!(2 * CHANNEL_COUNT + 2 <= 64);

/// The flow slots whose channels move a variable [`EconomyStage`] reads: an
/// option's step whose changed slots are none of these starts its economy
/// from the same bits as the course step (no other flow, and nothing the
/// step does before the economy, moves them).
pub(crate) const ECONOMY_FLOWS: u64 = flow_slots(
    &[
        Channel::Sanctions,
        Channel::TechnologySharing,
        Channel::ArmsSupply,
    ],
    &[Channel::TechTheft],
    [true, true],
);

/// The channels whose flows move a variable [`EnergyFlowsStage`] reads (at its partner).
const ENERGY_FLOWS_CHANNELS: [Channel; 2] = [Channel::EuEnergy, Channel::IndiaRelations];

/// The flow slots whose channels move a variable [`EnergyFlowsStage`]
/// reads, by partner index (the economy and the world's energy step before
/// it move none of them).
pub(crate) const ENERGY_FLOWS_FLOWS: [u64; 2] = [
    flow_slots(&ENERGY_FLOWS_CHANNELS, &[], [true, false]),
    flow_slots(&ENERGY_FLOWS_CHANNELS, &[], [false, true]),
];

/// The channels whose flows move a variable [`TradePullStage`] reads (at its partner).
const TRADE_PULL_CHANNELS: [Channel; 6] = [
    Channel::WestTrade,
    Channel::PartnerTrade,
    Channel::Sanctions,
    Channel::Aggression,
    Channel::UsDecoupling,
    Channel::IndiaRelations,
];

/// The flow slots whose channels move a variable [`TradePullStage`] reads,
/// by partner index (the economy and the energy step before it move none of them).
pub(crate) const TRADE_PULL_FLOWS: [u64; 2] = [
    flow_slots(&TRADE_PULL_CHANNELS, &[], [true, false]),
    flow_slots(&TRADE_PULL_CHANNELS, &[], [false, true]),
];

/// The flow slots whose channels move the alignment, from which the energy
/// and trade steps' hostility factor is computed (the economy does not move it).
pub(crate) const HOSTILITY_FLOWS: u64 = flow_slots(&[], &[Channel::Alignment], [true, true]);

#[cfg(test)]
mod tests {
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;
    use crate::actor::Partner;
    use crate::channel::ChannelFlows;
    use crate::dynamics::{
        EnergyRates, GapMemo, REUSED_ECONOMY, REUSED_ENERGY, REUSED_TRADE, StepTrace, apply_flows,
        economy, energy_flows_of, step, step_recording, step_reusing, trade_pull,
    };
    use crate::lookahead::Horizon;
    use crate::model::Model;
    use crate::option_flows::{flow_slot, flow_value};
    use crate::params::Params;
    use crate::state::{PartnerVar, StateVar};

    /// A random value for a variable: anywhere in its bounds, GDP within a
    /// factor of two of the reference's (the bounds span twelve orders of magnitude).
    fn draw(rng: &mut ChaCha8Rng, var: StateVar, reference: f64) -> f64 {
        let (min, max) = var.bounds();
        if var.path().ends_with(".gdp") {
            reference * (0.5 + 1.5 * rng.random::<f64>())
        } else {
            min + (max - min) * rng.random::<f64>()
        }
    }

    /// The reference model's initial state with about half of its variables drawn at random.
    fn random_state(rng: &mut ChaCha8Rng) -> WorldState {
        let mut state = Model::reference_2021().spec().initial;
        for var in StateVar::ALL {
            if rng.random::<f64>() < 0.5 {
                let reference = state.variable(var);
                *state.variable_mut(var) = draw(rng, var, reference);
            }
        }
        state
    }

    fn bits(state: &WorldState) -> Vec<u64> {
        StateVar::ALL
            .iter()
            .map(|&v| state.variable(v).to_bits())
            .collect()
    }

    fn differing(a: &WorldState, b: &WorldState) -> Vec<&'static str> {
        StateVar::ALL
            .iter()
            .filter(|&&v| a.variable(v).to_bits() != b.variable(v).to_bits())
            .map(|v| v.path())
            .collect()
    }

    #[test]
    fn every_name_in_the_tables_is_a_state_variable() {
        for path in EconomyStage::READS.iter().chain(EconomyStage::WRITES) {
            assert!(StateVar::parse(path).is_some(), "{path}");
        }
        for name in EnergyFlowsStage::READS
            .iter()
            .chain(EnergyFlowsStage::WRITES)
            .chain(TradePullStage::READS)
            .chain(TradePullStage::WRITES)
        {
            assert!(PartnerVar::ALL.iter().any(|v| v.field() == *name), "{name}");
        }
    }

    #[test]
    fn the_economy_reads_and_writes_only_its_table() {
        let params = Params::default();
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        for _ in 0..200 {
            let start = random_state(&mut rng);
            let mut moved = start;
            economy(&mut moved, &params, 0.25);
            // It writes nothing outside its table.
            for path in differing(&start, &moved) {
                assert!(EconomyStage::WRITES.contains(&path), "writes {path}");
            }
            // What it writes depends on nothing outside what it reads.
            for var in StateVar::ALL {
                if EconomyStage::READS.contains(&var.path()) {
                    continue;
                }
                let mut other = start;
                *other.variable_mut(var) = draw(&mut rng, var, start.variable(var));
                economy(&mut other, &params, 0.25);
                for path in EconomyStage::WRITES {
                    let Some(w) = StateVar::parse(path) else {
                        panic!("{path}");
                    };
                    assert_eq!(
                        moved.variable(w).to_bits(),
                        other.variable(w).to_bits(),
                        "{path} depends on {}",
                        var.path()
                    );
                }
            }
        }
    }

    /// Check a per-partner piece: `run` moves one partner (returning any
    /// number it gives besides); it must write only `writes`, and what it
    /// writes (and gives) must not depend on any variable outside `reads`.
    fn check_partner_piece(
        reads: &[&str],
        writes: &[&str],
        run: impl Fn(&mut PartnerState, f64) -> f64,
    ) {
        let mut rng = ChaCha8Rng::seed_from_u64(12);
        for _ in 0..400 {
            let state = random_state(&mut rng);
            let h = if rng.random::<f64>() < 0.5 {
                1.0
            } else {
                rng.random::<f64>()
            };
            for who in Partner::BOTH {
                let start = *state.partner(who);
                let mut moved = start;
                let given = run(&mut moved, h);
                for var in PartnerVar::ALL {
                    if start.get(var).to_bits() != moved.get(var).to_bits() {
                        assert!(writes.contains(&var.field()), "writes {}", var.field());
                    }
                }
                for var in PartnerVar::ALL {
                    if reads.contains(&var.field()) {
                        continue;
                    }
                    let mut other = start;
                    let path = StateVar::Partner(who, var);
                    *other.get_mut(var) = draw(&mut rng, path, start.get(var));
                    let other_given = run(&mut other, h);
                    assert_eq!(given.to_bits(), other_given.to_bits(), "{}", var.field());
                    for name in writes {
                        let Some(w) = PartnerVar::ALL.into_iter().find(|v| v.field() == *name)
                        else {
                            panic!("{name}");
                        };
                        assert_eq!(
                            moved.get(w).to_bits(),
                            other.get(w).to_bits(),
                            "{name} depends on {}",
                            var.field()
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_partners_energy_flows_read_and_write_only_their_table() {
        let params = Params::default();
        for dt in [0.25, 0.9] {
            let rates = EnergyRates::new(&params, dt);
            check_partner_piece(EnergyFlowsStage::READS, EnergyFlowsStage::WRITES, |p, h| {
                energy_flows_of(p, &params, &rates, h);
                0.0
            });
        }
    }

    #[test]
    fn a_partners_trade_pull_reads_and_writes_only_its_table() {
        let params = Params::default();
        for pull in [0.075, 0.27] {
            check_partner_piece(TradePullStage::READS, TradePullStage::WRITES, |p, h| {
                trade_pull(p, &params, h, pull)
            });
        }
    }

    #[test]
    fn every_flow_slot_that_moves_a_stages_input_is_in_its_mask() {
        // An option's step reuses a stage without comparing its inputs when
        // none of its changed slots is in the stage's mask: every slot whose
        // flow, applied alone, moves a variable the stage reads must be there.
        let params = Params::default();
        let mut rng = ChaCha8Rng::seed_from_u64(23);
        let mut checked = [0u32; 4];
        for slot in 0..2 * CHANNEL_COUNT + 2 {
            let bit = 1u64 << slot;
            for _ in 0..20 {
                let state = random_state(&mut rng);
                let mut unmoved = state;
                apply_flows(&mut unmoved, &ChannelFlows::default(), &params, 0.25);
                for value in [0.37, -0.37] {
                    let mut flows = ChannelFlows::default();
                    *flow_slot(&mut flows, slot) = value;
                    let mut moved = state;
                    apply_flows(&mut moved, &flows, &params, 0.25);
                    for var in StateVar::ALL {
                        if moved.variable(var).to_bits() == unmoved.variable(var).to_bits() {
                            continue;
                        }
                        let path = var.path();
                        if EconomyStage::READS.contains(&path) {
                            assert_ne!(ECONOMY_FLOWS & bit, 0, "slot {slot} moves {path}");
                            checked[0] += 1;
                        }
                        if path == "alignment" {
                            assert_ne!(HOSTILITY_FLOWS & bit, 0, "slot {slot} moves {path}");
                            checked[1] += 1;
                        }
                        for (i, prefix) in ["russia.", "china."].into_iter().enumerate() {
                            let Some(name) = path.strip_prefix(prefix) else {
                                continue;
                            };
                            if EnergyFlowsStage::READS.contains(&name) {
                                assert_ne!(
                                    ENERGY_FLOWS_FLOWS[i] & bit,
                                    0,
                                    "slot {slot} moves {path}"
                                );
                                checked[2] += 1;
                            }
                            if TradePullStage::READS.contains(&name) {
                                assert_ne!(
                                    TRADE_PULL_FLOWS[i] & bit,
                                    0,
                                    "slot {slot} moves {path}"
                                );
                                checked[3] += 1;
                            }
                        }
                    }
                }
            }
        }
        assert!(checked.iter().all(|&n| n > 0), "{checked:?}");
        // Nor does a stage before another move what the later one reads: the
        // economy moves nothing the energy flows or the trade pull read, and
        // the energy flows nothing the trade pull reads.
        for written in EconomyStage::WRITES {
            for name in EnergyFlowsStage::READS.iter().chain(TradePullStage::READS) {
                assert!(!written.ends_with(&format!(".{name}")), "{written}");
            }
        }
        for written in EnergyFlowsStage::WRITES {
            assert!(!TradePullStage::READS.contains(written), "{written}");
        }
    }

    /// The flows with decision `(a, d)` of the reference model at `choices[k]` for each.
    fn flows_of(model: &Model, choices: &[usize]) -> ChannelFlows {
        let mut flows = ChannelFlows::default();
        for (&(a, d), &o) in model.layout().iter().zip(choices) {
            model.spec().agents[a].decisions[d].options[o].add_to(&mut flows);
        }
        flows
    }

    /// Step `start` under `flows` changed at `change`, fully and by reusing
    /// `trace` (recorded from `start` under `flows`): the same bits. Returns
    /// which submodels were reused.
    fn compare(
        (start, flows, change): (&WorldState, &ChannelFlows, &[(usize, f64)]),
        params: &Params,
        span: f64,
        (memo, trace): (&mut GapMemo, &StepTrace),
    ) -> u8 {
        let mut changed = *flows;
        for &(slot, delta) in change {
            *flow_slot(&mut changed, slot) = flow_value(flows, slot) + delta;
        }
        let mut full = *start;
        step(&mut full, &changed, params, span);
        let mut reusing = *start;
        let reused = step_reusing(
            &mut reusing,
            start,
            (&changed, change),
            params,
            span,
            memo,
            trace,
        );
        assert_eq!(
            bits(&full),
            bits(&reusing),
            "change {change:?}: {:?}",
            differing(&full, &reusing)
        );
        reused
    }

    #[test]
    fn reusing_the_course_step_gives_the_full_step_bit_for_bit_for_every_option() {
        let model = Model::reference_2021();
        let params = model.spec().params;
        let dt = model.spec().turn_years;
        let span = Horizon::new(&params, dt).mean_years;
        let options = model.option_flows();
        let layout = model.layout();
        let mut rng = ChaCha8Rng::seed_from_u64(13);
        let mut reused = [0usize; 5];
        let mut computed = [0usize; 5];
        let flags = [
            REUSED_ECONOMY,
            REUSED_ENERGY,
            REUSED_ENERGY << 1,
            REUSED_TRADE,
            REUSED_TRADE << 1,
        ];
        for _ in 0..150 {
            let start = random_state(&mut rng);
            let choices: Vec<usize> = layout
                .iter()
                .map(|&(a, d)| {
                    let n = model.spec().agents[a].decisions[d].options.len();
                    rng.random_range(0..n)
                })
                .collect();
            let flows = flows_of(&model, &choices);
            for length in [span, dt] {
                let mut memo = GapMemo::default();
                let mut course = start;
                let mut trace = StepTrace::new(&start);
                step_recording(&mut course, &flows, &params, length, &mut memo, &mut trace);
                let mut full_course = start;
                step(&mut full_course, &flows, &params, length);
                assert_eq!(bits(&course), bits(&full_course));
                for (k, &(a, d)) in layout.iter().enumerate() {
                    let n = model.spec().agents[a].decisions[d].options.len();
                    for option in (0..n).filter(|&o| o != choices[k]) {
                        let change = options.change((a, d), option, choices[k]);
                        let got = compare(
                            (&start, &flows, change),
                            &params,
                            length,
                            (&mut memo, &trace),
                        );
                        for (i, flag) in flags.iter().enumerate() {
                            if got & flag != 0 {
                                reused[i] += 1;
                            } else {
                                computed[i] += 1;
                            }
                        }
                    }
                }
            }
        }
        // Each part is sometimes reused and sometimes computed. The reference's
        // options aim at Russia but for the US's China policy and China's
        // counter-offer and leave, so China's energy is computed again only when
        // the option moved the hostility factor (the alignment below its floor)
        // or China's own flows, and China's trade also when an option moves
        // China's sanctions or decoupling.
        for i in 0..5 {
            assert!(reused[i] > 0 && computed[i] > 0, "{reused:?} {computed:?}");
        }
        assert!(
            reused[2] > 3 * computed[2] && reused[4] > computed[4] * 3 / 2,
            "{reused:?} {computed:?}"
        );
    }

    #[test]
    fn reusing_the_course_step_gives_the_full_step_bit_for_bit_for_any_change_of_flows() {
        // Every slot of the flows (each channel at each partner, and the
        // accommodation), alone and with others, by random amounts.
        let params = Params::default();
        let mut rng = ChaCha8Rng::seed_from_u64(14);
        let slots = 2 * CHANNEL_COUNT + 2;
        let mut reused_any = 0u8;
        let mut computed_any = 0u8;
        for round in 0..60 {
            let start = random_state(&mut rng);
            let mut flows = ChannelFlows::default();
            for slot in 0..slots {
                if rng.random::<f64>() < 0.3 {
                    *flow_slot(&mut flows, slot) = rng.random::<f64>() * 0.4 - 0.2;
                }
            }
            let length = if round % 2 == 0 { 0.25 } else { 0.8 };
            let mut memo = GapMemo::default();
            let mut course = start;
            let mut trace = StepTrace::new(&start);
            step_recording(&mut course, &flows, &params, length, &mut memo, &mut trace);
            for slot in 0..slots {
                for others in 0..3 {
                    let mut change = vec![(slot, rng.random::<f64>() * 0.4 - 0.2)];
                    for _ in 0..others {
                        let other = rng.random_range(0..slots);
                        if change.iter().all(|&(s, _)| s != other) {
                            change.push((other, rng.random::<f64>() * 0.4 - 0.2));
                        }
                    }
                    change.sort_by_key(|&(s, _)| s);
                    let got = compare(
                        (&start, &flows, &change),
                        &params,
                        length,
                        (&mut memo, &trace),
                    );
                    reused_any |= got;
                    computed_any |= !got;
                }
            }
        }
        let all = REUSED_ECONOMY | (REUSED_ENERGY * 3) | (REUSED_TRADE * 3);
        assert_eq!(reused_any & all, all);
        assert_eq!(computed_any & all, all);
    }
}
