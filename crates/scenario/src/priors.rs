//! Priors, calibration plans and posterior ensembles: the RON files behind
//! `wedge calibrate` and `--ensemble`.
//!
//! - A **priors file** declares a distribution for field paths of a scenario
//!   (any path `wedge show --paths` lists: coefficients, rationalities,
//!   objective weights), each with the source that bounds it. It may `extend`
//!   another priors file; an entry for the same path replaces the base's.
//! - A **calibration file** names a priors file, the episodes of the record
//!   (a scenario and the event it must reproduce, fitted or held out), the
//!   seed and the number of draws.
//! - A **posterior file** is what `wedge calibrate` writes: the paths, the
//!   weighted draws, the targets, the seed and the wedge version.
//!
//! Every file is checked against the scenarios it is used with; errors point
//! at the file, line and column of the offending entry.

use std::path::{Path, PathBuf};

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use wedge_core::{Distribution, Partner};

use crate::diagnostics::{ScenarioError, ScenarioErrors, invalid_at};
use crate::load::Resolved;
pub use crate::schema::{PriorSpec, PriorsFile};

/// Longest `extend` chain of priors files.
const MAX_PRIOR_DEPTH: usize = 16;

/// Priors read along their `extend` chain and merged.
#[derive(Debug, Clone)]
pub struct Priors {
    /// Name (of the file read).
    pub name: String,
    /// The merged priors, base order first.
    pub entries: Vec<PriorSpec>,
    /// Each entry's file and text, for errors: (shown path, text).
    origin: Vec<Origin>,
    /// Every file of the `extend` chain, canonicalised (so outputs never overwrite them).
    pub files: Vec<PathBuf>,
}

/// The event an episode of the record must reproduce.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum EventSpec {
    /// The partnership splits between two calendar years (inclusive), optionally with a given defector.
    Split {
        /// Earliest calendar year.
        from_year: f64,
        /// Latest calendar year.
        to_year: f64,
        /// The partner that must break away, if the record says.
        #[serde(default)]
        defector: Option<Partner>,
    },
    /// The partnership survives the whole horizon.
    NoSplit,
    /// A base rate of a reference class: the share of replicates that split
    /// within `years` of the start is compared with `share` (Gaussian, with
    /// the record's `sd` and a stated `discrepancy` SD).
    BaseRate {
        /// Years from the start.
        years: f64,
        /// Observed share of the reference class that ended within `years`.
        share: f64,
        /// Standard deviation of the observed share.
        sd: f64,
        /// Standard deviation of the model discrepancy.
        discrepancy: f64,
    },
    /// A rate ratio: the split hazard in the year from either partner's first
    /// leadership change against every other year, compared on the log scale
    /// with `ratio` and its 95% interval, plus a `discrepancy` SD on the log scale.
    LeaderChangeRatio {
        /// Observed rate ratio.
        ratio: f64,
        /// Lower end of its 95% interval.
        low: f64,
        /// Upper end of its 95% interval.
        high: f64,
        /// Standard deviation of the model discrepancy, on the log scale.
        discrepancy: f64,
    },
    /// A tracked quantity's ratio between two calendar years (its value at the
    /// end of the turn ending `to_year` over its value at the end of the turn
    /// ending `from_year`), averaged on the log scale over the replicates and
    /// compared with the record's `ratio`: Gaussian on the log scale, with the
    /// record's `sd` and a stated `discrepancy` SD. `series` is any tracked
    /// quantity (`wedge run` lists them: `russia_trade_with_china`, …).
    TrackedRatio {
        /// The tracked quantity.
        series: String,
        /// The earlier calendar year.
        from_year: f64,
        /// The later calendar year.
        to_year: f64,
        /// Observed ratio (later ÷ earlier).
        ratio: f64,
        /// Standard deviation of the observed ratio, on the log scale.
        sd: f64,
        /// Standard deviation of the model discrepancy, on the log scale.
        discrepancy: f64,
    },
}

