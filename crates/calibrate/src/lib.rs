//! Calibration against the historical record and every answer across a
//! posterior ensemble, from wedge's files.
//!
//! This crate joins the file formats of `wedge-scenario` (priors, calibration
//! plans, posterior files, scenarios) to the experiments of `wedge-runner`
//! (calibration draws, ensembles) and the estimator of `wedge-analysis`, so
//! that every surface (the command line, a notebook, a server) calls one
//! function per task:
//!
//! - [`calibrate`]: play a plan's prior draws (all, or one shard, or the rest
//!   of a checkpoint), or merge shards, then estimate: a [`PosteriorFile`] and
//!   its Markdown report (the private modules `record` and `report` play and
//!   weigh the targets and write the report).
//! - [`posterior_for`], [`compare_over`], [`run_over`]: the ensemble a
//!   command plays, and a comparison or a run over its draws.
//! - [`CalibrateFiles`], [`ensemble_for`], [`ensemble_settings`]: the same
//!   through files (partials read back, checkpoints and results written
//!   atomically, outputs that would overwrite an input refused).
//! - [`Arms`]: the arms of a comparison or a sweep, from scenario files,
//!   played pair by pair ([`Arms::play`]) with their per-run table
//!   ([`Arms::write_runs`]).
//! - [`RunJob`], [`merge_runs`], [`CompareJob`], [`SweepJob`],
//!   [`SensitivityJob`], [`SuiteJob`]: what `wedge run`, `merge`, `compare`,
//!   `sweep`, `sensitivity` and `suite` do, one call each from a config.
//!
//! A paired comparison of a lever against the baseline, from the files:
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::atomic::AtomicBool;
//! use wedge_calibrate::Arms;
//! use wedge_scenario::Resolved;
//!
//! let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
//! let resolved = Resolved::read(&dir.join("baseline-2021.ron"))?;
//! let arms = Arms::comparison(&resolved, &[], &["arms-control".to_string()], false)?;
//! let stop = AtomicBool::new(false);
//! // 200 runs per arm from seed 1, no target interval.
//! let result = arms.play((1, 200, None), "doc example", &stop, &mut |_, _| {})?;
//! assert_eq!(result.arms.len(), 2);
//! # Ok(())
//! # }
//! ```
//!
//! The same as `wedge compare` plays it, from a config (over the ensemble
//! the scenario names, if any):
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::atomic::AtomicBool;
//! use wedge_calibrate::{CompareJob, Compared};
//! use wedge_runner::Requested;
//!
//! let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
//! let job = CompareJob {
//!     scenarios: vec![dir.join("baseline-2021.ron")],
//!     levers: vec!["arms-control".into()],
//!     requested: Requested { runs: Some(200), ..Requested::default() },
//!     command: "doc example".into(),
//!     ..CompareJob::default()
//! };
//! let played = job.play(&[], &AtomicBool::new(false), &mut |_, _| {})?;
//! let (Compared::Arms(_, result) | Compared::Ensemble(result)) = played;
//! assert_eq!(result.arms[1].name, "+arms-control");
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]
// Scenario errors carry their source text for reports; they are built once, on the error path.
#![allow(clippy::result_large_err)]

mod arm_set;
mod jobs;
mod record;
mod report;
mod reprior;
mod session;
mod slurm;

pub use arm_set::{Arms, ArmsError};
pub use jobs::{
    CompareJob, Compared, OnProgress, Outputs, RunJob, RunOutcome, SensitivityJob, SuiteJob,
    SuiteOutcome, SweepDesign, SweepJob, UnknownDesign, merge_runs, pretty_json,
};
pub use record::{CHECKPOINT_DRAWS, PARTIAL_FORMAT, Partial, Row};
pub use reprior::under_scenario_priors;
pub use session::{
    CalibrateFiles, ENSEMBLE_RUNS, ensemble_for, ensemble_settings, refuse_over_ensemble,
};
pub use slurm::script_for;

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use wedge_analysis::ParamBounds;
use wedge_core::Model;
use wedge_runner::{
    CompareSettings, ComparisonResult, EnsembleError, RunResult, VERSION, draw_seed,
};
use wedge_scenario::Resolved;
use wedge_scenario::{
    ArmError, Calibration, PosteriorFile, ScenarioErrors, baseline_arm, lever_arm,
};
use wedge_scenario::{POSTERIOR_FORMAT, PosteriorDraw, TargetRecord};

