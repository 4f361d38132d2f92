//! The deterministic part of one turn: the submodels, in their fixed order.
//!
//! Each submodel is a small function of the state so that unit tests can check
//! that it moves the state in the direction the essay argues, holding the rest
//! fixed. [`step`] runs them all; the stochastic part (events, noise) is in
//! `run`.

use crate::actor::Partner;
use crate::channel::{CHANNEL_COUNT, Channel, ChannelFlows};
use crate::fastmath::tanh;
use crate::params::Params;
use crate::stages::{
    ECONOMY_FLOWS, ENERGY_FLOWS_FLOWS, EconomyStage, EnergyFlowsStage, HOSTILITY_FLOWS,
    TRADE_PULL_FLOWS, TradePullStage,
};
use crate::state::{PartnerState, WorldState};

/// A partner's composite power: economic size weighted by technology.
pub fn power(p: &PartnerState) -> f64 {
    p.gdp * (0.5 + p.tech)
}

/// Log power ratio of the other partner over this one, floored at 0: how far
/// this partner is the junior one (0 for the senior partner).
pub fn asymmetry(state: &WorldState, who: Partner) -> f64 {
    let mine = power(state.partner(who));
    let theirs = power(state.partner(who.other()));
    (theirs / mine).ln().max(0.0)
}

/// Absolute log power ratio of the two partners (0 for equals).
pub fn power_gap(state: &WorldState) -> f64 {
    (power(&state.china) / power(&state.russia)).ln().abs()
}

/// The last two power ratios (China's power over Russia's) whose logarithm
/// [`step_remembering`] took, with their [`power_gap`]s: the look-ahead's
/// steps from one state start from the same ratio, and a turn's step often
/// starts from the ratio the last one ended with, so the logarithm is taken
/// once; so is the `tanh` of the gap's `gap_pressure`. A ratio (or the
/// pressure's argument) is recognised by its bits, so the result is the same
/// to the last bit as a fresh one.
#[derive(Debug, Clone, Copy, Default)]
pub struct GapMemo {
    /// `(ratio bits, gap)` of the last step's start and end; `None` until taken.
    slots: [Option<(u64, f64)>; 2],
    /// `(bits of gap / asymmetry_scale, its tanh)` of the last [`gap_pressure`].
    pressure: Option<(u64, f64)>,
    /// `(bits of x, tanh(x))` of the last resentment targets (Russia's, China's)
    /// and alignment target: an option that leaves one partner's grievances
    /// (or the lesser willingness) as they were in the last step finds its `tanh` here.
    tanhs: [Option<(u64, f64)>; 3],
}

impl GapMemo {
    /// [`power_gap`] of `state`, remembered in slot `slot` (0 for a step's
    /// start, 1 for its end) unless either slot already holds its ratio.
    fn gap(&mut self, state: &WorldState, slot: usize) -> f64 {
        let ratio = power(&state.china) / power(&state.russia);
        let bits = ratio.to_bits();
        for (held, gap) in self.slots.iter().flatten() {
            if *held == bits {
                return *gap;
            }
        }
        let gap = ratio.ln().abs();
        self.slots[slot] = Some((bits, gap));
        gap
    }

    /// `tanh(x)`, unless the last one taken in slot `slot` had the same argument.
    #[inline(always)]
    fn tanh(&mut self, slot: usize, x: f64) -> f64 {
        let bits = x.to_bits();
        match self.tanhs[slot] {
            Some((held, value)) if held == bits => value,
            _ => {
                let value = tanh(x);
                self.tanhs[slot] = Some((bits, value));
                value
            }
        }
    }

    /// [`gap_pressure`] of `gap`, unless the last one had the same argument.
    fn pressure(&mut self, gap: f64, params: &Params) -> f64 {
        let x = gap / params.asymmetry_scale;
        let bits = x.to_bits();
        match self.pressure {
            Some((held, pressure)) if held == bits => pressure,
            _ => {
                let pressure = tanh(x);
                self.pressure = Some((bits, pressure));
                pressure
            }
        }
    }
}

/// Share of the pair's power held by the other partner, (0, 1): 0.5 for equals,
/// near 1 for a very junior partner.
pub fn juniority(state: &WorldState, who: Partner) -> f64 {
    let mine = power(state.partner(who));
    let theirs = power(state.partner(who.other()));
    theirs / (mine + theirs)
}

/// How far a partner's aggression exceeds the level the West tolerates
/// (`escalation_threshold`), scaled to [0, 1]: 0 for a frozen conflict, 1 at open war.
pub fn open_aggression(p: &PartnerState, params: &Params) -> f64 {
    ((p.aggression - params.escalation_threshold) / (1.0 - params.escalation_threshold)).max(0.0)
}

/// How cut off a partner is from Western commerce, in [0, 1]: formal
/// sanctions, plus the share of the rest that firms withhold from a partner
/// that escalates, whatever governments allow (`self_sanctioning`).
pub fn isolation(p: &PartnerState, params: &Params) -> f64 {
    p.sanctions + (1.0 - p.sanctions) * params.self_sanctioning * open_aggression(p, params)
}

/// How cut off a partner is from the US market, in [0, 1]: the West's joint
/// isolation ([`isolation`]) and, on what is left, the United States' own
/// restrictions (`us_decoupling`).
pub fn us_isolation(p: &PartnerState, params: &Params) -> f64 {
    1.0 - (1.0 - isolation(p, params)) * (1.0 - p.us_decoupling)
}

/// How much a partner needs the other: trade dependence amplified by its
/// isolation from the West and by its reliance on fossil exports, plus
/// reliance on its arms.
pub fn need(p: &PartnerState, params: &Params) -> f64 {
    let trade = p.trade_with_partner
        * (1.0 + params.sanctions_need_amplifier * isolation(p, params))
        * (0.5 + p.fossil_export_share);
    trade + p.arms_from_partner * (1.0 - p.defence_self_reliance)
}

/// A partner's Western market still open to it: its EU share less the EU's
/// part of the isolation, plus its US share less the US's.
pub fn open_western_trade(p: &PartnerState, params: &Params) -> f64 {
    p.trade_with_eu * (1.0 - isolation(p, params))
        + p.trade_with_us * (1.0 - us_isolation(p, params))
}

/// A partner's outside options: the West's engagement and market, and India.
pub fn outside_options(p: &PartnerState, params: &Params) -> f64 {
    p.west_engagement
        + open_western_trade(p, params)
        + params.india_channel_weight * p.india_relations.max(0.0)
}

/// The structural level of a partner's resentment of its position.
pub fn resentment_target(state: &WorldState, who: Partner, params: &Params) -> f64 {
    let needs = [need(&state.russia, params), need(&state.china, params)];
    let gap = power_gap(state);
    resentment_target_given_gap(state, who, params, (gap, gap_pressure(gap, params)), needs)
}

