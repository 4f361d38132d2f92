//! What `wedge run`, `merge`, `compare`, `sweep`, `sensitivity` and `suite`
//! do between reading their flags and printing, as one call each from a config
//! struct: read the scenario files, refuse outputs that would overwrite an
//! input, play (over the ensemble the scenario names, if any), checkpoint,
//! resume, shard, write the per-run table and the saved scoreboard.
//!
//! - [`RunJob::play`]: a scenario played fresh, resumed from a checkpoint, as
//!   one shard of a plan, or over an ensemble.
//! - [`merge_runs`]: the result of shard partials read from files.
//! - [`CompareJob::play`]: a baseline against variant scenarios and levers,
//!   pair by pair, or over an ensemble.
//! - [`SweepJob::play`]: one arm per point of a grid or Latin hypercube.
//! - [`SensitivityJob::play`]: a tornado and Morris screening.
//! - [`SuiteJob::play`]: every scenario of a folder on one plan, against a
//!   saved scoreboard.
//!
//! With the `clap` feature each job is also its command's flags
//! (`clap::Args`): a field's doc comment is both its API doc and its `--help`
//! line, and a command line flattens the job and hands it over as parsed.
//! Fields that are not flags (the recorded `command`, a shard read from the
//! environment) are skipped and set by the caller.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use wedge_io::{
    MAX_PARTIAL_BYTES, MAX_RESULT_BYTES, guard_outputs, read_text, remove_stale_temporaries,
    write_atomic,
};
use wedge_runner::{
    ComparisonResult, Design, Drift, Param, Partial, Requested, RunPlan, RunResult, RunSession,
    RunTable, Scoreboard, SensitivityError, SensitivityResult,
};
use wedge_scenario::{Resolved, lever_arm_names};

use crate::{Arms, Error, ensemble_for, ensemble_settings, refuse_over_ensemble};

/// A progress callback: (work done, work planned), in runs or draws.
pub type OnProgress<'a> = &'a mut (dyn FnMut(u64, u64) + Send);

/// Outputs a caller writes itself, by flag, which the job's inputs may not be.
pub type Outputs<'a> = &'a [(&'a str, Option<&'a Path>)];

/// Pretty JSON with a line feed at the end: how results, partials and
/// scoreboards are written.
pub fn pretty_json<T: serde::Serialize>(value: &T) -> Result<String, Error> {
    Ok(serde_json::to_string_pretty(value)? + "\n")
}

/// The value parser of `--checkpoint-every`: whole seconds.
#[cfg(feature = "clap")]
fn seconds(text: &str) -> Result<Duration, std::num::ParseIntError> {
    text.parse().map(Duration::from_secs)
}

/// One scenario played many times, as `wedge run` plays it.
///
/// # Example
///
/// ```
/// use std::sync::atomic::AtomicBool;
/// use wedge_calibrate::{RunJob, RunOutcome};
/// use wedge_runner::Requested;
///
/// let scenarios = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
/// let job = RunJob {
///     scenario: scenarios.join("baseline-2021.ron"),
///     requested: Requested { runs: Some(200), seed: Some(1), ..Requested::default() },
///     command: "example".into(),
///     ..RunJob::default()
/// };
/// match job.play(&[], &AtomicBool::new(false), &mut |_, _| {}).unwrap() {
///     RunOutcome::Done(result) => assert_eq!(result.runs, 200),
///     _ => unreachable!("no ensemble and no shard were asked for"),
/// }
/// ```
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct RunJob {
    /// Scenario file (.ron).
    pub scenario: PathBuf,
    /// Write the partial aggregate here every few seconds (atomically).
    #[cfg_attr(feature = "clap", arg(long))]
    pub checkpoint: Option<PathBuf>,
    /// Seconds between checkpoints (0: after every wave of chunks).
    #[cfg_attr(feature = "clap", arg(long, default_value = "2", value_name = "SECONDS", value_parser = seconds))]
    pub checkpoint_every: Duration,
    /// Play every arm over the draws of this posterior ensemble (default: the one the scenario names).
    #[cfg_attr(feature = "clap", arg(long, value_name = "FILE.ron"))]
    pub ensemble: Option<PathBuf>,
    /// Continue from a checkpoint written by --checkpoint.
    #[cfg_attr(feature = "clap", arg(long))]
    pub resume: Option<PathBuf>,
    /// Also write one row per run (drawn uncertainties, lever intensities, outcomes) to this CSV file, with its metadata in FILE.meta.json.
    #[cfg_attr(feature = "clap", arg(long, value_name = "FILE.csv"))]
    pub runs_out: Option<PathBuf>,
    /// Runs, seed, shard and target interval asked for (defaults:
    /// [`wedge_runner::DEFAULT_RUNS`], [`wedge_runner::DEFAULT_SEED`]; a resumed checkpoint's own).
    #[cfg_attr(feature = "clap", command(flatten))]
    pub requested: Requested,
    /// The command recorded in the provenance.
    #[cfg_attr(feature = "clap", arg(skip))]
    pub command: String,
}