/// Whether an episode is fitted or held out for an out-of-sample check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// Its hit fraction weighs the draws.
    Fit,
    /// Only checked in the posterior predictive, never used for weights.
    HeldOut,
}

/// One episode of the record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetSpec {
    /// Name in reports.
    pub name: String,
    /// Scenario that sets the episode's initial state, relative to the calibration file.
    pub scenario: String,
    /// The event of the record.
    pub event: EventSpec,
    /// Fitted or held out.
    pub role: Role,
    /// Replicates per draw.
    pub replicates: u64,
    /// Where the record comes from.
    pub source: String,
}

/// A calibration plan as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalibrationFile {
    /// Name in reports.
    pub name: String,
    /// Priors file, relative to this file.
    pub priors: String,
    /// Master seed: draws and replicates are functions of it.
    pub seed: u64,
    /// Draws from the prior.
    pub draws: u64,
    /// Draws kept in the posterior file (resampled by weight).
    pub keep: u64,
    /// Share of the prior draws (weighted by the fitted events' hit fractions)
    /// that the Epanechnikov kernel on the fitted rates and ratios keeps before
    /// the regression adjustment, in (0, 1].
    #[serde(default = "default_accept")]
    pub accept: f64,
    /// The episodes.
    pub targets: Vec<TargetSpec>,
}

fn default_accept() -> f64 {
    0.5
}

/// A calibration plan read, with its priors and its episodes' scenarios.
#[derive(Debug, Clone)]
pub struct Calibration {
    /// The plan.
    pub file: CalibrationFile,
    /// The priors it names.
    pub priors: Priors,
    /// Each target's resolved scenario, in target order.
    pub scenarios: Vec<Resolved>,
    /// Every file read (plan, priors chain, scenarios), canonicalised.
    pub inputs: Vec<PathBuf>,
}

/// One draw of a posterior ensemble.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PosteriorDraw {
    /// Weight (the draws' weights sum to 1).
    pub weight: f64,
    /// One value per path of [`PosteriorFile::paths`].
    pub values: Vec<f64>,
}

/// A target as recorded in a posterior.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetRecord {
    /// Name.
    pub name: String,
    /// Scenario, as the calibration file named it.
    pub scenario: String,
    /// The event.
    pub event: EventSpec,
    /// Fitted or held out.
    pub role: Role,
    /// Replicates per draw.
    pub replicates: u64,
    /// Prior predictive probability of the event (draws equally weighted).
    pub prior_probability: f64,
    /// Posterior predictive probability of the event.
    pub posterior_probability: f64,
}

/// Format tag of posterior files.
pub const POSTERIOR_FORMAT: &str = "wedge-posterior-1";

/// A posterior ensemble: what `wedge calibrate` writes and `--ensemble` reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PosteriorFile {
    /// [`POSTERIOR_FORMAT`].
    pub format: String,
    /// The calibration's name.
    pub name: String,
    /// wedge version that wrote it.
    pub wedge_version: String,
    /// The estimator.
    pub method: String,
    /// Master seed of the calibration.
    pub seed: u64,
    /// Draws from the prior.
    pub prior_draws: u64,
    /// Effective sample size of the weighted draws before resampling.
    pub ess: f64,
    /// The priors, as used.
    pub priors: Vec<PriorSpec>,
    /// The episodes of the record.
    pub targets: Vec<TargetRecord>,
    /// The field paths each draw sets.
    pub paths: Vec<String>,
    /// The draws.
    pub draws: Vec<PosteriorDraw>,
}

fn errors(file: &str, errors: Vec<ScenarioError>) -> ScenarioErrors {
    ScenarioErrors {
        file: file.to_string(),
        errors,
    }
}

fn read(path: &Path) -> Result<(String, String), ScenarioErrors> {
    let shown = path.display().to_string();
    let text = wedge_io::read_input_text(path, crate::load::MAX_FILE_BYTES).map_err(|e| {
        errors(
            &shown,
            vec![ScenarioError::Unreadable {
                path: shown.clone(),
                reason: e.to_string(),
                help: Some("check the path; relative paths resolve from the naming file".into()),
            }],
        )
    })?;
    Ok((shown, text))
}

