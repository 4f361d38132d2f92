//! Unit tests of the engine: each mechanism moves the state the way the essay
//! argues (holding the rest fixed), runs stay in bounds, and pinned values
//! catch accidental changes to the random stream or the equations.

use crate::actor::Partner;
use crate::channel::{Channel, ChannelFlows, Effect};
use crate::dynamics::apply_flows;
use crate::dynamics::*;
use crate::model::Model;
use crate::outcome::{NoObserver, Observer, TurnRecord};
use crate::params::Params;
use crate::reference::initial_2021;
use crate::run::{simulate, succeed};
use crate::state::{StateVar, WorldState};

fn base() -> (WorldState, Params) {
    (initial_2021(), Params::default())
}

/// A row added to the channel table compiles whether or not `apply_flows`
/// maps it to a variable; this catches a channel that moves nothing. A unit
/// flow on each channel, aimed at each partner, must move some state variable
/// and must leave the other partner's own variables alone.
#[test]
fn every_channel_moves_the_state_for_every_target() {
    let (state, p) = base();
    for channel in Channel::ALL {
        for target in Partner::BOTH {
            let mut moved = state;
            apply_flows(&mut moved, &one_flow(channel, 1.0, target), &p, 0.25);
            let changed: Vec<StateVar> = StateVar::ALL
                .into_iter()
                .filter(|&v| moved.variable(v) != state.variable(v))
                .collect();
            assert!(
                !changed.is_empty(),
                "a unit flow on `{}` aimed at {target:?} moves no state variable",
                channel.name()
            );
            let other = target.other();
            assert!(
                changed
                    .iter()
                    .all(|v| !matches!(v, StateVar::Partner(q, _) if *q == other)),
                "a flow on `{}` aimed at {target:?} moved {other:?}'s variables: {changed:?}",
                channel.name()
            );
        }
    }
}

/// The flows of one effect at full intensity.
fn one_flow(channel: Channel, per_year: f64, target: Partner) -> ChannelFlows {
    let mut flows = ChannelFlows::default();
    flows.add(
        &Effect {
            channel,
            per_year,
            target,
        },
        1.0,
    );
    flows
}

fn w(state: &WorldState, who: Partner, params: &Params) -> f64 {
    willingness(state, who, params)
}

#[test]
fn asymmetry_rankles_the_junior_partner_only() {
    let (s, p) = base();
    assert!(asymmetry(&s, Partner::Russia) > 2.0, "China is ~10x Russia");
    assert_eq!(asymmetry(&s, Partner::China), 0.0);
    let mut wider = s;
    wider.china.gdp *= 2.0;
    assert!(
        resentment_target(&wider, Partner::Russia, &p) > resentment_target(&s, Partner::Russia, &p)
    );
}

#[test]
fn seniority_follows_the_state_not_the_code() {
    let (mut s, p) = base();
    // 1950: the Soviet Union (in the russia slot) is the senior partner.
    s.russia.gdp = 0.51;
    s.russia.tech = 0.5;
    s.china.gdp = 0.245;
    s.china.tech = 0.1;
    assert_eq!(asymmetry(&s, Partner::Russia), 0.0);
    assert!(asymmetry(&s, Partner::China) > 1.0);
    assert!(resentment_target(&s, Partner::China, &p) > resentment_target(&s, Partner::Russia, &p));
}

#[test]
fn sanctions_deepen_dependence_and_hold_russia_closer() {
    let (s, p) = base();
    let mut sanctioned = s;
    sanctioned.russia.sanctions = 0.9;
    assert!(need(&sanctioned.russia, &p) > need(&s.russia, &p));
    assert!(w(&sanctioned, Partner::Russia, &p) > w(&s, Partner::Russia, &p));
}

#[test]
fn ideological_framing_pushes_them_together() {
    let (s, p) = base();
    let flows = one_flow(Channel::IdeologicalFraming, 0.2, Partner::Russia);
    let mut framed = s;
    apply_flows(&mut framed, &flows, &p, 1.0);
    assert!(framed.ideological_solidarity > s.ideological_solidarity);
    assert!(alignment_target(&framed, &p) > alignment_target(&s, &p));
}

#[test]
fn outside_options_pull_russia_away() {
    let (s, p) = base();
    let mut engaged = s;
    engaged.russia.west_engagement = 0.6;
    assert!(w(&engaged, Partner::Russia, &p) < w(&s, Partner::Russia, &p));
}

#[test]
fn dialogue_with_an_aggressor_is_pocketed() {
    let (s, p) = base();
    let flows = one_flow(Channel::Dialogue, 0.2, Partner::Russia);
    let mut calm = s;
    calm.russia.aggression = 0.0;
    let mut aggressive = s;
    aggressive.russia.aggression = 1.0;
    let (before_calm, before_aggr) = (
        calm.russia.west_engagement,
        aggressive.russia.west_engagement,
    );
    apply_flows(&mut calm, &flows, &p, 1.0);
    apply_flows(&mut aggressive, &flows, &p, 1.0);
    assert!(
        calm.russia.west_engagement - before_calm > aggressive.russia.west_engagement - before_aggr
    );
}

fn relief_and_dialogue(amount: f64) -> ChannelFlows {
    let mut flows = ChannelFlows::default();
    for (channel, per_year) in [(Channel::Sanctions, -amount), (Channel::Dialogue, amount)] {
        let effect = Effect {
            channel,
            per_year,
            target: Partner::Russia,
        };
        flows.add(&effect, 1.0);
    }
    flows
}

#[test]
fn accommodation_is_counted_gross_of_pressure() {
    let mut flows = relief_and_dialogue(0.05);
    let tighten = Effect {
        channel: Channel::Sanctions,
        per_year: 0.1,
        target: Partner::Russia,
    };
    flows.add(&tighten, 1.0);
    assert!(flows.get(Partner::Russia, Channel::Sanctions) > 0.0);
    assert!((flows.accommodation(Partner::Russia) - 0.1).abs() < 1e-12);
    assert_eq!(flows.accommodation(Partner::China), 0.0);
}

#[test]
fn firms_withhold_trade_from_a_partner_that_escalates() {
    let (s, p) = base();
    let mut frozen = s;
    frozen.russia.aggression = p.escalation_threshold;
    let mut at_war = s;
    at_war.russia.aggression = 1.0;
    assert_eq!(isolation(&frozen.russia, &p), frozen.russia.sanctions);
    assert!(isolation(&at_war.russia, &p) > isolation(&frozen.russia, &p));
    // The same relief lowers need much less for a partner at war.
    let relief_effect = |state: &WorldState| {
        let mut relieved = *state;
        relieved.russia.sanctions = 0.0;
        need(&state.russia, &p) - need(&relieved.russia, &p)
    };
    assert!(relief_effect(&at_war) < 0.5 * relief_effect(&frozen));
}

#[test]
fn accommodating_an_escalating_partner_teaches_that_aggression_pays() {
    let (s, p) = base();
    let flows = relief_and_dialogue(0.1);
    let mut frozen = s;
    frozen.russia.aggression = p.escalation_threshold;
    let mut at_war = s;
    at_war.russia.aggression = 0.9;
    let (mut frozen_after, mut at_war_after) = (frozen, at_war);
    leaders(&mut frozen_after, &flows, &p, 1.0);
    leaders(&mut at_war_after, &flows, &p, 1.0);
    assert_eq!(
        frozen_after.russia.elite_orientation,
        frozen.russia.elite_orientation
    );
    assert!(at_war_after.russia.elite_orientation < at_war.russia.elite_orientation);
    assert!(at_war_after.russia.confrontation_brand > at_war.russia.confrontation_brand);
}

