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

mod actor;
mod channel;
// `decision`, `dynamics` and `features` keep readable reference forms of what
// the turn runs fused (each submodel on its own, the plain logit choice, the
// weighted objective); only the unit tests call them.
#[cfg_attr(not(test), allow(dead_code))]
mod decision;
#[cfg_attr(not(test), allow(dead_code))]
mod dynamics;
mod events;
mod fastmath;
#[cfg_attr(not(test), allow(dead_code))]
mod features;
mod lever;
mod lookahead;
mod model;
mod option_flows;
mod outcome;
mod params;
mod policy;
mod reference;
mod rng;
mod run;
mod split;
mod stages;
mod state;
mod uncertainty;

#[cfg(test)]
mod doc_coverage;
#[cfg(test)]
mod tests;

pub use actor::{Actor, Partner};
pub use channel::{Channel, ChannelFlows, Effect};
pub use decision::MAX_OPTIONS;
pub use dynamics::{
    EnergyRates, energy_flows, isolation, less_willing, need, step, trade_hostility_factor,
    trade_targets, trade_values, us_isolation, willingness, willingness_terms,
};
pub use events::{EVENT_COUNT, EventHazards, EventKind, HazardFields};
pub use features::{
    FEATURE_NAMES, Objective, market_access, objective_from_weights, regime_security,
};
pub use lever::{Condition, Lever};
pub use lookahead::{Horizon, LookAhead};
pub use model::{DecisionSlot, MAX_HORIZON_TURNS, Model, ModelError, ModelSpec};
pub use outcome::{NoObserver, Observer, RunSummary, TurnRecord};
pub use params::{Coefficient, PARAMETERS, ParamId, Params};
pub use policy::{Agent, Decision, DecisionMode, Policy};
pub use reference::{
    LEAVE_ALIGNMENT, agents_2021, agents_era, agents_russia_backing_2021, hazards_2021,
    initial_2021, spec_2021, spec_russia_backing_2021, uncertainties_2021,
};
pub use rng::{Purpose, stream};
pub use run::{draw_uncertainties, simulate};
pub use split::{SplitRule, Triangle};
pub use state::{
    PartnerState, PartnerVar, Rivalries, RivalryVar, STATE_VARIABLES, StateVar, WorldState,
    WorldVar,
};
pub use uncertainty::{Distribution, Uncertainty};
