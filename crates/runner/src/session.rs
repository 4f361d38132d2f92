//! Run sessions: one scenario played many times, fresh, resumed from a
//! checkpoint, or as one shard of a larger plan, optionally growing until the
//! split probability's interval is narrow enough.

use crate::{DEFAULT_RUNS, DEFAULT_SEED};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use wedge_core::Model;

use crate::aggregate::Aggregate;
use crate::partial::{FORMAT, Partial};
use crate::provenance::{Manifest, RunPlan};
use crate::stats::wilson_half_width;
use crate::summary::{RunResult, summarize};
use crate::waves::{Batch, BatchError, Control, run_chunks};
use crate::{CHUNK_RUNS, MAX_RUNS};

/// The one growth rule for `target_ci`: round the plan up to whole chunks and
/// double it, up to [`MAX_RUNS`]. Run *i* keeps its seed stream, so growing a
/// plan only appends runs.
pub fn grow(runs: u64) -> u64 {
    (whole_chunks(runs) * 2).min(MAX_RUNS)
}

/// `runs` rounded up to whole chunks (at most [`MAX_RUNS`], itself whole chunks).
///
/// A plan that grows starts here, so every stage of its growth covers run
/// indices `0..runs` with no gap, and its final run count (in the manifest)
/// reproduces the result as a plain run.
pub fn whole_chunks(runs: u64) -> u64 {
    (runs.div_ceil(CHUNK_RUNS) * CHUNK_RUNS).min(MAX_RUNS)
}

/// What the flags of a run session asked for (`None` where they said
/// nothing): any value given to a resumed session must agree with its
/// checkpoint. With the `clap` feature these are the flags `--runs`,
/// `--seed` and `--target-ci` (each field's doc is its help line).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct Requested {
    /// Number of runs (per arm) [default: 10000; with --resume: the checkpoint's].
    #[cfg_attr(feature = "clap", arg(long, value_parser = clap::value_parser!(u64).range(1..=MAX_RUNS)))]
    pub runs: Option<u64>,
    /// Master seed: run i uses the ChaCha8 stream i of this seed [default: 1; with --resume: the checkpoint's].
    #[cfg_attr(feature = "clap", arg(long))]
    pub seed: Option<u64>,
    /// Shard K of N (1-based) of the plan's run indices, if only one shard is played.
    #[cfg_attr(feature = "clap", arg(skip))]
    pub shard: Option<(u64, u64)>,
    /// Keep adding runs until the 95% interval half-width is at most this (overrides --runs).
    #[cfg_attr(feature = "clap", arg(long, value_name = "HALF_WIDTH", value_parser = half_width))]
    pub target_ci: Option<f64>,
}

/// The value parser of `--target-ci`: a half-width in [0.0001, 0.5).
#[cfg(feature = "clap")]
fn half_width(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(w) if !(w.is_finite() && (1e-4..0.5).contains(&w)) => {
            Err(format!("must be a half-width in [0.0001, 0.5), got {w}"))
        }
        parsed => parsed.map_err(|e| e.to_string()),
    }
}

impl Requested {
    /// The seed asked for, or [`DEFAULT_SEED`].
    pub fn seed(&self) -> u64 {
        self.seed.unwrap_or(DEFAULT_SEED)
    }

    /// The run count asked for, or [`DEFAULT_RUNS`].
    pub fn runs(&self) -> u64 {
        self.runs.unwrap_or(DEFAULT_RUNS)
    }
}

/// Why a session cannot start.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SessionError {
    /// A checkpoint of another scenario, seed or wedge version.
    #[error(
        "written for another run (scenario {}, seed {}, wedge {}); this one is scenario {}, seed {}, wedge {}",
        theirs.scenario, theirs.seed, theirs.version, ours.scenario, ours.seed, ours.version
    )]
    OtherRun {
        /// The checkpoint's plan.
        theirs: Box<RunPlan>,
        /// The plan of this session.
        ours: Box<RunPlan>,
    },
    /// Shard `k` of `n` is not a shard.
    #[error("shard {0} of {1} does not exist (need 1 ≤ K ≤ N)")]
    NoSuchShard(u64, u64),
    /// A flag asks for another job than the checkpoint's.
    #[error(
        "{flag} disagrees with the checkpoint, which is of {checkpoint}; resume it without {name} (or with the same value), or start a new run"
    )]
    Disagrees {
        /// The flag's name.
        name: &'static str,
        /// The flag as given.
        flag: String,
        /// The checkpoint's value.
        checkpoint: String,
    },
    /// The checkpoint's scenario specification differs from the loaded one.
    #[error("written for a different scenario specification than the one loaded")]
    OtherSpec,
}

