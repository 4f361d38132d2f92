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