fn parse<T: serde::de::DeserializeOwned>(shown: &str, text: &str) -> Result<T, ScenarioErrors> {
    crate::load::parse_ron(text, shown).map_err(|e| errors(shown, vec![e]))
}

/// Where a quoted string sits in a text (the start of the text when absent).
fn offset_of_quoted(text: &str, value: &str) -> usize {
    text.find(&format!("\"{value}\"")).unwrap_or(0)
}

/// Where a prior was declared: the file as shown, its text, and where in the
/// text its entries start (a scenario's `priors` block), for errors.
#[derive(Debug, Clone)]
struct Origin {
    shown: String,
    text: String,
    from: usize,
}

impl Origin {
    /// Where an entry for `path` sits in the text.
    fn offset(&self, path: &str) -> usize {
        let rest = self.text.get(self.from..).unwrap_or("");
        rest.find(&format!("\"{path}\""))
            .map_or(self.from, |i| self.from + i)
    }
}

impl Priors {
    fn empty(name: String) -> Priors {
        Priors {
            name,
            entries: Vec::new(),
            origin: Vec::new(),
            files: Vec::new(),
        }
    }

    /// Replace the entry for `entry`'s path, or add it at the end, with where it came from.
    fn put(&mut self, entry: &PriorSpec, origin: &Origin) {
        match self.entries.iter().position(|e| e.path == entry.path) {
            Some(i) => {
                self.entries[i] = entry.clone();
                self.origin[i] = origin.clone();
            }
            None => {
                self.entries.push(entry.clone());
                self.origin.push(origin.clone());
            }
        }
    }

    /// Add one file's (or block's) entries: an entry for a declared path replaces it.
    fn layer(&mut self, origin: &Origin, entries: &[PriorSpec]) -> Result<(), ScenarioErrors> {
        let mut seen = std::collections::HashSet::new();
        for p in entries {
            if !seen.insert(p.path.clone()) {
                let rest = origin.text.get(origin.from..).unwrap_or("");
                let at = origin.from + rest.rfind(&format!("\"{}\"", p.path)).unwrap_or(0);
                return Err(errors(
                    &origin.shown,
                    vec![invalid_at(
                        &origin.shown,
                        &origin.text,
                        at,
                        &p.path,
                        "declared twice in one file".into(),
                        Some("keep one entry per path".into()),
                    )],
                ));
            }
            self.put(p, origin);
        }
        Ok(())
    }

    /// Read a priors file and every file it extends.
    pub fn read(path: &Path) -> Result<Priors, ScenarioErrors> {
        let mut chain = Vec::new();
        let mut files = Vec::new();
        let mut next = Some(path.to_path_buf());
        while let Some(current) = next.take() {
            let (shown, text) = read(&current)?;
            files.push(std::fs::canonicalize(&current).unwrap_or(current.clone()));
            if chain.len() >= MAX_PRIOR_DEPTH {
                return Err(errors(
                    &shown,
                    vec![ScenarioError::ExtendTooDeep {
                        path: shown.clone(),
                        limit: MAX_PRIOR_DEPTH,
                    }],
                ));
            }
            let file: PriorsFile = parse(&shown, &text)?;
            next = file
                .extend
                .as_deref()
                .map(|t| current.parent().unwrap_or(Path::new(".")).join(t));
            chain.push((shown, text, file));
        }
        let name = chain
            .first()
            .and_then(|(_, _, f)| f.name.clone())
            .unwrap_or_else(|| "priors".into());
        let mut out = Priors::empty(name);
        out.files = files;
        for (shown, text, file) in chain.into_iter().rev() {
            let origin = Origin {
                shown,
                text,
                from: 0,
            };
            out.layer(&origin, &file.priors)?;
        }
        Ok(out)
    }