/// What a [`RunJob`] gives.
#[derive(Debug)]
pub enum RunOutcome {
    /// The whole plan's result.
    Done(RunResult),
    /// One shard's partial, for [`merge_runs`].
    Shard(Box<Partial>),
    /// The result over the draws of an ensemble (no per-run table is written).
    Ensemble(RunResult),
}

impl RunJob {
    /// Play the job: over the ensemble if there is one, else a fresh or
    /// resumed session of the scenario, checkpointed, then the per-run table.
    /// `outputs` and the per-run table may not overwrite the scenario, the
    /// ensemble or the checkpoint resumed from. A stop ends in
    /// [`Error::Stopped`], with the checkpoint saved.
    pub fn play(
        &self,
        outputs: Outputs<'_>,
        stop: &AtomicBool,
        progress: OnProgress<'_>,
    ) -> Result<RunOutcome, Error> {
        let outputs: Outputs<'_> = &with_runs_out(outputs, self.runs_out.as_deref())?;
        let req = &self.requested;
        let resolved = Resolved::read(&self.scenario)?;
        if let Some(post) = ensemble_for(self.ensemble.as_deref(), &resolved, outputs)? {
            refuse_over_ensemble(&[
                ("--checkpoint", self.checkpoint.is_some()),
                ("--resume", self.resume.is_some()),
                ("--shard", req.shard.is_some()),
            ])?;
            let seed = req.seed();
            let settings =
                ensemble_settings(&resolved, seed, req.runs, req.target_ci, &self.command)?;
            let draws = post.draws.len() as u64;
            let tick = &mut |d| progress(d, draws);
            let result = crate::run_over(&post, &resolved, &settings, stop, tick)?;
            return Ok(RunOutcome::Ensemble(result));
        }
        let loaded = resolved.build(&[], &[])?;
        let checkpoint = self.checkpoint.as_deref();
        guard_outputs(
            &[outputs, &[("--checkpoint", checkpoint)]].concat(),
            &loaded.inputs,
        )?;
        if let Some(resume) = &self.resume {
            // The checkpoint may be the file resumed from; the result and charts may not.
            guard_outputs(outputs, std::slice::from_ref(resume))?;
        }
        if let Some(path) = checkpoint {
            remove_stale_temporaries(path);
        }
        if req.shard.is_some() && req.target_ci.is_some() {
            return Err(Error::Usage(
                "--shard and --target-ci cannot be combined: a shard needs a fixed run plan".into(),
            ));
        }
        let model = &loaded.model;
        let mut session = match &self.resume {
            Some(path) => {
                let usage = |e: String| Error::Usage(e);
                let text = read_text(path, MAX_PARTIAL_BYTES).map_err(|e| usage(e.to_string()))?;
                let partial = Partial::from_json(&text)
                    .map_err(|e| usage(format!("{}: {e}", path.display())))?;
                RunSession::resume(model, &loaded.hash, partial, *req)
                    .map_err(|e| usage(format!("--resume {}: {e}", path.display())))?
            }
            None => {
                let (seed, runs) = (req.seed(), req.runs());
                let plan = RunPlan::new(&model.spec().name, &loaded.hash, seed, runs);
                RunSession::fresh(model, plan, req).map_err(|e| Error::Usage(e.to_string()))?
            }
        };
        // Without a checkpoint file nothing is saved, so no snapshot is taken.
        let outcome = match checkpoint {
            Some(path) => {
                let mut save = |p: &Partial| -> Result<(), Error> {
                    Ok(write_atomic(path, pretty_json(p)?.as_bytes())?)
                };
                session.run_checkpointed(stop, self.checkpoint_every, &mut save, progress)?
            }
            None => session.run(stop, &mut |p| progress(p.runs_done, p.runs_planned)),
        };
        if outcome.is_err() {
            let partial = session.partial();
            return Err(Error::Stopped {
                scenario: self.scenario.clone(),
                done: partial.aggregate.runs,
                planned: partial.plan.runs,
                checkpoint: self.checkpoint.clone(),
            });
        }
        if let Some(path) = &self.runs_out {
            let table = RunTable::single(model, session.plan().seed);
            let runs = (session.run_range(), session.plan().runs);
            wedge_report::write_runs_table(path, &table, runs, &loaded.hash, &self.command, stop)?;
        }
        Ok(match session.shard_of() {
            Some(_) => RunOutcome::Shard(Box::new(session.sealed_partial())),
            None => RunOutcome::Done(session.result(&self.command)),
        })
    }
}

/// `outputs` and a job's per-run table (`--runs-out`), for the output
/// guards, once the table's path is known to take a table (before any run).
fn with_runs_out<'a>(
    outputs: Outputs<'a>,
    runs_out: Option<&'a Path>,
) -> Result<Vec<(&'a str, Option<&'a Path>)>, Error> {
    runs_out.map_or(Ok(()), wedge_report::check_runs_path)?;
    Ok([outputs, &[("--runs-out", runs_out)]].concat())
}

