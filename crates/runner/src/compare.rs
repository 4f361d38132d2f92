//! Paired comparisons with common random numbers.
//!
//! Run *i* of every arm uses the same seed stream (and so the same
//! uncertainty draws, events and noise): the arms differ only by what their
//! scenarios change. The difference from the baseline is then measured run by
//! run, from the discordant pairs, and its interval is far narrower than that
//! of two independent batches.

use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};
use wedge_core::{Model, simulate};

use crate::aggregate::Aggregate;
use crate::provenance::{Manifest, RunPlan};
use crate::session::grow;
use crate::stats::{independent_difference, paired_difference};
use crate::summary::{Proportion, median_years};
use crate::swept::SweptValues;
use crate::waves::{Accumulate, Batch, BatchError, Control, run_parts};

/// Discordant and concordant pairs of one arm against the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PairCounts {
    /// Runs that split in both.
    pub both: u64,
    /// Runs that split only in the variant.
    pub gained: u64,
    /// Runs that split only in the baseline.
    pub lost: u64,
    /// Runs that split in neither.
    pub neither: u64,
}

impl std::ops::AddAssign for PairCounts {
    fn add_assign(&mut self, other: PairCounts) {
        self.both += other.both;
        self.gained += other.gained;
        self.lost += other.lost;
        self.neither += other.neither;
    }
}

/// Aggregates of every arm, and each arm's pairs against arm 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    /// One aggregate per arm, baseline first.
    pub arms: Vec<Aggregate>,
    /// Pair counts per arm against the baseline (the baseline's own are all concordant).
    pub pairs: Vec<PairCounts>,
}

impl Comparison {
    /// Empty comparison shaped for these arms.
    pub fn new(models: &[Model]) -> Comparison {
        Comparison {
            arms: models.iter().map(Aggregate::new).collect(),
            pairs: vec![PairCounts::default(); models.len()],
        }
    }

    /// Add another comparison of the same arms (exact).
    pub fn absorb(&mut self, other: &Comparison) {
        for (a, b) in self.arms.iter_mut().zip(&other.arms) {
            a.absorb(b);
        }
        for (a, b) in self.pairs.iter_mut().zip(&other.pairs) {
            *a += *b;
        }
    }

    /// Runs compared.
    pub fn runs(&self) -> u64 {
        self.arms.first().map_or(0, |a| a.runs)
    }

    /// Largest half-width of the paired delta intervals (0 with one arm).
    pub fn widest_delta_half_width(&self) -> f64 {
        let n = self.runs();
        self.pairs
            .iter()
            .skip(1)
            .map(|p| {
                let (_, (lo, hi)) = paired_difference(p.both, p.gained, p.lost, n);
                (hi - lo) / 2.0
            })
            .fold(0.0, f64::max)
    }
}

impl Accumulate for Comparison {
    fn absorb_clearing(&mut self, other: &mut Self) {
        for (a, b) in self.arms.iter_mut().zip(&mut other.arms) {
            a.absorb_clearing(b);
        }
        for (a, b) in self.pairs.iter_mut().zip(&mut other.pairs) {
            *a += std::mem::take(b);
        }
    }
}

/// Add the runs `runs` of every arm to `c` (`false` if stopped): the
/// baseline's runs, then each other arm's runs, one arm after another, so
/// that a worker keeps one arm's model and aggregate warm in its caches
/// instead of moving between every arm at every run. The counts are the same
/// in any order.
pub(crate) fn compare_runs(
    models: &[Model],
    seed: u64,
    runs: std::ops::Range<u64>,
    c: &mut Comparison,
    stop: &AtomicBool,
) -> bool {
    // Whether the baseline split in each run of the range, for the pairs.
    let mut base_split = Vec::with_capacity(usize::try_from(runs.end - runs.start).unwrap_or(0));
    for run in runs.clone() {
        if stop.load(Ordering::Relaxed) {
            return false;
        }
        let base = simulate(&models[0], seed, run, &mut c.arms[0]);
        c.arms[0].record(&base);
        c.pairs[0].both += u64::from(base.split_turn.is_some());
        c.pairs[0].neither += u64::from(base.split_turn.is_none());
        base_split.push(base.split_turn.is_some());
    }
    for (a, model) in models.iter().enumerate().skip(1) {
        for (run, &base) in runs.clone().zip(&base_split) {
            if stop.load(Ordering::Relaxed) {
                return false;
            }
            let s = simulate(model, seed, run, &mut c.arms[a]);
            c.arms[a].record(&s);
            let p = &mut c.pairs[a];
            match (base, s.split_turn.is_some()) {
                (true, true) => p.both += 1,
                (false, true) => p.gained += 1,
                (true, false) => p.lost += 1,
                (false, false) => p.neither += 1,
            }
        }
    }
    true
}