    /// The priors a scenario declares: the `priors` blocks of its `extend`
    /// chain, deepest base first, each on top of the priors file it names
    /// (if any). `None` when the scenario declares none.
    pub fn of_scenario(scenario: &Resolved) -> Result<Option<Priors>, ScenarioErrors> {
        if scenario.priors.is_empty() {
            return Ok(None);
        }
        let mut out = Priors::empty(format!("priors of {}", scenario.name()));
        for b in &scenario.priors {
            if let Some(base) = &b.block.extend {
                let dir = b.file.parent().unwrap_or(Path::new("."));
                out.overlay(&Priors::read(&dir.join(base))?);
            }
            let text = &b.source.text;
            let origin = Origin {
                shown: b.source.path.clone(),
                text: text.clone(),
                from: text.find("priors:").unwrap_or(0),
            };
            out.layer(&origin, &b.block.priors)?;
        }
        Ok(Some(out))
    }

    /// The priors a scenario declares ([`Priors::of_scenario`]), each checked
    /// against it ([`Priors::check`]): what `run`, `compare`, `validate` and the
    /// ensemble read. `None` when it declares none.
    pub fn of_scenario_checked(scenario: &Resolved) -> Result<Option<Priors>, ScenarioErrors> {
        let declared = Priors::of_scenario(scenario)?;
        if let Some(own) = &declared {
            own.check(scenario)?;
        }
        Ok(declared)
    }

    /// Replace or add `other`'s entries by path (and take its files as inputs).
    pub fn overlay(&mut self, other: &Priors) {
        for (entry, origin) in other.entries.iter().zip(&other.origin) {
            self.put(entry, origin);
        }
        for f in &other.files {
            if !self.files.contains(f) {
                self.files.push(f.clone());
            }
        }
    }

    /// The entry for `path`, if declared.
    pub fn get(&self, path: &str) -> Option<&PriorSpec> {
        self.entries.iter().find(|e| e.path == path)
    }

    /// The declared paths, in order.
    pub fn paths(&self) -> Vec<String> {
        self.entries.iter().map(|e| e.path.clone()).collect()
    }

    /// Check every prior against a scenario: its path must be settable there,
    /// its distribution well-formed and inside the path's range.
    pub fn check(&self, scenario: &Resolved) -> Result<(), ScenarioErrors> {
        let built = scenario.build(&[], &[])?;
        let settable = crate::paths::settable_paths(&built.resolved);
        let mut errs = Vec::new();
        for (entry, origin) in self.entries.iter().zip(&self.origin) {
            let (shown, text) = (&origin.shown, &origin.text);
            let at = origin.offset(&entry.path);
            let fail = |message: String, help: Option<String>| {
                invalid_at(shown, text, at, &entry.path, message, help)
            };
            let Some(range) = settable.iter().find(|s| s.path == entry.path) else {
                errs.push(fail(
                    format!("not a settable path of {}", scenario.name()),
                    Some(crate::suggest::help_for(
                        &entry.path,
                        settable.iter().map(|s| s.path.as_str()),
                    )),
                ));
                continue;
            };
            if let Err(message) = check_distribution(&entry.distribution, range.min, range.max) {
                errs.push(fail(
                    message,
                    Some(format!(
                        "`{}` takes values in [{}, {}]",
                        entry.path, range.min, range.max
                    )),
                ));
            }
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errors(
                self.origin.first().map_or("priors", |o| o.shown.as_str()),
                errs,
            ))
        }
    }

    /// Draw `index` of the prior under `seed`: one value per entry, from its own
    /// stream, clamped into `ranges` (one `(min, max)` per entry).
    pub fn sample(&self, seed: u64, index: u64, ranges: &[(f64, f64)]) -> Vec<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(index);
        self.entries
            .iter()
            .zip(ranges)
            .map(|(e, &(lo, hi))| e.distribution.sample(&mut rng).clamp(lo, hi))
            .collect()
    }

    /// Each entry's settable range on a scenario (checked by [`Priors::check`] first).
    pub fn ranges(&self, scenario: &Resolved) -> Result<Vec<(f64, f64)>, ScenarioErrors> {
        let built = scenario.build(&[], &[])?;
        let settable = crate::paths::settable_paths(&built.resolved);
        Ok(self
            .entries
            .iter()
            .map(|e| {
                settable
                    .iter()
                    .find(|s| s.path == e.path)
                    .map_or((f64::NEG_INFINITY, f64::INFINITY), |s| (s.min, s.max))
            })
            .collect())
    }
}