/// `tanh(gap / asymmetry_scale)`: how hard the power gap presses, read by the
/// junior partner's resentment and by the rivalries' drift.
fn gap_pressure(gap: f64, params: &Params) -> f64 {
    tanh(gap / params.asymmetry_scale)
}

/// [`resentment_target`] with the pair's power gap and its [`gap_pressure`] already computed.
fn resentment_target_given_gap(
    state: &WorldState,
    who: Partner,
    params: &Params,
    gap: (f64, f64),
    needs: [f64; 2],
) -> f64 {
    tanh(grievances_given_gap(state, who, params, gap, needs))
}

/// The sum of a partner's grievances, whose `tanh` is its [`resentment_target`].
fn grievances_given_gap(
    state: &WorldState,
    who: Partner,
    params: &Params,
    (power_gap, pressure): (f64, f64),
    needs: [f64; 2],
) -> f64 {
    let me = state.partner(who);
    let other = state.partner(who.other());
    let junior = power(me) < power(other);
    let (gap, decline) = if junior {
        (power_gap, params.decline_weight * state.status_decline)
    } else {
        (0.0, 0.0)
    };
    // The senior partner feels no asymmetry: skip the transcendental.
    let asym = if gap > 0.0 {
        params.asymmetry_weight * pressure
    } else {
        0.0
    };
    // Asymmetric dependence (Hirschman): the partner that needs the other more resents it.
    let dependence =
        params.dependence_weight * (needs[who.index()] - needs[who.other().index()]).max(0.0);
    let rivalry = params.rivalry_weight * juniority(state, who) * state.rivalries.mean();
    let doctrine = params.doctrinal_resentment_weight * state.doctrinal_rivalry;
    // Every term is non-negative; grievances saturate softly, so a new one always adds something.
    asym + decline + dependence + rivalry + doctrine
}

/// How willing a partner is to sustain the partnership (unbounded; the
/// alignment target is `tanh` of the smaller of the two): the sum of
/// [`willingness_terms`].
pub fn willingness(state: &WorldState, who: Partner, params: &Params) -> f64 {
    willingness_given_need(state, who, params, need(state.partner(who), params))
}

/// [`willingness`] with the partner's [`need`] already computed.
fn willingness_given_need(state: &WorldState, who: Partner, params: &Params, need: f64) -> f64 {
    willingness_terms_given_need(state, who, params, need)
        .iter()
        .map(|(_, v)| v)
        .sum()
}

/// Fear of abandonment: how much more this partner is at odds with the West than the other.
pub fn abandonment(state: &WorldState, who: Partner) -> f64 {
    (state.partner(who).west_tension - state.partner(who.other()).west_tension).max(0.0)
}

/// How open the partners are to third parties, in [1 − `commitment_discount`, 1]:
/// a committed partnership (alignment near 1) discounts outside options and
/// the fear of abandonment; an ambivalent or hostile one (alignment ≤ 0)
/// weighs them fully.
pub fn receptiveness(state: &WorldState, params: &Params) -> f64 {
    1.0 - params.commitment_discount * state.alignment.max(0.0)
}

