//! The look-ahead behind every adaptive decision: an incremental, discounted
//! horizon estimate of each option's value.
//!
//! Once per review turn the engine computes the shared step: the deterministic
//! step under the turn's flows with every decision at its current choice.
//! Every channel's flow enters that step additively (the step adds
//! `flow × dt` to the channel's variable before anything else), so an option
//! differs from the shared step, to first order in the turn length, only by
//! the change in flows it brings. The look-ahead therefore never runs a step
//! per option. It
//!
//! 1. extrapolates the shared step over the agent's horizon: the path
//!    `x(t) = x + (t / dt)·(x' − x)` from the current state `x` through the
//!    shared step `x'`, taken at the horizon's discount-weighted mean time
//!    `t̄` ([`Horizon`]);
//! 2. for each option, adds the option's change in flows (its own effects
//!    less those of the current choice) held over `t̄`, through the step's
//!    own flow application ([`apply_flows`]), and clamps every variable;
//! 3. weighs the result with the agent's objective: the option's utility is
//!    `(V(x_o(t̄)) − V(x)) / t̄`, a change per year as in the one-step rule, so
//!    the rationality λ keeps its scale.
//!
//! With a horizon of one turn (`horizon_years` ≤ `turn_years`) `t̄ = dt` and
//! the estimate is the incremental one-step look-ahead: the shared step plus
//! the option's direct effect. docs/MODEL.md (Prediction) lists what the
//! estimate leaves out: the within-step knock-on effects of an option's flows
//! (second order in the turn length), the accommodation lesson of relief and
//! dialogue offered to an escalating partner, and the discount on withdrawn
//! dialogue.

use crate::channel::ChannelFlows;
use crate::dynamics::apply_flows;
use crate::features::{FEATURE_COUNT, weighted};
use crate::model::Model;
use crate::params::Params;
use crate::actor::Partner;
use crate::state::{PartnerVar, RivalryVar, WorldState, WorldVar};

/// How far ahead agents look: the discount-weighted mean time of a horizon.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Horizon {
    /// The discount-weighted mean time of the horizon's turns, in years (at least one turn).
    pub mean_years: f64,
    /// `mean_years` in turns.
    pub turns: f64,
}

impl Horizon {
    /// The horizon of `params.horizon_years` (rounded to whole turns, at least
    /// one) with yearly discount rate `params.discount_rate`: turn `k` of `K`
    /// is weighted `exp(−ρ·k·dt)`, and the mean time is
    /// `Σ wₖ·k·dt / Σ wₖ`.
    pub fn new(params: &Params, dt: f64) -> Horizon {
        let turns = (params.horizon_years / dt).round().clamp(1.0, 4096.0) as u32;
        if turns == 1 {
            return Horizon {
                mean_years: dt,
                turns: 1.0,
            };
        }
        let mut weight_sum = 0.0;
        let mut time_sum = 0.0;
        for k in 1..=turns {
            let t = f64::from(k) * dt;
            let w = (-params.discount_rate * t).exp();
            weight_sum += w;
            time_sum += w * t;
        }
        let mean_years = time_sum / weight_sum;
        Horizon {
            mean_years,
            turns: mean_years / dt,
        }
    }
}

/// The change in flows from each option of a decision to each other, for
/// every decision: built once per run, so that the look-ahead reads an
/// option's change instead of assembling it.
#[derive(Debug, Clone)]
pub struct OptionFlows {
    /// `changes[start + option·n + current]`: the flows of `option` less those of `current`.
    changes: Vec<ChannelFlows>,
    /// `(start, n)` by agent, then decision.
    slots: Vec<Vec<(usize, usize)>>,
}

