//! One run: a pure function of (model, master seed, run index).
//!
//! Each turn, in this fixed order: (1) levers in force compute their flows;
//! (2) every decision is taken simultaneously, from last turn's choices
//! (see `decision`): on a review turn from freshly estimated look-ahead
//! utilities, otherwise from the last review's; (3) the deterministic step (`dynamics::step`);
//! (4) noise on alignment and the energy price; (5) events, in
//! [`EventKind::ALL`] order; (6) the split rule and the triangle; (7) the
//! observer sees the turn.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution as _, StandardNormal};

use crate::actor::Partner;
use crate::channel::ChannelFlows;
use crate::decision::{LogitWeights, MAX_OPTIONS};
use crate::dynamics::{GapMemo, StepTrace, alignment_target, step_remembering, willingness};
use crate::events::{EVENT_COUNT, EventKind};
use crate::features::SparseObjective;
use crate::lookahead::{Horizon, LookAhead};
use crate::model::Model;
use crate::outcome::{Observer, RunSummary, TurnRecord};
use crate::params::{ParamId, Params};
use crate::policy::DecisionMode;
use crate::rng::{Purpose, stream};
use crate::split::Triangle;
use crate::state::WorldState;

/// Play one run of the model.
pub fn simulate<O: Observer>(model: &Model, seed: u64, run: u64, observer: &mut O) -> RunSummary {
    let spec = model.spec();
    let (mut state, params) = draw_uncertainties(model, seed, run);
    let dt = spec.turn_years;
    let sqrt_dt = dt.sqrt();

    let mut event_rng = stream(seed, run, Purpose::Events);
    let mut noise_rng = stream(seed, run, Purpose::Noise);
    // Each partner's successors draw from the partner's own stream as they take office,
    // so every succession has fresh draws and a run without one draws nothing.
    let mut successor_rngs: [Option<ChaCha8Rng>; 2] = [None, None];
    let mut decision_rngs: Vec<ChaCha8Rng> = (0..spec.agents.len())
        .map(|a| stream(seed, run, Purpose::Decisions(a)))
        .collect();

    let layout = model.layout();
    let mut choices: Vec<usize> = layout
        .iter()
        .map(|&(a, d)| spec.agents[a].decisions[d].imposed_option(0).unwrap_or(0))
        .collect();
    let mut next_choices = choices.clone();
    let mut utilities = vec![[0.0; MAX_OPTIONS]; layout.len()];
    let mut logits = vec![LogitWeights::new(&[0.0], 0.0); layout.len()];
    // Hazards that do not depend on the state have the same probability every turn.
    let constant_probability: [Option<f64>; EVENT_COUNT] = EventKind::ALL
        .map(|kind| (!kind.depends_on_state()).then(|| spec.hazards.probability(kind, &state, dt)));

    let mut summary = RunSummary {
        split_turn: None,
        defector: None,
        russia_leader_change: None,
        china_leader_change: None,
        final_alignment: state.alignment,
    };
    // A review every `review_turns` turns, after any turn in which an event struck,
    // and every turn while the alignment is below the split threshold (a crisis).
    let review_turns = (params.review_years / dt)
        .round()
        .clamp(1.0, f64::from(u32::MAX)) as u32;
    let horizon = Horizon::new(&params, dt);
    let option_flows = model.option_flows();
    // Each agent's objective, as the features it weighs.
    let objectives: Vec<SparseObjective> = spec
        .agents
        .iter()
        .map(|agent| SparseObjective::new(&agent.objective.weights()))
        .collect();
    let one_step = horizon.mean_years == dt;
    let any_adaptive = model.any_adaptive();
    let mut shocked = false;
    let mut last_lever_flows = ChannelFlows::default();
    // The turn's flows (levers in force, every decision at its current choice),
    // kept from turn to turn and rebuilt only when the levers' flows or a choice change.
    let mut all_flows = flows_of(model, layout, &ChannelFlows::default(), &choices);
    let mut streak = 0u32;
    // The power gaps of the turn's own steps (the look-ahead keeps its own).
    let mut gaps = GapMemo::default();
    let mut streak_willingness = [0.0f64; 2];
    // Where each review's look-ahead records its course step, kept from review to review.
    let mut course_trace = StepTrace::new(&state);
    // The turn's shared step, when it is taken.
    let mut current_ahead = state;

    for turn in 0..spec.horizon_turns {
        let mut lever_flows = ChannelFlows::default();
        for lever in &spec.levers {
            lever.add_flows(turn, &state, &mut lever_flows);
        }
        let crisis = state.alignment < spec.split.threshold;
        // Without levers the flows stay zero from turn to turn: nothing to compare.
        let levers_moved = !spec.levers.is_empty() && lever_flows != last_lever_flows;
        last_lever_flows = lever_flows;
        if levers_moved {
            all_flows = flows_of(model, layout, &lever_flows, &choices);
        }
        // A run in which no decision is adaptive has nothing to review: its
        // decisions draw as between reviews (the same draws, the same choices).
        let review =
            any_adaptive && (turn % review_turns == 0 || shocked || crisis || levers_moved);
        if !review {
            // Between reviews each decision is drawn from the utilities of the last review.
            for (k, &(a, d)) in layout.iter().enumerate() {
                let decision = &spec.agents[a].decisions[d];
                let u: f64 = decision_rngs[a].random();
                next_choices[k] = match &decision.mode {
                    DecisionMode::Adaptive { .. } => logits[k].pick(u),
                    _ => decision.imposed_option(turn).unwrap_or(0),
                };
            }
        }
        // The shared step (every decision at its current choice) serves as the
        // one-step look-ahead's course on a review turn, and as the real step
        // when no choice changes; a longer horizon takes its own course.
        let shared = if review {
            one_step
        } else {
            next_choices == choices
        };
        if shared {
            current_ahead = state;
            step_remembering(&mut current_ahead, &all_flows, &params, dt, &mut gaps);
        }
        // A longer horizon's look-ahead takes its own course, not the shared step.
        let course_start = if shared { &current_ahead } else { &state };
        let mut look = review.then(|| {
            LookAhead::with_buffer(
                model,
                option_flows,
                (&state, course_start),
                &params,
                &all_flows,
                horizon,
                &mut course_trace,
            )
        });
        // The agent's objective now and on the course, computed once per agent and turn.
        let mut values: Option<(usize, (f64, f64))> = None;
        for (k, &(a, d)) in layout.iter().enumerate() {
            let Some(look) = &mut look else {
                break;
            };
            let agent = &spec.agents[a];
            let decision = &agent.decisions[d];
            let u: f64 = decision_rngs[a].random();
            next_choices[k] = match &decision.mode {
                DecisionMode::Adaptive { rationality } => {
                    let n = decision.options.len();
                    let objective = &objectives[a];
                    let agent_values = match values {
                        Some((cached, v)) if cached == a => v,
                        _ => {
                            let v = look.agent_values(objective);
                            values = Some((a, v));
                            v
                        }
                    };
                    look.utilities_given(
                        (a, d),
                        choices[k],
                        objective,
                        agent_values,
                        &mut utilities[k][..n],
                    );
                    logits[k] = LogitWeights::new(&utilities[k][..n], *rationality);
                    logits[k].pick(u)
                }
                _ => decision.imposed_option(turn).unwrap_or(0),
            };
        }
        if next_choices == choices {
            // Same choices, same flows: the real step is the shared step.
            if shared {
                state = current_ahead;
            } else {
                step_remembering(&mut state, &all_flows, &params, dt, &mut gaps);
            }
        } else {
            std::mem::swap(&mut choices, &mut next_choices);
            all_flows = flows_of(model, layout, &lever_flows, &choices);
            step_remembering(&mut state, &all_flows, &params, dt, &mut gaps);
        }

        let z_alignment: f64 = StandardNormal.sample(&mut noise_rng);
        let z_price: f64 = StandardNormal.sample(&mut noise_rng);
        state.alignment += params.alignment_noise * sqrt_dt * z_alignment;
        state.energy_price *= (params.price_volatility * sqrt_dt * z_price).exp();

        let mut struck = [false; EVENT_COUNT];
        for (i, kind) in EventKind::ALL.iter().enumerate() {
            let u: f64 = event_rng.random();
            let p = constant_probability[i]
                .unwrap_or_else(|| spec.hazards.probability(*kind, &state, dt));
            if u < p {
                struck[i] = true;
                match kind {
                    EventKind::RussiaLeadershipChange | EventKind::ChinaLeadershipChange => {
                        let who = if *kind == EventKind::RussiaLeadershipChange {
                            Partner::Russia
                        } else {
                            Partner::China
                        };
                        let rng = successor_rngs[who.index()]
                            .get_or_insert_with(|| stream(seed, run, Purpose::Successors(who)));
                        let z = draw_successor(rng);
                        succeed(&mut state, who, &params, z);
                        let first = match who {
                            Partner::Russia => &mut summary.russia_leader_change,
                            Partner::China => &mut summary.china_leader_change,
                        };
                        first.get_or_insert(turn);
                    }
                    _ => spec.hazards.apply(*kind, &mut state, u / p),
                }
            }
        }
        state.clamp_all();
        shocked = struck.iter().any(|&s| s);

        let w = [
            willingness(&state, Partner::Russia, &params),
            willingness(&state, Partner::China, &params),
        ];
        let mut split_now = false;
        if state.alignment < spec.split.threshold {
            streak += 1;
            streak_willingness[0] += w[0];
            streak_willingness[1] += w[1];
            if streak >= spec.split.consecutive_turns && summary.split_turn.is_none() {
                summary.split_turn = Some(turn);
                summary.defector = Some(if streak_willingness[0] <= streak_willingness[1] {
                    Partner::Russia
                } else {
                    Partner::China
                });
                split_now = true;
            }
        } else {
            streak = 0;
            streak_willingness = [0.0; 2];
        }

        observer.turn(&TurnRecord {
            turn,
            state: &state,
            choices: &choices,
            utilities: &utilities,
            events: &struck,
            willingness: w,
            triangle: Triangle::classify(&state, &spec.split),
            split_now,
        });
    }
    summary.final_alignment = state.alignment;
    summary
}