/// What went wrong. A scenario's errors keep their report with source lines
/// (`miette`) wherever they are held: here, in an arm or in a folder, every
/// wrapper is transparent to them.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum Error {
    /// A scenario, priors, plan or posterior file is invalid.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Scenario(#[from] ScenarioErrors),
    /// A draw could not be built or played, or the caller stopped.
    #[error(transparent)]
    Ensemble(#[from] EnsembleError),
    /// The estimate failed (no draw reproduced the record).
    #[error(transparent)]
    Abc(#[from] wedge_analysis::AbcError),
    /// Shards that do not belong together or do not cover the plan.
    #[error("{0}")]
    Merge(String),
    /// An option at odds with the task.
    #[error("{0}")]
    Usage(String),
    /// A result could not be encoded as JSON.
    #[error("cannot encode JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// An output could not be written, or would overwrite an input.
    #[error(transparent)]
    Output(#[from] wedge_io::OutputError),
    /// The arms of a comparison or sweep could not be built.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Arms(#[from] ArmsError),
    /// A comparison could not be played, or was stopped.
    #[error(transparent)]
    Compare(#[from] wedge_runner::CompareError),
    /// A folder of scenarios could not be read.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Folder(#[from] wedge_scenario::FolderError),
    /// The per-run table could not be written, or was stopped.
    #[error(transparent)]
    Runs(#[from] wedge_report::RunsFileError),
    /// The caller stopped a suite.
    #[error(transparent)]
    Batch(#[from] wedge_runner::BatchError),
    /// A sensitivity analysis could not be played, or was stopped.
    #[error(transparent)]
    Sensitivity(#[from] wedge_runner::SensitivityError),
    /// The caller stopped a run session of `scenario` after `done` of
    /// `planned` runs; the session was saved to `checkpoint`, if one was
    /// named (the message says how to continue it).
    #[error("{}", stopped_message(*.done, *.planned, .scenario, .checkpoint.as_deref()))]
    Stopped {
        /// The scenario file.
        scenario: PathBuf,
        /// Runs folded in (including a resumed checkpoint's).
        done: u64,
        /// Runs of the plan.
        planned: u64,
        /// Where the session was saved.
        checkpoint: Option<PathBuf>,
    },
}

impl Error {
    /// Whether the work stopped with its state saved to a checkpoint, to be
    /// continued (the message says how).
    pub fn resumable(&self) -> bool {
        matches!(
            self,
            Error::Stopped {
                checkpoint: Some(_),
                ..
            }
        )
    }
}

/// What a stopped run session says: how far it got and how to continue it,
/// or that nothing was kept.
fn stopped_message(done: u64, planned: u64, scenario: &Path, checkpoint: Option<&Path>) -> String {
    match checkpoint {
        Some(path) => format!(
            "{done} of {planned} runs done; checkpoint saved to {} (continue with: wedge run {} --resume {})",
            path.display(),
            scenario.display(),
            path.display()
        ),
        None => "interrupted (Ctrl-C or SIGTERM); no --checkpoint was given, so the partial result is lost".to_string(),
    }
}

impl From<ArmError> for Error {
    fn from(e: ArmError) -> Error {
        Error::Arms(ArmsError::Arm(e))
    }
}

impl wedge_io::Categorized for Error {
    fn category(&self) -> wedge_io::Category {
        use wedge_io::Category;
        match self {
            Error::Scenario(_) | Error::Merge(_) | Error::Usage(_) => Category::Usage,
            Error::Output(e) => e.category(),
            Error::Arms(e) => e.category(),
            Error::Compare(e) => e.category(),
            Error::Folder(e) => e.category(),
            Error::Runs(e) => e.category(),
            Error::Sensitivity(e) => e.category(),
            Error::Batch(_) => Category::Interrupted,
            // Nothing to resume from is a runtime failure; a saved checkpoint is an interruption.
            Error::Stopped {
                checkpoint: None, ..
            } => Category::Runtime,
            Error::Stopped { .. } => Category::Interrupted,
            // The message says how far an interrupted ensemble got.
            Error::Ensemble(_) | Error::Abc(_) | Error::Json(_) => Category::Runtime,
        }
    }
}

/// What a calibration is asked to do beyond the plan. With the `clap`
/// feature, `draws` and `seed` are the flags `--draws` and `--seed`; the
/// shard and the partials read from files are set by the caller.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct CalibrateOptions {
    /// Draws from the prior [default: the plan's].
    #[cfg_attr(feature = "clap", arg(long))]
    pub draws: Option<u64>,
    /// Master seed [default: the plan's].
    #[cfg_attr(feature = "clap", arg(long))]
    pub seed: Option<u64>,
    /// Play only shard K of N (1-based) and return its partial.
    #[cfg_attr(feature = "clap", arg(skip))]
    pub shard: Option<(u64, u64)>,
    /// Shards to merge instead of playing.
    #[cfg_attr(feature = "clap", arg(skip))]
    pub merge: Vec<Partial>,
    /// A checkpoint to continue from (the draws it holds are not played again).
    #[cfg_attr(feature = "clap", arg(skip))]
    pub resume: Option<Partial>,
}

/// What a calibration gives.
#[derive(Debug, Clone)]
pub enum CalibrateOutcome {
    /// One shard's rows, for a later merge.
    Shard(Partial),
    /// The posterior ensemble and its report (Markdown).
    Posterior(Box<PosteriorFile>, String),
}

/// Identity of a plan: its file, priors and episode scenarios (FNV-1a of their canonical forms).
pub fn plan_id(cal: &Calibration) -> Result<String, Error> {
    let mut text = format!("{:?}{:?}", cal.file, cal.priors.entries);
    for r in &cal.scenarios {
        text += &r.build(&[], &[])?.hash;
    }
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    Ok(format!("{hash:016x}"))
}

/// Play a calibration plan's draws (all of them, or one shard), or merge
/// shards, and estimate the posterior. `on_draw` gets the draws played so
/// far; `checkpoint` gets the partial of the draws played so far after every
/// [`CHECKPOINT_DRAWS`] (to save for `resume`).
pub fn calibrate(
    cal: &Calibration,
    options: CalibrateOptions,
    stop: &AtomicBool,
    on_draw: &mut (dyn FnMut(u64) + Send),
    checkpoint: &mut dyn FnMut(&Partial) -> Result<(), String>,
) -> Result<CalibrateOutcome, Error> {
    let seed = options.seed.unwrap_or(cal.file.seed);
    let draws = options.draws.unwrap_or(cal.file.draws);
    let keep = cal.file.keep.min(draws) as usize;
    let plan = plan_id(cal)?;
    let Some(first) = cal.scenarios.first() else {
        return Err(Error::Usage("the plan has no episodes".into()));
    };
    let ranges = cal.priors.ranges(first)?;
    let defaults = cal
        .scenarios
        .iter()
        .map(|r| r.build(&[], &[]).map(|l| l.model))
        .collect::<Result<Vec<Model>, _>>()?;
    record::check_targets(&cal.file.targets, &defaults).map_err(Error::Usage)?;
    let paths = cal.priors.paths();
    let targets = &cal.file.targets;
    let sample = |k| cal.priors.sample(seed, k, &ranges);
    let build = |values: &[f64]| -> Result<Vec<Model>, String> {
        let built = cal
            .scenarios
            .iter()
            .map(|r| r.with_draw(&paths, values).build(&[], &[]));
        built
            .map(|b| b.map(|l| l.model).map_err(|e| e.to_string()))
            .collect()
    };
    let belongs = |p: &Partial| p.plan == plan && p.seed == seed && p.draws == draws;
    let table: Vec<Row> = if !options.merge.is_empty() {
        if let Some(p) = options.merge.iter().find(|p| !belongs(p)) {
            return Err(Error::Merge(format!(
                "shard {}..{} was played from another plan, seed or number of draws",
                p.range[0], p.range[1]
            )));
        }
        record::merge(options.merge).map_err(Error::Merge)?
    } else {
        let range = match options.shard {
            Some((k, n)) => wedge_runner::shard_range(draws, k, n),
            None => 0..draws,
        };
        let partial = |rows: &[Row]| Partial {
            format: PARTIAL_FORMAT.into(),
            wedge_version: VERSION.into(),
            plan: plan.clone(),
            seed,
            draws,
            range: [range.start, range.start + rows.len() as u64],
            rows: rows.to_vec(),
        };
        let rows = match options.resume {
            None => Vec::new(),
            Some(p) => {
                let fits = p.format == PARTIAL_FORMAT
                    && belongs(&p)
                    && p.range[0] == range.start
                    && p.range[1] <= range.end
                    && p.rows.len() as u64 == p.range[1] - p.range[0]
                    && p.rows.iter().zip(p.range[0]..).all(|(r, i)| r.index == i);
                if !fits {
                    return Err(Error::Merge(format!(
                        "the checkpoint (draws {}..{}) was not played from this plan, seed, number of draws and shard",
                        p.range[0], p.range[1]
                    )));
                }
                p.rows
            }
        };
        let rows = record::play(
            range.clone(),
            seed,
            targets,
            &sample,
            &build,
            rows,
            stop,
            &mut |rows| checkpoint(&partial(rows)),
            on_draw,
        )?;
        if options.shard.is_some() {
            return Ok(CalibrateOutcome::Shard(partial(&rows)));
        }
        rows
    };
    let bounds: Vec<ParamBounds> = cal
        .priors
        .entries
        .iter()
        .zip(&ranges)
        .map(|(e, &(lo, hi))| {
            let (a, b) = e.distribution.support();
            ParamBounds {
                low: a.max(lo),
                high: b.min(hi),
            }
        })
        .collect();
    let est = record::estimate(&table, targets, keep, seed, cal.file.accept, &bounds)?;
    // The posterior predictive: every kept draw (adjusted) played again, from its own seeds.
    let kept_values: Vec<Vec<f64>> = est.kept.iter().map(|&i| est.adjusted[i].clone()).collect();
    let replay_sample = |k: u64| kept_values.get(k as usize).cloned().unwrap_or_default();
    let replayed = record::play(
        0..kept_values.len() as u64,
        draw_seed(seed, REPLAY_STREAM),
        targets,
        &replay_sample,
        &build,
        Vec::new(),
        stop,
        &mut |_| Ok(()),
        &mut |_| {},
    )?;
    let checks = record::checks(targets, &table, &replayed);
    let marginals: Vec<_> = paths
        .iter()
        .cloned()
        .zip(est.marginals.iter().cloned())
        .collect();
    let rejection: Vec<_> = est.rejection.clone();
    let report = report::markdown(&report::Report {
        name: &cal.file.name,
        version: VERSION,
        seed,
        draws,
        accepted: est.accepted,
        ess: est.ess,
        kept: keep,
        accept: cal.file.accept,
        delta: est.delta,
        targets,
        checks: &checks,
        marginals: &marginals,
        rejection: &rejection,
    });
    let post = PosteriorFile {
        format: POSTERIOR_FORMAT.into(),
        name: cal.file.name.clone(),
        wedge_version: VERSION.into(),
        method: METHOD.into(),
        seed,
        prior_draws: draws,
        ess: est.ess,
        priors: cal.priors.entries.clone(),
        targets: targets
            .iter()
            .zip(&checks)
            .map(|(t, c)| TargetRecord {
                name: t.name.clone(),
                scenario: t.scenario.clone(),
                event: t.event.clone(),
                role: t.role,
                replicates: t.replicates,
                prior_probability: c.prior.probability,
                posterior_probability: c.posterior.probability,
            })
            .collect(),
        paths,
        draws: kept_values
            .into_iter()
            .map(|values| PosteriorDraw {
                weight: 1.0 / keep as f64,
                values,
            })
            .collect(),
    };
    Ok(CalibrateOutcome::Posterior(Box::new(post), report))
}

/// Stream of the master seed from which the posterior draws are played again for the predictive check.
const REPLAY_STREAM: u64 = u64::MAX - 2;

/// The estimator, as recorded in posterior files.
pub const METHOD: &str = "rejection ABC with local-linear regression adjustment (Beaumont, Zhang & Balding 2002): each prior draw weighted by its fitted events' hit fractions (uniform error model) times the Epanechnikov kernel of its fitted rates' and ratios' distance from the record in units of record SD ⊕ discrepancy SD; parameters regressed on those statistics on the logit scale of their prior range and moved to the record; systematic resampling";

/// The ensemble to play: the one given, else the posterior the scenario names,
/// else none; under the priors the scenario declares, if any
/// ([`under_scenario_priors`]), which are checked either way.
pub fn posterior_for(
    given: Option<&Path>,
    resolved: &Resolved,
) -> Result<Option<PosteriorFile>, ScenarioErrors> {
    let path = given
        .map(Path::to_path_buf)
        .or_else(|| resolved.posterior.clone());
    match path {
        Some(p) => {
            let post = PosteriorFile::read(&p)?;
            reprior::under_scenario_priors(post, resolved).map(Some)
        }
        None => {
            wedge_scenario::Priors::of_scenario_checked(resolved)?;
            Ok(None)
        }
    }
}

/// The arms of one draw: the baseline, the variant scenarios, then one arm per lever.
fn draw_arms(
    post: &PosteriorFile,
    k: u64,
    resolved: &Resolved,
    variants: &[Resolved],
    levers: &[String],
) -> Result<Vec<Model>, String> {
    let values = post.draws.get(k as usize).map_or(&[][..], |d| &d.values);
    let r = resolved.with_draw(&post.paths, values);
    let mut models = vec![baseline_arm(&r).map_err(|e| e.to_string())?.model];
    for v in variants {
        let built = v.with_draw(&post.paths, values).build(&[], &[]);
        models.push(built.map_err(|e| e.to_string())?.model);
    }
    for name in levers {
        models.push(lever_arm(&r, name).map_err(|e| e.to_string())?.model);
    }
    Ok(models)
}

/// Compare the baseline, variant scenarios and lever arms over every draw of
/// `post` (`settings.plan.runs` runs per draw); `on_draw` gets the draws played so far.
pub fn compare_over(
    post: &PosteriorFile,
    resolved: &Resolved,
    variants: &[PathBuf],
    levers: &[String],
    settings: &CompareSettings,
    stop: &AtomicBool,
    on_draw: &mut (dyn FnMut(u64) + Send),
) -> Result<ComparisonResult, Error> {
    let variants: Vec<Resolved> = variants
        .iter()
        .map(|p| Resolved::read(p))
        .collect::<Result<_, _>>()?;
    let build = |k| draw_arms(post, k, resolved, &variants, levers);
    let first = build(0).map_err(|message| EnsembleError::Build { draw: 0, message })?;
    let names: Vec<String> = first
        .iter()
        .take(1 + variants.len())
        .map(|m| m.spec().name.clone())
        .chain(levers.iter().map(|l| format!("+{l}")))
        .collect();
    let weights = post.weights();
    Ok(wedge_runner::compare_ensemble(
        &names, &weights, settings, &build, stop, on_draw,
    )?)
}

/// Run the scenario over every draw of `post` (`settings.plan.runs` runs per draw).
pub fn run_over(
    post: &PosteriorFile,
    resolved: &Resolved,
    settings: &CompareSettings,
    stop: &AtomicBool,
    on_draw: &mut (dyn FnMut(u64) + Send),
) -> Result<RunResult, Error> {
    let build = |k| draw_arms(post, k, resolved, &[], &[]);
    let weights = post.weights();
    Ok(wedge_runner::run_over_ensemble(
        &weights, settings, &build, stop, on_draw,
    )?)
}