/// Compare arms over a batch's chunks, folding chunk results in order into
/// `into` (the same wave loop as a batch, so it honours `control.stop`).
pub fn compare_chunks(
    models: &[Model],
    batch: &Batch,
    into: &mut Comparison,
    control: Control<'_, Comparison>,
) -> Result<(), BatchError> {
    run_parts(
        batch,
        into,
        || Comparison::new(models),
        |c, runs, stop| compare_runs(models, batch.seed, runs, c, stop),
        control,
    )
}

/// The difference of an arm from the baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delta {
    /// Arm minus baseline split probability.
    pub estimate: f64,
    /// Paired 95% interval.
    pub ci95: [f64; 2],
    /// Interval two independent batches of the same size would give (for contrast).
    pub independent_ci95: [f64; 2],
    /// Relative change, arm / baseline − 1 (absent when the baseline never splits).
    pub relative: Option<f64>,
    /// Shift of the median years to split, when both are defined.
    pub median_shift_years: Option<f64>,
    /// raises, lowers, or no detectable change.
    pub verdict: String,
}

/// One arm of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArmSummary {
    /// Arm name.
    pub name: String,
    /// Split probability.
    pub split: Proportion,
    /// Median years to split.
    pub median_years_to_split: Option<f64>,
    /// Difference from the baseline (the baseline's own is zero).
    pub delta: Delta,
    /// Pair counts against the baseline.
    pub pairs: PairCounts,
    /// Survival by year.
    pub survival: Vec<crate::summary::SurvivalPoint>,
    /// Calendar year of the start (survival years count from it).
    #[serde(default)]
    pub start_year: Option<f64>,
    /// A sweep point's values, one per swept field path (absent for other arms).
    #[serde(default, skip_serializing_if = "SweptValues::is_empty")]
    pub params: SweptValues,
    /// The arm across an ensemble's draws (absent without `--ensemble`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ensemble: Option<crate::bands::ArmEnsemble>,
}

/// Summaries of every arm, in the order given (the baseline first).
pub fn arm_summaries(names: &[String], models: &[Model], c: &Comparison) -> Vec<ArmSummary> {
    let n = c.runs();
    let base = &c.arms[0];
    let base_median = median_years(base, models[0].spec().turn_years);
    names
        .iter()
        .zip(models)
        .zip(c.arms.iter().zip(&c.pairs))
        .map(|((name, model), (agg, pairs))| {
            let (estimate, (lo, hi)) = paired_difference(pairs.both, pairs.gained, pairs.lost, n);
            let (_, (ilo, ihi)) = independent_difference(base.splits, agg.splits, n);
            let median = median_years(agg, model.spec().turn_years);
            let verdict = if lo > 0.0 {
                "raises"
            } else if hi < 0.0 {
                "lowers"
            } else {
                "no detectable change"
            };
            ArmSummary {
                name: name.clone(),
                split: Proportion::of(agg.splits, n),
                median_years_to_split: median,
                delta: Delta {
                    estimate,
                    ci95: [lo, hi],
                    independent_ci95: [ilo, ihi],
                    relative: (base.splits > 0)
                        .then(|| agg.splits as f64 / base.splits as f64 - 1.0),
                    median_shift_years: base_median.zip(median).map(|(b, m)| m - b),
                    verdict: verdict.to_string(),
                },
                pairs: *pairs,
                survival: crate::summary::survival(agg, model.spec().turn_years),
                start_year: Some(model.spec().start_year),
                params: SweptValues::default(),
                ensemble: None,
            }
        })
        .collect()
}

/// One arm of a comparison: a name and the model it plays.
#[derive(Debug, Clone)]
pub struct Arm {
    /// Name in tables and charts (`+lever`, a scenario name, `path=value`).
    pub name: String,
    /// The model.
    pub model: Model,
}