impl OptionFlows {
    /// The option changes of a model.
    pub fn new(model: &Model) -> OptionFlows {
        let mut changes = Vec::new();
        let mut slots = Vec::new();
        for agent in &model.spec().agents {
            let mut row = Vec::new();
            for decision in &agent.decisions {
                let n = decision.options.len();
                row.push((changes.len(), n));
                for option in &decision.options {
                    for current in &decision.options {
                        let mut change = ChannelFlows::default();
                        for effect in &option.effects {
                            change.add(effect, 1.0);
                        }
                        for effect in &current.effects {
                            change.add(effect, -1.0);
                        }
                        changes.push(change);
                    }
                }
            }
            slots.push(row);
        }
        OptionFlows { changes, slots }
    }

    /// The flows of `option` less those of `current`, for decision `(agent, decision)`.
    fn change(&self, (agent, decision): (usize, usize), option: usize, current: usize) -> &ChannelFlows {
        let (start, n) = self.slots[agent][decision];
        &self.changes[start + option * n + current]
    }
}

/// What an agent sees when it weighs its options: the state, the coefficients
/// of its run, the flows of the turn as they stand (levers in force and every
/// decision at last turn's choice), and the shared step extrapolated over the
/// horizon.
pub struct LookAhead<'a> {
    model: &'a Model,
    options: &'a OptionFlows,
    state: &'a WorldState,
    params: &'a Params,
    horizon: Horizon,
    /// The shared path at the horizon's mean time, before clamping.
    reach: WorldState,
    /// `reach`, clamped: where the current choices lead.
    reach_clamped: WorldState,
}

impl<'a> LookAhead<'a> {
    /// The look-ahead from `state`, whose shared step (every decision at its
    /// current choice) is `current_ahead`.
    pub fn new(
        model: &'a Model,
        options: &'a OptionFlows,
        state: &'a WorldState,
        current_ahead: &WorldState,
        params: &'a Params,
        horizon: Horizon,
    ) -> LookAhead<'a> {
        let reach = if horizon.turns == 1.0 {
            *current_ahead
        } else {
            extrapolate(state, current_ahead, horizon.turns)
        };
        let mut reach_clamped = reach;
        reach_clamped.clamp_all();
        LookAhead {
            model,
            options,
            state,
            params,
            horizon,
            reach,
            reach_clamped,
        }
    }

    /// Look-ahead utility, per year, of each option of decision
    /// `(agent, decision)` whose current choice is `current`; written into `out`
    /// (one slot per option).
    pub fn utilities(&self, (agent, decision): (usize, usize), current: usize, out: &mut [f64]) {
        let weights = self.model.spec().agents[agent].objective.weights();
        let values = self.agent_values(&weights);
        self.utilities_given((agent, decision), current, &weights, values, out);
    }

    /// The agent's objective now and at the horizon under the current choices:
    /// the same for every decision of one agent, so computed once per agent and turn.
    pub fn agent_values(&self, weights: &[f64; FEATURE_COUNT]) -> (f64, f64) {
        (
            weighted(self.state, self.params, weights),
            weighted(&self.reach_clamped, self.params, weights),
        )
    }

    /// [`LookAhead::utilities`] given the agent's weights and [`LookAhead::agent_values`].
    pub fn utilities_given(
        &self,
        (agent, decision): (usize, usize),
        current: usize,
        weights: &[f64; FEATURE_COUNT],
        (now, current_value): (f64, f64),
        out: &mut [f64],
    ) {
        let span = self.horizon.mean_years;
        for (option, utility) in out.iter_mut().enumerate() {
            let next = if option == current {
                current_value
            } else {
                // The option's change in flows, held over the horizon's mean time.
                let change = self.options.change((agent, decision), option, current);
                let mut ahead = self.reach;
                apply_flows(&mut ahead, change, self.params, span);
                ahead.clamp_all();
                weighted(&ahead, self.params, weights)
            };
            *utility = (next - now) / span;
        }
    }
}

