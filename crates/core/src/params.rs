//! Model coefficients: every number of the equations in `dynamics`, with its source.
//!
//! One table declares each coefficient once — field, default and source — and
//! generates the struct, its defaults and path access for sweeps and
//! uncertainties, so the list cannot drift out of step with itself.

use serde::{Deserialize, Serialize};

macro_rules! params_table {
    ($( $(#[doc = $doc:expr])* $name:ident = $default:expr, [$min:expr, $max:expr]; )*) => {
        /// Coefficients of the model's equations. Rates are per year.
        #[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields, default)]
        pub struct Params {
            $( $(#[doc = $doc])* pub $name: f64, )*
        }

        impl Default for Params {
            fn default() -> Self {
                Params { $( $name: $default, )* }
            }
        }

        /// Every coefficient's name with its admissible range, in index order.
        pub const PARAMETERS: &[(&str, f64, f64)] = &[ $( (stringify!($name), $min, $max), )* ];

        impl Params {
            /// A coefficient's value, mutably.
            pub fn value_mut(&mut self, coefficient: Coefficient) -> &mut f64 {
                let fields = [ $( &mut self.$name, )* ];
                match fields.into_iter().nth(coefficient.index()) {
                    Some(field) => field,
                    None => unreachable!("a Coefficient is always an index of the table"),
                }
            }

            /// A coefficient's value.
            pub fn value(&self, coefficient: Coefficient) -> f64 {
                let fields = [ $( self.$name, )* ];
                fields[coefficient.index()]
            }
        }
    };
}

params_table! {
    /// Speed at which resentment approaches its structural level. Assumption: grievances build over years, not quarters (half-life ≈ 3 years).
    resentment_rate = 0.15, [0.0, 5.0];
    /// Weight of the power gap in the junior partner's resentment. Essay: "stark power asymmetries rankle Russia"; Mao's "big-power chauvinism".
    asymmetry_weight = 0.55, [0.0, 3.0];
    /// Log power ratio at which asymmetry resentment nears saturation. Assumption: a tenfold gap (essay) is about two-thirds of the way there.
    asymmetry_scale = 3.0, [0.1, 10.0];
    /// Weight of one-sided dependence (the gap in need, see `need`) in resentment. Hirschman (1945); Keohane & Nye (1977): asymmetric dependence exposes the weaker side to coercion.
    dependence_weight = 0.9, [0.0, 3.0];
    /// Weight of the latent rivalries in resentment, scaled by how junior the partner is. Essay: Central Asia, Arctic, Far East, technology theft, missiles.
    rivalry_weight = 0.6, [0.0, 3.0];
    /// Weight of doctrinal rivalry in resentment. Essay: Mao and Khrushchev competed for leadership of the communist bloc.
    doctrinal_resentment_weight = 0.4, [0.0, 3.0];
    /// Speed at which alignment approaches the level both partners are willing to sustain. Assumption: half-life of about a year.
    alignment_rate = 0.7, [0.0, 10.0];
    /// Standard deviation of alignment shocks per square-root year. Assumption: diplomatic noise of ±0.1 a year.
    alignment_noise = 0.2, [0.0, 2.0];
    /// Constant term of each partner's willingness. Assumption: a partnership without active reasons erodes slightly. Calibrated: the 1950 alliance splits in over half the runs by 1960 (F6), and, with China's stake and counter-offer and either partner's leave, at −0.40 F4's rise of the hazard after a Russian leadership change (over 0.02 a year) holds at seed 11 and at seeds 1–4 (not 5: +0.0194) and F8's bound (unconditional accommodation under escalation buys under 1 pp) at all six; at −0.39 F4 failed at seeds 2, 3 and 5, at −0.41 F8 failed at seed 5 (docs/VALIDATION.md).
    willingness_bias = -0.40, [-3.0, 3.0];
    /// Weight of tension with the shared adversary. Walt (1987), balance of threat; essay: estrangement from the West drove the tilt.
    threat_weight = 0.8, [0.0, 5.0];
    /// Weight of ideological solidarity. Essay: "democracy versus autocracy" framing pushes the two together.
    ideology_weight = 0.5, [0.0, 5.0];
    /// Weight of the leaders' personal rapport. Essay: the relationship is highly personalized (Xi–Putin; Mao–Khrushchev).
    rapport_weight = 0.6, [0.0, 5.0];
    /// Weight of need (trade dependence, amplified by sanctions; arms). Essay: sanctions pushed Russia into China's economic embrace. Calibrated at the low end of its prior (0.75–2.25, docs/CALIBRATION.md): with successions no longer carrying nearly every split, 0.9 leaves the 2021 partnership shallow enough that grievances, incidents and choices split it without a change of leader (CHISOLS: 1.2%/yr without a coalition change, history data C.2) in about a quarter of its splits; at 0.85, with trade rerouting to the partner, unconditional relief of an escalating Russia lowers its need enough to buy splits (F8: +0.75 pp [+0.47, +1.09]).
    need_weight = 0.9, [0.0, 5.0];
    /// How much Western sanctions amplify the need for the partner's market. Essay, as above. Assumption on the size.
    sanctions_need_amplifier = 1.0, [0.0, 5.0];
    /// Weight of the leader's own orientation towards the partnership. Bueno de Mesquita et al. (2003): leaders choose foreign policy to stay in power.
    leader_weight = 0.6, [0.0, 5.0];
    /// Weight of resentment against willingness. Essay: misgivings about junior status.
    resentment_weight = 1.2, [0.0, 5.0];
    /// Weight of the fear of abandonment: a partner more threatened by the West than its partner doubts the partner's backing. Snyder (1984), the alliance security dilemma; essay: Khrushchev's moderation against Mao's continuous revolution.
    abandonment_weight = 1.5, [0.0, 5.0];
    /// Weight of outside options (the West's engagement and market, India). Essay: dialogue "would signal to Moscow that it has options".
    outside_option_weight = 0.5, [0.0, 5.0];
    /// Weight of doctrinal rivalry against willingness. Essay: the 1950s rivalry over bloc leadership.
    doctrinal_weight = 2.0, [0.0, 5.0];
    /// Intensity of the contest for leadership of a shared ideological camp. Essay: strong in the 1950s; assumption: weak today (no shared doctrine to lead).
    camp_contest = 0.1, [0.0, 1.0];
    /// Speed of doctrinal rivalry. Assumption: years.
    doctrinal_rate = 0.3, [0.0, 5.0];
    /// Yearly growth of rapport while leaders meet and alignment is positive. Essay: ~40 Xi–Putin meetings or calls since 2013.
    rapport_growth = 0.08, [0.0, 2.0];
    /// Yearly erosion of rapport per unit of doctrinal rivalry: leaders who quarrel over doctrine fall out personally. Essay: Khrushchev derided Mao as "an ultra-leftist, an ultra-dogmatist".
    rapport_erosion = 1.0, [0.0, 10.0];
    /// Share of rapport that survives a change of leader. Calibrated to the CHISOLS ratio in the year after a change (×1.64, 0.94–2.87): the ties built since 2001 (treaty, summitry, bureaucracies) outlast the leader; any rapport lost is a lasting deficit (it rebuilds at `rapport_growth`), which keeps the hazard in the year after a change above the record's interval.
    rapport_carryover = 1.0, [0.0, 1.0];
    /// Mean orientation towards the partnership of the course a successor's elites favour when they are neutral. Assumption (uncertainty Normal(0.3, 0.15) in the 2021 scenarios).
    successor_orientation_base = 0.3, [-1.0, 1.0];
    /// How much the elites' westward orientation shifts the course they favour away from the partner. Essay: sow seeds among "the younger cadre". Sized with `successor_inheritance` so that the elites' part of a successor's course moves 0.8 per unit of elite orientation, as before the inheritance, which keeps the lesson that aggression pays carrying F8.
    successor_elite_weight = 1.6, [0.0, 3.0];
    /// Spread of a successor's lasting personal deviation from the inherited course (standard normal draw from the successor stream). Assumption, calibrated with `successor_turbulence` to the CHISOLS ratios.
    successor_spread = 0.15, [0.0, 2.0];
    /// Share of the predecessor's orientation that a successor inherits (the institutions' course); the rest is the course the elites favour. Leeds, Mattes & Vogel (2009): commitments change with the leader's supporting coalition, and many successions keep it. Assumption: half.
    successor_inheritance = 0.5, [0.0, 1.0];
    /// Share of the change a succession makes to the alignment target that is realized when the new leader takes office (the rest follows at `alignment_rate`). Leeds, Mattes & Vogel (2009): new coalitions revise commitments on taking office. Assumption: all of it (1).
    successor_reset = 1.0, [0.0, 1.0];
    /// Standard deviation of the jolt a transition gives the alignment (a successor's first moves, warm or cool; a standard normal draw from the successor stream), which then relaxes at `alignment_rate`. Calibrated to the CHISOLS ratio in the year of a change (×3.24, 2.12–4.94), which the record shows fading the year after (×1.64).
    successor_turbulence = 0.2, [0.0, 1.0];
    /// Mean confrontation brand of a successor with neutral elites: with the 2021 elites (−0.2) a successor's brand is 0.54 on average against Putin's 0.8, so the successor's course turns from the partnership over years (`brand_orientation_rate`). Essay: Putin legitimates his rule through tension with the West, a successor need not. Calibrated with `successor_brand_elite_weight` so that the hazard after a change, all years together, is more than three times the hazard before (F4).
    successor_brand_base = 0.3, [0.0, 1.0];
    /// How much westward elites lower a successor's confrontation brand. Assumption, following the essay's argument about the post-Putin cadre; sized so that cadre engagement raises the hazard after a change by more than a point a year (F4).
    successor_brand_elite_weight = 1.2, [0.0, 2.0];
    /// How fast a leader's orientation follows their confrontation brand times tension. Essay: Putin legitimates his rule through tension with the West.
    brand_orientation_rate = 0.15, [0.0, 5.0];
    /// Growth of the confrontation brand per unit of accommodation (relief and dialogue) offered while the partner escalates. Crawford (2011): unconditional rewards are pocketed and embolden. Assumption on the size: calibrated so that unconditional accommodation of an escalating Russia buys no split (F8), a fact the essay argues rather than a measured figure.
    brand_reward = 20.0, [0.0, 50.0];
    /// Shift of the next generation's orientation away from the West per unit of accommodation offered while the partner escalates: the cadre learns that confrontation pays. Essay: do not "allow Putin to exploit Washington's extended hand". Assumption on the size, calibrated with `brand_reward`.
    aggression_lesson = 15.0, [0.0, 50.0];
    /// Share of the West's dialogue that is pocketed, not reciprocated, per unit of aggression. Essay: "eyes wide open". Assumption on the size.
    engagement_pocketing = 0.8, [0.0, 1.0];
    /// Yearly decay of West engagement without new effort. Assumption: dialogue lapses in about seven years.
    engagement_decay = 0.1, [0.0, 5.0];
    /// Speed of tension towards its structural level. Assumption: about two years.
    tension_rate = 0.4, [0.0, 5.0];
    /// Floor of tension with the West. Assumption.
    tension_base = 0.15, [0.0, 1.0];
    /// Tension produced by aggression. Essay: Ukraine and cyberattacks.
    tension_from_aggression = 0.6, [0.0, 2.0];
    /// Tension produced by sanctions. Assumption.
    tension_from_sanctions = 0.35, [0.0, 2.0];
    /// Tension relieved by engagement. Essay: Geneva strategic-stability dialogue.
    tension_relief_from_engagement = 0.3, [0.0, 2.0];
    /// Yearly decay of aggression without new escalation. Assumption: conflicts freeze slowly.
    aggression_decay = 0.1, [0.0, 5.0];
    /// Speed of each trade share towards its structural level (see `dynamics::trade_targets`), per year. Assumption: trade reroutes over a few years (half-life ≈ 2.3 years).
    trade_rate = 0.3, [0.0, 5.0];
    /// Share of the West's attractiveness as a destination lost per unit of isolation (sanctions and self-sanctioning). Calibrated to the EU's share of Russia's trade falling from ~49% (2013) to ~38% (2020) under the 2014 sanctions (isolation ≈ 0.35): a relative decline of ≈ 3.6% a year.
    west_access_loss = 0.6, [0.0, 1.0];
    /// How strongly a unit of the partner's trade links pulls the trade rerouted from the West, against a unit of trade with the rest of the world: discounted sales, payment in national currencies, political cover. Essay: sanctions pushed Russia into China's economic embrace. Assumption on the size: 12, so that at the 2021 shares (partner 16%, rest of the world 46% of Russia's trade) about 80% of the trade lost in the West reroutes to the partner (the fixed substitution share this replaces was 0.6; at 4, about 58%, the 2021 baseline splits more often still). Prior range 2–20.
    partner_reroute_weight = 12.0, [0.0, 20.0];
    /// How strongly a unit of trade with India pulls the trade rerouted from the West, against a unit of trade with the rest of the world, at neutral relations; it is multiplied by 1 + the partner's `india_relations` (0 at open hostility, 2 at the warmest): India buys discounted energy and arms and keeps its strategic autonomy from Western sanctions, but follows its relations with each partner (Delhi's long ties to Moscow, its rivalry with Beijing). Assumption: 3, so India's pull for each point of trade it carries is about five times the rest of the world's at the 2021 relations with Russia (0.6) and under twice it with China (−0.5). Prior range 1–10.
    india_reroute_weight = 3.0, [0.0, 20.0];
    /// Alignment below which estrangement starts to price bilateral trade out (see `trade_hostility_weight`): above it politics does not restrain trade, below it state trading and payment channels close (the Sino-Soviet rift: trade fell from 1960, before the border fighting of 1969). Calibrated: 0.3, a little above the split threshold of the shipped scenarios (0.2), so trade starts to fall as a partnership sours, before it breaks; set with the 2021 baseline's split probability (F1, 14.4% before the trade mechanism; 13.2% at 0.2, 14.3% at 0.3) and the 1950 alliance's (F6: 50.6% [48.4%, 52.8%] at 0.2 fails, 57.3% [55.1%, 59.4%] at 0.3). Prior range −0.2 to 0.4.
    trade_alignment_floor = 0.3, [-1.0, 1.0];
    /// How steeply estrangement prices bilateral trade out: the partner's attractiveness is multiplied by exp(−weight · (`trade_alignment_floor` − alignment)) below the floor. Calibrated to the Sino-Soviet record: 48% of China's trade with the Soviet Union in 1959, about 1% by 1970 (`history-1950`).
    trade_hostility_weight = 10.0, [0.0, 20.0];
    /// Years over which the links with the partner (pipelines, rail, ports, payment channels) follow the trade actually carried: capacity builds up, or falls idle, with this time constant. Power of Siberia: contract May 2014, first gas December 2019 (≈ 5 years); the ESPO spur to Daqing: agreed 2009, flowing 2011. Prior range 1–10 years.
    capacity_build_years = 4.0, [0.1, 30.0];
    /// Elasticity of a partner's share of the other's trade to its economy's growth against the world's (`world_growth`): the share drifts at `gravity_elasticity` · (the partner's net growth − `world_growth`) a year. Tinbergen (1962); Head & Mayer (2014), meta-analysis: GDP elasticities of bilateral trade near 1; Constantinescu, Mattoo & Ruta (2015): the long-run income elasticity of world trade was about 1.3 in 2001–2013 (2 in 1986–2000). Calibrated at 1.3 within its prior (0.8–2): at 1.0 outreach on the 2021 partnership (+10.7 pp) rivals outreach on the 1972 rift (+13.0 pp) and F7 fails; at 1.25 it holds narrowly (half-year horizon, 2,000 runs; docs/VALIDATION.md has the current figures). Not tuned to the held-out rise of China's share of Russia's trade.
    gravity_elasticity = 1.3, [0.0, 3.0];
    /// Real growth of the world economy outside the pair, fraction per year: the other destinations' economic mass grows at this rate, so a partner growing faster pulls trade. IMF World Economic Outlook (April 2021): world GDP at market exchange rates grew by about 2.5–3% a year over 2010–2019. Prior range 0.02–0.04.
    world_growth = 0.03, [-0.1, 0.15];
    /// Speed at which a partner's unsold fossil exports find buyers where the routes have spare capacity, per year. Assumption: crude and products are rerouted within months once a route is open (half-life ≈ 4 months at 2). Prior range 0.5–4.
    energy_reroute_rate = 2.0, [0.0, 20.0];
    /// Years over which the seaborne routes to India and the rest of the world (tankers, insurance, terminals) follow the flow they are asked to carry. The ESPO pipeline's Pacific terminal at Kozmino: built 2008–2009 and expanded to 30 Mt a year by 2014 as flows grew. Assumption: a year, against `capacity_build_years` for pipelines. Prior range 0.5–3 years.
    seaborne_build_years = 1.0, [0.1, 30.0];
    /// Price discount per unit of isolation on fossil exports sold to the partner and to India, the buyers that gain leverage over a seller cut off from Western markets: at the 2021 isolation (0.35) a discount of 14%. Gabuev (2016): the Power of Siberia contract (May 2014) was signed on China's terms weeks after the first Crimea sanctions. Assumption on the size. Prior range 0.2–0.6.
    energy_discount = 0.4, [0.0, 0.9];
    /// Growth lost at full sanctions, fraction per year. Assumption after IMF estimates for 2014–2018 (about 0.2–1 pp a year at partial sanctions).
    sanctions_growth_cost = 0.03, [0.0, 0.2];
    /// Technology gain per unit of growth. Assumption: innovation follows investment.
    tech_gain = 0.6, [0.0, 5.0];
    /// Defence self-reliance gained by theft of weapons technology, per year, per unit of the rivalry and of the gap in self-reliance, by the partner whose defence industry is behind. Essay: Chinese theft of Russian weapons technology.
    theft_gain = 0.05, [0.0, 1.0];
    /// Yearly growth of defence self-reliance. Essay: China's own industry makes it "less reliant every year".
    defence_learning = 0.02, [0.0, 0.5];
    /// Yearly pace of the global energy transition. Assumption after IEA World Energy Outlook 2021 (low-carbon share rising ~0.5–1 pp a year).
    transition_pace = 0.008, [0.0, 0.1];
    /// Elasticity of fossil export shares to the shrinking fossil market. Assumption: proportional (1).
    fossil_elasticity = 1.0, [0.0, 5.0];
    /// Structural drift of the latent rivalries per unit of asymmetry. Essay: "the imbalance will only grow over time".
    rivalry_drift = 0.02, [0.0, 1.0];
    /// Yearly decay of the latent rivalries. Assumption: grievances fade slowly without new friction.
    rivalry_decay = 0.05, [0.0, 5.0];
    /// Speed of ideological solidarity towards its floor. Assumption.
    solidarity_rate = 0.2, [0.0, 5.0];
    /// Floor of ideological solidarity without any framing. Assumption: shared dislike of liberal norms persists.
    solidarity_floor = 0.25, [0.0, 1.0];
    /// Speed of energy prices back to their long-run level. Assumption.
    price_reversion = 0.5, [0.0, 5.0];
    /// Volatility of the energy price per square-root year. Assumption: oil's ~30% a year, smoothed over a quarter.
    price_volatility = 0.15, [0.0, 2.0];
    /// Weight of India's ties as an outside option and as the carrier of warnings about dependence. Essay: New Delhi "may be particularly adept". Assumption on the size.
    india_channel_weight = 0.5, [0.0, 2.0];
    /// Share of the remaining (unsanctioned) Western commerce that firms withhold from a partner at open war (aggression 1), whatever governments allow: relief does not bring business back to a country at war. Calibrated with F8 in view (docs/VALIDATION.md: without it, accommodating an escalating Russia buys splits). No episode up to mid-2021 measures it: after 2014, at a lower aggression, few Western firms left Russia (BP kept its Rosneft stake, Shell Sakhalin-2, Total Yamal LNG). An earlier version of this entry cited the corporate exits after February 2022, which lie outside the record the model may use; the value rests on F8 alone, and its prior (0.3–1) carries the doubt into the ensemble.
    self_sanctioning = 0.9, [0.0, 1.0];
    /// Aggression above which the West treats a partner as escalating: firms start to withhold trade, and accommodation teaches that aggression pays. Essay: relief conditioned on "a diplomatic settlement in eastern Ukraine". Assumption: the 2021 level (0.3), the frozen conflict in Donbas that Western firms had lived with since 2014; anything beyond it is escalation.
    escalation_threshold = 0.3, [0.0, 0.99];
    /// Weight of status decline (the widening of the power gap beyond what the junior partner has come to accept) in its resentment. Organski (1958) and Gilpin (1981): relative decline, not the level of power, drives discontent; essay: "the imbalance will only grow over time". Assumption on the size.
    decline_weight = 1.5, [0.0, 5.0];
    /// Yearly rate at which the junior partner comes to accept a wider gap. Assumption: about a generation (rate 0.02, half-life ≈ 35 years), so a widening gap is still resented within the ten-year horizon.
    status_adaptation = 0.02, [0.0, 5.0];
    /// How far a partner's commitment (positive alignment) discounts the pull of third parties (outside options, fear of abandonment). Crawford (2011) and Izumikawa (2013): wedge inducements work on ambivalent targets, not on committed ones; essay: Nixon's "task was to build on, not initiate, a rift". Calibrated at the top of its prior (0.4–1) so that outreach still works better on a rift than on the shallower 2021 partnership (F7).
    commitment_discount = 1.0, [0.0, 1.0];
    /// Years between an agent's full reviews of its options. A review re-estimates every option's look-ahead utility; between reviews the agent draws its logit choice each turn from the utilities of its last review. A struck event, a change in the levers' flows, or an alignment below the split threshold brings a review at the next turn. Allison & Zelikow (1999): governments act through standard procedures and revise them at set reviews or after a shock. Assumption: half-yearly. At or below the turn length every decision is reviewed every turn.
    review_years = 0.5, [0.0, 10.0];
    /// Years ahead that an agent weighs an option: it values each option by one step of the dynamics over the horizon's discount-weighted mean time, under the option's flows (docs/MODEL.md, Prediction). The essay's levers act over years, not quarters. Assumption: a year (mean time 0.62 years at the default discount rate), at which every stylized fact holds (on the model before trade among five destinations, a year lost the smallest levers' effect and half a year was the default); with it a partner's `leave` pulls −2.0 a year, not −3.2, since at −3.2 the one-step look-ahead of leaving overshoots so far that no partner leaves (docs/MODEL.md, A split as a decision). At or below the turn length the look-ahead is one step.
    horizon_years = 1.0, [0.0, 10.0];
    /// Yearly rate at which an agent discounts the later turns of its horizon (turn k of the horizon weighted exp(−rate·k·turn_years)). Assumption: 0.1, a mild preference for the near term.
    discount_rate = 0.1, [0.0, 10.0];
}

impl Params {
    /// A coefficient from its name.
    pub fn index(name: &str) -> Option<Coefficient> {
        PARAMETERS
            .iter()
            .position(|(n, _, _)| *n == name)
            .map(Coefficient)
    }
}

/// One coefficient of [`PARAMETERS`]. Only a name lookup, [`Coefficient::all`] or a checked
/// conversion makes one, so it always indexes the table: there is no out-of-range value to
/// fall back from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "usize", into = "usize")]
pub struct Coefficient(usize);

impl Coefficient {
    /// Every coefficient, in table order.
    pub fn all() -> impl Iterator<Item = Coefficient> {
        (0..PARAMETERS.len()).map(Coefficient)
    }

    /// Position in [`PARAMETERS`].
    pub const fn index(self) -> usize {
        self.0
    }

    /// The coefficient's name (the field of [`Params`]).
    pub fn name(self) -> &'static str {
        PARAMETERS[self.0].0
    }

    /// Admissible range, inclusive.
    pub fn range(self) -> (f64, f64) {
        (PARAMETERS[self.0].1, PARAMETERS[self.0].2)
    }
}

impl TryFrom<usize> for Coefficient {
    type Error = String;

    fn try_from(index: usize) -> Result<Self, Self::Error> {
        if index < PARAMETERS.len() {
            Ok(Coefficient(index))
        } else {
            Err(format!(
                "coefficient index {index} is out of range: the table has {} coefficients",
                PARAMETERS.len()
            ))
        }
    }
}

impl From<Coefficient> for usize {
    fn from(coefficient: Coefficient) -> usize {
        coefficient.0
    }
}

/// A numeric quantity that an uncertainty, a sweep or a user override can set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ParamId {
    /// A coefficient of [`PARAMETERS`].
    Coefficient(Coefficient),
    /// An initial state variable.
    Initial(crate::state::StateVar),
}

impl ParamId {
    /// Resolve `params.NAME` or `initial.PATH` into an id.
    pub fn parse(path: &str) -> Option<ParamId> {
        if let Some(name) = path.strip_prefix("params.") {
            Params::index(name).map(ParamId::Coefficient)
        } else if let Some(name) = path.strip_prefix("initial.") {
            crate::state::StateVar::parse(name).map(ParamId::Initial)
        } else {
            None
        }
    }

    /// Admissible range of the quantity.
    pub fn range(self) -> (f64, f64) {
        match self {
            ParamId::Coefficient(c) => c.range(),
            ParamId::Initial(v) => v.bounds(),
        }
    }

    /// The dotted path that [`ParamId::parse`] reads.
    pub fn path(self) -> String {
        match self {
            ParamId::Coefficient(c) => format!("params.{}", c.name()),
            ParamId::Initial(v) => format!("initial.{}", v.path()),
        }
    }

    /// Every admissible path, for "did you mean" suggestions.
    pub fn all_paths() -> Vec<String> {
        let coefficients = Coefficient::all().map(ParamId::Coefficient);
        let initial = crate::state::StateVar::ALL
            .into_iter()
            .map(ParamId::Initial);
        coefficients.chain(initial).map(ParamId::path).collect()
    }
}