#[test]
fn a_committed_partnership_discounts_third_parties() {
    let (s, p) = base();
    let mut committed = s;
    committed.alignment = 0.9;
    let mut estranged = s;
    estranged.alignment = -0.2;
    assert!(receptiveness(&committed, &p) < receptiveness(&estranged, &p));
    assert_eq!(receptiveness(&estranged, &p), 1.0);
    // The same offer of dialogue raises the West's engagement less in a committed partnership.
    let flows = relief_and_dialogue(0.2);
    let (mut c, mut e) = (committed, estranged);
    apply_flows(&mut c, &flows, &p, 1.0);
    apply_flows(&mut e, &flows, &p, 1.0);
    let uptake = |after: &WorldState, before: &WorldState| {
        after.russia.west_engagement - before.russia.west_engagement
    };
    assert!(uptake(&c, &committed) < uptake(&e, &estranged));
    // And outside options weigh less against its willingness.
    let pull = |state: &WorldState| {
        let terms = willingness_terms(state, Partner::Russia, &p);
        terms
            .iter()
            .find(|(name, _)| *name == "outside options")
            .map_or(0.0, |(_, v)| *v)
    };
    assert!(pull(&committed).abs() < pull(&estranged).abs());
}

#[test]
fn the_junior_partner_resents_a_widening_gap() {
    let (s, p) = base();
    let mut widening = s;
    widening.china.growth = 0.08;
    widening.russia.growth = 0.0;
    let mut steady = s;
    steady.china.growth = 0.0;
    steady.russia.growth = 0.0;
    for _ in 0..20 {
        economy(&mut widening, &p, 0.25);
        economy(&mut steady, &p, 0.25);
    }
    assert!(widening.status_decline > 0.1, "{}", widening.status_decline);
    assert!(steady.status_decline < widening.status_decline);
    // Only the junior partner's resentment rises with it.
    let mut declined = s;
    declined.status_decline = 0.3;
    assert!(
        resentment_target(&declined, Partner::Russia, &p)
            > resentment_target(&s, Partner::Russia, &p)
    );
    assert_eq!(
        resentment_target(&declined, Partner::China, &p),
        resentment_target(&s, Partner::China, &p)
    );
}

#[test]
fn a_new_leader_re_sets_the_course_at_once() {
    // With some rapport lost, the alignment target falls, and the alignment
    // moves by `successor_reset` times that fall at once.
    let (s, mut p) = base();
    p.rapport_carryover = 0.3;
    let mut after = s;
    succeed(&mut after, Partner::Russia, &p, (0.0, 0.0, 0.0));
    assert!(after.rapport < s.rapport);
    assert_eq!(after.russia.leader_tenure, 0.0);
    // The target as the successor found it (before the alignment moved).
    let mut found = after;
    found.alignment = s.alignment;
    let fall = alignment_target(&s, &p) - alignment_target(&found, &p);
    assert!(fall > 0.05, "{fall}");
    let moved = s.alignment - after.alignment;
    assert!(
        (moved - p.successor_reset * fall).abs() < 1e-12,
        "{moved} vs {fall}"
    );
}

#[test]
fn a_transition_jolts_the_alignment_and_the_jolt_fades() {
    let (s, p) = base();
    let (mut calm, mut cool) = (s, s);
    succeed(&mut calm, Partner::Russia, &p, (0.0, 0.0, 0.0));
    succeed(&mut cool, Partner::Russia, &p, (0.0, 0.0, -1.0));
    let jolt = calm.alignment - cool.alignment;
    assert!((jolt - p.successor_turbulence).abs() < 1e-12, "{jolt}");
    for _ in 0..8 {
        step(&mut calm, &ChannelFlows::default(), &p, 0.25);
        step(&mut cool, &ChannelFlows::default(), &p, 0.25);
    }
    let left = calm.alignment - cool.alignment;
    assert!(left > 0.0 && left < 0.5 * jolt, "{left} of {jolt}");
}

#[test]
fn a_successor_with_a_weaker_brand_turns_from_the_partner_over_years() {
    // The 2021 elites give Putin's successor a weaker confrontation brand than
    // his; the successor's orientation falls behind Putin's slowly, more after
    // five years than after one.
    let (s, p) = base();
    let mut successor = s;
    succeed(&mut successor, Partner::Russia, &p, (0.0, 0.0, 0.0));
    assert!(successor.russia.confrontation_brand < s.russia.confrontation_brand);
    let mut putin = s;
    putin.alignment = successor.alignment;
    let gap =
        |a: &WorldState, b: &WorldState| a.russia.leader_orientation - b.russia.leader_orientation;
    let start = gap(&putin, &successor);
    let mut after = Vec::new();
    for turn in 1..=20 {
        step(&mut putin, &ChannelFlows::default(), &p, 0.25);
        step(&mut successor, &ChannelFlows::default(), &p, 0.25);
        if turn == 4 || turn == 20 {
            after.push(gap(&putin, &successor) - start);
        }
    }
    assert!(
        after[0] > 0.0 && after[1] > 2.0 * after[0],
        "{start} {after:?}"
    );
}

#[test]
fn westward_elites_produce_westward_successors() {
    let (s, p) = base();
    let mut seeded = s;
    seeded.russia.elite_orientation = 0.6;
    let (mut a, mut b) = (s, seeded);
    succeed(&mut a, Partner::Russia, &p, (0.0, 0.0, 0.0));
    succeed(&mut b, Partner::Russia, &p, (0.0, 0.0, 0.0));
    assert!(b.russia.leader_orientation < a.russia.leader_orientation);
    assert!(b.russia.confrontation_brand < a.russia.confrontation_brand);
}

#[test]
fn the_energy_transition_erodes_fossil_exports() {
    let (mut s, p) = base();
    let before = s.russia.fossil_export_share;
    energy(&mut s, &p, 1.0);
    assert!(s.russia.fossil_export_share < before);
}

#[test]
fn fossil_shares_never_grow_at_or_past_the_transitions_cap() {
    let (s, p) = base();
    for transition in [0.998, 0.999, 0.9995, 1.0, 1.2] {
        let mut t = s;
        t.energy_transition = transition;
        energy(&mut t, &p, 0.25);
        let share = t.russia.fossil_export_share;
        assert!(
            share <= s.russia.fossil_export_share && share > 0.0,
            "transition {transition}: Russia's fossil share {} became {share}",
            s.russia.fossil_export_share
        );
    }
}

#[test]
fn latent_rivalries_feed_resentment() {
    let (s, p) = base();
    let mut tense = s;
    tense.rivalries.central_asia = 0.9;
    tense.rivalries.arctic = 0.9;
    assert!(
        resentment_target(&tense, Partner::Russia, &p) > resentment_target(&s, Partner::Russia, &p)
    );
}

#[test]
fn china_becomes_less_reliant_on_russian_arms_every_year() {
    let (mut s, p) = base();
    let before = s.china.arms_from_partner;
    economy(&mut s, &p, 1.0);
    assert!(s.china.arms_from_partner < before);
}

#[test]
fn a_partner_left_alone_against_the_west_fears_abandonment() {
    let (s, p) = base();
    let mut detente = s;
    detente.china.west_tension = 0.1;
    assert!(w(&detente, Partner::Russia, &p) < w(&s, Partner::Russia, &p));
}

#[test]
fn doctrinal_rivalry_divides() {
    let (s, p) = base();
    let mut quarrel = s;
    quarrel.doctrinal_rivalry = 0.6;
    assert!(alignment_target(&quarrel, &p) < alignment_target(&s, &p));
}

