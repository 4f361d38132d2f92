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
use crate::dynamics::{step, willingness};
use crate::events::{EVENT_COUNT, EventKind};
use crate::features::FEATURE_COUNT;
use crate::lookahead::{Horizon, LookAhead, OptionFlows};
use crate::model::Model;
use crate::outcome::{Observer, RunSummary, TurnRecord};
use crate::params::{ParamId, Params};
use crate::policy::DecisionMode;
use crate::rng::{Purpose, stream};
use crate::split::Triangle;
use crate::state::WorldState;

/// Successions drawn in advance per partner (later ones reuse the last draw).
const SUCCESSIONS: usize = 4;

/// Play one run of the model.
pub fn simulate<O: Observer>(model: &Model, seed: u64, run: u64, observer: &mut O) -> RunSummary {
    let spec = model.spec();
    let (mut state, params) = draw_uncertainties(model, seed, run);
    let dt = spec.turn_years;
    let sqrt_dt = dt.sqrt();

    let mut event_rng = stream(seed, run, Purpose::Events);
    let mut noise_rng = stream(seed, run, Purpose::Noise);
    let successors = draw_successors(&mut stream(seed, run, Purpose::Successors));
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
    let option_flows = OptionFlows::new(model);
    let one_step = horizon.mean_years == dt;
    let mut shocked = false;
    let mut last_lever_flows = ChannelFlows::default();
    let mut streak = 0u32;
    let mut streak_willingness = [0.0f64; 2];
    let mut successions = [0usize; 2];

    for turn in 0..spec.horizon_turns {
        let mut lever_flows = ChannelFlows::default();
        for lever in &spec.levers {
            lever.add_flows(turn, &state, &mut lever_flows);
        }
        let mut all_flows = lever_flows;
        for (k, &(a, d)) in layout.iter().enumerate() {
            add_option(&mut all_flows, model, a, d, choices[k]);
        }
        let crisis = state.alignment < spec.split.threshold;
        let levers_moved = lever_flows != last_lever_flows;
        last_lever_flows = lever_flows;
        let review = turn % review_turns == 0 || shocked || crisis || levers_moved;
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
        let mut current_ahead = state;
        let shared = if review {
            one_step
        } else {
            next_choices == choices
        };
        if shared {
            step(&mut current_ahead, &all_flows, &params, dt);
        }
        let look = review.then(|| {
            LookAhead::new(
                model,
                &option_flows,
                &state,
                &current_ahead,
                &params,
                &all_flows,
                horizon,
            )
        });
        let mut values: Option<(usize, [f64; FEATURE_COUNT], (f64, f64))> = None;
        for (k, &(a, d)) in layout.iter().enumerate() {
            let Some(look) = &look else {
                break;
            };
            let agent = &spec.agents[a];
            let decision = &agent.decisions[d];
            let u: f64 = decision_rngs[a].random();
            next_choices[k] = match &decision.mode {
                DecisionMode::Adaptive { rationality } => {
                    let n = decision.options.len();
                    let (weights, agent_values) = match values {
                        Some((cached, weights, v)) if cached == a => (weights, v),
                        _ => {
                            let weights = agent.objective.weights();
                            let v = look.agent_values(&weights);
                            values = Some((a, weights, v));
                            (weights, v)
                        }
                    };
                    look.utilities_given(
                        (a, d),
                        choices[k],
                        &weights,
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
                step(&mut state, &all_flows, &params, dt);
            }
        } else {
            std::mem::swap(&mut choices, &mut next_choices);
            let mut flows = lever_flows;
            for (k, &(a, d)) in layout.iter().enumerate() {
                add_option(&mut flows, model, a, d, choices[k]);
            }
            step(&mut state, &flows, &params, dt);
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
                        let n = successions[who.index()];
                        let z = successors[who.index()][n.min(SUCCESSIONS - 1)];
                        successions[who.index()] += 1;
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

/// Add the flows of the option an agent chose in one of its decisions.
fn add_option(
    flows: &mut ChannelFlows,
    model: &Model,
    agent: usize,
    decision: usize,
    option: usize,
) {
    let policy = &model.spec().agents[agent].decisions[decision].options[option];
    for effect in &policy.effects {
        flows.add(effect, 1.0);
    }
}

fn draw_successors(rng: &mut ChaCha8Rng) -> [[(f64, f64); SUCCESSIONS]; 2] {
    let mut out = [[(0.0, 0.0); SUCCESSIONS]; 2];
    for partner in &mut out {
        for pair in partner.iter_mut() {
            let a: f64 = StandardNormal.sample(rng);
            let b: f64 = StandardNormal.sample(rng);
            *pair = (a, b);
        }
    }
    out
}

/// A new leader takes office: tenure restarts, rapport largely resets, and
/// the successor's orientation and confrontation brand are drawn around
/// values shifted by the elites' orientation (the essay's "younger cadre").
pub fn succeed(state: &mut WorldState, who: Partner, params: &Params, z: (f64, f64)) {
    state.rapport *= params.rapport_carryover;
    let p = state.partner_mut(who);
    let elites = p.elite_orientation;
    p.leader_tenure = 0.0;
    p.leader_orientation = (params.successor_orientation_base
        - params.successor_elite_weight * elites
        + params.successor_spread * z.0)
        .clamp(-1.0, 1.0);
    p.confrontation_brand = (params.successor_brand_base
        - params.successor_brand_elite_weight * elites
        + 0.5 * params.successor_spread * z.1)
        .clamp(0.0, 1.0);
}
