//! The reference 2021 model in code, for the engine's own tests and benchmarks.
//!
//! `scenarios/baseline-2021.ron` carries the same numbers (a test in
//! `wedge-scenario` checks that loading it yields exactly this model); users
//! should work from the scenario files, which say where each figure comes from.

use crate::actor::{Actor, Partner};
use crate::channel::{Channel, Effect};
use crate::events::{EventHazards, Hazard, LeadershipHazard};
use crate::features::Objective;
use crate::model::{Model, ModelSpec};
use crate::params::{ParamId, Params};
use crate::policy::{Agent, Decision, DecisionMode, Policy};
use crate::split::SplitRule;
use crate::state::{PartnerState, Rivalries, WorldState};
use crate::uncertainty::{Distribution, Uncertainty};

/// The status quo of mid-2021 (see `scenarios/baseline-2021.ron` for sources).
pub fn initial_2021() -> WorldState {
    WorldState {
        russia: PartnerState {
            gdp: 1.5,
            growth: 0.015,
            tech: 0.35,
            trade_with_partner: 0.16,
            trade_with_eu: 0.35,
            trade_with_us: 0.03,
            trade_with_india: 0.017,
            trade_with_rest: 0.443,
            partner_capacity: 0.16,
            openness: 0.39,
            us_decoupling: 0.0,
            energy_to_eu: 0.5,
            energy_to_partner: 0.15,
            energy_to_india: 0.01,
            energy_to_rest: 0.34,
            energy_pipeline_capacity: 0.15,
            energy_seaborne_capacity: 0.35,
            fossil_export_share: 0.67,
            arms_from_partner: 0.0,
            defence_self_reliance: 0.9,
            sanctions: 0.35,
            west_tension: 0.6,
            structural_rivalry: 0.2,
            west_engagement: 0.15,
            aggression: 0.3,
            resentment: 0.35,
            india_relations: 0.6,
            leader_tenure: 21.0,
            leader_orientation: 0.6,
            confrontation_brand: 0.8,
            elite_orientation: -0.2,
        },
        china: PartnerState {
            gdp: 14.7,
            growth: 0.05,
            tech: 0.6,
            trade_with_partner: 0.023,
            trade_with_eu: 0.16,
            trade_with_us: 0.14,
            trade_with_india: 0.021,
            trade_with_rest: 0.656,
            partner_capacity: 0.023,
            openness: 0.32,
            us_decoupling: 0.0,
            energy_to_eu: 0.05,
            energy_to_partner: 0.0,
            energy_to_india: 0.0,
            energy_to_rest: 0.95,
            energy_pipeline_capacity: 0.0,
            energy_seaborne_capacity: 0.95,
            fossil_export_share: 0.02,
            arms_from_partner: 0.7,
            defence_self_reliance: 0.85,
            sanctions: 0.05,
            west_tension: 0.6,
            structural_rivalry: 0.45,
            west_engagement: 0.3,
            aggression: 0.3,
            resentment: 0.1,
            india_relations: -0.5,
            leader_tenure: 8.0,
            leader_orientation: 0.6,
            confrontation_brand: 0.4,
            elite_orientation: -0.3,
        },
        alignment: 0.7,
        rapport: 0.8,
        ideological_solidarity: 0.6,
        doctrinal_rivalry: 0.05,
        rivalries: Rivalries {
            central_asia: 0.4,
            arctic: 0.25,
            far_east: 0.3,
            tech_theft: 0.3,
            missiles: 0.2,
        },
        energy_transition: 0.2,
        energy_price: 1.0,
        india_us: 0.4,
        status_decline: 0.0,
    }
}

/// Event hazards of the reference model.
pub fn hazards_2021() -> EventHazards {
    EventHazards {
        russia_leadership_change: LeadershipHazard {
            per_year: 0.01,
            per_year_of_tenure: 0.003,
        },
        china_leadership_change: LeadershipHazard {
            per_year: 0.01,
            per_year_of_tenure: 0.002,
        },
        border_incident: Hazard {
            per_year: 0.05,
            size: 0.1,
        },
        russia_escalation: Hazard {
            per_year: 0.1,
            size: 0.2,
        },
        russia_settlement: Hazard {
            per_year: 0.05,
            size: 0.2,
        },
        energy_price_shock: Hazard {
            per_year: 0.2,
            size: 0.3,
        },
        taiwan_crisis: Hazard {
            per_year: 0.05,
            size: 0.2,
        },
        tech_theft_revelation: Hazard {
            per_year: 0.1,
            size: 0.1,
        },
        nationalist_flare_up: Hazard {
            per_year: 0.08,
            size: 0.1,
        },
    }
}