fn check_distribution(d: &Distribution, min: f64, max: f64) -> Result<(), String> {
    let inside = |v: f64| v.is_finite() && v >= min && v <= max;
    match *d {
        Distribution::Uniform { low, high } if !(inside(low) && inside(high) && low <= high) => {
            Err(format!(
                "Uniform(low: {low}, high: {high}) must have low ≤ high inside the path's range"
            ))
        }
        Distribution::Triangular { low, mode, high }
            if !(inside(low) && inside(high) && low <= mode && mode <= high) =>
        {
            Err(format!(
                "Triangular(low: {low}, mode: {mode}, high: {high}) must have low ≤ mode ≤ high inside the path's range"
            ))
        }
        Distribution::Normal { mean, sd } if !(inside(mean) && sd.is_finite() && sd > 0.0) => {
            Err(format!(
                "Normal(mean: {mean}, sd: {sd}) needs a mean inside the path's range and sd > 0"
            ))
        }
        Distribution::Choice(_) => {
            Err("a prior is Uniform, Triangular or Normal, not Choice".into())
        }
        _ => Ok(()),
    }
}

impl Calibration {
    /// Read a calibration plan, its priors and its episodes' scenarios, and check the priors against each.
    pub fn read(path: &Path) -> Result<Calibration, ScenarioErrors> {
        let (shown, text) = read(path)?;
        let file: CalibrationFile = parse(&shown, &text)?;
        let dir = path.parent().unwrap_or(Path::new("."));
        let mut problems = Vec::new();
        let mut at = |field: &str, needle: &str, message: String| {
            problems.push(invalid_at(
                &shown,
                &text,
                offset_of_quoted(&text, needle).max(text.find(field).unwrap_or(0)),
                field,
                message,
                None,
            ));
        };
        if file.draws == 0 || file.keep == 0 || file.keep > file.draws {
            at("keep", "", "need 0 < keep ≤ draws".into());
        }
        if !(file.accept > 0.0 && file.accept <= 1.0) {
            at("accept", "", "need 0 < accept ≤ 1".into());
        }
        if !file.targets.iter().any(|t| t.role == Role::Fit) {
            at(
                "targets",
                "",
                "at least one target must have role Fit".into(),
            );
        }
        for t in &file.targets {
            if t.replicates == 0 {
                at(
                    "replicates",
                    &t.name,
                    format!("target `{}`: replicates must be at least 1", t.name),
                );
            }
            if let EventSpec::Split {
                from_year, to_year, ..
            } = t.event
                && !(from_year.is_finite() && to_year.is_finite() && from_year <= to_year)
            {
                at(
                    "event",
                    &t.name,
                    format!("target `{}`: need from_year ≤ to_year", t.name),
                );
            }
            let bad = match t.event {
                EventSpec::BaseRate {
                    years,
                    share,
                    sd,
                    discrepancy,
                } => {
                    !(years > 0.0
                        && (0.0..=1.0).contains(&share)
                        && sd >= 0.0
                        && discrepancy >= 0.0
                        && sd + discrepancy > 0.0)
                }
                EventSpec::LeaderChangeRatio {
                    ratio,
                    low,
                    high,
                    discrepancy,
                } => {
                    !(low > 0.0
                        && low <= ratio
                        && ratio <= high
                        && high.is_finite()
                        && discrepancy >= 0.0)
                }
                EventSpec::TrackedRatio {
                    from_year,
                    to_year,
                    ratio,
                    sd,
                    discrepancy,
                    ..
                } => {
                    !(from_year.is_finite()
                        && to_year.is_finite()
                        && from_year < to_year
                        && ratio > 0.0
                        && ratio.is_finite()
                        && sd >= 0.0
                        && discrepancy >= 0.0
                        && sd + discrepancy > 0.0)
                }
                _ => false,
            };
            if bad {
                at(
                    "event",
                    &t.name,
                    format!(
                        "target `{}`: need years > 0, a share in [0, 1], 0 < low ≤ ratio ≤ high, from_year < to_year, a positive ratio and non-negative SDs, not both zero",
                        t.name
                    ),
                );
            }
        }
        if !problems.is_empty() {
            return Err(errors(&shown, problems));
        }
        let mut priors = Priors::read(&dir.join(&file.priors))?;
        let mut scenarios = Vec::new();
        // Priors the episodes' scenarios declare replace the plan's by path; the
        // episodes share one draw, so two may not declare one path differently.
        let mut declared: Vec<(PriorSpec, String)> = Vec::new();
        for t in &file.targets {
            let resolved = Resolved::read(&dir.join(&t.scenario))?;
            if let Some(own) = Priors::of_scenario(&resolved)? {
                for (entry, origin) in own.entries.iter().zip(&own.origin) {
                    if let Some((other, by)) = declared.iter().find(|(d, _)| d.path == entry.path)
                        && other.distribution != entry.distribution
                    {
                        return Err(errors(
                            &origin.shown,
                            vec![invalid_at(
                                &origin.shown,
                                &origin.text,
                                origin.offset(&entry.path),
                                &entry.path,
                                format!("declared differently by the episode scenario {by}"),
                                Some("the episodes of a calibration share one draw: declare a path's prior once, or alike".into()),
                            )],
                        ));
                    }
                    declared.push((entry.clone(), origin.shown.clone()));
                }
                priors.overlay(&own);
            }
            scenarios.push(resolved);
        }
        let mut inputs = vec![std::fs::canonicalize(path).unwrap_or(path.to_path_buf())];
        inputs.extend(priors.files.iter().cloned());
        for resolved in &scenarios {
            priors.check(resolved)?;
            inputs.extend(resolved.inputs.iter().cloned());
        }
        Ok(Calibration {
            file,
            priors,
            scenarios,
            inputs,
        })
    }
}