/// The terms of a partner's willingness, named, in the order of [`willingness`].
pub fn willingness_terms(
    state: &WorldState,
    who: Partner,
    params: &Params,
) -> [(&'static str, f64); 10] {
    willingness_terms_given_need(state, who, params, need(state.partner(who), params))
}

/// [`willingness_terms`] with the partner's [`need`] already computed.
fn willingness_terms_given_need(
    state: &WorldState,
    who: Partner,
    params: &Params,
    need: f64,
) -> [(&'static str, f64); 10] {
    let p = state.partner(who);
    let open = receptiveness(state, params);
    [
        ("bias", params.willingness_bias),
        (
            "threat from the West",
            params.threat_weight * p.west_tension,
        ),
        (
            "ideological solidarity",
            params.ideology_weight * state.ideological_solidarity,
        ),
        ("leaders' rapport", params.rapport_weight * state.rapport),
        ("need (trade, sanctions, arms)", params.need_weight * need),
        (
            "leader's orientation",
            params.leader_weight * p.leader_orientation,
        ),
        ("resentment", -params.resentment_weight * p.resentment),
        (
            "outside options",
            -params.outside_option_weight * open * outside_options(p, params),
        ),
        (
            "doctrinal rivalry",
            -params.doctrinal_weight * state.doctrinal_rivalry,
        ),
        (
            "fear of abandonment",
            -params.abandonment_weight * open * abandonment(state, who),
        ),
    ]
}

/// The alignment both partners are willing to sustain: the less willing one sets it.
pub fn alignment_target(state: &WorldState, params: &Params) -> f64 {
    let needs = [need(&state.russia, params), need(&state.china, params)];
    alignment_target_given_needs(state, params, needs)
}

/// [`alignment_target`] with both partners' [`need`] already computed.
fn alignment_target_given_needs(state: &WorldState, params: &Params, needs: [f64; 2]) -> f64 {
    tanh(least_willingness(state, params, needs))
}

/// The smaller of the partners' willingness, given their [`need`]s: the
/// argument of the [`alignment_target`]'s `tanh`.
#[inline]
fn least_willingness(state: &WorldState, params: &Params, needs: [f64; 2]) -> f64 {
    let r = willingness_given_need(state, Partner::Russia, params, needs[0]);
    let c = willingness_given_need(state, Partner::China, params, needs[1]);
    r.min(c)
}

/// The partner less willing to sustain the partnership (the would-be defector).
pub fn less_willing(state: &WorldState, params: &Params) -> Partner {
    let r = willingness(state, Partner::Russia, params);
    let c = willingness(state, Partner::China, params);
    if r <= c {
        Partner::Russia
    } else {
        Partner::China
    }
}

/// Economies, technology and defence industries grow; sanctions cost growth;
/// arms reliance falls as self-reliance rises; the widening of the power gap
/// adds to the junior partner's status decline, which fades as it is accepted.
pub fn economy(state: &mut WorldState, params: &Params, dt: f64) {
    economy_remembering(state, params, dt, power_gap(state), &mut GapMemo::default());
}

/// [`economy`] with the power gap before it already computed, taking the gap
/// after it through `memo`; returns the gap after it.
fn economy_remembering(
    state: &mut WorldState,
    params: &Params,
    dt: f64,
    gap_before: f64,
    memo: &mut GapMemo,
) -> f64 {
    let defence_before = [
        state.russia.defence_self_reliance,
        state.china.defence_self_reliance,
    ];
    for who in Partner::BOTH {
        let theft = state.rivalries.tech_theft;
        let other_defence = defence_before[who.other().index()];
        let p = state.partner_mut(who);
        let growth = net_growth(p, params);
        p.gdp *= 1.0 + growth * dt;
        p.tech += params.tech_gain * growth.max(0.0) * (1.0 - p.tech) * dt;
        // Weapons technology is stolen from the partner whose defence industry is ahead.
        let stolen = params.theft_gain * theft * (other_defence - p.defence_self_reliance).max(0.0);
        let learning = (params.defence_learning * (1.0 - p.defence_self_reliance) + stolen) * dt;
        let remaining = 1.0 - p.defence_self_reliance;
        if remaining > 1e-9 {
            p.arms_from_partner *= (1.0 - learning / remaining).max(0.0);
        }
        p.defence_self_reliance += learning;
    }
    // The junior partner resents the gap's widening until it comes to accept it.
    let gap_after = memo.gap(state, 1);
    state.status_decline +=
        gap_after - gap_before - params.status_adaptation * state.status_decline * dt;
    state.status_decline = state.status_decline.max(0.0);
    gap_after
}

/// A partner's growth net of what sanctions cost it, fraction per year.
pub fn net_growth(p: &PartnerState, params: &Params) -> f64 {
    p.growth - params.sanctions_growth_cost * p.sanctions
}

/// The energy transition advances and shrinks fossil export shares; prices
/// revert; each partner's fossil exports find their destinations
/// ([`energy_flows`]).
pub fn energy(state: &mut WorldState, params: &Params, dt: f64) {
    let h = trade_hostility_factor(state.alignment, params);
    energy_given_hostility(state, params, dt, h);
}

/// [`energy`] with the [`trade_hostility_factor`] of the alignment already computed.
pub(crate) fn energy_given_hostility(state: &mut WorldState, params: &Params, dt: f64, h: f64) {
    energy_world(state, params, dt);
    energy_flows_given_hostility(state, params, dt, h);
}

/// [`energy`] before the flows find their destinations: the transition,
/// the fossil export shares and the price.
#[inline(always)]
fn energy_world(state: &mut WorldState, params: &Params, dt: f64) {
    // The transition is capped at 0.999 before and after the pace is added, so the ratio of
    // what remains is in (0, 1] even when a channel pushed it to or past the cap this step.
    let start = state.energy_transition.min(0.999);
    state.energy_transition = (start + params.transition_pace * dt).min(0.999);
    let ratio = (1.0 - state.energy_transition) / (1.0 - start);
    let factor = if params.fossil_elasticity == 1.0 {
        ratio
    } else {
        ratio.powf(params.fossil_elasticity)
    };
    state.russia.fossil_export_share *= factor;
    state.china.fossil_export_share *= factor;
    state.energy_price += params.price_reversion * (1.0 - state.energy_price) * dt;
}

/// The price a partner's fossil exports fetch from the other partner and from
/// India, as a fraction of the price in the EU and the rest of the world:
/// 1 − `energy_discount` · isolation, floored at 0.
pub fn energy_discount_factor(p: &PartnerState, params: &Params) -> f64 {
    (1.0 - params.energy_discount * isolation(p, params)).max(0.0)
}

/// A partner's fossil export revenue, relative: fossil share × energy price ×
/// the value of what it sells (sales to the EU and the rest of the world at
/// the world price, to the partner and India at [`energy_discount_factor`];
/// unsold exports earn nothing).
pub fn energy_revenue(p: &PartnerState, price: f64, params: &Params) -> f64 {
    let discounted = energy_discount_factor(p, params);
    let sold =
        p.energy_to_eu + p.energy_to_rest + discounted * (p.energy_to_partner + p.energy_to_india);
    p.fossil_export_share * price * sold
}

/// Where each partner's fossil exports go: shares of its potential fossil
/// exports sold to the EU, the partner, India and the rest of the world,
/// summing to at most 1 (the remainder finds no buyer).
///
/// 1. Shares are floored at 0; if they sum past 1 (the `eu_energy` channel
///    pushed the EU's share up) the partner's, India's and the rest's are
///    scaled down so they sum to 1 − the EU's.
/// 2. Estrangement ([`trade_hostility_factor`] h) prices the flow to the
///    partner out at `trade_rate`: e_p −= min(`trade_rate`·dt, 1)·(1 − h)·e_p.
/// 3. Unsold exports u = 1 − Σ shares look for buyers in proportion to their
///    pull: the partner `partner_reroute_weight`·h·pipeline capacity, India
///    `india_reroute_weight`·(1 + `india_relations`)⁺·e_i, the rest e_r.
/// 4. Each buyer takes its part at `energy_reroute_rate`, as far as its route
///    has spare capacity: the pipelines (and ports) to the partner, and the
///    seaborne routes that India and the rest share.
/// 5. Each route's capacity follows the flow it is asked to carry (what it
///    carries plus the unsold exports that want it): the pipelines over
///    `capacity_build_years`, the seaborne routes over `seaborne_build_years`.
pub fn energy_flows(state: &mut WorldState, params: &Params, dt: f64) {
    let h = trade_hostility_factor(state.alignment, params);
    energy_flows_given_hostility(state, params, dt, h);
}

/// [`energy_flows`] with the [`trade_hostility_factor`] h of the alignment already computed.
fn energy_flows_given_hostility(state: &mut WorldState, params: &Params, dt: f64, h: f64) {
    let rates = EnergyRates::new(params, dt);
    for who in Partner::BOTH {
        energy_flows_of(state.partner_mut(who), params, &rates, h);
    }
}

/// The rates of [`energy_flows`] over a step: the same for both partners.
#[derive(Debug, Clone, Copy)]
pub struct EnergyRates {
    /// Share of the flow to the partner that estrangement prices out per unit of (1 − h).
    pub estrange: f64,
    /// Share of the wanted reroute that happens in the step.
    pub reroute: f64,
    /// How far the pipelines follow the flow asked of them in the step.
    pub pipe_build: f64,
    /// How far the seaborne routes follow the flow asked of them in the step.
    pub sea_build: f64,
}

impl EnergyRates {
    /// The rates of a step of length `dt`.
    #[inline(always)]
    pub fn new(params: &Params, dt: f64) -> EnergyRates {
        EnergyRates {
            estrange: (params.trade_rate * dt).min(1.0),
            reroute: (params.energy_reroute_rate * dt).min(1.0),
            pipe_build: (dt / params.capacity_build_years.max(1e-9)).min(1.0),
            sea_build: (dt / params.seaborne_build_years.max(1e-9)).min(1.0),
        }
    }
}

/// [`energy_flows`] of one partner, which reads only that partner's variables.
#[inline(always)]
pub(crate) fn energy_flows_of(p: &mut PartnerState, params: &Params, rates: &EnergyRates, h: f64) {
    let EnergyRates {
        estrange,
        reroute,
        pipe_build,
        sea_build,
    } = *rates;
    p.energy_to_eu = p.energy_to_eu.clamp(0.0, 1.0);
    p.energy_to_partner = p.energy_to_partner.max(0.0);
    p.energy_to_india = p.energy_to_india.max(0.0);
    p.energy_to_rest = p.energy_to_rest.max(0.0);
    let others = p.energy_to_partner + p.energy_to_india + p.energy_to_rest;
    let room = 1.0 - p.energy_to_eu;
    if others > room && others > 0.0 {
        let keep = room / others;
        p.energy_to_partner *= keep;
        p.energy_to_india *= keep;
        p.energy_to_rest *= keep;
    }
    p.energy_to_partner -= estrange * (1.0 - h) * p.energy_to_partner;
    let sold = p.energy_to_eu + p.energy_to_partner + p.energy_to_india + p.energy_to_rest;
    let unsold = (1.0 - sold).max(0.0);
    let pulls = [
        params.partner_reroute_weight * h * p.energy_pipeline_capacity,
        params.india_reroute_weight * (1.0 + p.india_relations).max(0.0) * p.energy_to_india,
        p.energy_to_rest,
    ];
    let total: f64 = pulls.iter().sum();
    let wanted = if total > 1e-12 {
        pulls.map(|pull| unsold * pull / total)
    } else {
        [0.0; 3]
    };
    let pipe_room = (p.energy_pipeline_capacity - p.energy_to_partner).max(0.0);
    let sea_room = (p.energy_seaborne_capacity - p.energy_to_india - p.energy_to_rest).max(0.0);
    let sea_wanted = wanted[1] + wanted[2];
    let sea_taken = sea_wanted.min(sea_room);
    let to_partner = reroute * wanted[0].min(pipe_room);
    let (to_india, to_rest) = if sea_wanted > 1e-12 {
        (
            reroute * sea_taken * wanted[1] / sea_wanted,
            reroute * sea_taken * wanted[2] / sea_wanted,
        )
    } else {
        (0.0, 0.0)
    };
    let pipe_asked = p.energy_to_partner + wanted[0];
    let sea_asked = p.energy_to_india + p.energy_to_rest + sea_wanted;
    p.energy_to_partner += to_partner;
    p.energy_to_india += to_india;
    p.energy_to_rest += to_rest;
    p.energy_pipeline_capacity += pipe_build * (pipe_asked - p.energy_pipeline_capacity);
    p.energy_seaborne_capacity += sea_build * (sea_asked - p.energy_seaborne_capacity);
}

/// How far estrangement prices bilateral trade out, in (0, 1]: 1 while the
/// partnership works (alignment ≥ `trade_alignment_floor`), then
/// exp(−`trade_hostility_weight` · (floor − alignment)).
pub fn trade_hostility_factor(alignment: f64, params: &Params) -> f64 {
    let shortfall = params.trade_alignment_floor - alignment;
    if shortfall <= 0.0 {
        1.0
    } else {
        (-params.trade_hostility_weight * shortfall).exp()
    }
}

/// The structural levels of a partner's trade shares, `[partner, EU, US,
/// India, rest]`, summing to 1: each destination's attractiveness over the sum.
///
/// - the EU keeps the trade it carries now, less the access lost to
///   isolation, `west_access_loss · isolation · trade_with_eu`; the US
///   likewise with its own isolation ([`us_isolation`]: the joint sanctions
///   and its own decoupling), `west_access_loss · us_isolation · trade_with_us`;
/// - the partner keeps its links' capacity, priced out by estrangement
///   ([`trade_hostility_factor`]);
/// - India and the rest of the world (Turkey, the Gulf and all others) keep
///   the trade they carry now;
/// - the trade lost in the EU and the US reroutes to the partner, India and
///   the rest of the world in proportion to their pull for it:
///   `partner_reroute_weight` × the partner's (priced) capacity,
///   `india_reroute_weight` × (1 + `india_relations`) × India's share, and
///   the rest of the world's share.
///
/// With capacity equal to the partner share, no isolation and no
/// estrangement, every share is at its structural level.
pub fn trade_targets(state: &WorldState, who: Partner, params: &Params) -> [f64; 5] {
    trade_levels(
        state,
        who,
        params,
        trade_hostility_factor(state.alignment, params),
    )
    .0
}

/// [`trade_targets`] given the [`trade_hostility_factor`] h of the
/// alignment, and the part of the partner's level that is trade rerouted
/// from the West (the share of this partner's trade it adds).
fn trade_levels(state: &WorldState, who: Partner, params: &Params, h: f64) -> ([f64; 5], f64) {
    trade_levels_of(state.partner(who), params, h)
}

/// [`trade_levels`] of a partner's own variables, which are all it reads.
#[inline(always)]
fn trade_levels_of(p: &PartnerState, params: &Params, h: f64) -> ([f64; 5], f64) {
    let lost_eu = params.west_access_loss * isolation(p, params) * p.trade_with_eu;
    let lost_us = params.west_access_loss * us_isolation(p, params) * p.trade_with_us;
    let lost = lost_eu + lost_us;
    let partner_base = p.partner_capacity * h;
    let partner_pull = params.partner_reroute_weight * partner_base;
    let india_pull =
        params.india_reroute_weight * (1.0 + p.india_relations).max(0.0) * p.trade_with_india;
    let pulls = partner_pull + india_pull + p.trade_with_rest;
    let (to_partner, to_india) = if pulls > 1e-12 {
        (lost * partner_pull / pulls, lost * india_pull / pulls)
    } else {
        (0.0, 0.0)
    };
    let partner = partner_base + to_partner;
    let eu = p.trade_with_eu - lost_eu;
    let us = p.trade_with_us - lost_us;
    let india = p.trade_with_india + to_india;
    let rest = p.trade_with_rest + (lost - to_partner - to_india);
    let total = partner + eu + us + india + rest;
    if total > 1e-12 {
        (
            [
                partner / total,
                eu / total,
                us / total,
                india / total,
                rest / total,
            ],
            to_partner / total,
        )
    } else {
        ([0.0, 0.0, 0.0, 0.0, 1.0], 0.0)
    }
}

/// A partner's five trade shares, `[partner, EU, US, India, rest]`, mutably.
fn shares_mut(p: &mut PartnerState) -> [&mut f64; 5] {
    [
        &mut p.trade_with_partner,
        &mut p.trade_with_eu,
        &mut p.trade_with_us,
        &mut p.trade_with_india,
        &mut p.trade_with_rest,
    ]
}

/// Floor a partner's five shares at 0 and divide them by their sum.
fn normalise_shares(p: &mut PartnerState) {
    let mut shares = shares_mut(p);
    let mut total = 0.0;
    for share in shares.iter_mut() {
        **share = share.max(0.0);
        total += **share;
    }
    if total > 1e-12 {
        for share in shares {
            *share /= total;
        }
    } else {
        *shares[4] = 1.0;
    }
}

/// Raise a partner's share with the other partner by `gain` (which may be
/// negative), taking it from (or giving it to) the EU, US, India and rest
/// shares in proportion, so the five still sum to 1.
fn shift_to_partner(p: &mut PartnerState, gain: f64) {
    let others = 1.0 - p.trade_with_partner;
    let gain = gain.clamp(-p.trade_with_partner, others.max(0.0));
    if others > 1e-12 {
        let keep = (others - gain) / others;
        p.trade_with_eu *= keep;
        p.trade_with_us *= keep;
        p.trade_with_india *= keep;
        p.trade_with_rest *= keep;
        p.trade_with_partner += gain;
    }
}

/// A partner's trade with each destination as a value, `[partner, EU, US,
/// India, rest]`: GDP × `openness` × share (GDP is the proxy for the size of
/// the economy, openness its foreign trade over GDP).
pub fn trade_values(p: &PartnerState) -> [f64; 5] {
    let total = p.gdp * p.openness;
    [
        total * p.trade_with_partner,
        total * p.trade_with_eu,
        total * p.trade_with_us,
        total * p.trade_with_india,
        total * p.trade_with_rest,
    ]
}

/// The gravity factor on a partner's share with the other over a step:
/// 1 + `gravity_elasticity` · (the other's net growth − `world_growth`) · dt,
/// floored at 0. A partner growing faster than the world pulls trade.
pub fn gravity_factor(state: &WorldState, who: Partner, params: &Params, dt: f64) -> f64 {
    let other = net_growth(state.partner(who.other()), params);
    (1.0 + params.gravity_elasticity * (other - params.world_growth) * dt).max(0.0)
}

/// Trade shares relax at `trade_rate` towards their structural levels
/// ([`trade_targets`]), so they fall as well as rise; the links with the
/// partner follow the partner share over `capacity_build_years`.
///
/// Trade one partner reroutes to the other is trade the other receives: its
/// value, `rerouted · V_self` (V = GDP × `openness`, the value of a partner's
/// foreign trade), is added to the other partner's share with this partner
/// as `rerouted · V_self / V_other` (taken from the other's
/// EU, US, Indian and rest-of-world shares in proportion), so the bilateral
/// flow rises on both sides.
///
/// Gravity: each partner's share with the other, and the links that carry
/// it, are then multiplied by [`gravity_factor`] (the rise or fall taken from
/// the other shares in proportion), so a partner whose economy outgrows the
/// world's takes a growing share of the other's trade.
///
/// The five shares are first renormalised to sum to 1, so a channel's push
/// on one share (`partner_trade`, `west_trade`) is taken from the others in
/// proportion to their size.
pub fn trade(state: &mut WorldState, params: &Params, dt: f64) {
    let h = trade_hostility_factor(state.alignment, params);
    trade_given_hostility(state, params, dt, h);
}

/// [`trade`] with the [`trade_hostility_factor`] h of the alignment already computed.
pub(crate) fn trade_given_hostility(state: &mut WorldState, params: &Params, dt: f64, h: f64) {
    let pull = (params.trade_rate * dt).min(1.0);
    let rerouted = Partner::BOTH.map(|who| trade_pull(state.partner_mut(who), params, h, pull));
    trade_exchange(state, params, dt, rerouted);
}

/// The first part of [`trade`] for one partner, which reads only that
/// partner's variables: its shares renormalised, then pulled (by `pull`)
/// towards their structural levels; returns the share of its trade rerouted
/// from the West to the other partner.
#[inline(always)]
pub(crate) fn trade_pull(p: &mut PartnerState, params: &Params, h: f64, pull: f64) -> f64 {
    normalise_shares(p);
    let (targets, rerouted) = trade_levels_of(p, params, h);
    for (share, target) in shares_mut(p).into_iter().zip(targets) {
        *share += pull * (target - *share);
    }
    rerouted
}

/// The rest of [`trade`] after each partner's [`trade_pull`]: the trade
/// rerouted to each partner mirrored on the other's side, gravity, and the
/// links with the partner.
#[inline(always)]
fn trade_exchange(state: &mut WorldState, params: &Params, dt: f64, rerouted: [f64; 2]) {
    let gravity = Partner::BOTH.map(|who| gravity_factor(state, who, params, dt));
    let pull = (params.trade_rate * dt).min(1.0);
    let build = (dt / params.capacity_build_years.max(1e-9)).min(1.0);
    let volume = [
        state.russia.gdp * state.russia.openness,
        state.china.gdp * state.china.openness,
    ];
    for who in Partner::BOTH {
        let other = who.other();
        let mirror = if volume[who.index()] > 1e-12 {
            (pull * rerouted[other.index()] * volume[other.index()] / volume[who.index()]).max(0.0)
        } else {
            0.0
        };
        let p = state.partner_mut(who);
        if mirror > 0.0 {
            shift_to_partner(p, mirror);
        }
        let factor = gravity[who.index()];
        shift_to_partner(p, p.trade_with_partner * (factor - 1.0));
        p.partner_capacity *= factor;
        p.partner_capacity += build * (p.trade_with_partner - p.partner_capacity);
    }
}

/// Tension with the West follows aggression, sanctions and engagement;
/// aggression and engagement decay without new effort.
pub fn tension(state: &mut WorldState, params: &Params, dt: f64) {
    for who in Partner::BOTH {
        let p = state.partner_mut(who);
        let target = params.tension_base
            + p.structural_rivalry
            + params.tension_from_aggression * p.aggression
            + params.tension_from_sanctions * p.sanctions
            - params.tension_relief_from_engagement * p.west_engagement;
        p.west_tension += params.tension_rate * (target.clamp(0.0, 1.0) - p.west_tension) * dt;
        p.aggression -= params.aggression_decay * p.aggression * dt;
        p.west_engagement -= params.engagement_decay * p.west_engagement * dt;
    }
}

/// Ideological solidarity settles to its floor without framing; doctrinal
/// rivalry grows where a shared camp has two contenders of comparable power.
pub fn ideology(state: &mut WorldState, params: &Params, dt: f64) {
    ideology_given_gap(state, params, dt, power_gap(state));
}

/// [`ideology`] with the power gap already computed.
fn ideology_given_gap(state: &mut WorldState, params: &Params, dt: f64, gap: f64) {
    state.ideological_solidarity +=
        params.solidarity_rate * (params.solidarity_floor - state.ideological_solidarity) * dt;
    let contest = params.camp_contest * state.ideological_solidarity / (1.0 + gap);
    state.doctrinal_rivalry += params.doctrinal_rate * (contest - state.doctrinal_rivalry) * dt;
}

/// Latent rivalries drift up with the power gap (the senior encroaches) and fade slowly.
pub fn rivalries(state: &mut WorldState, params: &Params, dt: f64) {
    rivalries_given_pressure(state, params, dt, gap_pressure(power_gap(state), params));
}

/// [`rivalries`] with the power gap's [`gap_pressure`] already computed.
fn rivalries_given_pressure(state: &mut WorldState, params: &Params, dt: f64, pressure: f64) {
    let drift = params.rivalry_drift * pressure;
    let r = &mut state.rivalries;
    for v in [
        &mut r.central_asia,
        &mut r.arctic,
        &mut r.far_east,
        &mut r.tech_theft,
        &mut r.missiles,
    ] {
        *v += (drift - params.rivalry_decay * *v) * dt;
    }
}

/// Resentment approaches its structural level.
pub fn resentment(state: &mut WorldState, params: &Params, dt: f64) {
    let gap = power_gap(state);
    resentment_given_gap(state, params, dt, (gap, gap_pressure(gap, params)));
}

/// [`resentment`] with the power gap and its [`gap_pressure`] already
/// computed; returns both partners' [`need`], which it does not move.
fn resentment_given_gap(
    state: &mut WorldState,
    params: &Params,
    dt: f64,
    gap: (f64, f64),
) -> [f64; 2] {
    resentment_remembering(state, params, dt, gap, &mut GapMemo::default())
}

/// [`resentment_given_gap`], taking each target's `tanh` through `memo`.
#[inline(always)]
fn resentment_remembering(
    state: &mut WorldState,
    params: &Params,
    dt: f64,
    gap: (f64, f64),
    memo: &mut GapMemo,
) -> [f64; 2] {
    let needs = [need(&state.russia, params), need(&state.china, params)];
    for who in Partner::BOTH {
        let grievances = grievances_given_gap(state, who, params, gap, needs);
        let target = memo.tanh(who.index(), grievances);
        let p = state.partner_mut(who);
        p.resentment += params.resentment_rate * (target - p.resentment) * dt;
    }
    needs
}

/// Leaders age in office; rapport grows while aligned; a leader's orientation
/// follows their confrontation brand times tension less doctrinal rivalry;
/// accommodation (relief, dialogue) offered to a partner that escalates
/// strengthens its leader's confrontation brand and teaches its elites that
/// aggression pays.
#[inline(always)]
pub fn leaders(state: &mut WorldState, flows: &ChannelFlows, params: &Params, dt: f64) {
    state.rapport += (params.rapport_growth * state.alignment.max(0.0) * (1.0 - state.rapport)
        - params.rapport_erosion * state.doctrinal_rivalry * state.rapport)
        * dt;
    let doctrine = state.doctrinal_rivalry;
    for who in Partner::BOTH {
        let offered = flows.accommodation(who);
        let escalating = open_aggression(state.partner(who), params);
        let p = state.partner_mut(who);
        p.leader_tenure += dt;
        // A confrontation brand leans on the partner against the West, and turns on a doctrinal rival.
        let target = 2.0 * p.confrontation_brand * (p.west_tension - doctrine) - 0.3;
        p.leader_orientation +=
            params.brand_orientation_rate * (target.clamp(-1.0, 1.0) - p.leader_orientation) * dt;
        let rewarded = offered * escalating * dt;
        p.confrontation_brand += params.brand_reward * rewarded * (1.0 - p.confrontation_brand);
        p.elite_orientation -= params.aggression_lesson * rewarded;
    }
}

/// Alignment approaches the level both partners are willing to sustain.
pub fn alignment(state: &mut WorldState, params: &Params, dt: f64) {
    let needs = [need(&state.russia, params), need(&state.china, params)];
    alignment_given_needs(state, params, dt, needs);
}

/// [`alignment`] with both partners' [`need`] already computed.
fn alignment_given_needs(state: &mut WorldState, params: &Params, dt: f64, needs: [f64; 2]) {
    alignment_remembering(state, params, dt, needs, &mut GapMemo::default());
}

/// [`alignment_given_needs`], taking the target's `tanh` through `memo`.
#[inline(always)]
fn alignment_remembering(
    state: &mut WorldState,
    params: &Params,
    dt: f64,
    needs: [f64; 2],
    memo: &mut GapMemo,
) {
    let target = memo.tanh(2, least_willingness(state, params, needs));
    state.alignment += params.alignment_rate * (target - state.alignment) * dt;
}

/// One deterministic turn: channel flows, then every submodel in a fixed order,
/// then every variable clamped into its bounds.
pub fn step(state: &mut WorldState, flows: &ChannelFlows, params: &Params, dt: f64) {
    step_remembering(state, flows, params, dt, &mut GapMemo::default());
}

/// [`step`], taking the power gaps through `memo` (the same result, to the last bit).
pub fn step_remembering(
    state: &mut WorldState,
    flows: &ChannelFlows,
    params: &Params,
    dt: f64,
    memo: &mut GapMemo,
) {
    step_staged(state, flows, params, dt, memo, None, None);
}

/// The states a step passed through before and after its costliest
/// submodels (the economy, each partner's energy flows and trade pull), with
/// the power gap after the economy and the hostility factor: what
/// [`step_reusing`] reuses.
#[derive(Debug, Clone, Copy)]
pub struct StepTrace {
    /// The factors the flows were applied with.
    factors: FlowFactors,
    /// The state after the flows, before the economy.
    before_economy: WorldState,
    /// The state after the economy.
    after_economy: WorldState,
    /// The power gap after the economy.
    gap: f64,
    /// The hostility factor the energy and trade steps priced estrangement with.
    hostility: f64,
    /// Each partner before and after its energy flows.
    energy_flows: [(PartnerState, PartnerState); 2],
    /// Each partner before and after its trade pull, with the share it rerouted.
    trade_pull: [(PartnerState, PartnerState, f64); 2],
}

impl StepTrace {
    /// A trace for [`LookAhead`](crate::lookahead::LookAhead)'s course steps
    /// to be recorded into (its contents until then are placeholders).
    pub fn new(state: &WorldState) -> StepTrace {
        StepTrace {
            factors: FlowFactors::default(),
            before_economy: *state,
            after_economy: *state,
            gap: 0.0,
            hostility: 1.0,
            energy_flows: [(state.russia, state.russia), (state.china, state.china)],
            trade_pull: [
                (state.russia, state.russia, 0.0),
                (state.china, state.china, 0.0),
            ],
        }
    }
}

/// Which submodels [`step_reusing`] took from the trace: the economy.
pub(crate) const REUSED_ECONOMY: u8 = 1;
/// Which submodels [`step_reusing`] took from the trace: Russia's energy
/// flows (China's is the next bit).
pub(crate) const REUSED_ENERGY: u8 = 2;
/// Which submodels [`step_reusing`] took from the trace: Russia's trade pull
/// (China's is the next bit).
pub(crate) const REUSED_TRADE: u8 = 8;

/// [`step_remembering`], recording the states it passes through in `trace`.
pub(crate) fn step_recording(
    state: &mut WorldState,
    flows: &ChannelFlows,
    params: &Params,
    dt: f64,
    memo: &mut GapMemo,
    trace: &mut StepTrace,
) {
    step_staged(state, flows, params, dt, memo, Some(trace), None);
}

/// [`step_remembering`] from `start`, the state the step `course` recorded
/// started from (of the same length, with the same coefficients), under
/// `flows`, which differ from the course's only at `slots` (as in
/// `option_flows::flow_slot`). The flows
/// are applied by putting the slots' channels into the course's state after
/// its flows, and a submodel whose every input (`stages`) holds the same bits
/// as in the course step has the course step's outputs, which are copied
/// instead of computed: without comparing them when none of the changed
/// slots moves any of them (`stages::ECONOMY_FLOWS` and the like), by
/// comparing them otherwise. The same result, to the last bit, as the full step.
/// The result is written into `ahead`; returns which submodels were reused
/// (`REUSED_*`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn step_reusing(
    ahead: &mut WorldState,
    start: &WorldState,
    (flows, slots): (&ChannelFlows, &[(usize, f64)]),
    params: &Params,
    dt: f64,
    memo: &mut GapMemo,
    course: &StepTrace,
) -> u8 {
    *ahead = course.before_economy;
    reapply_flows(ahead, start, flows, dt, &course.factors, slots);
    let mut moved = 0u64;
    for &(slot, _) in slots {
        moved |= 1 << slot;
    }
    step_staged(ahead, flows, params, dt, memo, None, Some((course, moved)))
}

/// The step, recording its intermediate states into `record` and reusing
/// the submodels of `reuse` whose inputs are unchanged; `reuse` comes with
/// the flow slots (a bit each) in which this step's flows differ from its.
#[inline(always)]
fn step_staged(
    state: &mut WorldState,
    flows: &ChannelFlows,
    params: &Params,
    dt: f64,
    memo: &mut GapMemo,
    mut record: Option<&mut StepTrace>,
    reuse: Option<(&StepTrace, u64)>,
) -> u8 {
    let mut reused = 0;
    // A reusing step starts from the course's flows, its own put in (`step_reusing`).
    if reuse.is_none() {
        let factors = FlowFactors::new(state, params);
        apply_flows_with(state, flows, dt, &factors);
        if let Some(trace) = record.as_deref_mut() {
            trace.factors = factors;
            trace.before_economy = *state;
        }
    }
    // Only the economy moves GDP and technology, so the power gap after it
    // serves every later submodel.
    let gap = match reuse {
        Some((course, moved))
            if moved & ECONOMY_FLOWS == 0
                || EconomyStage::same_inputs(state, &course.before_economy) =>
        {
            EconomyStage::copy_outputs(state, &course.after_economy);
            reused |= REUSED_ECONOMY;
            course.gap
        }
        _ => {
            let gap_before = memo.gap(state, 0);
            economy_remembering(state, params, dt, gap_before, memo)
        }
    };
    // Neither the energy step nor the trade step moves the alignment, so both
    // price estrangement with one hostility factor.
    // Unless the changed flows move the alignment, it is the course's.
    let same_hostility = reuse.is_some_and(|(_, moved)| moved & HOSTILITY_FLOWS == 0);
    let hostility = match reuse {
        Some((course, _)) if same_hostility => course.hostility,
        _ => trade_hostility_factor(state.alignment, params),
    };
    let same_hostility = same_hostility
        || reuse.is_some_and(|(course, _)| hostility.to_bits() == course.hostility.to_bits());
    if let Some(trace) = record.as_deref_mut() {
        trace.after_economy = *state;
        trace.gap = gap;
        trace.hostility = hostility;
    }
    // The energy flows and the trade pull of a partner read only that
    // partner's variables (and the hostility factor).
    energy_world(state, params, dt);
    let rates = EnergyRates::new(params, dt);
    for who in Partner::BOTH {
        let i = who.index();
        let p = state.partner_mut(who);
        if let Some(trace) = record.as_deref_mut() {
            trace.energy_flows[i].0 = *p;
        }
        match reuse {
            Some((course, moved))
                if same_hostility
                    && (moved & ENERGY_FLOWS_FLOWS[i] == 0
                        || EnergyFlowsStage::same_inputs(p, &course.energy_flows[i].0)) =>
            {
                EnergyFlowsStage::copy_outputs(p, &course.energy_flows[i].1);
                reused |= REUSED_ENERGY << i;
            }
            _ => energy_flows_of(p, params, &rates, hostility),
        }
        if let Some(trace) = record.as_deref_mut() {
            trace.energy_flows[i].1 = *p;
        }
    }
    let pull = (params.trade_rate * dt).min(1.0);
    let mut rerouted = [0.0; 2];
    for who in Partner::BOTH {
        let i = who.index();
        let p = state.partner_mut(who);
        if let Some(trace) = record.as_deref_mut() {
            trace.trade_pull[i].0 = *p;
        }
        rerouted[i] = match reuse {
            Some((course, moved))
                if same_hostility
                    && (moved & TRADE_PULL_FLOWS[i] == 0
                        || TradePullStage::same_inputs(p, &course.trade_pull[i].0)) =>
            {
                TradePullStage::copy_outputs(p, &course.trade_pull[i].1);
                reused |= REUSED_TRADE << i;
                course.trade_pull[i].2
            }
            _ => trade_pull(p, params, hostility, pull),
        };
        if let Some(trace) = record.as_deref_mut() {
            trace.trade_pull[i].1 = *p;
            trace.trade_pull[i].2 = rerouted[i];
        }
    }
    trade_exchange(state, params, dt, rerouted);
    tension(state, params, dt);
    ideology_given_gap(state, params, dt, gap);
    let pressure = memo.pressure(gap, params);
    rivalries_given_pressure(state, params, dt, pressure);
    // The partners' needs read trade, sanctions, aggression, fossil shares and
    // arms, which neither resentment nor the leaders move: the alignment reuses them.
    let needs = resentment_remembering(state, params, dt, (gap, pressure), memo);
    leaders(state, flows, params, dt);
    alignment_remembering(state, params, dt, needs, memo);
    state.clamp_all();
    reused
}

/// What the flows' application reads from the state before it, by partner
/// index: how far dialogue offered is reciprocated, and how strongly
/// warnings land.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct FlowFactors {
    /// Share of the West's dialogue a partner reciprocates.
    reciprocated: [f64; 2],
    /// Strength of the warnings delivered to a partner.
    messenger: [f64; 2],
}