/// What a session's progress callback sees after each wave.
pub struct Progress<'a> {
    /// Runs folded so far (including a resumed checkpoint's).
    pub runs_done: u64,
    /// Runs planned now (grows with a target interval).
    pub runs_planned: u64,
    aggregate: &'a Aggregate,
    next_chunk: u64,
    template: &'a Partial,
}

impl Progress<'_> {
    /// A checkpoint of the session as it stands: resuming it continues exactly here.
    pub fn snapshot(&self) -> Partial {
        let mut partial = Partial {
            next_chunk: self.next_chunk,
            aggregate: self.aggregate.clone(),
            ..self.template.clone()
        };
        partial.seal();
        partial
    }
}

/// One scenario played many times, in chunks, with checkpoints, shards and resume.
///
/// # Example
///
/// ```
/// use std::sync::atomic::AtomicBool;
/// use wedge_runner::{RunPlan, RunSession};
///
/// let model = wedge_core::Model::reference_2021();
/// let plan = RunPlan::new("reference", "no-hash", 1, 500);
/// let mut session = RunSession::new(&model, plan, None);
/// session.run(&AtomicBool::new(false), &mut |_| {}).unwrap();
/// let result = session.result("example");
/// assert_eq!(result.runs, 500);
/// assert!(result.split.probability >= 0.0);
/// ```
pub struct RunSession<'m> {
    model: &'m Model,
    partial: Partial,
    started: Instant,
    runs_simulated: u64,
}

impl<'m> RunSession<'m> {
    /// A fresh session over every chunk of `plan`; with `target_ci`, runs are
    /// added (by [`grow`]) until the split probability's 95% half-width is at most it.
    /// A growing plan starts at `plan.runs` rounded up to whole chunks ([`whole_chunks`]).
    pub fn new(model: &'m Model, mut plan: RunPlan, target_ci: Option<f64>) -> RunSession<'m> {
        if target_ci.is_some() {
            plan.runs = whole_chunks(plan.runs);
        }
        let end = plan.chunks();
        RunSession::over(model, plan, 0, end, None, target_ci)
    }

    /// Shard `k` (1-based) of `n` of `plan`: a fixed slice of its chunks.
    pub fn shard(
        model: &'m Model,
        plan: RunPlan,
        k: u64,
        n: u64,
    ) -> Result<RunSession<'m>, SessionError> {
        if k == 0 || n == 0 || k > n {
            return Err(SessionError::NoSuchShard(k, n));
        }
        let (first, end) = plan.shard_chunks(k, n);
        Ok(RunSession::over(
            model,
            plan,
            first,
            end,
            Some([k, n]),
            None,
        ))
    }

