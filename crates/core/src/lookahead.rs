//! The look-ahead behind every adaptive decision: each option's value over a
//! discounted horizon.
//!
//! An agent weighing option `o` of a decision asks: if I take `o` while every
//! other decision stays at last turn's choice and the levers act as they do
//! now, where does the deterministic step lead by the horizon's
//! discount-weighted mean time `t̄` ([`Horizon`])? It takes one step of length
//! `t̄` under those flows ([`crate::dynamics::step`], the engine's own step, with every
//! submodel and its knock-on effects: escalation raising tension, engagement
//! moving the alignment) and weighs the result with its objective. The
//! option's utility is `(V(x_o(t̄)) − V(x)) / t̄`, a change per year, so the
//! rationality λ keeps its scale.
//!
//! The flows of option `o` are the turn's flows plus the option's change
//! against the current choice ([`OptionFlows`], built once per run), the
//! accommodation (gross relief and dialogue) included, so relief withdrawn by
//! an option is withdrawn from the accommodation too.
//!
//! With a horizon of one turn (`horizon_years` ≤ `turn_years`) `t̄ = dt`: the
//! one-step look-ahead, whose current option is the shared step of the turn.

use crate::channel::ChannelFlows;
use crate::dynamics::{GapMemo, StepTrace, step_recording, step_remembering, step_reusing};
use crate::features::SparseObjective;
use crate::model::Model;
pub use crate::option_flows::OptionFlows;
use crate::option_flows::{flow_slot, flow_value};
use crate::params::Params;
use crate::state::WorldState;

/// How far ahead agents look: the discount-weighted mean time of a horizon.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Horizon {
    /// The discount-weighted mean time of the horizon's turns, in years (at least one turn).
    pub mean_years: f64,
}

impl Horizon {
    /// The horizon of `params.horizon_years` (rounded to whole turns, at least
    /// one) with yearly discount rate `params.discount_rate`: turn `k` of `K`
    /// is weighted `exp(−ρ·k·dt)`, and the mean time is
    /// `Σ wₖ·k·dt / Σ wₖ`.
    pub fn new(params: &Params, dt: f64) -> Horizon {
        let turns = (params.horizon_years / dt).round().clamp(1.0, 4096.0) as u32;
        if turns == 1 {
            return Horizon { mean_years: dt };
        }
        let mut weight_sum = 0.0;
        let mut time_sum = 0.0;
        for k in 1..=turns {
            let t = f64::from(k) * dt;
            let w = (-params.discount_rate * t).exp();
            weight_sum += w;
            time_sum += w * t;
        }
        Horizon {
            mean_years: time_sum / weight_sum,
        }
    }
}

/// What an agent sees when it weighs its options: the state, the coefficients
/// of its run, the flows of the turn as they stand (levers in force and every
/// decision at last turn's choice), and where they lead over the horizon.
pub struct LookAhead<'a> {
    model: &'a Model,
    options: &'a OptionFlows,
    state: &'a WorldState,
    params: &'a Params,
    flows: &'a ChannelFlows,
    /// A copy of `flows` into which an option's change is written for its step, then taken back.
    scratch: ChannelFlows,
    horizon: Horizon,
    /// The step of length `horizon.mean_years` under `flows`: where the current choices lead.
    course: WorldState,
    /// The power gaps of the steps from `state`, which all start from the same one.
    gaps: GapMemo,
    /// Where an option's step is taken.
    ahead: WorldState,
    /// The course step's intermediate states, whose submodels an option's step
    /// reuses where their inputs are unchanged.
    trace: Trace<'a>,
}

/// Where a look-ahead keeps its course step's intermediate states.
enum Trace<'a> {
    /// None: the course is the turn's shared step (a one-turn horizon), which records none.
    Unrecorded,
    /// In the look-ahead's own allocation.
    Owned(Box<StepTrace>),
    /// In the caller's buffer, kept from review to review.
    Borrowed(&'a StepTrace),
}