struct BoundsCheck {
    failure: Option<String>,
}

impl Observer for BoundsCheck {
    fn turn(&mut self, record: &TurnRecord<'_>) {
        if self.failure.is_none()
            && let Some(b) = record.state.first_out_of_bounds()
        {
            self.failure = Some(format!(
                "turn {}: {} = {} outside [{}, {}]",
                record.turn, b.name, b.value, b.min, b.max
            ));
        }
    }
}

#[test]
fn every_variable_stays_in_bounds_and_finite() {
    let model = Model::reference_2021();
    for run in 0..300 {
        let mut check = BoundsCheck { failure: None };
        simulate(&model, 9, run, &mut check);
        assert_eq!(check.failure, None, "run {run}");
    }
}

#[test]
fn value_stability() {
    // Pinned outcomes of (reference model, seed 42, runs 0..200): a change to the
    // equations, a coefficient or the random stream shows up here.
    let model = Model::reference_2021();
    let summaries: Vec<_> = (0..200)
        .map(|run| simulate(&model, 42, run, &mut NoObserver))
        .collect();
    let splits = summaries.iter().filter(|s| s.split_turn.is_some()).count();
    let first = summaries.iter().position(|s| s.split_turn.is_some());
    let checksum: f64 = summaries.iter().map(|s| s.final_alignment).sum();
    assert_eq!((splits, first), PINNED_SPLITS, "checksum {checksum:.12}");
    assert!(
        (checksum - PINNED_CHECKSUM).abs() < 1e-9,
        "checksum {checksum:.12}"
    );
}

// Re-pinned when trade shares came to relax towards structural levels among
// the partner, the West and the rest of the world (was 25 splits, 121.066), and
// when rerouted trade came to reach the receiving partner's shares and the
// estrangement floor was set to 0.3 (was 36 splits, 96.621), when India
// became a destination of its own (was 29 splits, 109.042), and when successions
// were calibrated to the CHISOLS × ATOP ratios with fresh draws for every successor (was 29 splits, 107.837), and when
// need_weight went to 0.9 so that F8 holds on the merged model (was 30, 109.410),
// and when the West became the EU and the US, energy exports a flow of their own,
// gravity pulled trade to a growing partner, theft of weapons technology came to act
// on defence self-reliance and market access came to count self-sanctioning (was 26,
// 114.105), and when the look-ahead's horizon went from half a year to a year (was
// 26, 103.038), and when the EU came to weigh energy security and an aggressor's
// revenue (was 27, 105.919), and when the US came to have a China policy (was 31,
// 101.386), and when India came to buy rerouted oil (was 24, 117.395), and when
// China came to weigh its stake in Russia and to counter-offer, and either partner
// to leave (was 24, 116.126), and when `willingness_bias` went from −0.39 to −0.40
// (was 23, 123.853).
const PINNED_SPLITS: (usize, Option<usize>) = (24, Some(1));
const PINNED_CHECKSUM: f64 = 121.894748497931;

#[test]
fn a_one_turn_horizon_is_the_one_step_rule() {
    // With `horizon_years` at the turn length agents look one step ahead, as
    // before the horizon: the pins of that rule, with half-yearly reviews.
    let mut spec = Model::reference_2021().spec().clone();
    spec.params.horizon_years = spec.turn_years;
    let model = Model::new(spec).unwrap_or_else(|_| Model::reference_2021());
    let summaries: Vec<_> = (0..200)
        .map(|run| simulate(&model, 42, run, &mut NoObserver))
        .collect();
    let splits = summaries.iter().filter(|s| s.split_turn.is_some()).count();
    let first = summaries.iter().position(|s| s.split_turn.is_some());
    let checksum: f64 = summaries.iter().map(|s| s.final_alignment).sum();
    // Re-pinned with rerouted trade reaching the receiving partner and the
    // estrangement floor at 0.3 (was 41 splits, 93.062), with India as a
    // destination of its own (was 32 splits, 104.301), and with successions
    // calibrated to the CHISOLS × ATOP ratios (was 34 splits, 103.466), and
    // with need_weight at 0.9 (was 30, 105.330), and with the EU and the US as
    // destinations, energy flows, gravity and the two defects fixed (was 31, 109.974),
    // and with the EU weighing energy security and an aggressor's revenue (was 30, 103.192),
    // and with the US's China policy (was 35, 97.588), and with India buying rerouted
    // oil (was 19, 121.560), and with China's stake and counter-offer and either
    // partner's leave (was 21, 119.758; looking one step ahead, the partners now
    // leave in about half the runs: the one-year horizon is what holds them), and
    // with `willingness_bias` at −0.40 (was 109, 16.268).
    assert_eq!((splits, first), (114, Some(1)), "checksum {checksum:.12}");
    assert!(
        (checksum - 10.528494643110).abs() < 1e-9,
        "checksum {checksum:.12}"
    );
}

#[test]
fn reviewing_every_turn_is_the_quarterly_rule() {
    // With `review_years` and `horizon_years` at the turn length every
    // decision is re-estimated every turn one step ahead, as before
    // half-yearly reviews and the horizon; pinned for that rule.
    let mut spec = Model::reference_2021().spec().clone();
    spec.params.review_years = spec.turn_years;
    spec.params.horizon_years = spec.turn_years;
    let model = Model::new(spec).unwrap_or_else(|_| Model::reference_2021());
    let summaries: Vec<_> = (0..200)
        .map(|run| simulate(&model, 42, run, &mut NoObserver))
        .collect();
    let splits = summaries.iter().filter(|s| s.split_turn.is_some()).count();
    let checksum: f64 = summaries.iter().map(|s| s.final_alignment).sum();
    assert_eq!(splits, PINNED_QUARTERLY.0, "checksum {checksum:.12}");
    assert!(
        (checksum - PINNED_QUARTERLY.1).abs() < 1e-9,
        "checksum {checksum:.12}"
    );
}

// The quarterly rule's pins (those of the engine before half-yearly reviews, re-pinned
// when China's trade share with Russia started at 2.3%, and when trade shares came to
// relax towards structural levels: was 25 splits, 120.422; and when rerouted trade
// came to reach the receiving partner with the estrangement floor at 0.3: was 39, 92.532;
// when India became a destination of its own: was 30, 105.850; and when successions
// were calibrated to the CHISOLS × ATOP ratios: was 30, 104.485; and with need_weight at
// 0.9: was 32, 104.153; and with the EU and the US as destinations, energy flows,
// gravity and the two defects fixed: was 26, 109.933; and with the EU weighing energy
// security and an aggressor's revenue: was 27, 104.170; and with the US's China
// policy: was 35, 98.353; and with India buying rerouted oil: was 19, 122.389; and
// with China's stake and counter-offer and either partner's leave: was 21, 120.738;
// and with `willingness_bias` at −0.40: was 59, 64.509).
const PINNED_QUARTERLY: (usize, f64) = (62, 58.024806874351);

/// Records every turn's utilities.
struct Utilities(Vec<Vec<[f64; crate::decision::MAX_OPTIONS]>>);

impl Observer for Utilities {
    fn turn(&mut self, record: &TurnRecord<'_>) {
        self.0.push(record.utilities.to_vec());
    }
}