/// The result of the shard partials in `parts` (files written by a sharded
/// [`RunJob`]), which must cover their plan once.
pub fn merge_runs(parts: &[PathBuf], command: &str) -> Result<RunResult, Error> {
    let read: Vec<Partial> = parts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let text = read_text(p, MAX_PARTIAL_BYTES).map_err(|e| Error::Usage(e.to_string()))?;
            Partial::read(&text, i).map_err(|e| Error::Usage(format!("{}: {e}", p.display())))
        })
        .collect::<Result<_, _>>()?;
    let merged =
        wedge_runner::merge(&read).map_err(|e| Error::Usage(format!("cannot merge: {e}")))?;
    wedge_runner::merged_result(&merged, command).map_err(Error::Usage)
}

/// A baseline against variant scenarios and levers, as `wedge compare` plays it.
///
/// # Example
///
/// The essay's package against the baseline, pair by pair on common random numbers:
///
/// ```
/// use std::sync::atomic::AtomicBool;
/// use wedge_calibrate::{CompareJob, Compared};
/// use wedge_runner::Requested;
///
/// let scenarios = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
/// let job = CompareJob {
///     scenarios: vec![scenarios.join("baseline-2021.ron")],
///     levers: vec!["kupchan-package".into()],
///     requested: Requested { runs: Some(400), seed: Some(1), ..Requested::default() },
///     command: "example".into(),
///     ..CompareJob::default()
/// };
/// let Compared::Arms(_, result) = job.play(&[], &AtomicBool::new(false), &mut |_, _| {}).unwrap()
/// else {
///     unreachable!("no ensemble was asked for")
/// };
/// let package = &result.arms[1];
/// assert_eq!(package.name, "+kupchan-package");
/// assert!(package.delta.ci95[0] > 0.0, "{:?}", package.delta);
/// ```
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct CompareJob {
    /// Baseline scenario, then variant scenarios.
    #[cfg_attr(feature = "clap", arg(required = true))]
    pub scenarios: Vec<PathBuf>,
    /// Levers or packages from the library, each added alone to the baseline.
    #[cfg_attr(feature = "clap", arg(long, value_delimiter = ','))]
    pub levers: Vec<String>,
    /// Every essay lever in the library, one at a time, plus the essay's package.
    #[cfg_attr(feature = "clap", arg(long))]
    pub all_levers: bool,
    /// Play every arm over the draws of this posterior ensemble (default: the one the scenario names).
    #[cfg_attr(feature = "clap", arg(long, value_name = "FILE.ron"))]
    pub ensemble: Option<PathBuf>,
    /// Also write one row per run and arm (drawn uncertainties, lever intensities, outcomes) to this CSV file, with its metadata in FILE.meta.json.
    #[cfg_attr(feature = "clap", arg(long, value_name = "FILE.csv"))]
    pub runs_out: Option<PathBuf>,
    /// Runs per arm (per draw over an ensemble), target interval and master seed.
    #[cfg_attr(feature = "clap", command(flatten))]
    pub requested: Requested,
    /// The command recorded in the provenance.
    #[cfg_attr(feature = "clap", arg(skip))]
    pub command: String,
}

/// What a [`CompareJob`] gives.
#[derive(Debug)]
pub enum Compared {
    /// The arms played (for figures) and their comparison.
    Arms(Box<Arms>, ComparisonResult),
    /// The comparison over the draws of an ensemble.
    Ensemble(ComparisonResult),
}

impl CompareJob {
    /// Build the arms and play them pair by pair, then write their per-run
    /// table (or play over the ensemble, if there is one); `outputs` and the
    /// per-run table may overwrite no scenario or ensemble read.
    pub fn play(
        &self,
        outputs: Outputs<'_>,
        stop: &AtomicBool,
        progress: OnProgress<'_>,
    ) -> Result<Compared, Error> {
        let outputs: Outputs<'_> = &with_runs_out(outputs, self.runs_out.as_deref())?;
        let Some((baseline, variants)) = self.scenarios.split_first() else {
            return Err(Error::Usage("give a baseline scenario".into()));
        };
        let resolved = Resolved::read(baseline)?;
        guard_outputs(outputs, &[&resolved.inputs[..], variants].concat())?;
        let arms = Arms::comparison(&resolved, variants, &self.levers, self.all_levers)?;
        if arms.arms.len() < 2 {
            return Err(Error::Usage(
                "nothing to compare: give variant scenarios, --levers or --all-levers".into(),
            ));
        }
        let levers = lever_arm_names(&resolved, &self.levers, self.all_levers)?;
        let (req, command) = (&self.requested, &self.command);
        let seed = req.seed();
        if let Some(post) = ensemble_for(self.ensemble.as_deref(), &resolved, outputs)? {
            let settings = ensemble_settings(&resolved, seed, req.runs, req.target_ci, command)?;
            let draws = post.draws.len() as u64;
            let tick = &mut |d| progress(d, draws);
            let r = crate::compare_over(&post, &resolved, variants, &levers, &settings, stop, tick);
            return Ok(Compared::Ensemble(r?));
        }
        let runs = req.runs();
        let result = arms.play((seed, runs, req.target_ci), command, stop, progress)?;
        if let Some(path) = &self.runs_out {
            arms.write_runs(path, &result, command, stop)?;
        }
        Ok(Compared::Arms(Box::new(arms), result))
    }
}