impl FlowFactors {
    /// The factors of the state the flows are applied to.
    fn new(state: &WorldState, params: &Params) -> FlowFactors {
        // A committed partner takes up less of the West's dialogue (Izumikawa 2013).
        let open = receptiveness(state, params);
        let mut factors = FlowFactors::default();
        for p in Partner::BOTH {
            let s = state.partner(p);
            // Warnings land through India's ties with the target, when India is in step with the US.
            factors.messenger[p.index()] = (1.0
                + params.india_channel_weight * s.india_relations.max(0.0))
                * (0.5 + 0.5 * state.india_us);
            // Engagement offered to an aggressive partner is pocketed, not reciprocated.
            factors.reciprocated[p.index()] =
                (1.0 - params.engagement_pocketing * s.aggression) * open;
        }
        factors
    }
}

/// Generates, from one table, the partner variables each partner channel
/// moves: adding a change to them and putting them back (a world channel
/// moves none).
macro_rules! partner_channel_table {
    ($( $Channel:ident => $($field:ident),+; )*) => {
        /// Add `change` to the variables a partner channel moves.
        #[inline(always)]
        fn add_to_partner_channel(s: &mut PartnerState, channel: Channel, change: f64) {
            match channel {
                $( Channel::$Channel => { $( s.$field += change; )+ } )*
                _ => {}
            }
        }

        /// Put back, from `from`, the variables a partner channel moves.
        #[inline(always)]
        fn restore_partner_channel(s: &mut PartnerState, from: &PartnerState, channel: Channel) {
            match channel {
                $( Channel::$Channel => { $( s.$field = from.$field; )+ } )*
                _ => {}
            }
        }
    };
}