#[test]
fn between_reviews_agents_draw_from_the_last_review() {
    // No events, no levers: only the review cadence decides when utilities are re-estimated.
    let mut spec = Model::reference_2021().spec().clone();
    spec.hazards = crate::events::EventHazards {
        russia_leadership_change: crate::events::LeadershipHazard {
            per_year: 0.0,
            per_year_of_tenure: 0.0,
        },
        china_leadership_change: crate::events::LeadershipHazard {
            per_year: 0.0,
            per_year_of_tenure: 0.0,
        },
        ..spec.hazards
    };
    for kind in crate::events::EventKind::ALL {
        if let Some(rate) = spec.hazards.field_mut(kind, "per_year") {
            *rate = 0.0;
        }
    }
    spec.params.review_years = 1.0;
    spec.split.threshold = -1.0;
    let model = Model::new(spec).unwrap_or_else(|_| Model::reference_2021());
    let mut seen = Utilities(Vec::new());
    simulate(&model, 5, 0, &mut seen);
    let turns = seen.0;
    assert_eq!(turns.len(), 40);
    for (turn, utilities) in turns.iter().enumerate() {
        let review = turn % 4 == 0;
        if review && turn > 0 {
            assert_ne!(utilities, &turns[turn - 1], "turn {turn} is a review");
        } else if !review {
            assert_eq!(utilities, &turns[turn - 1], "turn {turn} is not a review");
        }
    }
}

#[test]
fn a_run_is_a_pure_function_of_seed_and_index() {
    let model = Model::reference_2021();
    let a = simulate(&model, 3, 17, &mut NoObserver);
    let b = simulate(&model, 3, 17, &mut NoObserver);
    assert_eq!(a, b);
    let c = simulate(&model, 3, 18, &mut NoObserver);
    assert_ne!(a.final_alignment, c.final_alignment);
}

/// Look-ahead utilities of every option of `actor`'s decision `decision` in
/// the reference model, from `state`, with every decision at its first option
/// (which acts on no channel in that model's menus).
fn interest_utilities(
    state: &WorldState,
    actor: crate::actor::Actor,
    decision: &str,
) -> Vec<(String, f64)> {
    utilities_in(&Model::reference_2021(), state, actor, decision)
}

/// Look-ahead utilities, by option name, of `actor`'s decision `decision` in `model` from `state`.
fn utilities_in(
    model: &Model,
    state: &WorldState,
    actor: crate::actor::Actor,
    decision: &str,
) -> Vec<(String, f64)> {
    let spec = model.spec();
    let params = spec.params;
    let (a, d) = model
        .layout()
        .iter()
        .copied()
        .find(|&(a, d)| {
            spec.agents[a].actor == actor && spec.agents[a].decisions[d].name == decision
        })
        .unwrap_or_else(|| panic!("no decision {decision} for {actor:?}"));
    let options = &spec.agents[a].decisions[d].options;
    for option in options {
        // The look-ahead assumes the first option moves nothing.
        assert!(options[0].effects.is_empty(), "{}", option.name);
    }
    let out = look_ahead_utilities(model, state, &params, (a, d), options.len());
    options.iter().map(|o| o.name.clone()).zip(out).collect()
}

/// Look-ahead utilities of the `n` options of decision `slot` from `state`,
/// with every decision at its first option (no flows), over the model's horizon.
fn look_ahead_utilities(
    model: &Model,
    state: &WorldState,
    params: &crate::params::Params,
    slot: (usize, usize),
    n: usize,
) -> Vec<f64> {
    let dt = model.spec().turn_years;
    let flows = ChannelFlows::default();
    let mut ahead = *state;
    step(&mut ahead, &flows, params, dt);
    let options = crate::lookahead::OptionFlows::new(&model.spec().agents);
    let horizon = crate::lookahead::Horizon::new(params, dt);
    let mut look =
        crate::lookahead::LookAhead::new(model, &options, state, &ahead, params, &flows, horizon);
    let mut out = vec![0.0; n];
    look.utilities(slot, 0, &mut out);
    out
}

fn utility_of(utilities: &[(String, f64)], option: &str) -> f64 {
    utilities
        .iter()
        .find(|(name, _)| name == option)
        .map(|(_, u)| *u)
        .unwrap_or_else(|| panic!("no option {option} in {utilities:?}"))
}

fn best_of(utilities: &[(String, f64)]) -> &str {
    utilities
        .iter()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(name, _)| name.as_str())
        .unwrap_or("")
}

#[test]
fn the_eu_cuts_energy_imports_from_a_russia_at_war() {
    use crate::actor::Actor::EuropeanUnion;
    // The shipped baseline's EU and the Russia-backing model's weigh the same energy terms.
    for model in [Model::reference_2021(), Model::russia_backing_2021()] {
        let (mut state, _) = base();
        let at_peace = utilities_in(&model, &state, EuropeanUnion, "energy");
        state.russia.aggression = 0.9;
        let at_war = utilities_in(&model, &state, EuropeanUnion, "energy");
        let edge = |u: &[(String, f64)]| utility_of(u, "cut") - utility_of(u, "hold");
        // Cutting gains on holding as Russia's aggression rises, and is the best option at war.
        assert!(
            edge(&at_war) > edge(&at_peace) + 0.01,
            "{at_peace:?} vs {at_war:?}"
        );
        assert_eq!(best_of(&at_war), "cut", "{at_war:?}");
        // At the 2021 level (a frozen conflict) the EU does not cut.
        assert_ne!(best_of(&at_peace), "cut", "{at_peace:?}");
    }
}

#[test]
fn the_us_tightens_on_china_for_the_sake_of_china_s_technology() {
    use crate::actor::Actor::UnitedStates;
    let (state, _) = base();
    let edge = |u: &[(String, f64)]| utility_of(u, "tighten") - utility_of(u, "ease");
    // The shipped US weighs China's technology: at the 2021 state, tightening is its best option.
    let shipped = utilities_in(
        &Model::reference_2021(),
        &state,
        UnitedStates,
        "china_policy",
    );
    assert_eq!(best_of(&shipped), "tighten", "{shipped:?}");
    // Without that weight the US has no reason of its own to tighten: easing beats it
    // (tightening only raises the tension with China it wants lower).
    let mut spec = Model::reference_2021().spec().clone();
    for agent in &mut spec.agents {
        if agent.actor == UnitedStates {
            agent.objective.china_tech = 0.0;
        }
    }
    let indifferent = Model::new(spec).unwrap_or_else(|_| Model::reference_2021());
    let without = utilities_in(&indifferent, &state, UnitedStates, "china_policy");
    assert!(edge(&without) < 0.0, "{without:?}");
    assert!(
        edge(&shipped) > edge(&without) + 0.001,
        "{shipped:?} vs {without:?}"
    );
}

#[test]
fn a_partner_whose_willingness_collapses_leaves() {
    use crate::actor::Actor::Russia;
    let (mut state, params) = base();
    let content = interest_utilities(&state, Russia, "alignment");
    // Staying is worth more than leaving while Russia is willing.
    assert!(
        utility_of(&content, "leave") < utility_of(&content, "hedge"),
        "{content:?}"
    );
    // A successor turned against the partnership, with the old alignment still in place.
    state.russia.leader_orientation = -1.0;
    state.rapport = 0.1;
    state.russia.resentment = 0.8;
    assert!(w(&state, Partner::Russia, &params).tanh() < state.alignment - 0.4);
    let estranged = interest_utilities(&state, Russia, "alignment");
    assert_eq!(best_of(&estranged), "leave", "{estranged:?}");
}