impl PosteriorFile {
    /// Read a posterior file and check its shape.
    pub fn read(path: &Path) -> Result<PosteriorFile, ScenarioErrors> {
        let (shown, text) = read(path)?;
        let file: PosteriorFile = parse(&shown, &text)?;
        let fail = |needle: &str, message: String| {
            errors(
                &shown,
                vec![invalid_at(
                    &shown,
                    &text,
                    text.find(needle).unwrap_or(0),
                    needle,
                    message,
                    Some("posterior files are written by `wedge calibrate`".into()),
                )],
            )
        };
        if file.format != POSTERIOR_FORMAT {
            return Err(fail(
                "format",
                format!("format `{}`, expected `{POSTERIOR_FORMAT}`", file.format),
            ));
        }
        if file.draws.is_empty() {
            return Err(fail("draws", "no draws".into()));
        }
        if let Some(i) = file.draws.iter().position(|d| {
            d.values.len() != file.paths.len()
                || d.weight.is_nan()
                || d.weight < 0.0
                || d.values.iter().any(|v| !v.is_finite())
        }) {
            return Err(fail(
                "draws",
                format!(
                    "draw {i} needs a weight ≥ 0 and {} finite values, one per path",
                    file.paths.len()
                ),
            ));
        }
        if file.draws.iter().map(|d| d.weight).sum::<f64>() <= 0.0 {
            return Err(fail("draws", "the weights sum to zero".into()));
        }
        Ok(file)
    }

    /// The file as RON text.
    pub fn to_ron(&self) -> String {
        let config = ron::ser::PrettyConfig::new()
            .struct_names(false)
            .depth_limit(3)
            .separate_tuple_members(false);
        ron::ser::to_string_pretty(self, config).unwrap_or_default()
    }

    /// Each draw's weight.
    pub fn weights(&self) -> Vec<f64> {
        self.draws.iter().map(|d| d.weight).collect()
    }
}