partner_channel_table! {
    Sanctions => sanctions;
    Dialogue => west_engagement;
    WestTrade => trade_with_eu;
    UsDecoupling => us_decoupling;
    EuEnergy => energy_to_eu;
    // Purchases and pipelines pushed by policy build the links that carry them.
    PartnerTrade => trade_with_partner, partner_capacity;
    ClimateTransition => fossil_export_share;
    TechnologySharing => tech;
    EliteEngagement => elite_orientation;
    DependenceWarnings => resentment;
    IndiaRelations => india_relations;
    Aggression => aggression;
    Tension => west_tension;
    ArmsSupply => arms_from_partner;
}

/// Add a partner channel's flow over the step, `x` (flow × dt), to the
/// variables it moves; a world channel moves nothing here.
#[inline(always)]
fn apply_partner_channel(
    s: &mut PartnerState,
    channel: Channel,
    x: f64,
    p: usize,
    f: &FlowFactors,
) {
    let change = match channel {
        Channel::Dialogue if x > 0.0 => x * f.reciprocated[p],
        Channel::DependenceWarnings => x * f.messenger[p],
        // The transition lowers the fossil share.
        Channel::ClimateTransition => -x,
        _ => x,
    };
    add_to_partner_channel(s, channel, change);
}

/// Generates, from one table, the world-level variable (or rivalry) each
/// world channel moves, mutably and by value.
macro_rules! world_channel_table {
    ($( $Channel:ident => $($field:ident).+; )*) => {
        /// The world-level variable (or rivalry) a world channel moves; `None` for a partner channel.
        #[inline(always)]
        fn world_channel_variable(state: &mut WorldState, channel: Channel) -> Option<&mut f64> {
            match channel {
                $( Channel::$Channel => Some(&mut state.$($field).+), )*
                _ => None,
            }
        }

        /// The value of the variable [`world_channel_variable`] names.
        #[inline(always)]
        fn world_channel_value(state: &WorldState, channel: Channel) -> Option<f64> {
            match channel {
                $( Channel::$Channel => Some(state.$($field).+), )*
                _ => None,
            }
        }
    };
}

