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

/// Pretty JSON with a line feed at the end.
pub(crate) fn json<T: serde::Serialize>(value: &T) -> String {
    // Partials and scoreboards hold strings, integers and finite numbers, so encoding cannot fail.
    serde_json::to_string_pretty(value).unwrap_or_default() + "\n"
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
pub struct RunJob {
    /// The scenario file.
    pub scenario: PathBuf,
    /// Runs, seed, shard and target interval asked for (defaults:
    /// [`wedge_runner::DEFAULT_RUNS`], [`wedge_runner::DEFAULT_SEED`]; a resumed checkpoint's own).
    pub requested: Requested,
    /// The posterior ensemble to play over (default: the one the scenario names).
    pub ensemble: Option<PathBuf>,
    /// Where the partial result is saved, atomically, as the session goes.
    pub checkpoint: Option<PathBuf>,
    /// Time between checkpoints (zero: after every wave).
    pub checkpoint_every: Duration,
    /// A checkpoint to continue from.
    pub resume: Option<PathBuf>,
    /// Where the per-run table goes (CSV with a sidecar, or Parquet).
    pub runs_out: Option<PathBuf>,
    /// The command recorded in the provenance.
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
    /// `outputs` may not overwrite the scenario, the ensemble or the
    /// checkpoint resumed from. A stop ends in [`Error::Stopped`], with the
    /// checkpoint saved.
    pub fn play(
        &self,
        outputs: Outputs<'_>,
        stop: &AtomicBool,
        progress: OnProgress<'_>,
    ) -> Result<RunOutcome, Error> {
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
        let mut save =
            |p: &Partial| checkpoint.map_or(Ok(()), |c| write_atomic(c, json(p).as_bytes()));
        let every = self.checkpoint_every;
        if session
            .run_checkpointed(stop, every, &mut save, progress)?
            .is_err()
        {
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
            Some(_) => RunOutcome::Shard(Box::new(session.partial().clone())),
            None => RunOutcome::Done(session.result(&self.command)),
        })
    }
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
pub struct CompareJob {
    /// The baseline scenario file, then variant scenario files.
    pub scenarios: Vec<PathBuf>,
    /// Levers or packages of the library, each added alone to the baseline.
    pub levers: Vec<String>,
    /// Also every essay lever, one at a time, and the essay's package.
    pub all_levers: bool,
    /// The posterior ensemble to play over (default: the one the baseline names).
    pub ensemble: Option<PathBuf>,
    /// Runs per arm (per draw over an ensemble), target interval and master seed.
    pub requested: Requested,
    /// The command recorded in the provenance.
    pub command: String,
}

/// What a [`CompareJob`] gives.
#[derive(Debug)]
pub enum Compared {
    /// The arms played and their comparison (for a per-run table: [`Arms::write_runs`]).
    Arms(Box<Arms>, ComparisonResult),
    /// The comparison over the draws of an ensemble.
    Ensemble(ComparisonResult),
}

impl CompareJob {
    /// Build the arms and play them pair by pair (or over the ensemble, if
    /// there is one); `outputs` may overwrite no scenario or ensemble read.
    pub fn play(
        &self,
        outputs: Outputs<'_>,
        stop: &AtomicBool,
        progress: OnProgress<'_>,
    ) -> Result<Compared, Error> {
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
/// use wedge_runner::{Design, Requested};
///
/// let scenarios = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
/// let job = SweepJob {
///     scenario: scenarios.join("baseline-2021.ron"),
///     params: SweepJob::params(&["agents.russia.rationality=10,50,250".into()]).unwrap(),
///     design: Design::Grid,
///     requested: Requested { runs: Some(200), seed: Some(1), ..Requested::default() },
///     command: "example".into(),
/// };
/// let (_arms, result) = job.play(&[], &AtomicBool::new(false), &mut |_, _| {}).unwrap();
/// assert_eq!(result.arms.len(), 3);
/// assert_eq!(result.runs, 200);
/// ```
#[derive(Debug, Clone)]
pub struct SweepJob {
    /// The scenario file.
    pub scenario: PathBuf,
    /// The swept paths and their values.
    pub params: Vec<Param>,
    /// A grid of every combination, or a Latin hypercube over the ranges.
    pub design: Design,
    /// Runs per point, target interval and master seed (which also places
    /// a hypercube's points).
    pub requested: Requested,
    /// The command recorded in the provenance.
    pub command: String,
}

impl SweepJob {
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

    /// Build one arm per point and play them pair by pair, in design order;
    /// `outputs` may overwrite no scenario read. The arms come back for
    /// their per-run table ([`Arms::write_runs`]) and figures.
    pub fn play(
        &self,
        outputs: Outputs<'_>,
        stop: &AtomicBool,
        progress: OnProgress<'_>,
    ) -> Result<(Arms, ComparisonResult), Error> {
        let req = &self.requested;
        let (seed, runs) = (req.seed(), req.runs());
        let resolved = Resolved::read(&self.scenario)?;
        let arms = Arms::sweep(&resolved, self.params.clone(), self.design, seed)?;
        guard_outputs(outputs, &resolved.inputs)?;
        let result = arms.play((seed, runs, req.target_ci), &self.command, stop, progress)?;
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
pub struct SensitivityJob {
    /// The scenario file.
    pub scenario: PathBuf,
    /// Trajectories of the Morris design.
    pub trajectories: usize,
    /// Runs per design point and master seed.
    pub requested: Requested,
    /// The command recorded in the provenance.
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
///     plan: (20, 1),
///     command: "example".into(),
///     ..SuiteJob::default()
/// };
/// let played = job.play(&AtomicBool::new(false)).unwrap();
/// assert!(played.board.scores.iter().any(|s| s.file == "baseline-2021.ron"));
/// assert!(played.drift.is_empty(), "nothing to compare with");
/// ```
#[derive(Debug, Clone, Default)]
pub struct SuiteJob {
    /// The folder of scenario files.
    pub dir: PathBuf,
    /// Runs per scenario and master seed (a saved scoreboard's plan wins).
    pub plan: (u64, u64),
    /// Where the scoreboard is saved (JSON).
    pub save: Option<PathBuf>,
    /// A saved scoreboard to compare with.
    pub against: Option<PathBuf>,
    /// The command recorded in the provenance.
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
        let plan = saved.as_ref().map_or(self.plan, |s| (s.runs, s.seed));
        let suite: Vec<_> = loaded
            .iter()
            .map(|(file, l)| (file.clone(), &l.model, l.hash.clone()))
            .collect();
        let dir = self.dir.display().to_string();
        let board = Scoreboard::play(&suite, plan, &dir, &self.command, stop)?;
        if let Some(path) = &self.save {
            write_atomic(path, json(&board).as_bytes())?;
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
            std::fs::write(&path, json(&*part)).unwrap_or_else(|e| panic!("{e}"));
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
        let mut last = (0, 0);
        let played = job.play(&[], &go(), &mut |d, p| last = (d, p));
        let Ok(Compared::Arms(arms, result)) = played else {
            panic!("a lever compares with the baseline")
        };
        assert_eq!(arms.arms.len(), 2);
        assert_eq!(result.arms[1].name, "+arms-control");
        assert_eq!(last, (512, 512), "progress counts the runs of both arms");
        job.scenarios.clear();
        let none = job.play(&[], &go(), &mut |_, _| {});
        assert!(matches!(none, Err(Error::Usage(m)) if m == "give a baseline scenario"));
    }

    #[test]
    fn a_sweep_plays_its_points_in_design_order_and_guards_its_scenario() {
        let scenario = scenarios().join("baseline-2021.ron");
        let job = SweepJob {
            scenario: scenario.clone(),
            params: vec![Param {
                path: "params.threat_weight".into(),
                values: vec![1.5, 0.5],
            }],
            design: Design::Grid,
            requested: Requested {
                runs: Some(100),
                ..Requested::default()
            },
            command: "test".into(),
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
            plan: (100, 3),
            save: Some(saved.clone()),
            command: "test".into(),
            ..SuiteJob::default()
        };
        let first = job.play(&go()).map_err(|e| e.to_string());
        let first = first.unwrap_or_else(|e| panic!("{e}"));
        assert!(first.saved.is_none() && first.drift.is_empty());
        let again = SuiteJob {
            plan: (999, 9),
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