#[test]
fn china_has_a_stake_in_keeping_russia() {
    use crate::actor::Actor::China;
    let (mut state, params) = base();
    // China's willingness falls well below the alignment (a gap that would
    // make a stakeless partner leave, as Russia does above).
    state.china.resentment = 0.5;
    state.china.leader_orientation = 0.1;
    let gap = state.alignment - w(&state, Partner::China, &params).tanh();
    assert!(gap > 0.41 && gap < 0.47, "{gap}");
    let u = interest_utilities(&state, China, "stance");
    let with_stake = utility_of(&u, "leave") - utility_of(&u, "balance");
    // Without its stake (secure rear, discounted resources, a partner against
    // the US) leaving is China's best option at this gap; with it, leaving
    // loses on balancing.
    let mut stakeless = Model::reference_2021().spec().clone();
    for agent in &mut stakeless.agents {
        if agent.actor == China {
            agent.objective.china_secure_rear = 0.0;
            agent.objective.china_partner_against_us = 0.0;
            agent.objective.china_discounted_resources = 0.0;
        }
    }
    let model = Model::new(stakeless).unwrap_or_else(|e| panic!("{e:?}"));
    let slot = model
        .layout()
        .iter()
        .copied()
        .find(|&(a, _)| model.spec().agents[a].actor == China)
        .unwrap_or((1, 0));
    let out = look_ahead_utilities(&model, &state, &params, slot, 5);
    let stakeless = out[4] - out[0];
    assert!(with_stake < 0.0 && stakeless > 0.0, "{u:?} vs {out:?}");
    assert!(out[..4].iter().all(|&o| o < out[4]), "{out:?}");
}

#[test]
fn chinas_counter_offer_deepens_russias_need_and_arms_dependence() {
    let (state, params) = base();
    let model = Model::reference_2021();
    let offer = model
        .spec()
        .agents
        .iter()
        .flat_map(|a| &a.decisions)
        .flat_map(|d| &d.options)
        .find(|o| o.name == "counter-offer")
        .cloned()
        .unwrap_or_else(|| panic!("no counter-offer"));
    let mut flows = ChannelFlows::default();
    for e in &offer.effects {
        flows.add(e, 1.0);
    }
    let (mut with, mut without) = (state, state);
    for _ in 0..8 {
        step(&mut with, &flows, &params, 0.25);
        step(&mut without, &ChannelFlows::default(), &params, 0.25);
    }
    assert!(with.russia.arms_from_partner > without.russia.arms_from_partner + 0.02);
    assert!(need(&with.russia, &params) > need(&without.russia, &params));
    assert!(w(&with, Partner::Russia, &params) > w(&without, Partner::Russia, &params));
    // It costs China: secondary-sanction exposure.
    assert!(with.china.sanctions > without.china.sanctions);
}

#[test]
fn us_pressure_on_china_raises_chinas_tension_with_the_west() {
    let (state, params) = base();
    let tighten = one_flow(Channel::Sanctions, 0.05, Partner::China);
    let (mut pressed, mut left) = (state, state);
    for _ in 0..12 {
        step(&mut pressed, &tighten, &params, 0.25);
        step(&mut left, &ChannelFlows::default(), &params, 0.25);
    }
    assert!(pressed.china.west_tension > left.china.west_tension + 0.01);
    // And with it China's willingness to sustain the partnership.
    assert!(w(&pressed, Partner::China, &params) > w(&left, Partner::China, &params));
}

#[test]
fn india_buys_rerouted_oil_from_an_isolated_russia() {
    use crate::actor::Actor::India;
    let (mut state, _) = base();
    let edge = |u: &[(String, f64)]| utility_of(u, "buy-discounted-oil") - utility_of(u, "balance");
    let open = interest_utilities(&state, India, "stance");
    state.russia.sanctions = 0.9;
    let isolated = interest_utilities(&state, India, "stance");
    assert!(
        edge(&isolated) > edge(&open) + 0.01,
        "{open:?} vs {isolated:?}"
    );
}

/// Split hazards around Russia's first leadership change, in the form of the
/// CHISOLS × ATOP rate ratios (docs/VALIDATION.md), and where splits come from.
#[derive(Debug, Clone, Copy)]
struct SuccessionFigures {
    /// Splits per year at risk before Russia's first leadership change.
    before: f64,
    /// Splits per year at risk in the year of the change (the four quarters from it).
    year_of: f64,
    /// Splits per year at risk in the year after it.
    year_after: f64,
    /// Splits per year at risk from the second year after it on.
    later: f64,
    /// Share of runs that split.
    split: f64,
    /// Share of splits whose exit came after a Russian leadership change.
    after_russian_change: f64,
    /// Share of splits whose exit came before any leadership change (Russian or Chinese).
    without_change: f64,
    /// Conditional split probability in the second half of the horizon over that in the first.
    trend: f64,
    /// Splits per year before and after the change as the runner reports them
    /// (`wedge run`'s leadership line: splits dated when confirmed, every year after the change).
    reported: (f64, f64),
}

impl SuccessionFigures {
    fn year_of_ratio(&self) -> f64 {
        self.year_of / self.before
    }
    fn year_after_ratio(&self) -> f64 {
        self.year_after / self.before
    }
}

impl std::fmt::Display for SuccessionFigures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "split {:.3}; hazard before {:.4}/yr, year of change {:.4}/yr (×{:.2}), year after {:.4}/yr (×{:.2}), later {:.4}/yr (×{:.2}); splits after a Russian change {:.0}%, without any leader change {:.0}%; second half / first half ×{:.2}; reported {:.4} → {:.4}/yr",
            self.split,
            self.before,
            self.year_of,
            self.year_of_ratio(),
            self.year_after,
            self.year_after_ratio(),
            self.later,
            self.later / self.before,
            100.0 * self.after_russian_change,
            100.0 * self.without_change,
            self.trend,
            self.reported.0,
            self.reported.1,
        )
    }
}

/// Measure [`SuccessionFigures`] over runs `0..runs` of a seed. A split is
/// dated by the exit, the first of the turns below the threshold that made it
/// (the split rule confirms it `consecutive_turns − 1` turns later), as ATOP
/// dates an exit; a change dated at turn `c` struck at the end of that turn,
/// so the year of the change is turns `c..c + 4` (quarterly turns).
fn succession_figures(model: &Model, seed: u64, runs: u64) -> SuccessionFigures {
    let dt = model.spec().turn_years;
    let horizon = model.spec().horizon_turns;
    let lag = model.spec().split.consecutive_turns.saturating_sub(1);
    let year = (1.0 / dt).round() as u32;
    let mut events = [0u32; 4];
    let mut exposure = [0.0f64; 4];
    let (mut splits, mut after_russian, mut without) = (0u32, 0u32, 0u32);
    let mut halves = [0u32; 2];
    let mut reported = [(0u32, 0u32); 2];
    for run in 0..runs {
        let s = simulate(model, seed, run, &mut NoObserver);
        let exit = s.split_turn.map(|t| t.saturating_sub(lag));
        let end = exit.map_or(horizon, |t| t + 1);
        let change = s.russia_leader_change.unwrap_or(horizon);
        if let Some(t) = s.split_turn {
            halves[usize::from(2 * t >= horizon)] += 1;
        }
        let confirmed_end = s.split_turn.map_or(horizon, |t| t + 1);
        match s.russia_leader_change {
            Some(c) if c < confirmed_end => {
                reported[0].1 += c;
                reported[1].1 += confirmed_end - c;
                reported[1].0 += u32::from(s.split_turn.is_some());
            }
            _ => {
                reported[0].1 += confirmed_end;
                reported[0].0 += u32::from(s.split_turn.is_some());
            }
        }
        if let Some(t) = exit {
            splits += 1;
            if t >= change {
                after_russian += 1;
            }
            if t < change && s.china_leader_change.is_none_or(|c| t < c) {
                without += 1;
            }
        }
        let windows = [
            (0, change),
            (change, change + year),
            (change + year, change + 2 * year),
            (change + 2 * year, horizon),
        ];
        for (k, (from, to)) in windows.into_iter().enumerate() {
            let to = to.min(end).min(horizon);
            if to > from {
                exposure[k] += f64::from(to - from) * dt;
                if exit.is_some_and(|t| t >= from && t < to) {
                    events[k] += 1;
                }
            }
        }
    }
    let rate = |k: usize| f64::from(events[k]) / exposure[k].max(1e-9);
    let share = |n: u32| f64::from(n) / f64::from(splits.max(1));
    SuccessionFigures {
        before: rate(0),
        year_of: rate(1),
        year_after: rate(2),
        later: rate(3),
        split: f64::from(splits) / runs as f64,
        after_russian_change: share(after_russian),
        without_change: share(without),
        reported: (
            f64::from(reported[0].0) / (f64::from(reported[0].1) * dt).max(1e-9),
            f64::from(reported[1].0) / (f64::from(reported[1].1) * dt).max(1e-9),
        ),
        trend: {
            let n = runs as f64;
            let first = f64::from(halves[0]) / n;
            let second = f64::from(halves[1]) / (n - f64::from(halves[0]));
            second / first.max(1e-9)
        },
    }
}