    /// A fresh session of `plan` as `requested` asks: its shard (if any) of
    /// the plan, or the whole plan, growing to its target interval (if any).
    pub fn fresh(
        model: &'m Model,
        plan: RunPlan,
        requested: &Requested,
    ) -> Result<RunSession<'m>, SessionError> {
        match requested.shard {
            Some((k, n)) => RunSession::shard(model, plan, k, n),
            None => Ok(RunSession::new(model, plan, requested.target_ci)),
        }
    }

    /// Continue `checkpoint` — exactly its job: its run count, seed, shard and
    /// target interval — which must be of the scenario loaded as `model` (whose
    /// resolved scenario hashes to `scenario_hash`) and of this wedge version.
    /// Any value in `requested` must agree with the checkpoint's.
    pub fn resume(
        model: &'m Model,
        scenario_hash: &str,
        checkpoint: Partial,
        requested: Requested,
    ) -> Result<RunSession<'m>, SessionError> {
        let theirs = &checkpoint.plan;
        if theirs.scenario_hash != scenario_hash || theirs.version != crate::VERSION {
            let mut ours = theirs.clone();
            ours.scenario_hash = scenario_hash.to_string();
            ours.scenario = model.spec().name.clone();
            ours.version = crate::VERSION.to_string();
            return Err(SessionError::OtherRun {
                theirs: Box::new(theirs.clone()),
                ours: Box::new(ours),
            });
        }
        if checkpoint.spec != *model.spec() {
            return Err(SessionError::OtherSpec);
        }
        let disagrees = |name: &'static str, flag: String, checkpoint: String| {
            Err(SessionError::Disagrees {
                name,
                flag,
                checkpoint,
            })
        };
        let describe_shard = |s: Option<[u64; 2]>| match s {
            Some([k, n]) => format!("shard {k}/{n}"),
            None => "a whole run (no shard)".to_string(),
        };
        if let Some(seed) = requested.seed
            && seed != theirs.seed
        {
            return disagrees(
                "--seed",
                format!("--seed {seed}"),
                format!("seed {}", theirs.seed),
            );
        }
        if let Some(runs) = requested.runs
            && checkpoint.target_ci.is_none()
            && runs != theirs.runs
        {
            return disagrees(
                "--runs",
                format!("--runs {runs}"),
                format!("{} runs", theirs.runs),
            );
        }
        if let Some((k, n)) = requested.shard
            && checkpoint.shard != Some([k, n])
        {
            return disagrees(
                "--shard",
                format!("--shard {k}/{n}"),
                describe_shard(checkpoint.shard),
            );
        }
        if let Some(t) = requested.target_ci
            && checkpoint.target_ci != Some(t)
        {
            return disagrees(
                "--target-ci",
                format!("--target-ci {t}"),
                match checkpoint.target_ci {
                    Some(c) => format!("a run growing to a half-width of {c}"),
                    None => format!("a fixed plan of {} runs", theirs.runs),
                },
            );
        }
        Ok(RunSession {
            model,
            partial: checkpoint,
            started: Instant::now(),
            runs_simulated: 0,
        })
    }

    /// The run indices this session covers: its shard's slice of the plan, or the whole plan.
    pub fn run_range(&self) -> std::ops::Range<u64> {
        let plan = &self.partial.plan;
        match self.partial.shard {
            Some([k, n]) => {
                let (first, end) = plan.shard_chunks(k, n);
                (first * CHUNK_RUNS).min(plan.runs)..(end * CHUNK_RUNS).min(plan.runs)
            }
            None => 0..plan.runs,
        }
    }

    /// The shard `[K, N]` this session is (`None` for a whole run).
    pub fn shard_of(&self) -> Option<[u64; 2]> {
        self.partial.shard
    }

    fn over(
        model: &'m Model,
        plan: RunPlan,
        first: u64,
        end: u64,
        shard: Option<[u64; 2]>,
        target_ci: Option<f64>,
    ) -> RunSession<'m> {
        // Sealed only when it leaves the session (`sealed_partial`, `Progress::snapshot`).
        let partial = Partial {
            format: FORMAT.to_string(),
            plan,
            shard,
            target_ci,
            first_chunk: first,
            next_chunk: first,
            end_chunk: end,
            aggregate: Aggregate::new(model),
            spec: model.spec().clone(),
            checksum: String::new(),
        };
        RunSession {
            model,
            partial,
            started: Instant::now(),
            runs_simulated: 0,
        }
    }

    /// The plan as it stands (a target interval may have grown it).
    pub fn plan(&self) -> &RunPlan {
        &self.partial.plan
    }

    /// The partial result as it stands, its checksum not kept up to date (sealing costs a
    /// serialization and a hash of the whole aggregate, so it is done only
    /// when a partial leaves the session: see [`RunSession::sealed_partial`]).
    pub fn partial(&self) -> &Partial {
        &self.partial
    }

    /// The partial result as it stands, sealed with its checksum: what a
    /// checkpoint file or a finished shard holds.
    pub fn sealed_partial(&self) -> Partial {
        let mut partial = self.partial.clone();
        partial.seal();
        partial
    }

    /// Play the remaining chunks. `on_wave` sees progress after every wave
    /// (for progress bars and checkpoints). When `stop` is raised the session
    /// keeps every completed chunk and returns [`BatchError::Interrupted`];
    /// [`RunSession::partial`] is then a checkpoint to resume from.
    pub fn run(
        &mut self,
        stop: &AtomicBool,
        on_wave: &mut (dyn FnMut(&Progress<'_>) + Send),
    ) -> Result<(), BatchError> {
        loop {
            let batch = Batch {
                seed: self.partial.plan.seed,
                runs: self.partial.plan.runs,
                first_chunk: self.partial.next_chunk,
                end_chunk: self.partial.end_chunk,
            };
            let mut aggregate =
                std::mem::replace(&mut self.partial.aggregate, Aggregate::new(self.model));
            let before = aggregate.runs;
            let template = &self.partial;
            let mut wave = |agg: &Aggregate, next: u64| {
                on_wave(&Progress {
                    runs_done: agg.runs,
                    runs_planned: template.plan.runs,
                    aggregate: agg,
                    next_chunk: next,
                    template,
                })
            };
            let result = run_chunks(
                self.model,
                &batch,
                &mut aggregate,
                Control {
                    stop,
                    on_wave: &mut wave,
                },
            );
            self.runs_simulated += aggregate.runs - before;
            self.partial.next_chunk = match &result {
                Ok(()) => batch.end_chunk,
                Err(BatchError::Interrupted { completed_chunks }) => {
                    batch.first_chunk + completed_chunks
                }
            };
            self.partial.aggregate = aggregate;
            result?;
            let agg = &self.partial.aggregate;
            match self.partial.target_ci {
                Some(target)
                    if wilson_half_width(agg.splits, agg.runs) > target
                        && self.partial.plan.runs < MAX_RUNS =>
                {
                    self.partial.plan.runs = grow(self.partial.plan.runs);
                    self.partial.end_chunk = self.partial.plan.chunks();
                }
                _ => return Ok(()),
            }
        }
    }

    /// Play the remaining chunks like [`RunSession::run`], checkpointing as it
    /// goes: `save` gets a snapshot after the first wave once `every` has passed
    /// since the last one, and the session's partial when the run ends (done or
    /// interrupted). The first error from `save` is returned once the run
    /// stops; `on_progress` gets (runs done, runs planned) after every wave.
    pub fn run_checkpointed<E: Send>(
        &mut self,
        stop: &AtomicBool,
        every: Duration,
        save: &mut (dyn FnMut(&Partial) -> Result<(), E> + Send),
        on_progress: &mut (dyn FnMut(u64, u64) + Send),
    ) -> Result<Result<(), BatchError>, E> {
        let mut last = Instant::now();
        let mut failed = None;
        let outcome = self.run(stop, &mut |p| {
            on_progress(p.runs_done, p.runs_planned);
            if last.elapsed() >= every {
                if let Err(e) = save(&p.snapshot())
                    && failed.is_none()
                {
                    failed = Some(e);
                }
                last = Instant::now();
            }
        });
        match failed {
            Some(e) => Err(e),
            None => save(&self.sealed_partial()).map(|()| outcome),
        }
    }

    /// The summary of everything folded so far, with its manifest.
    pub fn result(&self, command: &str) -> RunResult {
        let manifest = Manifest::new(
            self.partial.plan.clone(),
            self.started.elapsed().as_secs_f64(),
            self.runs_simulated,
            command,
        );
        summarize(self.model, &self.partial.aggregate, manifest)
    }
}

/// The result of merged shards (see [`crate::merge`]): their model is
/// rebuilt from the specification they carry.
pub fn merged_result(merged: &Partial, command: &str) -> Result<RunResult, String> {
    let model = Model::new(merged.spec.clone())
        .map_err(|e| format!("the parts carry an invalid scenario: {e:?}"))?;
    let manifest = Manifest::new(merged.plan.clone(), 0.0, merged.aggregate.runs, command);
    Ok(summarize(&model, &merged.aggregate, manifest))
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};

    use super::*;

    use crate::tests::short_model as model;

    #[test]
    fn growth_doubles_in_whole_chunks_and_stops_at_the_cap() {
        assert_eq!(grow(256), 512);
        assert_eq!(grow(300), 1024);
        assert_eq!(grow(MAX_RUNS), MAX_RUNS);
    }

    #[test]
    fn an_interrupted_session_resumes_to_the_same_bits() {
        let model = model();
        let plan = RunPlan::new("s", "h", 9, 40 * CHUNK_RUNS);
        let mut whole = RunSession::new(&model, plan.clone(), None);
        whole
            .run(&AtomicBool::new(false), &mut |_| {})
            .unwrap_or_else(|e| panic!("{e}"));

        let stop = AtomicBool::new(false);
        let mut first = RunSession::new(&model, plan.clone(), None);
        let interrupted = first.run(&stop, &mut |p| {
            if p.runs_done >= 16 * CHUNK_RUNS {
                stop.store(true, Ordering::Relaxed);
            }
        });
        assert!(
            interrupted.is_err(),
            "the stop flag must end the session early"
        );
        let checkpoint = first.partial().clone();
        assert!(checkpoint.next_chunk < checkpoint.end_chunk);
        let mut resumed = RunSession::resume(&model, "h", checkpoint, Requested::default())
            .unwrap_or_else(|e| panic!("{e}"));
        resumed
            .run(&AtomicBool::new(false), &mut |_| {})
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(resumed.partial().aggregate, whole.partial().aggregate);
    }

    #[test]
    fn a_checkpoint_of_another_seed_is_refused() {
        let model = model();
        let session = RunSession::new(&model, RunPlan::new("s", "h", 1, 10), None);
        let other = RunSession::resume(
            &model,
            "h",
            session.partial().clone(),
            Requested {
                seed: Some(2),
                ..Requested::default()
            },
        );
        assert!(matches!(other, Err(SessionError::Disagrees { .. })));
        let other = RunSession::resume(
            &model,
            "other",
            session.partial().clone(),
            Requested::default(),
        );
        assert!(matches!(other, Err(SessionError::OtherRun { .. })));
    }

    #[test]
    fn a_target_interval_grows_the_plan_until_met() {
        let model = Model::reference_2021();
        let mut s = RunSession::new(&model, RunPlan::new("s", "h", 1, 256), Some(0.03));
        s.run(&AtomicBool::new(false), &mut |_| {})
            .unwrap_or_else(|e| panic!("{e}"));
        let agg = &s.partial().aggregate;
        assert!(s.plan().runs > 256);
        assert!(wilson_half_width(agg.splits, agg.runs) <= 0.03);
        assert_eq!(agg.runs, s.plan().runs);
    }

    #[test]
    fn checkpoints_resume_to_the_bits_of_a_whole_run() {
        let model = model();
        let plan = RunPlan::new("s", "h", 5, 24 * CHUNK_RUNS);
        let mut whole = RunSession::new(&model, plan.clone(), None);
        whole
            .run(&AtomicBool::new(false), &mut |_| {})
            .unwrap_or_else(|e| panic!("{e}"));
        let stop = AtomicBool::new(false);
        let mut saved: Vec<Partial> = Vec::new();
        let mut first = RunSession::new(&model, plan, None);
        let outcome = first.run_checkpointed(
            &stop,
            Duration::ZERO,
            &mut |p: &Partial| -> Result<(), ()> {
                saved.push(p.clone());
                Ok(())
            },
            &mut |done, _| {
                if done >= 8 * CHUNK_RUNS {
                    stop.store(true, Ordering::SeqCst);
                }
            },
        );
        assert!(matches!(outcome, Ok(Err(BatchError::Interrupted { .. }))));
        assert!(
            saved.len() >= 2,
            "a snapshot per wave and the final partial"
        );
        let last = saved.pop().unwrap_or_else(|| panic!("no checkpoint"));
        assert!(last.aggregate.runs < 24 * CHUNK_RUNS);
        let mut resumed = RunSession::resume(&model, "h", last, Requested::default())
            .unwrap_or_else(|e| panic!("{e}"));
        resumed
            .run(&AtomicBool::new(false), &mut |_| {})
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(resumed.partial().aggregate, whole.partial().aggregate);
    }

    #[test]
    fn a_failing_checkpoint_is_reported_after_the_run() {
        let model = model();
        let mut session = RunSession::new(&model, RunPlan::new("s", "h", 5, 4 * CHUNK_RUNS), None);
        let outcome = session.run_checkpointed(
            &AtomicBool::new(false),
            Duration::ZERO,
            &mut |_: &Partial| Err("disk full"),
            &mut |_, _| {},
        );
        assert_eq!(outcome.err(), Some("disk full"));
        assert_eq!(session.partial().aggregate.runs, 4 * CHUNK_RUNS);
    }
}