world_channel_table! {
    IdeologicalFraming => ideological_solidarity;
    CentralAsia => rivalries.central_asia;
    Arctic => rivalries.arctic;
    FarEast => rivalries.far_east;
    TechTheft => rivalries.tech_theft;
    Missiles => rivalries.missiles;
    IndiaUs => india_us;
    Alignment => alignment;
    Rapport => rapport;
    EnergyTransition => energy_transition;
}

/// Apply a turn's channel flows to the state (the direct, first-order change).
pub fn apply_flows(state: &mut WorldState, flows: &ChannelFlows, params: &Params, dt: f64) {
    apply_flows_with(state, flows, dt, &FlowFactors::new(state, params));
}

/// [`apply_flows`] with the state's [`FlowFactors`] already computed: each
/// partner's channels, then the world's (those [`world_channel_variable`]
/// names), written out so that each call knows its channel.
#[inline(always)]
fn apply_flows_with(state: &mut WorldState, flows: &ChannelFlows, dt: f64, factors: &FlowFactors) {
    /// Apply the listed partner channels' flows to partner `p`.
    macro_rules! partner_channels {
        ($s:expr, $p:expr, [$($c:ident),*]) => {
            $( apply_partner_channel($s, Channel::$c, flows.get($p, Channel::$c) * dt, $p.index(), factors); )*
        };
    }
    /// Apply the listed world channels' flows (at both partners).
    macro_rules! world_channels {
        ([$($c:ident),*]) => {
            $(
                if let Some(v) = world_channel_variable(state, Channel::$c) {
                    *v += flows.total(Channel::$c) * dt;
                }
            )*
        };
    }
    for p in Partner::BOTH {
        let s = state.partner_mut(p);
        partner_channels!(
            s,
            p,
            [
                Sanctions,
                Dialogue,
                WestTrade,
                UsDecoupling,
                EuEnergy,
                PartnerTrade,
                ClimateTransition,
                TechnologySharing,
                EliteEngagement,
                DependenceWarnings,
                IndiaRelations,
                Aggression,
                Tension,
                ArmsSupply
            ]
        );
    }
    world_channels!([
        IdeologicalFraming,
        CentralAsia,
        Arctic,
        FarEast,
        TechTheft,
        Missiles,
        IndiaUs,
        Alignment,
        Rapport,
        EnergyTransition
    ]);
}