#[test]
fn a_russian_succession_raises_the_split_hazard_as_the_record_does() {
    // CHISOLS × ATOP (non-democratic members, history data C.2): premature exit
    // ×3.24 (95%: 2.12–4.94) in the year the leader's support coalition changes,
    // ×1.64 (0.94–2.87) the year after. The baseline's ratios must sit inside
    // both intervals. Seed 11, 20,000 runs: ×3.81 and ×2.21, from some 230 and
    // 140 splits in the two windows (relative errors near 13% and 17%, so both
    // lie inside at about their 95% bounds). In the Russia-backing model too a
    // succession raises the hazard.
    let f = succession_figures(&Model::reference_2021(), 11, 20_000);
    println!("baseline-2021: {f}");
    assert!(
        (2.12..=4.94).contains(&f.year_of_ratio()),
        "year of the change: {f}"
    );
    assert!(
        (0.94..=2.87).contains(&f.year_after_ratio()),
        "year after the change: {f}"
    );
    let i = succession_figures(&Model::russia_backing_2021(), 11, 20_000);
    println!("russia-backing-2021: {i}");
    assert!(i.year_of.max(i.year_after) > 2.0 * i.before, "{i}");
}

#[test]
fn splits_also_come_without_a_change_of_leader() {
    // Crises, grievances and shifting dependence carry splits too: in the
    // baseline more than a fifth of splits exit before either leader has
    // changed (1% did when successions carried nearly every split; 24% do,
    // seed 11, 20,000 runs, some 570 of 2,400 splits).
    let f = succession_figures(&Model::reference_2021(), 11, 20_000);
    assert!(f.without_change > 0.2, "{f}");
    assert!(f.after_russian_change < 0.75, "{f}");
}