/// A scenario swept over the points of a design, as `wedge sweep` plays it.
///
/// # Example
///
/// The Russian agent's rationality at three values, each point against the first:
///
/// ```
/// use std::sync::atomic::AtomicBool;
/// use wedge_calibrate::SweepJob;
/// use wedge_runner::Requested;
///
/// let scenarios = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
/// let job = SweepJob {
///     scenario: scenarios.join("baseline-2021.ron"),
///     params: vec!["agents.russia.rationality=10,50,250".into()],
///     requested: Requested { runs: Some(200), seed: Some(1), ..Requested::default() },
///     command: "example".into(),
///     ..SweepJob::default()
/// };
/// let (_arms, result) = job.play(&[], &AtomicBool::new(false), &mut |_, _| {}).unwrap();
/// assert_eq!(result.arms.len(), 3);
/// assert_eq!(result.runs, 200);
/// ```
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct SweepJob {
    /// Scenario file.
    pub scenario: PathBuf,
    /// PATH=SPEC, SPEC a list `a,b,c` or a range `from:to:points`; two give a grid.
    #[cfg_attr(feature = "clap", arg(long = "param", required = true))]
    pub params: Vec<String>,
    /// `grid` (every combination) or `lhs` (a Latin hypercube over the ranges).
    #[cfg_attr(feature = "clap", arg(long, value_enum, default_value_t = SweepDesign::Grid))]
    pub design: SweepDesign,
    /// Points of a Latin hypercube.
    #[cfg_attr(feature = "clap", arg(long, default_value_t = 20))]
    pub samples: usize,
    /// Also write one row per run and point (drawn uncertainties, lever intensities, the point's swept values as p.PATH, outcomes) to this CSV file, with its metadata in FILE.meta.json.
    #[cfg_attr(feature = "clap", arg(long, value_name = "FILE.csv"))]
    pub runs_out: Option<PathBuf>,
    /// Runs per point, target interval and master seed (which also places
    /// a hypercube's points).
    #[cfg_attr(feature = "clap", command(flatten))]
    pub requested: Requested,
    /// The command recorded in the provenance.
    #[cfg_attr(feature = "clap", arg(skip))]
    pub command: String,
}

/// The kinds of design of a [`SweepJob`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum SweepDesign {
    /// Every combination of the listed values.
    #[default]
    Grid,
    /// A Latin hypercube of --samples points.
    Lhs,
}

impl SweepDesign {
    /// The design of this kind: a grid, or a Latin hypercube of `samples`
    /// points (a grid ignores `samples`).
    pub fn with_samples(self, samples: usize) -> Design {
        match self {
            SweepDesign::Grid => Design::Grid,
            SweepDesign::Lhs => Design::LatinHypercube { samples },
        }
    }
}

/// A design kind other than `grid` and `lhs` (the text given).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("design must be \"grid\" or \"lhs\", got {0:?}")]
pub struct UnknownDesign(pub String);

impl std::str::FromStr for SweepDesign {
    type Err = UnknownDesign;

    /// `grid` or `lhs`, as a command line names them.
    fn from_str(text: &str) -> Result<SweepDesign, UnknownDesign> {
        match text {
            "grid" => Ok(SweepDesign::Grid),
            "lhs" => Ok(SweepDesign::Lhs),
            other => Err(UnknownDesign(other.to_owned())),
        }
    }
}

impl SweepJob {
    /// The design its points are placed by: a grid, or a Latin hypercube
    /// of `samples` points.
    pub fn design(&self) -> Design {
        self.design.with_samples(self.samples)
    }

    /// The swept parameters of `PATH=SPEC` texts, SPEC a list `a,b,c` or a
    /// range `from:to:points` (as `--param` takes them).
    pub fn params(specs: &[String]) -> Result<Vec<Param>, Error> {
        specs
            .iter()
            .map(|p| wedge_scenario::parse_sweep_param(p))
            .map(|p| p.map(|(path, values)| Param { path, values }))
            .collect::<Result<_, _>>()
            .map_err(Error::Usage)
    }

    /// Build one arm per point and play them pair by pair, in design order,
    /// then write their per-run table; `outputs` and the per-run table may
    /// overwrite no scenario read. The arms come back for figures.
    pub fn play(
        &self,
        outputs: Outputs<'_>,
        stop: &AtomicBool,
        progress: OnProgress<'_>,
    ) -> Result<(Arms, ComparisonResult), Error> {
        let outputs: Outputs<'_> = &with_runs_out(outputs, self.runs_out.as_deref())?;
        let params = SweepJob::params(&self.params)?;
        let req = &self.requested;
        let (seed, runs) = (req.seed(), req.runs());
        let resolved = Resolved::read(&self.scenario)?;
        let arms = Arms::sweep(&resolved, params, self.design(), seed)?;
        guard_outputs(outputs, &resolved.inputs)?;
        let result = arms.play((seed, runs, req.target_ci), &self.command, stop, progress)?;
        if let Some(path) = &self.runs_out {
            arms.write_runs(path, &result, &self.command, stop)?;
        }
        Ok((arms, result))
    }
}