/// How arms after the baseline are ordered in a comparison document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ranking {
    /// Largest paired delta first, ties by name (lever comparisons).
    ByDelta,
    /// The order given (sweep points).
    AsGiven,
}

/// Why a comparison could not be made.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CompareError {
    /// No arms at all.
    #[error("nothing to compare: no arms were given")]
    TooFewArms,
    /// Arms whose runs cannot be paired.
    #[error("every arm must have the same horizon and turn length to be compared pair by pair")]
    Shapes,
    /// Stopped by the caller.
    #[error(transparent)]
    Interrupted(#[from] BatchError),
    /// The job exceeds a documented limit ([`MAX_ARMS`], [`MAX_TOTAL_RUNS`], [`MAX_JOB_BYTES`]).
    #[error(
        "this job is too large: {arms} arms × {runs} runs ({total} runs in all) holding about {mib} MiB of aggregates; the limits are {max_arms} arms, {max_total} runs and {max_mib} MiB. Compare fewer arms (fewer levers, scenarios, uncertainties or trajectories) per command, or fewer runs, and split the work over several commands",
        total = *arms as u128 * *runs as u128,
        mib = bytes / (1024 * 1024),
        max_arms = MAX_ARMS,
        max_total = MAX_TOTAL_RUNS,
        max_mib = MAX_JOB_BYTES / (1024 * 1024)
    )]
    TooLarge {
        /// Arms.
        arms: usize,
        /// Runs per arm (before any growth to a target interval).
        runs: u64,
        /// Estimated memory of the aggregates held at once, bytes.
        bytes: u64,
    },
}

impl wedge_io::Categorized for CompareError {
    fn category(&self) -> wedge_io::Category {
        match self {
            CompareError::Interrupted(_) => wedge_io::Category::Interrupted,
            _ => wedge_io::Category::Usage,
        }
    }
}

/// Most arms one comparison (or sensitivity design) may have.
pub const MAX_ARMS: usize = 2_000;

/// Most runs one comparison may play in all (arms × runs per arm).
pub const MAX_TOTAL_RUNS: u128 = 10_000_000_000;

/// Most memory the aggregates of one comparison may hold at once, bytes (4 GiB).
pub const MAX_JOB_BYTES: u64 = 4 * 1024 * 1024 * 1024;

/// Estimate a comparison's size before running it and refuse what exceeds
/// the limits: arms × runs, and the aggregates held at once (the running
/// total, plus one per worker in flight and one waiting to be folded).
pub fn check_job_size(models: &[Model], runs: u64, threads: usize) -> Result<(), CompareError> {
    let per_arm: u64 = models.iter().map(|m| Aggregate::new(m).heap_bytes()).sum();
    let copies = 1 + 2 * threads.max(1) as u64;
    let bytes = per_arm.saturating_mul(copies);
    let arms = models.len();
    if arms > MAX_ARMS || arms as u128 * runs as u128 > MAX_TOTAL_RUNS || bytes > MAX_JOB_BYTES {
        return Err(CompareError::TooLarge { arms, runs, bytes });
    }
    Ok(())
}

/// The document of a comparison (what `wedge compare --format json` prints).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparisonResult {
    /// Runs per arm.
    pub runs: u64,
    /// Master seed.
    pub seed: u64,
    /// Arms, baseline first, then ranked.
    pub arms: Vec<ArmSummary>,
    /// Provenance (hash of the baseline scenario).
    pub manifest: Manifest,
    /// Each arm's regret across an ensemble's draws, in arm order (empty without `--ensemble`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regret: Vec<crate::bands::Regret>,
}

impl ComparisonResult {
    /// Record each sweep point's values on the arm named after it ([`crate::point_name`]).
    pub fn attach_points(&mut self, points: &[crate::design::Point]) {
        for arm in &mut self.arms {
            if let Some(point) = points
                .iter()
                .find(|p| crate::design::point_name(p) == arm.name)
            {
                arm.params = SweptValues(point.clone());
            }
        }
    }
}

/// Check that every arm can be paired run by run with the first.
pub fn check_shapes(models: &[Model]) -> Result<(), CompareError> {
    let Some(first) = models.first() else {
        return Err(CompareError::TooFewArms);
    };
    if models.iter().any(|m| {
        m.horizon_turns() != first.horizon_turns() || m.spec().turn_years != first.spec().turn_years
    }) {
        return Err(CompareError::Shapes);
    }
    Ok(())
}