/// The succession figures of both 2021 models, rerun on demand:
/// `WEDGE_SET="params.NAME=VALUE,initial.PATH=VALUE"` overrides coefficients or
/// initial values and `WEDGE_RUNS` the run count (`cargo test --release -p
/// wedge-core succession_figures_on_demand -- --ignored --nocapture`).
#[test]
#[ignore]
fn succession_figures_on_demand() {
    let set = std::env::var("WEDGE_SET").unwrap_or_default();
    let runs: u64 = std::env::var("WEDGE_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(4000);
    for model in [Model::reference_2021(), Model::russia_backing_2021()] {
        let mut spec = model.spec().clone();
        for kv in set.split(',').filter(|kv| !kv.is_empty()) {
            let (k, v) = kv.split_once('=').unwrap_or((kv, "0"));
            let v: f64 = v.parse().unwrap_or(0.0);
            match crate::params::ParamId::parse(k) {
                Some(crate::params::ParamId::Coefficient(i)) => *spec.params.value_mut(i) = v,
                Some(crate::params::ParamId::Initial(x)) => *spec.initial.variable_mut(x) = v,
                None => panic!("no coefficient {k}"),
            }
        }
        let model = Model::new(spec).unwrap_or_else(|e| panic!("{e:?}"));
        println!(
            "{}: {}",
            model.spec().name,
            succession_figures(&model, 11, runs)
        );
    }
}

#[test]
fn removing_an_option_takes_back_exactly_the_accommodation_it_offered() {
    let effects = [
        Effect {
            channel: Channel::Sanctions,
            per_year: 0.05,
            target: Partner::Russia,
        },
        Effect {
            channel: Channel::Sanctions,
            per_year: -0.05,
            target: Partner::Russia,
        },
        Effect {
            channel: Channel::Dialogue,
            per_year: 0.05,
            target: Partner::Russia,
        },
    ];
    for e in &effects {
        let mut flows = ChannelFlows::default();
        flows.add(e, 1.0);
        flows.add(e, -1.0);
        assert_eq!(flows, ChannelFlows::default(), "{e:?}");
    }
    // Removing a tightening is not relief.
    let mut flows = ChannelFlows::default();
    flows.add(&effects[0], -1.0);
    assert_eq!(flows.accommodation(Partner::Russia), 0.0);
}

/// Run only the trade submodel for `years`, quarterly.
fn trade_for(state: &mut WorldState, params: &Params, years: f64) {
    let dt = 0.25;
    for _ in 0..(years / dt).round() as usize {
        trade(state, params, dt);
        state.clamp_all();
    }
}

#[test]
fn sanctions_reroute_russian_trade_from_the_west_to_china_and_the_rest_of_the_world() {
    let (s, p) = base();
    let mut light = s;
    light.russia.sanctions = 0.1;
    let mut heavy = s;
    heavy.russia.sanctions = 0.8;
    trade_for(&mut light, &p, 3.0);
    trade_for(&mut heavy, &p, 3.0);
    assert!(heavy.russia.trade_with_eu < light.russia.trade_with_eu - 0.03);
    assert!(heavy.russia.trade_with_us < light.russia.trade_with_us);
    assert!(heavy.russia.trade_with_partner > light.russia.trade_with_partner + 0.01);
    assert!(heavy.russia.trade_with_rest > light.russia.trade_with_rest + 0.01);
    assert!(heavy.russia.trade_with_india > light.russia.trade_with_india);
    for st in [light, heavy] {
        let r = st.russia;
        let total = r.trade_with_partner
            + r.trade_with_eu
            + r.trade_with_us
            + r.trade_with_india
            + r.trade_with_rest;
        assert!((total - 1.0).abs() < 1e-9, "shares sum to {total}");
    }
}

#[test]
fn partner_trade_collapses_after_a_split_and_holds_while_aligned() {
    let (mut s, p) = base();
    s.russia.sanctions = 0.0;
    s.china.sanctions = 0.0;
    s.china.us_decoupling = 0.0;
    // Both economies grow with the world's, so gravity moves no share.
    s.russia.growth = p.world_growth;
    s.china.growth = p.world_growth;
    s.china.trade_with_partner = 0.45;
    s.china.partner_capacity = 0.45;
    s.china.trade_with_eu = 0.08;
    s.china.trade_with_us = 0.07;
    s.china.trade_with_india = 0.0;
    s.china.trade_with_rest = 0.40;
    let mut aligned = s;
    aligned.alignment = 0.8;
    let mut split = s;
    split.alignment = -0.4;
    trade_for(&mut aligned, &p, 10.0);
    trade_for(&mut split, &p, 10.0);
    assert!((aligned.china.trade_with_partner - 0.45).abs() < 0.01);
    assert!(split.china.trade_with_partner < 0.1 * aligned.china.trade_with_partner);
    assert!(split.china.partner_capacity < aligned.china.partner_capacity);
    // The trade lost to the partner goes elsewhere.
    assert!(split.china.trade_with_rest > aligned.china.trade_with_rest);
}

#[test]
fn trade_rerouted_to_the_partner_reaches_the_partner_s_own_shares() {
    // Sanctions on Russia: the trade it reroutes to China is trade China
    // receives, so China's share with Russia rises too, by the same value.
    let (mut s, mut p) = base();
    p.trade_rate = 0.3;
    // Gravity off and no US decoupling of China: only Russia's rerouting moves the shares.
    p.gravity_elasticity = 0.0;
    s.china.us_decoupling = 0.0;
    s.china.sanctions = 0.0;
    s.china.aggression = 0.0;
    let mut light = s;
    light.russia.sanctions = 0.0;
    let mut heavy = s;
    heavy.russia.sanctions = 0.8;
    let (before_r, before_c) = (
        heavy.russia.trade_with_partner,
        heavy.china.trade_with_partner,
    );
    trade(&mut light, &p, 0.25);
    trade(&mut heavy, &p, 0.25);
    let gained_r = heavy.russia.trade_with_partner - before_r;
    let gained_c = heavy.china.trade_with_partner - before_c;
    assert!(gained_r > 0.0 && gained_c > 0.0, "{gained_r} {gained_c}");
    assert!(heavy.china.trade_with_partner > light.china.trade_with_partner);
    // In value (share × GDP as the proxy for the volume of trade), China
    // receives what Russia rerouted (Russia's gain is all rerouted here: its
    // capacity equals its share and alignment is above the floor).
    let value_r = gained_r * s.russia.gdp * s.russia.openness;
    let value_c = gained_c * s.china.gdp * s.china.openness;
    assert!(
        (value_r - value_c).abs() < 1e-9 * value_r.max(1e-12),
        "{value_r} {value_c}"
    );
    // China's shares still sum to 1: the rise is taken from its other destinations.
    let c = heavy.china;
    let total = c.trade_with_partner
        + c.trade_with_eu
        + c.trade_with_us
        + c.trade_with_india
        + c.trade_with_rest;
    assert!((total - 1.0).abs() < 1e-9, "{total}");
    assert!(c.trade_with_eu < s.china.trade_with_eu);
}

#[test]
fn india_takes_more_of_the_rerouted_trade_the_warmer_its_relations() {
    let (mut s, p) = base();
    s.russia.sanctions = 0.8;
    let mut warm = s;
    warm.russia.india_relations = 0.9;
    let mut cold = s;
    cold.russia.india_relations = -0.9;
    trade_for(&mut warm, &p, 3.0);
    trade_for(&mut cold, &p, 3.0);
    assert!(warm.russia.trade_with_india > s.russia.trade_with_india);
    assert!(warm.russia.trade_with_india > cold.russia.trade_with_india + 0.002);
    // Without isolation India keeps the share it has.
    let (mut calm, _) = base();
    calm.russia.sanctions = 0.0;
    calm.russia.aggression = 0.0;
    let before = calm.russia.trade_with_india;
    trade_for(&mut calm, &p, 3.0);
    assert!((calm.russia.trade_with_india - before).abs() < 1e-3);
}

#[test]
fn capacity_build_up_time_slows_rerouting() {
    let (mut s, p) = base();
    s.russia.sanctions = 0.8;
    let mut fast = p;
    fast.capacity_build_years = 1.0;
    let mut slow = p;
    slow.capacity_build_years = 10.0;
    let mut a = s;
    let mut b = s;
    trade_for(&mut a, &fast, 4.0);
    trade_for(&mut b, &slow, 4.0);
    let gained = |st: &WorldState| st.russia.trade_with_partner - s.russia.trade_with_partner;
    assert!(gained(&b) > 0.0);
    assert!(
        gained(&b) < 0.8 * gained(&a),
        "slow {} fast {}",
        gained(&b),
        gained(&a)
    );
}

/// Apply one set of flows and run the energy submodel for `years`, quarterly.
fn energy_for(state: &mut WorldState, flows: &ChannelFlows, params: &Params, years: f64) {
    let dt = 0.25;
    for _ in 0..(years / dt).round() as usize {
        crate::dynamics::apply_flows(state, flows, params, dt);
        crate::dynamics::energy(state, params, dt);
        state.clamp_all();
    }
}

#[test]
fn an_eu_energy_cut_reroutes_russian_fossil_exports_as_capacity_allows_at_a_loss() {
    use crate::dynamics::energy_revenue;
    let (s, p) = base();
    let cut = one_flow(Channel::EuEnergy, -0.1, Partner::Russia);
    // (a faster cut than the EU's menu option, so four years show the rerouting)
    let mut held = s;
    let mut cutting = s;
    energy_for(&mut held, &ChannelFlows::default(), &p, 4.0);
    energy_for(&mut cutting, &cut, &p, 4.0);
    let (h, c) = (held.russia, cutting.russia);
    assert!(
        c.energy_to_eu < h.energy_to_eu - 0.3,
        "{} {}",
        c.energy_to_eu,
        h.energy_to_eu
    );
    assert!(
        c.energy_to_partner > h.energy_to_partner + 0.05,
        "{} {}",
        c.energy_to_partner,
        h.energy_to_partner
    );
    assert!(
        c.energy_to_india > h.energy_to_india,
        "{} {}",
        c.energy_to_india,
        h.energy_to_india
    );
    assert!(
        c.energy_to_rest > h.energy_to_rest,
        "{} {}",
        c.energy_to_rest,
        h.energy_to_rest
    );
    assert!(c.energy_pipeline_capacity > h.energy_pipeline_capacity);
    // Rerouted exports sell at a discount and some find no buyer: revenue falls.
    let revenue = |x: &WorldState| energy_revenue(&x.russia, x.energy_price, &p);
    assert!(
        revenue(&cutting) < revenue(&held) - 0.02,
        "{} {}",
        revenue(&cutting),
        revenue(&held)
    );
    let sold = c.energy_to_eu + c.energy_to_partner + c.energy_to_india + c.energy_to_rest;
    assert!(sold < 1.0 - 1e-3 && sold > 0.5, "{sold}");
    // Without a cut the flows hold where they are.
    assert!((h.energy_to_eu - s.russia.energy_to_eu).abs() < 1e-9);
    assert!((h.energy_to_partner - s.russia.energy_to_partner).abs() < 1e-9);
    // Slow pipeline building slows the partner's gain.
    let mut slow = p;
    slow.capacity_build_years = 20.0;
    let mut slowly = s;
    energy_for(&mut slowly, &cut, &slow, 4.0);
    let gain = |x: &WorldState| x.russia.energy_to_partner - s.russia.energy_to_partner;
    assert!(
        gain(&slowly) < 0.5 * gain(&cutting),
        "{} {}",
        gain(&slowly),
        gain(&cutting)
    );
}

#[test]
fn us_tightening_on_china_moves_china_s_trade_from_the_us() {
    let (s, p) = base();
    let tighten = one_flow(Channel::UsDecoupling, 0.1, Partner::China);
    let mut held = s;
    let mut tightened = s;
    let dt = 0.25;
    for _ in 0..12 {
        for (state, flows) in [
            (&mut held, ChannelFlows::default()),
            (&mut tightened, tighten),
        ] {
            crate::dynamics::apply_flows(state, &flows, &p, dt);
            trade(state, &p, dt);
            state.clamp_all();
        }
    }
    assert!(tightened.china.trade_with_us < held.china.trade_with_us - 0.005);
    assert!(tightened.china.trade_with_rest > held.china.trade_with_rest);
    assert!(tightened.china.trade_with_partner > held.china.trade_with_partner);
    // The EU's share is not the US's: it keeps its level against the held run
    // up to the small renormalisation.
    assert!((tightened.china.trade_with_eu - held.china.trade_with_eu).abs() < 0.002);
}

#[test]
fn a_split_collapses_partner_trade_in_value_and_energy() {
    let (s, p) = base();
    let mut aligned = s;
    aligned.alignment = 0.8;
    let mut split = s;
    split.alignment = -0.4;
    for state in [&mut aligned, &mut split] {
        for _ in 0..20 {
            crate::dynamics::energy(state, &p, 0.25);
            trade(state, &p, 0.25);
            state.clamp_all();
        }
    }
    use crate::dynamics::trade_values;
    for who in Partner::BOTH {
        let (a, b) = (
            trade_values(aligned.partner(who))[0],
            trade_values(split.partner(who))[0],
        );
        assert!(b < 0.5 * a, "{who:?}: {b} vs {a}");
    }
    assert!(split.russia.energy_to_partner < 0.5 * aligned.russia.energy_to_partner);
}

#[test]
fn a_partner_economy_growing_faster_than_the_world_pulls_trade() {
    let (mut s, mut p) = base();
    p.gravity_elasticity = 1.0;
    s.russia.sanctions = 0.0;
    s.russia.aggression = 0.0;
    s.china.us_decoupling = 0.0;
    s.china.sanctions = 0.0;
    let mut fast = s;
    fast.china.growth = p.world_growth + 0.04;
    let mut par = s;
    par.china.growth = p.world_growth;
    trade_for(&mut fast, &p, 5.0);
    trade_for(&mut par, &p, 5.0);
    // China growing 4 points faster than the world: Russia's share with it rises ≈ 4% a year.
    let ratio = fast.russia.trade_with_partner / s.russia.trade_with_partner;
    assert!(ratio > 1.15 && ratio < 1.25, "{ratio}");
    assert!((par.russia.trade_with_partner - s.russia.trade_with_partner).abs() < 1e-3);
    assert!(fast.russia.partner_capacity > par.russia.partner_capacity);
    let mut flat = p;
    flat.gravity_elasticity = 0.0;
    let mut no_gravity = s;
    no_gravity.china.growth = p.world_growth + 0.04;
    trade_for(&mut no_gravity, &flat, 5.0);
    assert!((no_gravity.russia.trade_with_partner - s.russia.trade_with_partner).abs() < 1e-3);
}

#[test]
fn weapons_technology_is_stolen_from_the_partner_ahead_in_defence() {
    let (s, p) = base();
    let mut calm = s;
    calm.rivalries.tech_theft = 0.0;
    let mut thieving = s;
    thieving.rivalries.tech_theft = 1.0;
    for state in [&mut calm, &mut thieving] {
        for _ in 0..4 {
            crate::dynamics::economy(state, &p, 0.25);
        }
    }
    // Russia's defence industry is ahead (0.9 against 0.85): China gains, Russia does not.
    assert!(thieving.china.defence_self_reliance > calm.china.defence_self_reliance + 1e-4);
    assert!(thieving.china.arms_from_partner < calm.china.arms_from_partner);
    assert_eq!(
        thieving.russia.defence_self_reliance,
        calm.russia.defence_self_reliance
    );
    // Theft of weapons technology does not move the aggregate technology index.
    assert_eq!(thieving.russia.tech, calm.russia.tech);
    assert_eq!(thieving.china.tech, calm.china.tech);
}

#[test]
fn market_access_counts_firms_that_leave_a_partner_at_war() {
    use crate::features::market_access;
    let (s, p) = base();
    let mut war = s;
    war.russia.aggression = 1.0;
    assert!(market_access(&war.russia, &p) < market_access(&s.russia, &p) - 0.1);
    // At the frozen conflict of 2021 access is the unsanctioned Western share plus the partner's.
    let r = s.russia;
    let expected = (r.trade_with_eu + r.trade_with_us) * (1.0 - r.sanctions) + r.trade_with_partner;
    assert!((market_access(&r, &p) - expected).abs() < 1e-12);
}

/// Every variable of a state, as bits.
fn state_bits(state: &WorldState) -> Vec<u64> {
    crate::state::StateVar::ALL
        .iter()
        .map(|v| state.variable(*v).to_bits())
        .collect()
}

#[test]
fn a_step_remembering_its_power_gaps_is_the_step_bit_for_bit() {
    let model = Model::reference_2021();
    let spec = model.spec();
    let params = spec.params;
    let dt = spec.turn_years;
    let mut memo = GapMemo::default();
    let mut state = spec.initial;
    for turn in 0..40 {
        // Several steps from one state, as the look-ahead takes them: some
        // leave the power ratio where it was, one moves technology.
        for option in 0..3 {
            let mut flows = ChannelFlows::default();
            if option == 1 {
                flows.flows[1][Channel::TechnologySharing.index()] = 0.05;
            }
            if option == 2 {
                flows.flows[0][Channel::Sanctions.index()] = 0.2;
            }
            let mut fresh = state;
            step(&mut fresh, &flows, &params, dt);
            let mut remembered = state;
            step_remembering(&mut remembered, &flows, &params, dt, &mut memo);
            assert_eq!(state_bits(&fresh), state_bits(&remembered), "turn {turn}");
        }
        // The turn's own step, then a jolt to the economy now and then.
        step_remembering(&mut state, &ChannelFlows::default(), &params, dt, &mut memo);
        if turn % 7 == 3 {
            state.china.gdp *= 1.01;
        }
    }
}

/// Records every turn's state (as its exact bits, through `Debug`) and choices.
struct Trajectory(Vec<(String, Vec<usize>)>);

impl Observer for Trajectory {
    fn turn(&mut self, record: &TurnRecord<'_>) {
        self.0
            .push((format!("{:?}", record.state), record.choices.to_vec()));
    }
}

#[test]
fn a_model_with_nothing_adaptive_plays_as_one_whose_reviews_change_nothing() {
    // Every decision pinned to its first option: no review turns at all. The
    // same model with one decision adaptive over a menu of its first option
    // alone reviews every half year (and after events and in crises), yet its
    // reviews can choose nothing else: both must play the same runs to the bit.
    use crate::policy::DecisionMode;
    let mut pinned = Model::reference_2021().spec().clone();
    for agent in &mut pinned.agents {
        for decision in &mut agent.decisions {
            decision.mode = DecisionMode::Pinned(0);
        }
    }
    let mut reviewing = pinned.clone();
    let first = &mut reviewing.agents[2].decisions[0];
    first.options.truncate(1);
    first.mode = DecisionMode::Adaptive { rationality: 5.0 };
    let (Ok(pinned), Ok(reviewing)) = (Model::new(pinned), Model::new(reviewing)) else {
        panic!("the variants of the reference model are valid");
    };
    assert!(!pinned.any_adaptive() && reviewing.any_adaptive());
    let mut splits = 0;
    for run in 0..300 {
        let mut a = Trajectory(Vec::new());
        let mut b = Trajectory(Vec::new());
        let summary = simulate(&pinned, 13, run, &mut a);
        assert_eq!(summary, simulate(&reviewing, 13, run, &mut b), "run {run}");
        assert_eq!(a.0, b.0, "run {run}");
        splits += usize::from(summary.split_turn.is_some());
    }
    // The runs are not trivial: some of them split.
    assert!(splits > 0);
}
