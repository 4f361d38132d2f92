//! Calibrations and ensembles through files: what `wedge calibrate` and
//! `--ensemble` do between reading their flags and printing.
//!
//! [`CalibrateFiles`] names the files of a calibration (the posterior or
//! shard partial written, the report, the checkpoint saved every
//! [`crate::record::CHECKPOINT_DRAWS`] draws, the checkpoint resumed from,
//! the shard partials merged), refuses outputs that would overwrite an input,
//! reads the partials back and writes the outcome atomically.
//! [`ensemble_for`] finds the posterior a run or comparison plays, and
//! [`ensemble_settings`] the settings it is played under.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use wedge_io::{MAX_PARTIAL_BYTES, OutputError, guard_outputs, read_text, write_atomic};
use wedge_runner::{CompareSettings, RunPlan};
use wedge_scenario::Resolved;
use wedge_scenario::{Calibration, PosteriorFile};

use crate::{CalibrateOptions, CalibrateOutcome, Error, Partial};

/// Runs per draw of an ensemble when none are asked for.
pub const ENSEMBLE_RUNS: u64 = 500;

/// The files of one calibration (with the `clap` feature, the flags that
/// name them).
#[derive(Debug, Clone)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct CalibrateFiles {
    /// Write the posterior ensemble here (.ron); with --shard, the shard's partial (JSON).
    #[cfg_attr(feature = "clap", arg(long, value_name = "FILE"))]
    pub out: PathBuf,
    /// Write the calibration report (Markdown) here instead of stdout.
    #[cfg_attr(feature = "clap", arg(long, value_name = "FILE.md"))]
    pub report: Option<PathBuf>,
    /// Merge partial results written by --shard (every draw once), then estimate.
    #[cfg_attr(feature = "clap", arg(long, num_args = 1.., value_name = "PART.json"))]
    pub merge: Vec<PathBuf>,
    /// Save the draws played so far here (JSON), every 64 draws.
    #[cfg_attr(feature = "clap", arg(long, value_name = "FILE.json"))]
    pub checkpoint: Option<PathBuf>,
    /// Continue from a checkpoint: its draws are not played again.
    #[cfg_attr(feature = "clap", arg(long, value_name = "FILE.json"))]
    pub resume: Option<PathBuf>,
}

impl CalibrateFiles {
    /// Refuse outputs that are inputs of `cal` or of each other: the
    /// checkpoint may be the file resumed from; the posterior and report may not.
    pub fn guard(&self, cal: &Calibration) -> Result<(), OutputError> {
        let inputs = [&cal.inputs[..], &self.merge].concat();
        guard_outputs(&[("--checkpoint", self.checkpoint.as_deref())], &inputs)?;
        let outputs = [
            ("--out", Some(self.out.as_path())),
            ("--report", self.report.as_deref()),
        ];
        guard_outputs(&outputs, &[&inputs[..], self.resume.as_slice()].concat())
    }

    /// Read the partials to merge and the checkpoint to resume into `options`,
    /// calibrate, write the posterior (or the shard's partial) to `out`, and
    /// give the report of a posterior.
    pub fn calibrate(
        &self,
        cal: &Calibration,
        mut options: CalibrateOptions,
        stop: &AtomicBool,
        on_draw: &mut (dyn FnMut(u64) + Send),
    ) -> Result<Option<String>, Error> {
        for path in &self.merge {
            options.merge.push(read_partial(path, "partial")?);
        }
        if let Some(path) = &self.resume {
            options.resume = Some(read_partial(path, "checkpoint")?);
        }
        let mut save = |p: &Partial| match &self.checkpoint {
            Some(path) => serde_json::to_string(p)
                .map_err(|e| e.to_string())
                .and_then(|t| write_atomic(path, t.as_bytes()).map_err(|e| e.to_string())),
            None => Ok(()),
        };
        match crate::calibrate(cal, options, stop, on_draw, &mut save)? {
            CalibrateOutcome::Shard(part) => {
                write_atomic(&self.out, crate::pretty_json(&part)?.as_bytes())?;
                Ok(None)
            }
            CalibrateOutcome::Posterior(post, report) => {
                write_atomic(&self.out, post.to_ron().as_bytes())?;
                Ok(Some(report))
            }
        }
    }
}

/// Read a shard partial or checkpoint (`what`).
fn read_partial(path: &Path, what: &str) -> Result<Partial, Error> {
    let text = read_text(path, MAX_PARTIAL_BYTES).map_err(|e| Error::Usage(e.to_string()))?;
    serde_json::from_str(&text)
        .map_err(|e| Error::Usage(format!("{}: not a calibration {what}: {e}", path.display())))
}