/// [`apply_flows`] of `flows` to `start`, given `applied`, the same applied
/// with flows that differ from `flows` only at `slots` (as in
/// `option_flows::flow_slot`), and the [`FlowFactors`] of `start`: every
/// variable moves by its own channel alone, so only those of the channels at
/// `slots` are put back to their value in `start` and moved again.
pub(crate) fn reapply_flows(
    applied: &mut WorldState,
    start: &WorldState,
    flows: &ChannelFlows,
    dt: f64,
    factors: &FlowFactors,
    slots: &[(usize, f64)],
) {
    for &(slot, _) in slots {
        // The accommodation's slots (after the flows) move no variable.
        if slot >= 2 * CHANNEL_COUNT {
            continue;
        }
        let p = Partner::BOTH[slot / CHANNEL_COUNT];
        let channel = Channel::ALL[slot % CHANNEL_COUNT];
        if let (Some(v), Some(was)) = (
            world_channel_variable(applied, channel),
            world_channel_value(start, channel),
        ) {
            *v = was + flows.total(channel) * dt;
        } else {
            let s = applied.partner_mut(p);
            restore_partner_channel(s, start.partner(p), channel);
            apply_partner_channel(s, channel, flows.get(p, channel) * dt, p.index(), factors);
        }
    }
}