/// Play `models` pair by pair on common random numbers for `runs` runs (per
/// arm); with `target_ci`, grow the plan by [`grow`] until every paired delta's
/// 95% half-width is at most it. `on_wave` gets (runs done, runs planned) per arm.
pub fn run_arms(
    models: &[Model],
    seed: u64,
    runs: u64,
    target_ci: Option<f64>,
    stop: &AtomicBool,
    on_wave: &mut (dyn FnMut(u64, u64) + Send),
) -> Result<Comparison, CompareError> {
    check_shapes(models)?;
    check_job_size(models, runs, rayon::current_num_threads())?;
    let mut comparison = Comparison::new(models);
    // A growing plan starts on whole chunks, so growth skips no run index.
    let mut runs = if target_ci.is_some() {
        crate::session::whole_chunks(runs)
    } else {
        runs
    };
    let mut done_chunks = 0;
    loop {
        let batch = Batch {
            seed,
            runs,
            first_chunk: done_chunks,
            end_chunk: runs.div_ceil(crate::CHUNK_RUNS),
        };
        let mut wave = |c: &Comparison, _: u64| on_wave(c.runs(), runs);
        compare_chunks(
            models,
            &batch,
            &mut comparison,
            Control {
                stop,
                on_wave: &mut wave,
            },
        )?;
        done_chunks = batch.end_chunk;
        match target_ci {
            Some(target)
                if comparison.widest_delta_half_width() > target && runs < crate::MAX_RUNS =>
            {
                runs = grow(runs);
            }
            _ => return Ok(comparison),
        }
    }
}

/// What a comparison is of: its plan (the baseline's name and hash, the
/// master seed, runs per arm), an optional target interval and the command.
#[derive(Debug, Clone)]
pub struct CompareSettings {
    /// The plan; its `runs` are per arm (the start, with a target interval).
    pub plan: RunPlan,
    /// Grow until every paired delta's 95% half-width is at most this.
    pub target_ci: Option<f64>,
    /// Command line recorded in the manifest.
    pub command: String,
}

impl CompareSettings {
    /// The settings of a comparison of `plan`, growing to `target_ci` if given.
    pub fn new(plan: RunPlan, target_ci: Option<f64>, command: &str) -> CompareSettings {
        CompareSettings {
            plan,
            target_ci,
            command: command.to_string(),
        }
    }

    /// The manifest of an execution of this plan that played `runs` runs per
    /// arm (`runs_done` in all) in `wall_seconds`.
    pub fn manifest(&self, runs: u64, wall_seconds: f64, runs_done: u64) -> Manifest {
        let plan = RunPlan {
            runs,
            ..self.plan.clone()
        };
        Manifest::new(plan, wall_seconds, runs_done, &self.command)
    }
}

/// Compare `arms` (baseline first; a lone baseline gives just its own row) pair by pair on common random numbers and
/// assemble the document, arms ordered by `ranking` after the baseline.
///
/// # Example
///
/// ```
/// use std::sync::atomic::AtomicBool;
/// use wedge_runner::{Arm, CompareSettings, Ranking, RunPlan, compare};
///
/// let model = wedge_core::Model::reference_2021();
/// let arms = vec![
///     Arm { name: "baseline".into(), model: model.clone() },
///     Arm { name: "same again".into(), model },
/// ];
/// let settings = CompareSettings::new(RunPlan::new("reference", "none", 1, 300), None, "example");
/// let result = compare(&arms, &settings, Ranking::ByDelta,
///                      &AtomicBool::new(false), &mut |_, _| {}).unwrap();
/// // The same model on the same random streams: no difference at all.
/// assert_eq!(result.arms[1].delta.estimate, 0.0);
/// ```
pub fn compare(
    arms: &[Arm],
    settings: &CompareSettings,
    ranking: Ranking,
    stop: &AtomicBool,
    on_wave: &mut (dyn FnMut(u64, u64) + Send),
) -> Result<ComparisonResult, CompareError> {
    if arms.is_empty() {
        return Err(CompareError::TooFewArms);
    }
    let started = std::time::Instant::now();
    let models: Vec<Model> = arms.iter().map(|a| a.model.clone()).collect();
    let names: Vec<String> = arms.iter().map(|a| a.name.clone()).collect();
    let comparison = run_arms(
        &models,
        settings.plan.seed,
        settings.plan.runs,
        settings.target_ci,
        stop,
        on_wave,
    )?;
    let mut summaries = arm_summaries(&names, &models, &comparison);
    if ranking == Ranking::ByDelta {
        rank(&mut summaries);
    }
    let runs = comparison.runs();
    Ok(ComparisonResult {
        runs,
        seed: settings.plan.seed,
        arms: summaries,
        manifest: settings.manifest(
            runs,
            started.elapsed().as_secs_f64(),
            runs * arms.len() as u64,
        ),
        regret: Vec::new(),
    })
}