/// A tornado and Morris screening of a scenario's uncertainties, as `wedge
/// sensitivity` plays it.
///
/// # Example
///
/// ```
/// use std::sync::atomic::AtomicBool;
/// use wedge_calibrate::SensitivityJob;
/// use wedge_runner::Requested;
///
/// let scenarios = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
/// let job = SensitivityJob {
///     scenario: scenarios.join("baseline-2021.ron"),
///     trajectories: 2,
///     requested: Requested { runs: Some(50), seed: Some(1), ..Requested::default() },
///     command: "example".into(),
/// };
/// let result = job.play(&[], &AtomicBool::new(false), &mut |_, _| {}).unwrap();
/// // One tornado bar and one Morris effect per declared uncertainty.
/// assert!(!result.tornado.is_empty());
/// assert_eq!(result.tornado.len(), result.morris.len());
/// ```
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct SensitivityJob {
    /// Scenario file.
    pub scenario: PathBuf,
    /// Trajectories of the Morris design.
    #[cfg_attr(feature = "clap", arg(long, default_value_t = 10, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(2..=200)))]
    pub trajectories: usize,
    /// Runs per design point and master seed.
    #[cfg_attr(feature = "clap", command(flatten))]
    pub requested: Requested,
    /// The command recorded in the provenance.
    #[cfg_attr(feature = "clap", arg(skip))]
    pub command: String,
}

impl SensitivityJob {
    /// Play every design point; `outputs` may overwrite no scenario read.
    /// `progress` gets (runs done, runs planned) over every point.
    pub fn play(
        &self,
        outputs: Outputs<'_>,
        stop: &AtomicBool,
        progress: OnProgress<'_>,
    ) -> Result<SensitivityResult, Error> {
        let req = &self.requested;
        let (seed, runs) = (req.seed(), req.runs());
        let built = Resolved::read(&self.scenario)?.build(&[], &[])?;
        guard_outputs(outputs, &built.inputs)?;
        let k = built.model.spec().uncertainties.len();
        let points = wedge_runner::design_points(k, self.trajectories);
        let tick = &mut |done, _| progress(done * points, runs * points);
        let played =
            wedge_runner::sensitivity(&built.model, self.trajectories, seed, runs, stop, tick);
        let mut result = played.map_err(|e| match e {
            SensitivityError::NoUncertainties => Error::Usage(format!(
                "{} declares no uncertainties to analyse",
                self.scenario.display()
            )),
            e => Error::Sensitivity(e),
        })?;
        result.stamp(&built.hash, &self.command);
        Ok(result)
    }
}

/// Every scenario of a folder on one plan, as `wedge suite` plays it.
///
/// # Example
///
/// ```
/// use std::sync::atomic::AtomicBool;
/// use wedge_calibrate::SuiteJob;
///
/// let scenarios = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
/// let job = SuiteJob {
///     dir: scenarios,
///     runs: 20,
///     seed: 1,
///     command: "example".into(),
///     ..SuiteJob::default()
/// };
/// let played = job.play(&AtomicBool::new(false)).unwrap();
/// assert!(played.board.scores.iter().any(|s| s.file == "baseline-2021.ron"));
/// assert!(played.drift.is_empty(), "nothing to compare with");
/// ```
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct SuiteJob {
    /// Folder of scenario files.
    pub dir: PathBuf,
    /// Runs per scenario (ignored with --against: the saved plan is used).
    #[cfg_attr(feature = "clap", arg(long, default_value_t = 2000, value_parser = clap::value_parser!(u64).range(1..=wedge_runner::MAX_RUNS)))]
    pub runs: u64,
    /// Master seed (ignored with --against).
    #[cfg_attr(feature = "clap", arg(long, default_value_t = 1))]
    pub seed: u64,
    /// Save the scoreboard as JSON.
    #[cfg_attr(feature = "clap", arg(long))]
    pub save: Option<PathBuf>,
    /// Compare with a saved scoreboard; exit 1 if any scenario moved beyond its interval.
    #[cfg_attr(feature = "clap", arg(long))]
    pub against: Option<PathBuf>,
    /// The command recorded in the provenance.
    #[cfg_attr(feature = "clap", arg(skip))]
    pub command: String,
}

/// What a [`SuiteJob`] gives.
#[derive(Debug)]
pub struct SuiteOutcome {
    /// The new scoreboard.
    pub board: Scoreboard,
    /// The saved scoreboard compared with, if any.
    pub saved: Option<Scoreboard>,
    /// How each scenario moved against it (empty without one).
    pub drift: Vec<Drift>,
}

