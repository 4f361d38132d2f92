//! The world state: every variable the mechanisms act on, with its unit and bounds.
//!
//! Per-partner variables live in [`PartnerState`] so that the same equations
//! serve Russia in 2021 and the Soviet Union in 1950; nothing in the engine
//! assumes which partner is the senior one.

use serde::{Deserialize, Serialize};

use crate::actor::Partner;

/// What one member of the partnership looks like at a moment in time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartnerState {
    /// Economic size, trillion US dollars (any common unit works: only ratios matter). Bounds: > 0.
    pub gdp: f64,
    /// Trend real growth rate, fraction per year. Bounds: [-0.1, 0.15].
    pub growth: f64,
    /// Technology and innovation level, index in [0, 1].
    pub tech: f64,
    /// Share of this partner's foreign trade that is with the other partner, [0, 1].
    pub trade_with_partner: f64,
    /// Share of this partner's foreign trade that is with the West (EU above all), [0, 1].
    pub trade_with_west: f64,
    /// Share of export income from fossil fuels, [0, 1].
    pub fossil_export_share: f64,
    /// Share of arms imports bought from the other partner, [0, 1].
    pub arms_from_partner: f64,
    /// Self-reliance of the domestic defence industry, [0, 1].
    pub defence_self_reliance: f64,
    /// Intensity of Western sanctions on this partner, [0, 1].
    pub sanctions: f64,
    /// Tension with the West (the shared adversary), [0, 1].
    pub west_tension: f64,
    /// Structural rivalry with the West that no policy of the moment removes (power transition, bloc confrontation), [0, 1]: the floor tension returns to.
    pub structural_rivalry: f64,
    /// Depth of the West's dialogue and cooperation with this partner, [0, 1].
    pub west_engagement: f64,
    /// This partner's aggressive behaviour towards the West (Ukraine, cyberattacks), [0, 1].
    pub aggression: f64,
    /// Resentment of its position in the partnership, [0, 1].
    pub resentment: f64,
    /// Relations with India, [-1, 1].
    pub india_relations: f64,
    /// Years the current leader has held office. Bounds: [0, 100].
    pub leader_tenure: f64,
    /// The current leader's personal orientation towards the partnership, [-1, 1].
    pub leader_orientation: f64,
    /// How far the current leader's domestic legitimacy rests on confrontation with the West, [0, 1].
    pub confrontation_brand: f64,
    /// Orientation of the next generation of elites towards the West (+) or the partner (−), [-1, 1].
    pub elite_orientation: f64,
}

/// The dyad-level latent rivalries of the essay, each in [0, 1].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rivalries {
    /// Competition for influence in Central Asia (BRI vs EAEU).
    pub central_asia: f64,
    /// Competing designs on the Arctic ("near-Arctic power", Arctic Silk Road).
    pub arctic: f64,
    /// Demographic and territorial unease in the Russian Far East.
    pub far_east: f64,
    /// Theft of arms technology.
    pub tech_theft: f64,
    /// Intermediate-range and intercontinental missiles aimed, potentially, at the partner.
    pub missiles: f64,
}

impl Rivalries {
    /// Mean of the five rivalries, [0, 1].
    pub fn mean(&self) -> f64 {
        (self.central_asia + self.arctic + self.far_east + self.tech_theft + self.missiles) / 5.0
    }
}

/// Everything the mechanisms read and write, at one turn.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorldState {
    /// Russia (or the Soviet Union).
    pub russia: PartnerState,
    /// China.
    pub china: PartnerState,
    /// The China–Russia alignment: +1 an alliance, 0 no partnership, −1 open hostility.
    pub alignment: f64,
    /// Personal rapport between the two leaders in office, [0, 1].
    pub rapport: f64,
    /// Ideological solidarity: a shared identity against the West's framing, [0, 1].
    pub ideological_solidarity: f64,
    /// Rivalry over the leadership of a shared ideological camp (the 1950s), [0, 1].
    pub doctrinal_rivalry: f64,
    /// Latent rivalries.
    pub rivalries: Rivalries,
    /// Progress of the global energy transition: non-fossil share of world energy, [0, 1].
    pub energy_transition: f64,
    /// World fossil-fuel price relative to its long-run level, [0.2, 3].
    pub energy_price: f64,
    /// India's relations with the United States, [-1, 1].
    pub india_us: f64,
    #[serde(default)]
    /// How far the power gap (log power ratio) has widened beyond what the junior partner has come to accept, [0, 5]; 0 (the default) when the starting gap is accepted.
    pub status_decline: f64,
}