/// Keep the baseline first and order the other arms by paired delta, largest
/// first, ties by name.
pub fn rank(arms: &mut [ArmSummary]) {
    if let Some((_, rest)) = arms.split_first_mut() {
        rest.sort_by(|a, b| {
            b.delta
                .estimate
                .total_cmp(&a.delta.estimate)
                .then_with(|| a.name.cmp(&b.name))
        });
    }
}

#[cfg(test)]
mod size_tests {
    use super::*;

    #[test]
    fn a_job_beyond_the_limits_is_refused_before_it_runs() {
        let model = Model::reference_2021();
        let many = vec![model.clone(); MAX_ARMS + 1];
        assert!(matches!(
            check_job_size(&many, 100, 2),
            Err(CompareError::TooLarge { .. })
        ));
        let two = vec![model.clone(), model];
        assert!(check_job_size(&two, 10_000, 2).is_ok());
        assert!(matches!(
            check_job_size(&two, crate::MAX_RUNS * 6, 2),
            Err(CompareError::TooLarge { .. })
        ));
        let message = check_job_size(&many, 100, 2)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            message.contains("split the work over several commands"),
            "{message}"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arm(name: &str, estimate: f64) -> ArmSummary {
        ArmSummary {
            name: name.into(),
            split: Proportion::of(1, 2),
            median_years_to_split: None,
            delta: Delta {
                estimate,
                ci95: [estimate, estimate],
                independent_ci95: [estimate, estimate],
                relative: None,
                median_shift_years: None,
                verdict: String::new(),
            },
            pairs: PairCounts::default(),
            survival: Vec::new(),
            start_year: None,
            params: SweptValues::default(),
            ensemble: None,
        }
    }

    #[test]
    fn ranking_keeps_the_baseline_first_and_orders_by_delta_then_name() {
        let mut arms = vec![
            arm("base", 0.0),
            arm("b", 0.1),
            arm("c", 0.3),
            arm("a", 0.1),
        ];
        rank(&mut arms);
        let names: Vec<&str> = arms.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["base", "c", "a", "b"]);
    }

    #[test]
    fn a_comparison_is_the_same_whatever_the_thread_count() {
        let mut spec = wedge_core::spec_2021();
        spec.horizon_turns = 12;
        let base = Model::new(spec.clone()).unwrap_or_else(|e| panic!("{e:?}"));
        spec.split.threshold += 0.1;
        let variant = Model::new(spec).unwrap_or_else(|e| panic!("{e:?}"));
        let models = [base, variant];
        let go = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap_or_else(|e| panic!("{e}"))
                .install(|| {
                    run_arms(
                        &models,
                        5,
                        3000,
                        None,
                        &AtomicBool::new(false),
                        &mut |_, _| {},
                    )
                })
                .unwrap_or_else(|e| panic!("{e}"))
        };
        let one = go(1);
        assert_eq!(one, go(3));
        assert_eq!(one.runs(), 3000);
        assert_eq!(
            one.pairs[1].both + one.pairs[1].gained + one.pairs[1].lost + one.pairs[1].neither,
            3000
        );
    }

    #[test]
    fn a_raised_stop_flag_interrupts_a_comparison() {
        let model = Model::reference_2021();
        let stop = AtomicBool::new(true);
        let r = run_arms(
            &[model.clone(), model],
            1,
            5000,
            None,
            &stop,
            &mut |_, _| {},
        );
        assert_eq!(
            r,
            Err(CompareError::Interrupted(BatchError::Interrupted {
                completed_chunks: 0
            }))
        );
    }
}