impl SuiteJob {
    /// Read the saved scoreboard (its plan is played), score the folder, save
    /// the new scoreboard and compare the two.
    pub fn play(&self, stop: &AtomicBool) -> Result<SuiteOutcome, Error> {
        if let Some(save) = &self.save {
            guard_outputs(&[("--save", Some(save.as_path()))], self.against.as_slice())?;
        }
        let saved = match &self.against {
            Some(path) => {
                let text =
                    read_text(path, MAX_RESULT_BYTES).map_err(|e| Error::Usage(e.to_string()))?;
                let board = Scoreboard::from_json(&text)
                    .map_err(|e| Error::Usage(format!("--against {}: {e}", path.display())))?;
                Some(board)
            }
            None => None,
        };
        let loaded = wedge_scenario::load_folder(&self.dir)?;
        let plan = saved
            .as_ref()
            .map_or((self.runs, self.seed), |s| (s.runs, s.seed));
        let suite: Vec<_> = loaded
            .iter()
            .map(|(file, l)| (file.clone(), &l.model, l.hash.clone()))
            .collect();
        let dir = self.dir.display().to_string();
        let board = Scoreboard::play(&suite, plan, &dir, &self.command, stop)?;
        if let Some(path) = &self.save {
            write_atomic(path, pretty_json(&board)?.as_bytes())?;
        }
        let drift = saved
            .as_ref()
            .map(|old| board.against(old))
            .unwrap_or_default();
        Ok(SuiteOutcome {
            board,
            saved,
            drift,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenarios() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios")
    }

    fn go() -> AtomicBool {
        AtomicBool::new(false)
    }

    fn run_job(runs: u64) -> RunJob {
        RunJob {
            scenario: scenarios().join("baseline-2021.ron"),
            requested: Requested {
                runs: Some(runs),
                ..Requested::default()
            },
            command: "test".into(),
            ..RunJob::default()
        }
    }

    #[test]
    fn a_design_kind_is_read_from_its_name_or_refused_with_the_text_given() {
        assert_eq!("grid".parse(), Ok(SweepDesign::Grid));
        assert_eq!("lhs".parse(), Ok(SweepDesign::Lhs));
        let refused = "LHS".parse::<SweepDesign>().err();
        assert_eq!(refused, Some(UnknownDesign("LHS".into())));
        let message = refused.map(|e| e.to_string()).unwrap_or_default();
        assert_eq!(message, "design must be \"grid\" or \"lhs\", got \"LHS\"");
        assert_eq!(
            SweepDesign::Lhs.with_samples(7),
            Design::LatinHypercube { samples: 7 }
        );
        assert_eq!(SweepDesign::Grid.with_samples(7), Design::Grid);
    }

    #[test]
    fn two_shards_merge_to_the_whole_run() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let whole = match run_job(600).play(&[], &go(), &mut |_, _| {}) {
            Ok(RunOutcome::Done(r)) => r,
            other => panic!("a whole run: {other:?}"),
        };
        let mut parts = Vec::new();
        for k in 1..=2 {
            let mut job = run_job(600);
            job.requested.shard = Some((k, 2));
            let Ok(RunOutcome::Shard(part)) = job.play(&[], &go(), &mut |_, _| {}) else {
                panic!("shard {k} gives its partial")
            };
            let path = dir.path().join(format!("part{k}.json"));
            let text = pretty_json(&*part).unwrap_or_else(|e| panic!("{e}"));
            std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
            parts.push(path);
        }
        let merged = merge_runs(&parts, "test").map_err(|e| e.to_string());
        let merged = merged.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(merged.runs, whole.runs);
        assert_eq!(merged.split, whole.split);
        let one = merge_runs(&parts[..1], "test");
        assert!(matches!(one, Err(Error::Usage(m)) if m.starts_with("cannot merge")));
    }

    #[test]
    fn a_stopped_run_saves_its_checkpoint_and_resuming_it_finishes_the_plan() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let checkpoint = dir.path().join("ck.json");
        let mut job = run_job(600);
        job.checkpoint = Some(checkpoint.clone());
        let stopped = job.play(&[], &AtomicBool::new(true), &mut |_, _| {});
        assert!(
            matches!(&stopped, Err(Error::Stopped { planned: 600, checkpoint: Some(c), .. }) if *c == checkpoint),
            "{stopped:?}"
        );
        job.resume = Some(checkpoint.clone());
        job.requested.runs = None;
        let Ok(RunOutcome::Done(resumed)) = job.play(&[], &go(), &mut |_, _| {}) else {
            panic!("the checkpoint resumes")
        };
        let Ok(RunOutcome::Done(fresh)) = run_job(600).play(&[], &go(), &mut |_, _| {}) else {
            panic!("a fresh run")
        };
        assert_eq!((resumed.runs, &resumed.split), (fresh.runs, &fresh.split));
        let shard_target = RunJob {
            requested: Requested {
                shard: Some((1, 2)),
                target_ci: Some(0.01),
                ..Requested::default()
            },
            ..run_job(600)
        };
        let refused = shard_target.play(&[], &go(), &mut |_, _| {});
        assert!(matches!(refused, Err(Error::Usage(m)) if m.contains("--shard and --target-ci")));
    }

