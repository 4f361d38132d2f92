//! `wedge calibrate` and `--ensemble`: files in, library calls, files out.

use std::path::{Path, PathBuf};

use wedge_runner::Model;
use wedge_runner::{
    CalibrationPartial, CalibrationRun, CompareSettings, DrawHits, EventRule, TargetRule,
};
use wedge_scenario::load::Resolved;
use wedge_scenario::priors::{EventSpec, PosteriorDraw, Role, TargetRecord};
use wedge_scenario::{Calibration, PosteriorFile, arms};

use crate::args::BatchArgs;
use crate::failure::Failure;
use crate::output::{guard_outputs, write_atomic};
use crate::present::{interrupt_flag, progress};

/// Flags of `wedge calibrate`.
#[derive(Debug, clap::Args)]
pub struct CalibrateArgs {
    /// Calibration plan (.ron): priors, episodes of the record, seed, draws (e.g. scenarios/calibration.ron).
    pub plan: PathBuf,
    /// Write the posterior ensemble here (.ron).
    #[arg(long, value_name = "FILE.ron")]
    pub out: PathBuf,
    /// Write the calibration report (Markdown) here instead of stdout.
    #[arg(long, value_name = "FILE.md")]
    pub report: Option<PathBuf>,
    /// Draws from the prior [default: the plan's].
    #[arg(long)]
    pub draws: Option<u64>,
    /// Master seed [default: the plan's].
    #[arg(long)]
    pub seed: Option<u64>,
    /// Play only shard K of N of the draws and write its partial result (JSON) to --out; under Slurm, from SLURM_ARRAY_TASK_ID.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// Merge partial results written by --shard (every draw once), then estimate.
    #[arg(long, num_args = 1.., value_name = "PART.json")]
    pub merge: Vec<PathBuf>,
    /// No progress bar.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Identity of a plan: its file, priors and episode scenarios (FNV-1a of their canonical forms).
fn plan_id(cal: &Calibration) -> Result<String, Failure> {
    let mut text = format!("{:?}{:?}", cal.file, cal.priors.entries);
    for r in &cal.scenarios {
        text += &r.build(&[], &[])?.hash;
    }
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    Ok(format!("{hash:016x}"))
}

/// The draws' table: played (whole or one shard) or merged from shards. `None` when a shard was written.
fn table(
    a: &CalibrateArgs,
    cal: &Calibration,
    seed: u64,
    draws: u64,
    play: &dyn Fn(std::ops::Range<u64>) -> Result<Vec<DrawHits>, Failure>,
) -> Result<Option<Vec<DrawHits>>, Failure> {
    let plan = plan_id(cal)?;
    if !a.merge.is_empty() {
        let mut parts = Vec::new();
        for path in &a.merge {
            let text = crate::output::read_input(path, crate::output::MAX_PARTIAL_BYTES)?;
            let part: CalibrationPartial = serde_json::from_str(&text)
                .map_err(|e| usage!("{}: not a calibration partial: {e}", path.display()))?;
            if part.plan != plan || part.seed != seed || part.draws != draws {
                return Err(usage!(
                    "{}: played from another plan, seed or number of draws",
                    path.display()
                ));
            }
            parts.push(part);
        }
        return wedge_runner::merge_calibration(parts)
            .map(Some)
            .map_err(Failure::usage);
    }
    let shard = match &a.shard {
        Some(text) => Some(crate::batch::parse_shard(text)?),
        None => wedge_runner::shard_from_env(|name| std::env::var(name).ok()).map_err(runtime)?,
    };
    let Some((k, n)) = shard else {
        return play(0..draws).map(Some);
    };
    let range = wedge_runner::shard_range(draws, k, n);
    let part = CalibrationPartial {
        format: wedge_runner::CALIBRATION_PARTIAL_FORMAT.into(),
        wedge_version: wedge_runner::VERSION.into(),
        plan,
        seed,
        draws,
        range: [range.start, range.end],
        rows: play(range)?,
    };
    write_atomic(&a.out, crate::output::json(&part)?.as_bytes())?;
    Ok(None)
}

fn runtime(e: impl std::fmt::Display) -> Failure {
    Failure::runtime(e.to_string())
}

/// `wedge calibrate`.
pub fn calibrate(a: &CalibrateArgs) -> Result<(), Failure> {
    let cal = Calibration::read(&a.plan)?;
    let outs = [
        ("--out", Some(a.out.as_path())),
        ("--report", a.report.as_deref()),
    ];
    guard_outputs(&outs, &cal.inputs)?;
    let (seed, draws) = (
        a.seed.unwrap_or(cal.file.seed),
        a.draws.unwrap_or(cal.file.draws),
    );
    let keep = cal.file.keep.min(draws) as usize;
    let ranges = cal.priors.ranges(&cal.scenarios[0])?;
    let paths = cal.priors.paths();
    let rules: Vec<TargetRule> = cal
        .file
        .targets
        .iter()
        .map(|t| TargetRule {
            event: match t.event {
                EventSpec::Split {
                    from_year,
                    to_year,
                    defector,
                } => EventRule::Split {
                    from_year,
                    to_year,
                    defector,
                },
                EventSpec::NoSplit => EventRule::NoSplit,
            },
            replicates: t.replicates,
            fit: t.role == Role::Fit,
        })
        .collect();
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
    let play = |range: std::ops::Range<u64>| {
        let (stop, bar) = (interrupt_flag(), progress(range.end - range.start, a.quiet));
        let mut tick = |d| bar.set_position(d);
        let rows =
            wedge_runner::calibrate_draws(range, seed, &rules, &sample, &build, &stop, &mut tick);
        bar.finish_and_clear();
        rows.map_err(runtime)
    };
    let Some(table) = table(a, &cal, seed, draws, &play)? else {
        return Ok(());
    };
    let est = CalibrationRun::estimate(&table, &rules, keep, seed).map_err(runtime)?;
    let describe = |e: &EventSpec| match e {
        EventSpec::Split {
            from_year,
            to_year,
            defector,
        } => format!(
            "split {from_year}–{to_year}{}",
            defector.map_or(String::new(), |d| format!(", {d:?} breaks away"))
        ),
        EventSpec::NoSplit => "no split within the horizon".into(),
    };
    let episodes: Vec<_> = cal
        .file
        .targets
        .iter()
        .zip(&est.predictive)
        .map(|(t, (prior, post))| wedge_report::EpisodeCheck {
            name: t.name.clone(),
            role: if t.role == Role::Fit {
                "fit"
            } else {
                "held out"
            }
            .into(),
            event: describe(&t.event),
            replicates: t.replicates,
            prior: prior.clone(),
            posterior: post.clone(),
        })
        .collect();
    let marginals: Vec<_> = paths
        .iter()
        .cloned()
        .zip(est.posterior.marginals.iter().cloned())
        .collect();
    let post = PosteriorFile {
        format: wedge_scenario::priors::POSTERIOR_FORMAT.into(),
        name: cal.file.name.clone(),
        wedge_version: wedge_runner::VERSION.into(),
        method: "rejection ABC, hit fractions as likelihoods (uniform error model), systematic resampling".into(),
        seed,
        prior_draws: draws,
        ess: est.posterior.ess,
        priors: cal.priors.entries.clone(),
        targets: cal.file.targets.iter().zip(&episodes).map(|(t, e)| TargetRecord {
            name: t.name.clone(), scenario: t.scenario.clone(), event: t.event.clone(), role: t.role, replicates: t.replicates,
            prior_probability: e.prior.probability, posterior_probability: e.posterior.probability,
        }).collect(),
        paths: paths.clone(),
        draws: est.kept.iter().map(|&i| PosteriorDraw { weight: 1.0 / keep as f64, values: table[i].values.clone() }).collect(),
    };
    write_atomic(&a.out, post.to_ron().as_bytes())?;
    let report = wedge_report::calibration_markdown(&wedge_report::CalibrationReport {
        name: &cal.file.name,
        version: wedge_runner::VERSION,
        seed,
        draws,
        accepted: est.accepted,
        ess: est.posterior.ess,
        kept: keep,
        episodes: &episodes,
        marginals: &marginals,
    });
    crate::output::emit(a.report.as_deref(), &report)
}

/// The ensemble to play: `--ensemble`, else the scenario's named posterior, else none.
pub fn posterior_for(
    flag: Option<&Path>,
    resolved: &Resolved,
) -> Result<Option<PosteriorFile>, Failure> {
    let path = flag
        .map(Path::to_path_buf)
        .or_else(|| resolved.posterior.clone());
    Ok(path.map(|p| PosteriorFile::read(&p)).transpose()?)
}

/// Play the baseline, variant scenarios and lever arms over every draw of `post`.
pub fn over_ensemble(
    post: &PosteriorFile,
    resolved: &Resolved,
    variants: &[PathBuf],
    levers: &[String],
    args: &BatchArgs,
    command: &str,
    compare: bool,
) -> Result<String, Failure> {
    if args.target_ci.is_some() {
        return Err(Failure::usage(
            "--target-ci cannot be combined with an ensemble: give --runs per draw",
        ));
    }
    let variants: Vec<Resolved> = variants
        .iter()
        .map(|p| Resolved::read(p))
        .collect::<Result<_, _>>()?;
    let build = |k: u64| -> Result<Vec<Model>, String> {
        let values = post.draws.get(k as usize).map_or(&[][..], |d| &d.values);
        let r = resolved.with_draw(&post.paths, values);
        let mut models = vec![arms::baseline_arm(&r).map_err(|e| e.to_string())?.model];
        for v in &variants {
            models.push(
                v.with_draw(&post.paths, values)
                    .build(&[], &[])
                    .map_err(|e| e.to_string())?
                    .model,
            );
        }
        for name in levers {
            models.push(arms::lever_arm(&r, name).map_err(|e| e.to_string())?.model);
        }
        Ok(models)
    };
    let first = build(0).map_err(Failure::usage)?;
    let names: Vec<String> = first
        .iter()
        .map(|m| m.spec().name.clone())
        .take(1 + variants.len())
        .chain(levers.iter().map(|l| format!("+{l}")))
        .collect();
    let base = resolved.build(&[], &[])?;
    let settings = CompareSettings {
        scenario: resolved.name().to_string(),
        scenario_hash: base.hash,
        seed: args.seed(),
        runs: args.runs.unwrap_or(500),
        target_ci: None,
        command: command.to_string(),
    };
    let (stop, bar) = (
        interrupt_flag(),
        progress(post.draws.len() as u64, args.quiet),
    );
    let mut tick = |d| bar.set_position(d);
    let (w, fmt) = (post.weights(), args.format);
    let out = if compare {
        let r = wedge_runner::compare_ensemble(&names, &w, &settings, &build, &stop, &mut tick)
            .map_err(runtime)?;
        crate::present::render(
            fmt,
            &r,
            |r| wedge_report::comparison_text(r, "arm"),
            |r| wedge_report::comparison_csv(r, "arm"),
        )
    } else {
        let r = wedge_runner::run_over_ensemble(&w, &settings, &build, &stop, &mut tick)
            .map_err(runtime)?;
        crate::present::render(fmt, &r, wedge_report::run_text, wedge_report::run_csv)
    };
    bar.finish_and_clear();
    out
}