/// A named variable's value with its bounds, for checks and reports.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounded {
    /// Dotted path of the variable, e.g. `russia.resentment`.
    pub name: &'static str,
    /// Current value.
    pub value: f64,
    /// Lowest admissible value.
    pub min: f64,
    /// Highest admissible value.
    pub max: f64,
}

/// Every state variable's dotted path with its bounds, in index order.
pub const STATE_VARIABLES: [(&str, f64, f64); 51] = [
    ("russia.gdp", 1e-6, 1e6),
    ("russia.growth", -0.1, 0.15),
    ("russia.tech", 0.0, 1.0),
    ("russia.trade_with_partner", 0.0, 1.0),
    ("russia.trade_with_west", 0.0, 1.0),
    ("russia.fossil_export_share", 0.0, 1.0),
    ("russia.arms_from_partner", 0.0, 1.0),
    ("russia.defence_self_reliance", 0.0, 1.0),
    ("russia.sanctions", 0.0, 1.0),
    ("russia.west_tension", 0.0, 1.0),
    ("russia.structural_rivalry", 0.0, 1.0),
    ("russia.west_engagement", 0.0, 1.0),
    ("russia.aggression", 0.0, 1.0),
    ("russia.resentment", 0.0, 1.0),
    ("russia.india_relations", -1.0, 1.0),
    ("russia.leader_tenure", 0.0, 100.0),
    ("russia.leader_orientation", -1.0, 1.0),
    ("russia.confrontation_brand", 0.0, 1.0),
    ("russia.elite_orientation", -1.0, 1.0),
    ("china.gdp", 1e-6, 1e6),
    ("china.growth", -0.1, 0.15),
    ("china.tech", 0.0, 1.0),
    ("china.trade_with_partner", 0.0, 1.0),
    ("china.trade_with_west", 0.0, 1.0),
    ("china.fossil_export_share", 0.0, 1.0),
    ("china.arms_from_partner", 0.0, 1.0),
    ("china.defence_self_reliance", 0.0, 1.0),
    ("china.sanctions", 0.0, 1.0),
    ("china.west_tension", 0.0, 1.0),
    ("china.structural_rivalry", 0.0, 1.0),
    ("china.west_engagement", 0.0, 1.0),
    ("china.aggression", 0.0, 1.0),
    ("china.resentment", 0.0, 1.0),
    ("china.india_relations", -1.0, 1.0),
    ("china.leader_tenure", 0.0, 100.0),
    ("china.leader_orientation", -1.0, 1.0),
    ("china.confrontation_brand", 0.0, 1.0),
    ("china.elite_orientation", -1.0, 1.0),
    ("alignment", -1.0, 1.0),
    ("rapport", 0.0, 1.0),
    ("ideological_solidarity", 0.0, 1.0),
    ("doctrinal_rivalry", 0.0, 1.0),
    ("rivalries.central_asia", 0.0, 1.0),
    ("rivalries.arctic", 0.0, 1.0),
    ("rivalries.far_east", 0.0, 1.0),
    ("rivalries.tech_theft", 0.0, 1.0),
    ("rivalries.missiles", 0.0, 1.0),
    ("energy_transition", 0.0, 1.0),
    ("energy_price", 0.2, 3.0),
    ("india_us", -1.0, 1.0),
    ("status_decline", 0.0, 5.0),
];

impl PartnerState {
    fn slot_mut(&mut self, i: usize) -> &mut f64 {
        match i {
            0 => &mut self.gdp,
            1 => &mut self.growth,
            2 => &mut self.tech,
            3 => &mut self.trade_with_partner,
            4 => &mut self.trade_with_west,
            5 => &mut self.fossil_export_share,
            6 => &mut self.arms_from_partner,
            7 => &mut self.defence_self_reliance,
            8 => &mut self.sanctions,
            9 => &mut self.west_tension,
            10 => &mut self.structural_rivalry,
            11 => &mut self.west_engagement,
            12 => &mut self.aggression,
            13 => &mut self.resentment,
            14 => &mut self.india_relations,
            15 => &mut self.leader_tenure,
            16 => &mut self.leader_orientation,
            17 => &mut self.confrontation_brand,
            _ => &mut self.elite_orientation,
        }
    }
}