    #[test]
    fn a_run_writes_its_per_run_table_and_refuses_to_overwrite_its_scenario() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let table = dir.path().join("runs.csv");
        let job = RunJob {
            runs_out: Some(table.clone()),
            ..run_job(300)
        };
        assert!(job.play(&[], &go(), &mut |_, _| {}).is_ok());
        let text = std::fs::read_to_string(&table).unwrap_or_default();
        assert_eq!(text.lines().count(), 301);
        let scenario = job.scenario.clone();
        let outputs = [("-o", Some(scenario.as_path()))];
        let refused = job.play(&outputs, &go(), &mut |_, _| {});
        assert!(matches!(refused, Err(Error::Output(e)) if e.is_usage()));
    }

    #[test]
    fn a_comparison_needs_two_arms_and_ranks_a_lever_against_the_baseline() {
        let mut job = CompareJob {
            scenarios: vec![scenarios().join("baseline-2021.ron")],
            requested: Requested {
                runs: Some(256),
                ..Requested::default()
            },
            command: "test".into(),
            ..CompareJob::default()
        };
        let alone = job.play(&[], &go(), &mut |_, _| {});
        assert!(matches!(alone, Err(Error::Usage(m)) if m.starts_with("nothing to compare")));
        job.levers = vec!["arms-control".into()];
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let table = dir.path().join("runs.csv");
        job.runs_out = Some(table.clone());
        let mut last = (0, 0);
        let played = job.play(&[], &go(), &mut |d, p| last = (d, p));
        let Ok(Compared::Arms(arms, result)) = played else {
            panic!("a lever compares with the baseline")
        };
        assert_eq!(arms.arms.len(), 2);
        assert_eq!(result.arms[1].name, "+arms-control");
        assert_eq!(last, (512, 512), "progress counts the runs of both arms");
        let text = std::fs::read_to_string(&table).unwrap_or_default();
        assert_eq!(text.lines().count(), 1 + 2 * 256, "one row per run and arm");
        let over_input = CompareJob {
            runs_out: Some(job.scenarios[0].clone()),
            ..job.clone()
        };
        let refused = over_input.play(&[], &go(), &mut |_, _| {});
        assert!(matches!(refused, Err(Error::Output(e)) if e.is_usage()));
        job.runs_out = None;
        job.scenarios.clear();
        let none = job.play(&[], &go(), &mut |_, _| {});
        assert!(matches!(none, Err(Error::Usage(m)) if m == "give a baseline scenario"));
    }

    #[test]
    fn a_sweep_plays_its_points_in_design_order_and_guards_its_scenario() {
        let scenario = scenarios().join("baseline-2021.ron");
        let job = SweepJob {
            scenario: scenario.clone(),
            params: vec!["params.threat_weight=1.5,0.5".into()],
            requested: Requested {
                runs: Some(100),
                ..Requested::default()
            },
            command: "test".into(),
            ..SweepJob::default()
        };
        let played = job
            .play(&[], &go(), &mut |_, _| {})
            .map_err(|e| e.to_string());
        let (arms, result) = played.unwrap_or_else(|e| panic!("{e}"));
        let names: Vec<&str> = result.arms.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(
            names,
            ["params.threat_weight=1.5", "params.threat_weight=0.5"]
        );
        assert_eq!(arms.arms.len(), 2);
        let outputs = [("--plot", Some(scenario.as_path()))];
        let refused = job.play(&outputs, &go(), &mut |_, _| {});
        assert!(matches!(refused, Err(Error::Output(e)) if e.is_usage()));
    }

    #[test]
    fn sweep_params_are_lists_or_ranges_and_a_bare_path_is_refused() {
        let specs = ["a.b=1,2".to_string(), "c=0:1:3".to_string()];
        let params = SweepJob::params(&specs).map_err(|e| e.to_string());
        let params = params.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(params[0].path, "a.b");
        assert_eq!(params[0].values, [1.0, 2.0]);
        assert_eq!(params[1].values, [0.0, 0.5, 1.0]);
        let bare = SweepJob::params(&["a.b".to_string()]);
        assert!(matches!(bare, Err(Error::Usage(m)) if m.contains("PATH=SPEC")));
    }

    #[test]
    fn a_screening_counts_its_runs_over_every_point_and_refuses_one_trajectory() {
        let job = SensitivityJob {
            scenario: scenarios().join("baseline-2021.ron"),
            trajectories: 2,
            requested: Requested {
                runs: Some(20),
                ..Requested::default()
            },
            command: "test".into(),
        };
        let mut last = (0, 0);
        let played = job.play(&[], &go(), &mut |d, p| last = (d, p));
        let result = played
            .map_err(|e| e.to_string())
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(!result.tornado.is_empty());
        assert!(
            last.1 > 0 && last.0 == last.1,
            "progress ends at the plan: {last:?}"
        );
        let one = SensitivityJob {
            trajectories: 1,
            ..job
        };
        let refused = one.play(&[], &go(), &mut |_, _| {});
        assert!(matches!(refused, Err(Error::Sensitivity(_))), "{refused:?}");
    }

    /// A config parsed from a command line, as the binary parses it.
    #[cfg(feature = "clap")]
    fn parse<T: clap::Args + clap::FromArgMatches>(args: &[&str]) -> Result<T, clap::Error> {
        let command = T::augment_args(clap::Command::new("wedge"));
        command.clone().debug_assert();
        T::from_arg_matches(&command.try_get_matches_from(args)?)
    }

    #[cfg(feature = "clap")]
    #[test]
    fn each_config_is_its_commands_flags_with_their_defaults_and_ranges() {
        fn ok<T>(e: clap::Error) -> T {
            panic!("{e}")
        }
        let run: RunJob = parse(&["wedge", "s.ron"]).unwrap_or_else(ok);
        assert_eq!(run.checkpoint_every, Duration::from_secs(2));
        assert_eq!(run.requested, Requested::default());
        assert!(
            run.command.is_empty(),
            "the command line is the caller's to record"
        );
        let args = [
            "wedge",
            "s.ron",
            "--runs",
            "10",
            "--seed",
            "7",
            "--checkpoint-every",
            "0",
        ];
        let run: RunJob = parse(&args).unwrap_or_else(ok);
        assert_eq!(
            (run.requested.runs, run.requested.seed),
            (Some(10), Some(7))
        );
        assert_eq!(run.checkpoint_every, Duration::ZERO);
        for bad in [
            ["--runs", "0"],
            ["--target-ci", "0.5"],
            ["--checkpoint-every", "x"],
        ] {
            let refused = parse::<RunJob>(&[&["wedge", "s.ron"][..], &bad].concat());
            assert!(refused.is_err(), "{bad:?}");
        }
        let sweep: SweepJob =
            parse(&["wedge", "s.ron", "--param", "a=1,2", "--design", "lhs"]).unwrap_or_else(ok);
        assert_eq!(sweep.design(), Design::LatinHypercube { samples: 20 });
        assert_eq!(sweep.params, ["a=1,2"]);
        assert!(
            parse::<SweepJob>(&["wedge", "s.ron"]).is_err(),
            "--param is required"
        );
        let suite: SuiteJob = parse(&["wedge", "dir"]).unwrap_or_else(ok);
        assert_eq!((suite.runs, suite.seed), (2000, 1));
        let screening = parse::<SensitivityJob>(&["wedge", "s.ron", "--trajectories", "1"]);
        assert!(screening.is_err());
        let compare: CompareJob =
            parse(&["wedge", "a.ron", "--levers", "x,y", "--all-levers"]).unwrap_or_else(ok);
        assert_eq!((compare.levers.len(), compare.all_levers), (2, true));
    }

    #[test]
    fn a_stopped_session_says_how_to_continue_it_or_that_nothing_was_kept() {
        let stopped = |checkpoint: Option<&str>| Error::Stopped {
            scenario: PathBuf::from("s.ron"),
            done: 512,
            planned: 1000,
            checkpoint: checkpoint.map(PathBuf::from),
        };
        assert_eq!(
            stopped(Some("ck.json")).to_string(),
            "512 of 1000 runs done; checkpoint saved to ck.json (continue with: wedge run s.ron --resume ck.json)"
        );
        assert!(
            stopped(None)
                .to_string()
                .contains("no --checkpoint was given")
        );
        use wedge_io::{Categorized, Category};
        assert_eq!(stopped(None).category(), Category::Runtime);
        assert_eq!(stopped(Some("ck.json")).category(), Category::Interrupted);
        assert!(stopped(Some("ck.json")).resumable() && !stopped(None).resumable());
    }

    #[test]
    fn a_suite_saved_and_played_again_has_not_moved() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let saved = dir.path().join("board.json");
        let job = SuiteJob {
            dir: scenarios(),
            runs: 100,
            seed: 3,
            save: Some(saved.clone()),
            command: "test".into(),
            ..SuiteJob::default()
        };
        let first = job.play(&go()).map_err(|e| e.to_string());
        let first = first.unwrap_or_else(|e| panic!("{e}"));
        assert!(first.saved.is_none() && first.drift.is_empty());
        let again = SuiteJob {
            runs: 999,
            seed: 9,
            save: None,
            against: Some(saved),
            ..job.clone()
        };
        let second = again.play(&go()).map_err(|e| e.to_string());
        let second = second.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((second.board.runs, second.board.seed), (100, 3));
        assert_eq!(second.drift.len(), first.board.scores.len());
        assert!(second.drift.iter().all(|d| !d.moved()));
        let board = dir.path().join("board.json");
        let overwrite = SuiteJob {
            save: Some(board.clone()),
            against: Some(board),
            ..job
        };
        assert!(matches!(overwrite.play(&go()), Err(Error::Output(_))));
    }
}