/// The initial state and coefficients of a run, after its uncertainties are drawn.
pub fn draw_uncertainties(model: &Model, seed: u64, run: u64) -> (WorldState, Params) {
    let spec = model.spec();
    let mut state = spec.initial;
    let mut params = spec.params;
    for u in &spec.uncertainties {
        let value = u
            .distribution
            .sample(&mut stream(seed, run, Purpose::Uncertainty(&u.name)));
        let (min, max) = u.target.range();
        let value = value.clamp(min, max);
        match u.target {
            ParamId::Coefficient(i) => *params.value_mut(i) = value,
            ParamId::Initial(v) => *state.variable_mut(v) = value,
        }
    }
    (state, params)
}

/// The flows of a turn: the levers' flows, then the effects of each decision's
/// choice, in decision order.
fn flows_of(
    model: &Model,
    layout: &[(usize, usize)],
    lever_flows: &ChannelFlows,
    choices: &[usize],
) -> ChannelFlows {
    let mut flows = *lever_flows;
    for (&(agent, decision), &option) in layout.iter().zip(choices) {
        model.spec().agents[agent].decisions[decision].options[option].add_to(&mut flows);
    }
    flows
}

/// Three standard normal draws per succession: the successor's personal
/// deviation from the inherited course, their brand's deviation, and the
/// turbulence of the transition.
pub type SuccessorDraws = (f64, f64, f64);