impl WorldState {
    /// The state of one partner.
    pub fn partner(&self, p: Partner) -> &PartnerState {
        match p {
            Partner::Russia => &self.russia,
            Partner::China => &self.china,
        }
    }

    /// The state of one partner, mutably.
    pub fn partner_mut(&mut self, p: Partner) -> &mut PartnerState {
        match p {
            Partner::Russia => &mut self.russia,
            Partner::China => &mut self.china,
        }
    }

    /// Index of a variable in [`STATE_VARIABLES`] from its dotted path.
    pub fn variable_index(path: &str) -> Option<usize> {
        STATE_VARIABLES
            .iter()
            .position(|(name, _, _)| *name == path)
    }

    /// The variable at an index of [`STATE_VARIABLES`], mutably.
    ///
    /// Indices past the end address the last variable; callers obtain indices
    /// from [`WorldState::variable_index`].
    pub fn variable_mut(&mut self, index: usize) -> &mut f64 {
        match index {
            0..=18 => self.russia.slot_mut(index),
            19..=37 => self.china.slot_mut(index - 19),
            38 => &mut self.alignment,
            39 => &mut self.rapport,
            40 => &mut self.ideological_solidarity,
            41 => &mut self.doctrinal_rivalry,
            42 => &mut self.rivalries.central_asia,
            43 => &mut self.rivalries.arctic,
            44 => &mut self.rivalries.far_east,
            45 => &mut self.rivalries.tech_theft,
            46 => &mut self.rivalries.missiles,
            47 => &mut self.energy_transition,
            48 => &mut self.energy_price,
            49 => &mut self.india_us,
            _ => &mut self.status_decline,
        }
    }

    /// The variable at an index of [`STATE_VARIABLES`].
    pub fn variable(&self, index: usize) -> f64 {
        let mut copy = *self;
        *copy.variable_mut(index)
    }

    /// Every variable with its bounds, in index order (used by validation and tests).
    pub fn bounded(&self) -> Vec<Bounded> {
        STATE_VARIABLES
            .iter()
            .enumerate()
            .map(|(i, (name, min, max))| Bounded {
                name,
                value: self.variable(i),
                min: *min,
                max: *max,
            })
            .collect()
    }

    /// The first variable outside its bounds or not finite, if any.
    pub fn first_out_of_bounds(&self) -> Option<Bounded> {
        self.bounded()
            .into_iter()
            .find(|b| !b.value.is_finite() || b.value < b.min || b.value > b.max)
    }

    /// Clamp every variable into its bounds (NaN becomes the lower bound).
    ///
    /// Written field by field (not through [`WorldState::variable_mut`]): it
    /// runs after every step, including the agents' look-aheads.
    pub fn clamp_all(&mut self) {
        fn c(v: &mut f64, min: f64, max: f64) {
            // `max` ignores NaN, so NaN becomes `min`; branch-free.
            *v = v.max(min).min(max);
        }
        for p in [&mut self.russia, &mut self.china] {
            c(&mut p.gdp, 1e-6, 1e6);
            c(&mut p.growth, -0.1, 0.15);
            for v in [
                &mut p.tech,
                &mut p.trade_with_partner,
                &mut p.trade_with_west,
                &mut p.fossil_export_share,
                &mut p.arms_from_partner,
                &mut p.defence_self_reliance,
                &mut p.sanctions,
                &mut p.west_tension,
                &mut p.structural_rivalry,
                &mut p.west_engagement,
                &mut p.aggression,
                &mut p.resentment,
                &mut p.confrontation_brand,
            ] {
                c(v, 0.0, 1.0);
            }
            c(&mut p.india_relations, -1.0, 1.0);
            c(&mut p.leader_tenure, 0.0, 100.0);
            c(&mut p.leader_orientation, -1.0, 1.0);
            c(&mut p.elite_orientation, -1.0, 1.0);
        }
        c(&mut self.alignment, -1.0, 1.0);
        let r = &mut self.rivalries;
        for v in [
            &mut self.rapport,
            &mut self.ideological_solidarity,
            &mut self.doctrinal_rivalry,
            &mut r.central_asia,
            &mut r.arctic,
            &mut r.far_east,
            &mut r.tech_theft,
            &mut r.missiles,
            &mut self.energy_transition,
        ] {
            c(v, 0.0, 1.0);
        }
        c(&mut self.energy_price, 0.2, 3.0);
        c(&mut self.india_us, -1.0, 1.0);
        c(&mut self.status_decline, 0.0, 5.0);
    }
}