/// `from + turns·(to − from)`, variable by variable, unclamped.
fn extrapolate(from: &WorldState, to: &WorldState, turns: f64) -> WorldState {
    let mut out = *to;
    let line = |a: f64, b: f64| a + turns * (b - a);
    for who in Partner::BOTH {
        let (a, b) = (from.partner(who), to.partner(who));
        let o = out.partner_mut(who);
        for var in PartnerVar::ALL {
            *o.get_mut(var) = line(a.get(var), b.get(var));
        }
    }
    for var in RivalryVar::ALL {
        *out.rivalries.get_mut(var) = line(from.rivalries.get(var), to.rivalries.get(var));
    }
    for var in WorldVar::ALL {
        *out.get_mut(var) = line(from.get(var), to.get(var));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dynamics::step;
    use crate::state::StateVar;

    #[test]
    fn one_turn_horizon_is_the_shared_step_plus_the_direct_effect() {
        let model = Model::reference_2021();
        let spec = model.spec();
        let mut params = spec.params;
        params.horizon_years = spec.turn_years;
        let horizon = Horizon::new(&params, spec.turn_years);
        let options = OptionFlows::new(&model);
        assert_eq!(horizon.mean_years, spec.turn_years);
        let state = spec.initial;
        let mut ahead = state;
        step(&mut ahead, &ChannelFlows::default(), &params, spec.turn_years);
        let look = LookAhead::new(&model, &options, &state, &ahead, &params, horizon);
        assert_eq!(look.reach_clamped, ahead);
    }

    #[test]
    fn extrapolation_covers_every_variable() {
        let from = Model::reference_2021().spec().initial;
        let mut to = from;
        for var in StateVar::ALL {
            *to.variable_mut(var) += 0.01;
        }
        let out = extrapolate(&from, &to, 3.0);
        for var in StateVar::ALL {
            let expected = from.variable(var) + 3.0 * (to.variable(var) - from.variable(var));
            assert!((out.variable(var) - expected).abs() < 1e-12, "{}", var.path());
        }
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
        assert!((steep.turns - steep.mean_years / 0.25).abs() < 1e-12);
    }

    #[test]
    fn an_option_that_adds_sanctions_raises_sanctions_at_the_horizon() {
        // The option's direct effect is held over the horizon: a sanctions
        // option moves Russia's sanctions by its flow times the mean time.
        let model = Model::reference_2021();
        let spec = model.spec();
        let params = spec.params;
        let horizon = Horizon::new(&params, spec.turn_years);
        let options = OptionFlows::new(&model);
        let state = spec.initial;
        let mut ahead = state;
        step(&mut ahead, &ChannelFlows::default(), &params, spec.turn_years);
        let look = LookAhead::new(&model, &options, &state, &ahead, &params, horizon);
        let mut weights = [0.0; FEATURE_COUNT];
        let sanctions = crate::features::FEATURE_NAMES
            .iter()
            .position(|n| *n == "russia_sanctions");
        let Some(sanctions) = sanctions else {
            panic!("no russia_sanctions feature");
        };
        weights[sanctions] = 1.0;
        // Every pair of options whose sanctions on Russia differ: the
        // sanctions-weighted utilities differ by exactly the difference in flows
        // (no bound binds from the 2021 sanctions level within a year).
        let push = |option: &crate::policy::Policy| -> f64 {
            option
                .effects
                .iter()
                .filter(|e| {
                    e.channel == crate::channel::Channel::Sanctions
                        && e.target == crate::actor::Partner::Russia
                })
                .map(|e| e.per_year)
                .sum()
        };
        let mut checked = 0;
        for (a, agent) in spec.agents.iter().enumerate() {
            for (d, decision) in agent.decisions.iter().enumerate() {
                let mut out = vec![0.0; decision.options.len()];
                let values = look.agent_values(&weights);
                look.utilities_given((a, d), 0, &weights, values, &mut out);
                for (o, option) in decision.options.iter().enumerate() {
                    let expected = push(option) - push(&decision.options[0]);
                    assert!(
                        ((out[o] - out[0]) - expected).abs() < 1e-9,
                        "{out:?} vs {expected}"
                    );
                    if expected != 0.0 {
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 0, "no option moves sanctions on Russia");
    }
}
