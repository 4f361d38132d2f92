//! The wedge engine: one play of a scenario as a pure function of
//! (model, master seed, run index).
//!
//! The engine models the China–Russia partnership as Charles Kupchan's essay
//! "The Right Way to Split China and Russia" (Foreign Affairs, 2021) describes
//! it: two partners whose alignment is held together by a shared adversary,
//! ideology, need and the personal rapport of their leaders, and pulled apart
//! by the junior partner's resentment of asymmetry, latent rivalries and the
//! outside options the West and India can offer. Five state agents (United
//! States, China, Russia, India, European Union) choose policies every turn;
//! levers imposed by a scenario act through the same channels.
//!
//! The crate does no I/O, prints nothing and owns no threads: the caller
//! supplies a validated [`Model`] and receives a [`RunSummary`], observing
//! each turn through an [`Observer`] if it wants more.
//!
//! # Example
//! ```
//! use wedge_core::{Model, NoObserver, simulate};
//! let model = Model::reference_2021();
//! let summary = simulate(&model, 42, 0, &mut NoObserver);
//! assert!(summary.split_turn.is_none_or(|t| t < model.horizon_turns()));
//! ```
#![deny(missing_docs)]

pub mod actor;
pub mod channel;
pub mod decision;
pub mod dynamics;
pub mod events;
pub mod fastmath;
pub mod features;
pub mod lever;
pub mod lookahead;
pub mod model;
pub mod option_flows;
pub mod outcome;
pub mod params;
pub mod policy;
pub mod reference;
pub mod rng;
pub mod run;
pub mod split;
mod stages;
pub mod state;
pub mod uncertainty;

#[cfg(test)]
mod doc_coverage;
#[cfg(test)]
mod tests;

pub use actor::{Actor, Partner};
pub use channel::{Channel, Effect};
pub use events::{EventHazards, EventKind, HazardFields};
pub use features::Objective;
pub use lever::{Condition, Lever};
pub use model::{DecisionSlot, Model, ModelError, ModelSpec};
pub use outcome::{NoObserver, Observer, RunSummary, TurnRecord};
pub use params::{ParamId, Params};
pub use policy::{Agent, Decision, DecisionMode, Policy};
pub use run::simulate;
pub use split::{SplitRule, Triangle};
pub use state::{PartnerState, PartnerVar, Rivalries, RivalryVar, StateVar, WorldState, WorldVar};
pub use uncertainty::{Distribution, Uncertainty};
