//! The world state: every variable the mechanisms act on, with its unit and bounds.
//!
//! Per-partner variables live in [`PartnerState`] so that the same equations
//! serve Russia in 2021 and the Soviet Union in 1950; nothing in the engine
//! assumes which partner is the senior one.
//!
//! Each group of variables (per partner, the latent rivalries, the world
//! level) is declared once, in one table giving its field, bounds and meaning.
//! The table generates the field, an enum naming it ([`PartnerVar`],
//! [`RivalryVar`], [`WorldVar`]), its dotted path, its bounds and its clamp,
//! so the list cannot drift out of step with itself. A [`StateVar`] names any
//! variable of the whole state; being an enum, it cannot be out of range.

use serde::{Deserialize, Serialize};

use crate::actor::Partner;

/// The dotted paths of a group's fields, one row per prefix.
macro_rules! path_rows {
    ([$($prefix:literal),+] $fields:tt) => {
        [$( path_row!($prefix $fields), )+]
    };
}

/// The dotted paths of a group's fields under one prefix.
macro_rules! path_row {
    ($prefix:literal [$($field:ident),*]) => {
        [$( concat!($prefix, stringify!($field)), )*]
    };
}

/// Generates, from one table, a group's enum with its count, paths, bounds
/// and access on the struct that stores the group.
macro_rules! variable_group {
    (
        $(#[doc = $edoc:expr])*
        enum $Var:ident in $Struct:ident, paths [$($prefix:literal),+];
        $( $(#[doc = $doc:expr])* $Variant:ident => $field:ident [$min:expr, $max:expr]; )*
    ) => {
        $(#[doc = $edoc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $Var {
            $( $(#[doc = $doc])* $Variant, )*
        }

        impl $Var {
            /// Number of variables in the group.
            pub const COUNT: usize = [$(stringify!($field)),*].len();

            /// Every variable of the group, in table order.
            pub const ALL: [$Var; Self::COUNT] = [$($Var::$Variant,)*];

            /// Dotted path of each variable, one row per owner of the group, in table order.
            pub const PATHS: [[&'static str; Self::COUNT]; [$($prefix),+].len()] =
                path_rows!([$($prefix),+] [$($field),*]);

            /// The field's name.
            pub const fn field(self) -> &'static str {
                match self { $( $Var::$Variant => stringify!($field), )* }
            }

            /// Lowest and highest admissible value.
            pub const fn bounds(self) -> (f64, f64) {
                match self { $( $Var::$Variant => ($min, $max), )* }
            }

            /// Position in [`Self::ALL`].
            pub const fn index(self) -> usize {
                self as usize
            }
        }

        impl $Struct {
            /// The variable's value.
            pub fn get(&self, var: $Var) -> f64 {
                match var { $( $Var::$Variant => self.$field, )* }
            }

            /// The variable, mutably.
            pub fn get_mut(&mut self, var: $Var) -> &mut f64 {
                match var { $( $Var::$Variant => &mut self.$field, )* }
            }

            /// Clamp every variable of the group into its bounds (NaN becomes the lower bound).
            #[inline(always)]
            pub fn clamp_group(&mut self) {
                // `max` ignores NaN, so NaN becomes the minimum; branch-free.
                $( self.$field = self.$field.max($min).min($max); )*
            }
        }
    };
}

/// Generates a struct and its group from one table. Each entry is either a
/// variable of the group (`Variant => field [min, max];`, an `f64` field) or,
/// marked `group`, a field holding a group of its own (`group field: Type;`);
/// the struct's fields keep the table's order.
macro_rules! variable_struct {
    (
        $(#[doc = $sdoc:expr])*
        struct $Struct:ident;
        $(#[doc = $edoc:expr])*
        enum $Var:ident, paths [$($prefix:literal),+];
        $($entries:tt)*
    ) => {
        variable_struct! {
            @entries [$(#[doc = $sdoc])* $Struct] [$(#[doc = $edoc])* $Var [$($prefix),+]] [] []
            $($entries)*
        }
    };
    // A field holding a group of its own.
    (
        @entries $head:tt $group:tt [$($fields:tt)*] $vars:tt
        $(#[doc = $doc:expr])* group $field:ident : $Type:ty;
        $($rest:tt)*
    ) => {
        variable_struct! {
            @entries $head $group [$($fields)* $(#[doc = $doc])* pub $field: $Type,] $vars
            $($rest)*
        }
    };
    // A variable of the group.
    (
        @entries $head:tt $group:tt [$($fields:tt)*] [$($vars:tt)*]
        $(#[doc = $doc:expr])* $(#[serde($serde:meta)])?
        $Variant:ident => $field:ident [$min:expr, $max:expr];
        $($rest:tt)*
    ) => {
        variable_struct! {
            @entries $head $group
            [$($fields)* $(#[doc = $doc])* $(#[serde($serde)])? pub $field: f64,]
            [$($vars)* $(#[doc = $doc])* $Variant => $field [$min, $max];]
            $($rest)*
        }
    };
    // Every entry read: the struct, then the group.
    (
        @entries [$(#[doc = $sdoc:expr])* $Struct:ident]
        [$(#[doc = $edoc:expr])* $Var:ident [$($prefix:literal),+]]
        [$($fields:tt)*] [$($vars:tt)*]
    ) => {
        $(#[doc = $sdoc])*
        #[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $Struct {
            $($fields)*
        }

        variable_group! {
            $(#[doc = $edoc])*
            enum $Var in $Struct, paths [$($prefix),+];
            $($vars)*
        }
    };
}

variable_struct! {
    /// What one member of the partnership looks like at a moment in time.
    struct PartnerState;
    /// A variable of [`PartnerState`].
    enum PartnerVar, paths ["russia.", "china."];
    /// Economic size, trillion US dollars (any common unit works: only ratios matter). Bounds: > 0.
    Gdp => gdp [1e-6, 1e6];
    /// Trend real growth rate, fraction per year. Bounds: [-0.1, 0.15].
    Growth => growth [-0.1, 0.15];
    /// Technology and innovation level, index in [0, 1].
    Tech => tech [0.0, 1.0];
    /// Share of this partner's foreign trade that is with the other partner, [0, 1].
    TradeWithPartner => trade_with_partner [0.0, 1.0];
    /// Share of this partner's foreign trade that is with the European Union, [0, 1].
    TradeWithEu => trade_with_eu [0.0, 1.0];
    /// Share of this partner's foreign trade that is with the United States, [0, 1].
    TradeWithUs => trade_with_us [0.0, 1.0];
    /// Share of this partner's foreign trade that is with India, [0, 1].
    TradeWithIndia => trade_with_india [0.0, 1.0];
    /// Share of this partner's foreign trade that is with the rest of the world (Turkey, the Gulf and all others), [0, 1]: the remainder, so the five shares sum to 1.
    TradeWithRest => trade_with_rest [0.0, 1.0];
    /// Capacity of the links with the other partner (pipelines, rail, ports, payment channels), as the share of this partner's foreign trade they carry; it follows the share actually traded over `capacity_build_years`, [0, 1].
    PartnerCapacity => partner_capacity [0.0, 1.0];
    /// Foreign trade (exports plus imports) over GDP, [0, 2]: with GDP, it turns trade shares into trade values.
    Openness => openness [0.0, 2.0];
    /// How far the United States restricts its own trade with this partner beyond the West's joint sanctions (tariffs, export controls, the Entity List), [0, 1].
    UsDecoupling => us_decoupling [0.0, 1.0];
    /// Share of this partner's potential fossil exports sold to the European Union, [0, 1].
    EnergyToEu => energy_to_eu [0.0, 1.0];
    /// Share of this partner's potential fossil exports sold to the other partner, [0, 1].
    EnergyToPartner => energy_to_partner [0.0, 1.0];
    /// Share of this partner's potential fossil exports sold to India, [0, 1].
    EnergyToIndia => energy_to_india [0.0, 1.0];
    /// Share of this partner's potential fossil exports sold to the rest of the world, [0, 1]; the four energy shares sum to at most 1, the remainder being exports that find no buyer.
    EnergyToRest => energy_to_rest [0.0, 1.0];
    /// Capacity of the pipelines and ports that carry fossil exports to the other partner, as a share of potential fossil exports; it follows the flow the route is asked to carry over `capacity_build_years`, [0, 1].
    EnergyPipelineCapacity => energy_pipeline_capacity [0.0, 1.0];
    /// Capacity of the seaborne routes (tankers, insurance, terminals) that carry fossil exports to India and the rest of the world, as a share of potential fossil exports; it follows the flow the routes are asked to carry over `seaborne_build_years`, [0, 1].
    EnergySeaborneCapacity => energy_seaborne_capacity [0.0, 1.0];
    /// Share of export income from fossil fuels, [0, 1].
    FossilExportShare => fossil_export_share [0.0, 1.0];
    /// Share of arms imports bought from the other partner, [0, 1].
    ArmsFromPartner => arms_from_partner [0.0, 1.0];
    /// Self-reliance of the domestic defence industry, [0, 1].
    DefenceSelfReliance => defence_self_reliance [0.0, 1.0];
    /// Intensity of Western sanctions on this partner, [0, 1].
    Sanctions => sanctions [0.0, 1.0];
    /// Tension with the West (the shared adversary), [0, 1].
    WestTension => west_tension [0.0, 1.0];
    /// Structural rivalry with the West that no policy of the moment removes (power transition, bloc confrontation), [0, 1]: the floor tension returns to.
    StructuralRivalry => structural_rivalry [0.0, 1.0];
    /// Depth of the West's dialogue and cooperation with this partner, [0, 1].
    WestEngagement => west_engagement [0.0, 1.0];
    /// This partner's aggressive behaviour towards the West (Ukraine, cyberattacks), [0, 1].
    Aggression => aggression [0.0, 1.0];
    /// Resentment of its position in the partnership, [0, 1].
    Resentment => resentment [0.0, 1.0];
    /// Relations with India, [-1, 1].
    IndiaRelations => india_relations [-1.0, 1.0];
    /// Years the current leader has held office. Bounds: [0, 100].
    LeaderTenure => leader_tenure [0.0, 100.0];
    /// The current leader's personal orientation towards the partnership, [-1, 1].
    LeaderOrientation => leader_orientation [-1.0, 1.0];
    /// How far the current leader's domestic legitimacy rests on confrontation with the West, [0, 1].
    ConfrontationBrand => confrontation_brand [0.0, 1.0];
    /// Orientation of the next generation of elites towards the West (+) or the partner (−), [-1, 1].
    EliteOrientation => elite_orientation [-1.0, 1.0];
}

variable_struct! {
    /// The dyad-level latent rivalries of the essay, each in [0, 1].
    struct Rivalries;
    /// A variable of [`Rivalries`].
    enum RivalryVar, paths ["rivalries."];
    /// Competition for influence in Central Asia (BRI vs EAEU).
    CentralAsia => central_asia [0.0, 1.0];
    /// Competing designs on the Arctic ("near-Arctic power", Arctic Silk Road).
    Arctic => arctic [0.0, 1.0];
    /// Demographic and territorial unease in the Russian Far East.
    FarEast => far_east [0.0, 1.0];
    /// Theft of arms technology.
    TechTheft => tech_theft [0.0, 1.0];
    /// Intermediate-range and intercontinental missiles aimed, potentially, at the partner.
    Missiles => missiles [0.0, 1.0];
}

impl Rivalries {
    /// Mean of the five rivalries, [0, 1].
    pub fn mean(&self) -> f64 {
        (self.central_asia + self.arctic + self.far_east + self.tech_theft + self.missiles) / 5.0
    }
}

variable_struct! {
    /// Everything the mechanisms read and write, at one turn.
    struct WorldState;
    /// A world-level variable of [`WorldState`] (neither per partner nor a rivalry).
    enum WorldVar, paths [""];
    /// Russia (or the Soviet Union).
    group russia: PartnerState;
    /// China.
    group china: PartnerState;
    /// The China–Russia alignment: +1 an alliance, 0 no partnership, −1 open hostility.
    Alignment => alignment [-1.0, 1.0];
    /// Personal rapport between the two leaders in office, [0, 1].
    Rapport => rapport [0.0, 1.0];
    /// Ideological solidarity: a shared identity against the West's framing, [0, 1].
    IdeologicalSolidarity => ideological_solidarity [0.0, 1.0];
    /// Rivalry over the leadership of a shared ideological camp (the 1950s), [0, 1].
    DoctrinalRivalry => doctrinal_rivalry [0.0, 1.0];
    /// Latent rivalries.
    group rivalries: Rivalries;
    /// Progress of the global energy transition: non-fossil share of world energy, [0, 1].
    EnergyTransition => energy_transition [0.0, 1.0];
    /// World fossil-fuel price relative to its long-run level, [0.2, 3].
    EnergyPrice => energy_price [0.2, 3.0];
    /// India's relations with the United States, [-1, 1].
    IndiaUs => india_us [-1.0, 1.0];
    /// How far the power gap (log power ratio) has widened beyond what the junior partner has come to accept, [0, 5]; 0 (the default) when the starting gap is accepted.
    #[serde(default)]
    StatusDecline => status_decline [0.0, 5.0];
}

/// Any variable of the [`WorldState`]: one name per variable, never out of range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StateVar {
    /// A variable of one partner's [`PartnerState`].
    Partner(Partner, PartnerVar),
    /// A world-level variable.
    World(WorldVar),
    /// A latent rivalry.
    Rivalry(RivalryVar),
}

/// Number of state variables, derived from the tables.
pub const STATE_COUNT: usize = 2 * PartnerVar::COUNT + WorldVar::COUNT + RivalryVar::COUNT;

impl StateVar {
    /// Every variable, in index order: Russia's, China's, the world's, the rivalries.
    pub const ALL: [StateVar; STATE_COUNT] = {
        let mut all = [StateVar::World(WorldVar::Alignment); STATE_COUNT];
        let mut i = 0;
        while i < PartnerVar::COUNT {
            all[i] = StateVar::Partner(Partner::Russia, PartnerVar::ALL[i]);
            all[PartnerVar::COUNT + i] = StateVar::Partner(Partner::China, PartnerVar::ALL[i]);
            i += 1;
        }
        let mut j = 0;
        while j < WorldVar::COUNT {
            all[2 * PartnerVar::COUNT + j] = StateVar::World(WorldVar::ALL[j]);
            j += 1;
        }
        let mut k = 0;
        while k < RivalryVar::COUNT {
            all[2 * PartnerVar::COUNT + WorldVar::COUNT + k] =
                StateVar::Rivalry(RivalryVar::ALL[k]);
            k += 1;
        }
        all
    };

    /// Position in [`StateVar::ALL`] and [`STATE_VARIABLES`].
    pub const fn index(self) -> usize {
        match self {
            StateVar::Partner(Partner::Russia, v) => v.index(),
            StateVar::Partner(Partner::China, v) => PartnerVar::COUNT + v.index(),
            StateVar::World(v) => 2 * PartnerVar::COUNT + v.index(),
            StateVar::Rivalry(v) => 2 * PartnerVar::COUNT + WorldVar::COUNT + v.index(),
        }
    }

    /// Dotted path, e.g. `russia.resentment` or `rivalries.arctic`.
    pub const fn path(self) -> &'static str {
        match self {
            StateVar::Partner(Partner::Russia, v) => PartnerVar::PATHS[0][v.index()],
            StateVar::Partner(Partner::China, v) => PartnerVar::PATHS[1][v.index()],
            StateVar::World(v) => WorldVar::PATHS[0][v.index()],
            StateVar::Rivalry(v) => RivalryVar::PATHS[0][v.index()],
        }
    }

    /// Lowest and highest admissible value.
    pub const fn bounds(self) -> (f64, f64) {
        match self {
            StateVar::Partner(_, v) => v.bounds(),
            StateVar::World(v) => v.bounds(),
            StateVar::Rivalry(v) => v.bounds(),
        }
    }

    /// The variable with this dotted path, if any.
    pub fn parse(path: &str) -> Option<StateVar> {
        StateVar::ALL.into_iter().find(|v| v.path() == path)
    }

    /// The variable at an index of [`StateVar::ALL`], if in range.
    pub fn from_index(index: usize) -> Option<StateVar> {
        StateVar::ALL.get(index).copied()
    }
}

/// Every state variable's dotted path with its bounds, in index order (derived from the tables).
pub const STATE_VARIABLES: [(&str, f64, f64); STATE_COUNT] = {
    let mut out = [("", 0.0, 0.0); STATE_COUNT];
    let mut i = 0;
    while i < STATE_COUNT {
        let v = StateVar::ALL[i];
        let (min, max) = v.bounds();
        out[i] = (v.path(), min, max);
        i += 1;
    }
    out
};

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

impl WorldState {
    /// The state of one partner.
    #[inline]
    pub fn partner(&self, p: Partner) -> &PartnerState {
        match p {
            Partner::Russia => &self.russia,
            Partner::China => &self.china,
        }
    }

    /// The state of one partner, mutably.
    #[inline]
    pub fn partner_mut(&mut self, p: Partner) -> &mut PartnerState {
        match p {
            Partner::Russia => &mut self.russia,
            Partner::China => &mut self.china,
        }
    }

    /// The variable's value.
    pub fn variable(&self, var: StateVar) -> f64 {
        match var {
            StateVar::Partner(p, v) => self.partner(p).get(v),
            StateVar::World(v) => self.get(v),
            StateVar::Rivalry(v) => self.rivalries.get(v),
        }
    }

    /// The variable, mutably.
    pub fn variable_mut(&mut self, var: StateVar) -> &mut f64 {
        match var {
            StateVar::Partner(p, v) => self.partner_mut(p).get_mut(v),
            StateVar::World(v) => self.get_mut(v),
            StateVar::Rivalry(v) => self.rivalries.get_mut(v),
        }
    }

    /// Every variable with its bounds, in index order (used by validation and tests).
    pub fn bounded(&self) -> Vec<Bounded> {
        StateVar::ALL
            .iter()
            .map(|&v| {
                let (min, max) = v.bounds();
                Bounded {
                    name: v.path(),
                    value: self.variable(v),
                    min,
                    max,
                }
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
    #[inline]
    pub fn clamp_all(&mut self) {
        self.russia.clamp_group();
        self.china.clamp_group();
        self.clamp_group();
        self.rivalries.clamp_group();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_cover_every_field_once() {
        // Every field is an f64: the struct holds exactly as many as the tables declare.
        assert_eq!(
            std::mem::size_of::<WorldState>(),
            STATE_COUNT * std::mem::size_of::<f64>()
        );
        // And each variable addresses a different field.
        let mut state = crate::reference::initial_2021();
        for (i, v) in StateVar::ALL.into_iter().enumerate() {
            *state.variable_mut(v) = i as f64;
        }
        for (i, v) in StateVar::ALL.into_iter().enumerate() {
            assert_eq!(state.variable(v), i as f64, "{}", v.path());
            assert_eq!(v.index(), i);
            assert_eq!(StateVar::from_index(i), Some(v));
            assert_eq!(StateVar::parse(v.path()), Some(v));
        }
        assert_eq!(StateVar::from_index(STATE_COUNT), None);
    }

    #[test]
    fn paths_are_dotted_and_unique() {
        assert_eq!(
            StateVar::Partner(Partner::China, PartnerVar::Gdp).path(),
            "china.gdp"
        );
        assert_eq!(
            StateVar::Rivalry(RivalryVar::Arctic).path(),
            "rivalries.arctic"
        );
        assert_eq!(StateVar::World(WorldVar::IndiaUs).path(), "india_us");
        let mut paths: Vec<_> = STATE_VARIABLES.iter().map(|(p, _, _)| *p).collect();
        paths.sort_unstable();
        paths.dedup();
        assert_eq!(paths.len(), STATE_COUNT);
    }
}