fn effect(channel: Channel, per_year: f64, target: Partner) -> Effect {
    Effect {
        channel,
        per_year,
        target,
    }
}

fn policy(name: &str, effects: Vec<Effect>) -> Policy {
    Policy {
        name: name.to_string(),
        effects,
    }
}

fn adaptive(name: &str, options: Vec<Policy>, rationality: f64) -> Decision {
    Decision {
        name: name.to_string(),
        options,
        mode: DecisionMode::Adaptive { rationality },
    }
}

/// Yearly pull on the alignment of a partner's "leave" option: a quarter of
/// it takes alignment down by 0.5, so leaving pays (in the one-year look-ahead
/// of the partner's comfort) only when the alignment stands more than about
/// 0.35 above what the partner is willing to sustain, over three times a
/// quarter's diplomatic noise (0.1); docs/MODEL.md derives the threshold. At
/// 3.2 a year the one-year look-ahead overshoots so far that no partner leaves.
pub const LEAVE_ALIGNMENT: f64 = 2.0;

/// The weight the US puts on China's technology (a negative: it wants it
/// lower). Its sign is the Interim National Security Strategic Guidance's
/// (2021); its size is set so that the US tightens on China in about half
/// of its first year's turns, inside the record's 10 tightening quarters of
/// 14 from 2018 to mid-2021 (docs/MODEL.md, "The US's China policy").
pub const US_CHINA_TECH: f64 = -2.0;

/// The US's China policy: hold, tighten (sanctions, export controls, tariffs)
/// or ease (the 2018 truce, the Phase One deal of January 2020).
fn us_china_policy(lambda: f64) -> Decision {
    use Channel::*;
    use Partner::China;
    adaptive(
        "china_policy",
        vec![
            policy("hold", vec![]),
            policy(
                "tighten",
                vec![
                    effect(Sanctions, 0.05, China),
                    effect(TechnologySharing, -0.01, China),
                    effect(UsDecoupling, 0.05, China),
                ],
            ),
            policy(
                "ease",
                vec![
                    effect(Sanctions, -0.05, China),
                    effect(Dialogue, 0.05, China),
                    effect(UsDecoupling, -0.05, China),
                ],
            ),
        ],
        lambda,
    )
}

/// The five agents of the reference model (`scenarios/baseline-2021.ron`):
/// the agents of [`agents_era`]; China with its stake in keeping Russia (a
/// secure rear, discounted resources, a partner against US pressure, no
/// exposure to secondary sanctions) and a counter-offer to Western courtship;
/// either partner able to leave, so that a split can be a partner's decision
/// (docs/MODEL.md, "Agents with interests").
pub fn agents_2021() -> Vec<Agent> {
    use Channel::*;
    use Partner::{China, Russia};
    let mut agents = agents_era();
    for agent in &mut agents {
        let menu = &mut agent.decisions[0].options;
        match agent.actor {
            Actor::China => {
                let objective = &mut agent.objective;
                objective.china_secure_rear = 0.2;
                objective.china_discounted_resources = 1.0;
                objective.china_partner_against_us = 0.2;
                objective.china_sanctions = -1.0;
                // Purchases, arms and technology: Power of Siberia (2014), the S-400, Yamal LNG's loans.
                menu.push(policy(
                    "counter-offer",
                    vec![
                        effect(PartnerTrade, 0.02, Russia),
                        effect(ArmsSupply, 0.02, Russia),
                        effect(TechnologySharing, 0.01, Russia),
                        effect(Sanctions, 0.01, China),
                    ],
                ));
                menu.push(leave(China));
            }
            Actor::Russia => menu.push(leave(Russia)),
            Actor::UnitedStates | Actor::India | Actor::EuropeanUnion => {}
        }
    }
    agents
}

/// A partner's `leave`: the partnership downgraded at once (alignment, rapport,
/// trade; China also stops supplying arms), so a split is the partner's decision.
fn leave(who: Partner) -> Policy {
    use Channel::*;
    let mut effects = vec![
        effect(Alignment, -LEAVE_ALIGNMENT, who),
        effect(Rapport, -0.4, who),
        effect(PartnerTrade, -0.05, who),
    ];
    if who == Partner::China {
        effects.push(effect(ArmsSupply, -0.1, who));
    }
    policy("leave", effects)
}