/// The ensemble a command plays: `given`, else the posterior the scenario
/// names, else none; `outputs` (flag and path) may not overwrite it.
pub fn ensemble_for(
    given: Option<&Path>,
    resolved: &Resolved,
    outputs: &[(&str, Option<&Path>)],
) -> Result<Option<PosteriorFile>, Error> {
    let path = given
        .map(Path::to_path_buf)
        .or_else(|| resolved.posterior.clone());
    let read = path
        .iter()
        .map(|p| std::fs::canonicalize(p).unwrap_or(p.clone()));
    guard_outputs(outputs, &read.collect::<Vec<_>>())?;
    let post = crate::posterior_for(given, resolved)?;
    if post.is_some() {
        let charts_or_tables: Vec<_> = outputs
            .iter()
            .filter(|(flag, _)| *flag != "-o")
            .map(|(flag, path)| (*flag, path.is_some()))
            .collect();
        refuse_over_ensemble(&charts_or_tables)?;
    }
    Ok(post)
}

/// Refuse, by name, a flag an ensemble's result cannot honour (charts, a
/// per-run table, a checkpoint, a resume or a shard): `given` pairs each flag
/// with whether it was set. An ensemble's result is a table across draws,
/// written as text or JSON.
pub fn refuse_over_ensemble(given: &[(&str, bool)]) -> Result<(), Error> {
    match given.iter().find(|(_, set)| *set) {
        Some((flag, _)) => Err(Error::Usage(format!(
            "{flag} is not available over a posterior ensemble (its result is a table across \
             draws, written as text or JSON with -o); drop {flag}, or play the scenario \
             without the ensemble"
        ))),
        None => Ok(()),
    }
}

/// The settings of a run or comparison of `resolved` over an ensemble:
/// `runs` per draw (default [`ENSEMBLE_RUNS`]); a target interval is refused.
pub fn ensemble_settings(
    resolved: &Resolved,
    seed: u64,
    runs: Option<u64>,
    target_ci: Option<f64>,
    command: &str,
) -> Result<CompareSettings, Error> {
    if target_ci.is_some() {
        return Err(Error::Usage(
            "--target-ci cannot be combined with an ensemble: give --runs per draw".into(),
        ));
    }
    let plan = RunPlan::new(
        resolved.name(),
        &resolved.build(&[], &[])?.hash,
        seed,
        runs.unwrap_or(ENSEMBLE_RUNS),
    );
    Ok(CompareSettings::new(plan, None, command))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../scenarios")
            .join(name)
    }

    fn baseline() -> Resolved {
        match Resolved::read(&scenario("baseline-2021.ron")) {
            Ok(r) => r,
            Err(e) => panic!("the baseline scenario loads: {e}"),
        }
    }

    #[test]
    fn ensemble_settings_default_the_runs_and_refuse_a_target_interval() {
        let r = baseline();
        let s = ensemble_settings(&r, 3, None, None, "wedge run").map_err(|e| e.to_string());
        let s = s.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (s.plan.seed, s.plan.runs, s.target_ci),
            (3, ENSEMBLE_RUNS, None)
        );
        assert_eq!(s.plan.scenario, r.name());
        let refused = ensemble_settings(&r, 3, Some(10), Some(0.01), "wedge run");
        assert!(matches!(refused, Err(Error::Usage(m)) if m.contains("--target-ci")));
    }

    #[test]
    fn an_output_may_not_overwrite_the_ensemble_played() {
        let r = baseline();
        let post = scenario("baseline-2021.ron");
        let outputs = [("-o", Some(post.as_path()))];
        let refused = ensemble_for(Some(&post), &r, &outputs);
        assert!(matches!(refused, Err(Error::Output(e)) if e.is_usage()));
    }

    #[test]
    fn charts_and_per_run_tables_are_refused_over_an_ensemble_by_name() {
        let r = baseline();
        let post = scenario("calibration/posterior.ron");
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let chart = dir.path().join("chart.svg");
        let outputs = [("-o", None), ("--plot", Some(chart.as_path()))];
        let refused = ensemble_for(Some(&post), &r, &outputs);
        assert!(
            matches!(refused, Err(Error::Usage(m)) if m.starts_with("--plot is not available"))
        );
        let text_only = [("-o", Some(chart.as_path())), ("--plot", None)];
        assert!(matches!(
            ensemble_for(Some(&post), &r, &text_only),
            Ok(Some(_))
        ));
        assert!(refuse_over_ensemble(&[("--shard", false), ("--resume", true)]).is_err());
        assert!(refuse_over_ensemble(&[("--shard", false)]).is_ok());
    }

    #[test]
    fn a_partial_that_is_not_json_is_a_usage_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("part.json");
        std::fs::write(&path, "not json").unwrap_or_else(|e| panic!("{e}"));
        let e = read_partial(&path, "partial").map_err(|e| e.to_string());
        assert!(matches!(e, Err(m) if m.contains("not a calibration partial")));
        let missing = read_partial(&dir.path().join("none.json"), "checkpoint");
        assert!(matches!(missing, Err(Error::Usage(m)) if m.starts_with("cannot read")));
    }
}