impl<'a> LookAhead<'a> {
    /// The look-ahead from `state` under the turn's `flows`. `current_ahead`
    /// is the turn's shared step (length `dt`), which is the course when the
    /// horizon is one turn.
    pub fn new(
        model: &'a Model,
        options: &'a OptionFlows,
        state: &'a WorldState,
        current_ahead: &WorldState,
        params: &'a Params,
        flows: &'a ChannelFlows,
        horizon: Horizon,
    ) -> LookAhead<'a> {
        let mut look = LookAhead::unrecorded(
            model,
            options,
            (state, current_ahead),
            params,
            flows,
            horizon,
        );
        if !look.one_turn() {
            let mut trace = Box::new(StepTrace::new(state));
            look.record(&mut trace);
            look.trace = Trace::Owned(trace);
        }
        look
    }

    /// [`LookAhead::new`], recording the course step into `buffer` (which a
    /// run keeps from review to review) instead of an allocation of its own.
    pub(crate) fn with_buffer(
        model: &'a Model,
        options: &'a OptionFlows,
        (state, current_ahead): (&'a WorldState, &WorldState),
        params: &'a Params,
        flows: &'a ChannelFlows,
        horizon: Horizon,
        buffer: &'a mut StepTrace,
    ) -> LookAhead<'a> {
        let mut look = LookAhead::unrecorded(
            model,
            options,
            (state, current_ahead),
            params,
            flows,
            horizon,
        );
        if !look.one_turn() {
            look.record(buffer);
            look.trace = Trace::Borrowed(buffer);
        }
        look
    }

    /// The look-ahead with the turn's shared step as its course and no trace.
    fn unrecorded(
        model: &'a Model,
        options: &'a OptionFlows,
        (state, current_ahead): (&'a WorldState, &WorldState),
        params: &'a Params,
        flows: &'a ChannelFlows,
        horizon: Horizon,
    ) -> LookAhead<'a> {
        LookAhead {
            model,
            options,
            state,
            params,
            flows,
            scratch: *flows,
            horizon,
            course: *current_ahead,
            gaps: GapMemo::default(),
            ahead: *state,
            trace: Trace::Unrecorded,
        }
    }

    /// Whether the horizon is one turn, so that the course is the turn's shared step.
    fn one_turn(&self) -> bool {
        self.horizon.mean_years == self.model.spec().turn_years
    }

    /// Take the course step of length `horizon.mean_years` under the turn's
    /// flows from `state`, recording it into `trace`.
    fn record(&mut self, trace: &mut StepTrace) {
        self.course = *self.state;
        step_recording(
            &mut self.course,
            self.flows,
            self.params,
            self.horizon.mean_years,
            &mut self.gaps,
            trace,
        );
    }

    /// Look-ahead utility, per year, of each option of decision
    /// `(agent, decision)` whose current choice is `current`; written into `out`
    /// (one slot per option).
    pub fn utilities(
        &mut self,
        (agent, decision): (usize, usize),
        current: usize,
        out: &mut [f64],
    ) {
        let objective = SparseObjective::new(&self.model.spec().agents[agent].objective.weights());
        let values = self.agent_values(&objective);
        self.utilities_given((agent, decision), current, &objective, values, out);
    }

    /// The agent's objective now and at the horizon under the current choices:
    /// the same for every decision of one agent, so computed once per agent and turn.
    pub fn agent_values(&self, objective: &SparseObjective) -> (f64, f64) {
        (
            objective.value(self.state, self.params),
            objective.value(&self.course, self.params),
        )
    }

    /// [`LookAhead::utilities`] given the agent's weights and [`LookAhead::agent_values`].
    pub fn utilities_given(
        &mut self,
        (agent, decision): (usize, usize),
        current: usize,
        objective: &SparseObjective,
        (now, current_value): (f64, f64),
        out: &mut [f64],
    ) {
        let span = self.horizon.mean_years;
        // The option's flows are the turn's plus its change: written into the
        // copy of the turn's flows entry by entry, and put back after its step.
        for (option, utility) in out.iter_mut().enumerate() {
            let next = if option == current {
                current_value
            } else {
                let change = self.options.change((agent, decision), option, current);
                for &(slot, delta) in change {
                    let base = flow_value(self.flows, slot);
                    *flow_slot(&mut self.scratch, slot) = base + delta;
                }
                let trace = match &self.trace {
                    Trace::Unrecorded => None,
                    Trace::Owned(trace) => Some(&**trace),
                    Trace::Borrowed(trace) => Some(*trace),
                };
                let ahead = &mut self.ahead;
                match trace {
                    Some(trace) => {
                        step_reusing(
                            ahead,
                            self.state,
                            (&self.scratch, change),
                            self.params,
                            span,
                            &mut self.gaps,
                            trace,
                        );
                    }
                    None => {
                        *ahead = *self.state;
                        step_remembering(ahead, &self.scratch, self.params, span, &mut self.gaps);
                    }
                }
                for &(slot, _) in change {
                    *flow_slot(&mut self.scratch, slot) = flow_value(self.flows, slot);
                }
                objective.value(ahead, self.params)
            };
            *utility = (next - now) / span;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actor::Partner;
    use crate::dynamics::step;
    use crate::features::weighted;

    /// The turn's flows with every decision at option 0, and the same with decision `slot` at `option`.
    fn flows_with(model: &Model, slot: (usize, usize), option: usize) -> ChannelFlows {
        let mut flows = ChannelFlows::default();
        for (a, agent) in model.spec().agents.iter().enumerate() {
            for (d, decision) in agent.decisions.iter().enumerate() {
                let chosen = if (a, d) == slot { option } else { 0 };
                decision.options[chosen].add_to(&mut flows);
            }
        }
        flows
    }

    fn utilities_by_full_steps(model: &Model, params: &Params, span: f64) -> Vec<Vec<f64>> {
        let spec = model.spec();
        let state = spec.initial;
        let mut out = Vec::new();
        for (a, agent) in spec.agents.iter().enumerate() {
            let weights = agent.objective.weights();
            let now = weighted(&state, params, &weights);
            for (d, decision) in agent.decisions.iter().enumerate() {
                let row = (0..decision.options.len())
                    .map(|o| {
                        let mut ahead = state;
                        step(&mut ahead, &flows_with(model, (a, d), o), params, span);
                        (weighted(&ahead, params, &weights) - now) / span
                    })
                    .collect();
                out.push(row);
            }
        }
        out
    }

    fn utilities_by_look_ahead(model: &Model, params: &Params) -> Vec<Vec<f64>> {
        let spec = model.spec();
        let state = spec.initial;
        let flows = flows_with(model, (usize::MAX, 0), 0);
        let mut shared = state;
        step(&mut shared, &flows, params, spec.turn_years);
        let options = OptionFlows::new(&model.spec().agents);
        let horizon = Horizon::new(params, spec.turn_years);
        let mut look = LookAhead::new(model, &options, &state, &shared, params, &flows, horizon);
        let mut out = Vec::new();
        for (a, agent) in spec.agents.iter().enumerate() {
            for (d, decision) in agent.decisions.iter().enumerate() {
                let mut row = vec![0.0; decision.options.len()];
                look.utilities((a, d), 0, &mut row);
                out.push(row);
            }
        }
        out
    }

    fn assert_close(a: &[Vec<f64>], b: &[Vec<f64>]) {
        for (x, y) in a.iter().flatten().zip(b.iter().flatten()) {
            assert!((x - y).abs() < 1e-9, "{a:?} vs {b:?}");
        }
    }

    #[test]
    fn every_option_is_valued_by_a_full_step_over_the_horizon_mean_time() {
        let model = Model::reference_2021();
        let mut params = model.spec().params;
        for years in [model.spec().turn_years, 1.0, 2.0] {
            params.horizon_years = years;
            let span = Horizon::new(&params, model.spec().turn_years).mean_years;
            assert_close(
                &utilities_by_look_ahead(&model, &params),
                &utilities_by_full_steps(&model, &params, span),
            );
        }
    }

    #[test]
    fn the_step_is_its_submodels_in_order_bit_for_bit() {
        // The step shares the power gap's tanh and the partners' needs between
        // submodels; each public submodel computes its own. They must agree to the
        // bit, so that a submodel that comes to move a need (or the gap) between
        // the resentment and the alignment shows up here.
        use crate::dynamics::{
            alignment, apply_flows, economy, energy, ideology, leaders, resentment, rivalries,
            tension, trade,
        };
        let model = Model::reference_2021();
        let params = model.spec().params;
        let dt = model.spec().turn_years;
        for slot in [(0, 0), (1, 0), (2, 0), (3, 0), (4, 0)] {
            let flows = flows_with(&model, slot, 1);
            let mut fused = model.spec().initial;
            let mut parts = fused;
            for _ in 0..8 {
                step(&mut fused, &flows, &params, dt);
                apply_flows(&mut parts, &flows, &params, dt);
                economy(&mut parts, &params, dt);
                energy(&mut parts, &params, dt);
                trade(&mut parts, &params, dt);
                tension(&mut parts, &params, dt);
                ideology(&mut parts, &params, dt);
                rivalries(&mut parts, &params, dt);
                resentment(&mut parts, &params, dt);
                leaders(&mut parts, &flows, &params, dt);
                alignment(&mut parts, &params, dt);
                parts.clamp_all();
                assert_eq!(format!("{fused:?}"), format!("{parts:?}"));
            }
        }
    }

    #[test]
    fn a_longer_horizon_changes_the_utilities() {
        let model = Model::reference_2021();
        let mut params = model.spec().params;
        params.horizon_years = model.spec().turn_years;
        let quarter = utilities_by_look_ahead(&model, &params);
        params.horizon_years = 2.0;
        let two_years = utilities_by_look_ahead(&model, &params);
        let moved = quarter
            .iter()
            .flatten()
            .zip(two_years.iter().flatten())
            .filter(|(a, b)| (*a - *b).abs() > 1e-6)
            .count();
        assert!(moved > 0, "{quarter:?}");
    }

    #[test]
    fn the_mean_time_lies_inside_the_horizon_and_falls_with_discounting() {
        let mut params = Model::reference_2021().spec().params;
        params.horizon_years = 2.0;
        params.discount_rate = 0.0;
        let flat = Horizon::new(&params, 0.25);
        // Undiscounted, the mean of 0.25, 0.5, …, 2.0 years.
        assert!((flat.mean_years - 1.125).abs() < 1e-12);
        params.discount_rate = 1.0;
        let steep = Horizon::new(&params, 0.25);
        assert!(steep.mean_years < flat.mean_years && steep.mean_years > 0.25);
        params.horizon_years = 0.1;
        assert_eq!(Horizon::new(&params, 0.25).mean_years, 0.25);
    }

    #[test]
    fn withdrawing_relief_or_dialogue_withdraws_its_accommodation() {
        // The US's "engage" offers dialogue; from engage back to hold the
        // change removes that accommodation, and from hold to engage adds it.
        let model = Model::reference_2021();
        let options = OptionFlows::new(&model.spec().agents);
        let us = &model.spec().agents[0].decisions[0];
        let engage = us.options.iter().position(|o| o.name == "engage");
        let Some(engage) = engage else {
            panic!("the reference model's US has no engage option");
        };
        let accommodation = |option, current| {
            let mut flows = ChannelFlows::default();
            for &(slot, change) in options.change((0, 0), option, current) {
                *flow_slot(&mut flows, slot) = change;
            }
            flows.accommodation(Partner::Russia)
        };
        let offered = accommodation(engage, 0);
        assert!(offered > 0.0);
        let withdrawn = accommodation(0, engage);
        assert_eq!(withdrawn, -offered);
    }
}