/// The five agents of the Sino-Soviet era (`scenarios/history-1950.ron`, and
/// so `history-1972.ron`): the 2021 objectives without China's stakes, which
/// are read from 2014–2021 statements; menus without China's counter-offer,
/// since the aid of the 1950s flowed from Moscow to Beijing, and without a
/// `leave`: the alliance came apart through a decade of quarrels while its
/// 1950 treaty stayed in force until China let it lapse in 1980 (Lüthi 2008),
/// so the era's splits come from the partners' choices and drift, not from one
/// decision (with either partner able to leave, outreach to the 1972 rift
/// adds too little for F7 at most seeds: docs/MODEL.md).
pub fn agents_era() -> Vec<Agent> {
    use Channel::*;
    use Partner::Russia;
    let lambda = 50.0;
    vec![
        Agent {
            actor: Actor::UnitedStates,
            objective: Objective {
                alignment: -1.0,
                russia_impunity: -1.0,
                china_reach: -0.5,
                russia_west_tension: -0.2,
                china_tech: US_CHINA_TECH,
                china_west_tension: -0.3,
                ..Objective::default()
            },
            decisions: vec![
                adaptive(
                    "russia_policy",
                    vec![
                        policy("hold", vec![]),
                        policy(
                            "pressure",
                            vec![
                                effect(Sanctions, 0.05, Russia),
                                effect(IdeologicalFraming, 0.03, Russia),
                            ],
                        ),
                        policy(
                            "engage",
                            vec![
                                effect(Dialogue, 0.05, Russia),
                                effect(IdeologicalFraming, -0.03, Russia),
                            ],
                        ),
                    ],
                    lambda,
                ),
                us_china_policy(lambda),
            ],
        },
        Agent {
            actor: Actor::China,
            objective: Objective {
                china_comfort: 2.0,
                china_reach: 1.0,
                china_access: 1.0,
                china_regime_security: 0.5,
                china_west_tension: -0.5,
                ..Objective::default()
            },
            decisions: vec![adaptive(
                "stance",
                vec![
                    policy("balance", vec![]),
                    policy(
                        "court-partner",
                        vec![
                            effect(Alignment, 0.06, Russia),
                            effect(PartnerTrade, 0.01, Russia),
                            effect(Rapport, 0.02, Russia),
                        ],
                    ),
                    policy(
                        "assert",
                        vec![
                            effect(CentralAsia, 0.03, Russia),
                            effect(Arctic, 0.02, Russia),
                            effect(TechTheft, 0.02, Russia),
                        ],
                    ),
                ],
                lambda,
            )],
        },
        Agent {
            actor: Actor::Russia,
            objective: Objective {
                russia_comfort: 3.0,
                russia_regime_security: 1.0,
                russia_access: 1.0,
                russia_resentment: -0.5,
                russia_sanctions: -0.5,
                russia_energy_revenue: 0.5,
                ..Objective::default()
            },
            decisions: vec![
                adaptive(
                    "alignment",
                    vec![
                        policy("hedge", vec![]),
                        policy(
                            "tilt-to-partner",
                            vec![
                                effect(Alignment, 0.08, Russia),
                                effect(PartnerTrade, 0.01, Russia),
                            ],
                        ),
                        policy(
                            "tilt-west",
                            vec![
                                effect(Alignment, -0.08, Russia),
                                effect(Tension, -0.05, Russia),
                            ],
                        ),
                    ],
                    lambda,
                ),
                adaptive(
                    "posture",
                    vec![
                        policy("hold", vec![]),
                        policy("escalate", vec![effect(Aggression, 0.1, Russia)]),
                        policy("de-escalate", vec![effect(Aggression, -0.1, Russia)]),
                    ],
                    lambda,
                ),
            ],
        },
        Agent {
            actor: Actor::India,
            objective: Objective {
                india_russia: 1.0,
                india_us: 1.0,
                india_china: 0.5,
                alignment: -0.5,
                // Strategic autonomy and cheap energy: Jaishankar, The India Way (2020).
                india_discounted_energy: 1.0,
                ..Objective::default()
            },
            decisions: vec![adaptive(
                "stance",
                vec![
                    policy("balance", vec![]),
                    policy(
                        "engage-russia",
                        vec![
                            effect(IndiaRelations, 0.05, Russia),
                            effect(DependenceWarnings, 0.02, Russia),
                        ],
                    ),
                    policy(
                        "side-with-us",
                        vec![
                            effect(IndiaUs, 0.05, Russia),
                            effect(IndiaRelations, -0.02, Russia),
                        ],
                    ),
                    // The S-400 bought despite CAATSA (2018).
                    policy(
                        "buy-discounted-oil",
                        vec![
                            effect(IndiaRelations, 0.04, Russia),
                            effect(IndiaUs, -0.02, Russia),
                        ],
                    ),
                ],
                lambda,
            )],
        },
        Agent {
            actor: Actor::EuropeanUnion,
            objective: Objective {
                russia_access: 0.5,
                russia_impunity: -1.0,
                russia_west_tension: -0.5,
                alignment: -0.3,
                // Energy security (European Energy Security Strategy, COM(2014) 330) and
                // denying revenue to an aggressor (essay; the sectoral sanctions of 2014).
                eu_energy_supply: 1.0,
                russia_supply_risk: -1.0,
                russia_war_revenue: -2.0,
                ..Objective::default()
            },
            decisions: vec![
                adaptive(
                    "energy",
                    vec![
                        policy("hold", vec![]),
                        policy(
                            "expand",
                            vec![
                                effect(WestTrade, 0.02, Russia),
                                effect(EuEnergy, 0.05, Russia),
                            ],
                        ),
                        policy(
                            "cut",
                            vec![
                                effect(WestTrade, -0.03, Russia),
                                effect(EuEnergy, -0.05, Russia),
                            ],
                        ),
                    ],
                    lambda,
                ),
                adaptive(
                    "sanctions",
                    vec![
                        policy("hold", vec![]),
                        policy("tighten", vec![effect(Sanctions, 0.05, Russia)]),
                        policy("ease", vec![effect(Sanctions, -0.05, Russia)]),
                    ],
                    lambda,
                ),
            ],
        },
    ]
}