/// The next successor's three normals, from the partner's successor stream.
fn draw_successor(rng: &mut ChaCha8Rng) -> SuccessorDraws {
    let a: f64 = StandardNormal.sample(rng);
    let b: f64 = StandardNormal.sample(rng);
    let c: f64 = StandardNormal.sample(rng);
    (a, b, c)
}

/// A new leader takes office (docs/MODEL.md, Leaders): tenure restarts, a
/// share `rapport_carryover` of the rapport survives, and the successor's
/// orientation is the inherited course (a share `successor_inheritance` of the
/// predecessor's, the rest the course the elites favour, shifted by their
/// orientation, the essay's "younger cadre") plus a personal deviation; the
/// confrontation brand is drawn around a value the elites shift, and turns the
/// orientation over years (`dynamics::leaders`). The new leader re-sets the
/// partnership's course on taking office (a share `successor_reset` of the
/// change the succession makes to the alignment target is realized at once),
/// and the transition jolts the alignment by `successor_turbulence` times the
/// third draw; the jolt relaxes at `alignment_rate`.
pub fn succeed(state: &mut WorldState, who: Partner, params: &Params, z: SuccessorDraws) {
    let target_before = alignment_target(state, params);
    state.rapport *= params.rapport_carryover;
    let p = state.partner_mut(who);
    let elites = p.elite_orientation;
    let elites_course = params.successor_orientation_base - params.successor_elite_weight * elites;
    let course = params.successor_inheritance * p.leader_orientation
        + (1.0 - params.successor_inheritance) * elites_course;
    p.leader_tenure = 0.0;
    p.leader_orientation = (course + params.successor_spread * z.0).clamp(-1.0, 1.0);
    p.confrontation_brand = (params.successor_brand_base
        - params.successor_brand_elite_weight * elites
        + 0.5 * params.successor_spread * z.1)
        .clamp(0.0, 1.0);
    let target_after = alignment_target(state, params);
    state.alignment +=
        params.successor_reset * (target_after - target_before) + params.successor_turbulence * z.2;
}