/// The reference agents with Russia also weighing China's backing against
/// the West (`scenarios/russia-backing-2021.ron`): Russia's National Security
/// Strategy (2015) names NATO's expansion a threat, and tilting to China
/// serves its status and revenue (Kofman 2020). The reference Russia does not
/// weigh it, since its comfort already weighs its need of the partnership
/// (docs/MODEL.md, "Agents with interests").
pub fn agents_russia_backing_2021() -> Vec<Agent> {
    let mut agents = agents_2021();
    for agent in &mut agents {
        if agent.actor == Actor::Russia {
            agent.objective.russia_partner_backing = 0.3;
        }
    }
    agents
}

/// Uncertainties of the reference model.
pub fn uncertainties_2021() -> Vec<Uncertainty> {
    // Constant paths of the reference model: every test that builds it checks them.
    let param = |path: &str| ParamId::parse(path).expect("a reference uncertainty names a path");
    vec![
        Uncertainty {
            name: "china_growth".into(),
            target: param("initial.china.growth"),
            distribution: Distribution::Triangular {
                low: 0.03,
                mode: 0.05,
                high: 0.065,
            },
        },
        Uncertainty {
            name: "russia_growth".into(),
            target: param("initial.russia.growth"),
            distribution: Distribution::Triangular {
                low: 0.0,
                mode: 0.015,
                high: 0.03,
            },
        },
        Uncertainty {
            name: "transition_pace".into(),
            target: param("params.transition_pace"),
            distribution: Distribution::Uniform {
                low: 0.004,
                high: 0.015,
            },
        },
        Uncertainty {
            name: "successor_orientation".into(),
            target: param("params.successor_orientation_base"),
            distribution: Distribution::Normal {
                mean: 0.3,
                sd: 0.15,
            },
        },
    ]
}

/// The 2021 specification with [`agents_russia_backing_2021`] in place of the
/// reference agents (`scenarios/russia-backing-2021.ron`).
pub fn spec_russia_backing_2021() -> ModelSpec {
    ModelSpec {
        name: "russia-backing-2021".into(),
        agents: agents_russia_backing_2021(),
        ..spec_2021()
    }
}

/// The full reference specification.
pub fn spec_2021() -> ModelSpec {
    ModelSpec {
        name: "baseline-2021".into(),
        start_year: 2021.5,
        turn_years: 0.25,
        horizon_turns: 40,
        initial: initial_2021(),
        params: Params::default(),
        hazards: hazards_2021(),
        agents: agents_2021(),
        levers: Vec::new(),
        split: SplitRule {
            threshold: 0.2,
            consecutive_turns: 4,
            amity_tension: 0.5,
        },
        uncertainties: uncertainties_2021(),
    }
}

impl Model {
    /// The reference 2021 baseline (no levers), validated.
    pub fn reference_2021() -> Model {
        match Model::new(spec_2021()) {
            Ok(model) => model,
            Err(errors) => panic!("the built-in reference model is invalid: {errors:?}"),
        }
    }

    /// The 2021 model with the agents of [`agents_russia_backing_2021`], validated.
    pub fn russia_backing_2021() -> Model {
        match Model::new(spec_russia_backing_2021()) {
            Ok(model) => model,
            Err(errors) => panic!("the built-in Russia-backing model is invalid: {errors:?}"),
        }
    }
}
