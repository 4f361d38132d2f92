//! Reading scenario files: the `extend` chain, lever expansion, overrides,
//! pins, and conversion to a validated [`Model`].

use std::path::{Path, PathBuf};

use miette::NamedSource;
use sha2::{Digest, Sha256};
use wedge_core::{
    Agent, Condition, Decision, DecisionMode, Lever, MAX_HORIZON_TURNS, Model, ModelError,
    ModelSpec, ParamId, Policy, Uncertainty,
};

use crate::diagnostics::{ScenarioError, ScenarioErrors, invalid_at, offset_of};
use crate::locate::locate;
use crate::overrides::{self, Override};
use crate::schema::{ConditionSpec, LeverLibrary, LeverUse, ModeSpec, ScenarioFile};
use crate::suggest::help_for;

/// Largest scenario file accepted, in bytes.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Longest `extend` chain accepted.
pub const MAX_EXTEND_DEPTH: usize = 32;

/// A file's name as shown in errors, and its text.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path as given (or as resolved from the including file).
    pub path: String,
    /// Text.
    pub text: String,
}

/// A scenario file's `priors` block, with where it was written.
#[derive(Debug, Clone)]
pub struct PriorsBlock {
    /// The scenario file that holds the block (its `extend` resolves from here).
    pub file: PathBuf,
    /// The file's path as shown and its text.
    pub source: Source,
    /// The block.
    pub block: crate::schema::PriorsFile,
}

/// A scenario read along its `extend` chain and merged, not yet built.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The merged file (levers as written, `set` and `pin` not yet applied).
    pub file: ScenarioFile,
    /// The files of the chain, the loaded one first.
    pub sources: Vec<Source>,
    /// The lever library, with its source.
    pub library: Option<(Source, LeverLibrary)>,
    /// Every file read to resolve the scenario (the `extend` chain, then the
    /// lever library), canonicalised; a scenario given as text is listed by
    /// the path that names it. Commands refuse to write over any of them.
    pub inputs: Vec<PathBuf>,
    /// The posterior ensemble the scenario names (`posterior`), resolved from the naming file.
    pub posterior: Option<PathBuf>,
    /// The `priors` blocks of the chain, deepest base first, each with the
    /// file that holds it and its text (for errors); resolved by
    /// [`crate::priors::Priors::of_scenario`].
    pub priors: Vec<PriorsBlock>,
    /// One draw of an ensemble or a prior: values by field path, applied
    /// before the scenario's own `set` (so a scenario's inputs win over the
    /// draw) and before command-line overrides. Empty for the scenario as written.
    pub draw: Vec<Override>,
}

/// A scenario ready to run.
#[derive(Debug, Clone)]
pub struct LoadedScenario {
    /// The validated model.
    pub model: Model,
    /// The fully resolved scenario (no `extend`, levers inline, overrides applied): what `wedge show` prints.
    pub resolved: ScenarioFile,
    /// SHA-256 of the resolved scenario's canonical RON, hex.
    pub hash: String,
    /// Every file the scenario was read from (see [`Resolved::inputs`]).
    pub inputs: Vec<PathBuf>,
}

/// Read, resolve and validate a scenario file.
pub fn load(path: &Path) -> Result<LoadedScenario, ScenarioErrors> {
    load_with_overrides(path, &[])
}

/// Read, resolve, override and validate a scenario file.
pub fn load_with_overrides(
    path: &Path,
    overrides: &[Override],
) -> Result<LoadedScenario, ScenarioErrors> {
    Resolved::read(path)?.build(&[], overrides)
}

fn read_text(path: &Path, shown: &str) -> Result<String, ScenarioError> {
    use wedge_io::InputError;
    let unreadable = |reason: String, help: Option<&str>| ScenarioError::Unreadable {
        path: shown.to_string(),
        reason,
        help: help.map(str::to_string),
    };
    let text = wedge_io::read_input_text(path, MAX_FILE_BYTES).map_err(|e| {
        let help = match &e {
            InputError::Io(_) => Some(
                "check the path; relative paths in `extend` and `lever_library` resolve from the including file",
            ),
            InputError::Directory | InputError::NotRegular => {
                Some("give the path of a .ron scenario file")
            }
            InputError::TooLarge { .. } => None,
            InputError::ByteOrderMark | InputError::NotUtf8 { .. } => {
                Some("scenario files are RON text in UTF-8")
            }
        };
        unreadable(e.to_string(), help)
    })?;
    if text.trim().is_empty() {
        return Err(unreadable(
            "the file is empty".into(),
            Some("a scenario is a RON struct: `(name: \"...\", ...)`; see docs/SCENARIOS.md"),
        ));
    }
    if text.contains('\0') {
        return Err(unreadable(
            "it contains NUL bytes: is it a binary file?".into(),
            Some("scenario files are RON text"),
        ));
    }
    Ok(text)
}

/// Parse RON text into `T`, with errors located at the file, line and column.
pub fn parse_ron<T: serde::de::DeserializeOwned>(
    text: &str,
    shown: &str,
) -> Result<T, ScenarioError> {
    parse(text, shown)
}

fn parse<T: serde::de::DeserializeOwned>(text: &str, shown: &str) -> Result<T, ScenarioError> {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str::<T>(text)
        .map_err(|e| {
            let line = e.span.start.line.max(1);
            let column = e.span.start.col.max(1);
            let offset = offset_of(text, line, column);
            let help = match &e.code {
                ron::Error::NoSuchStructField {
                    expected, found, ..
                } => Some(help_for(found, expected.iter().copied())),
                ron::Error::NoSuchEnumVariant {
                    expected, found, ..
                } => Some(help_for(found, expected.iter().copied())),
                ron::Error::MissingStructField { field, .. } => Some(format!(
                    "add `{field}: ...`; see docs/SCENARIOS.md for its meaning and range"
                )),
                _ => None,
            };
            let (snippet, at) = crate::diagnostics::excerpt(text, offset);
            ScenarioError::Syntax {
                path: shown.to_string(),
                line,
                column,
                message: crate::diagnostics::capped(&e.code.to_string()),
                span: crate::diagnostics::span_at(&snippet, at),
                src: NamedSource::new(shown, snippet),
                help: help.map(|h| crate::diagnostics::capped(&h)),
            }
        })
}

fn relative(base: &Path, target: &str) -> PathBuf {
    base.parent().unwrap_or(Path::new(".")).join(target)
}

fn errors(file: &str, errors: Vec<ScenarioError>) -> ScenarioErrors {
    ScenarioErrors {
        file: file.to_string(),
        errors,
    }
}

impl Resolved {
    /// Read a scenario and every file it extends, merging them.
    pub fn read(path: &Path) -> Result<Resolved, ScenarioErrors> {
        Resolved::resolve(path, None)
    }

    /// Resolve a scenario whose text is given (not read from `path`); `path`
    /// names it in errors and anchors its relative `extend` and `lever_library`.
    pub fn from_text(path: &Path, text: &str) -> Result<Resolved, ScenarioErrors> {
        Resolved::resolve(path, Some(text.to_string()))
    }

    fn resolve(path: &Path, mut preloaded: Option<String>) -> Result<Resolved, ScenarioErrors> {
        let root_shown = path.display().to_string();
        let mut chain: Vec<(PathBuf, Source, ScenarioFile)> = Vec::new();
        let mut seen: Vec<PathBuf> = Vec::new();
        let mut next = Some(path.to_path_buf());
        while let Some(current) = next.take() {
            let shown = current.display().to_string();
            let given = preloaded.take();
            let canonical = if given.is_some() {
                current.clone()
            } else {
                std::fs::canonicalize(&current).map_err(|e| {
                errors(&root_shown, vec![ScenarioError::Unreadable {
                    path: shown.clone(),
                    reason: e.to_string(),
                    help: Some("check the path; relative paths in `extend` resolve from the including file".into()),
                }])
                })?
            };
            if seen.contains(&canonical) {
                let mut names: Vec<String> = chain.iter().map(|(_, s, _)| s.path.clone()).collect();
                names.push(shown.clone());
                return Err(errors(
                    &root_shown,
                    vec![ScenarioError::ExtendCycle {
                        path: shown,
                        chain: names.join(" → "),
                    }],
                ));
            }
            if seen.len() >= MAX_EXTEND_DEPTH {
                return Err(errors(
                    &root_shown,
                    vec![ScenarioError::ExtendTooDeep {
                        path: shown,
                        limit: MAX_EXTEND_DEPTH,
                    }],
                ));
            }
            seen.push(canonical);
            let text = match given {
                Some(text) if text.trim().is_empty() => {
                    return Err(errors(
                        &root_shown,
                        vec![ScenarioError::Unreadable {
                            path: shown,
                            reason: "the scenario is empty".into(),
                            help: None,
                        }],
                    ));
                }
                Some(text) => text,
                None => read_text(&current, &shown).map_err(|e| errors(&root_shown, vec![e]))?,
            };
            let file: ScenarioFile =
                parse(&text, &shown).map_err(|e| errors(&root_shown, vec![e]))?;
            next = file
                .extend
                .as_deref()
                .map(|target| relative(&current, target));
            chain.push((current, Source { path: shown, text }, file));
        }

        // Merge from the deepest base up, so that each child overrides its parent.
        let mut merged = ScenarioFile::default();
        let mut library_path: Option<PathBuf> = None;
        let mut posterior: Option<PathBuf> = None;
        let mut priors = Vec::new();
        for (path, source, file) in chain.iter().rev() {
            if let Some(block) = &file.priors {
                priors.push(PriorsBlock {
                    file: path.clone(),
                    source: source.clone(),
                    block: block.clone(),
                });
            }
            if let Some(lib) = &file.lever_library {
                library_path = Some(relative(path, lib));
            }
            if let Some(post) = &file.posterior {
                posterior = Some(relative(path, post));
            }
            merge(&mut merged, file.clone());
        }
        merged.extend = None;
        merged.lever_library = None;
        merged.posterior = None;
        merged.priors = None;
        let mut inputs = seen;
        let library = match library_path {
            Some(lib) => {
                let shown = lib.display().to_string();
                let text = read_text(&lib, &shown).map_err(|e| errors(&root_shown, vec![e]))?;
                inputs.push(std::fs::canonicalize(&lib).unwrap_or(lib));
                let parsed: LeverLibrary =
                    parse(&text, &shown).map_err(|e| errors(&root_shown, vec![e]))?;
                Some((Source { path: shown, text }, parsed))
            }
            None => None,
        };
        let sources = chain.into_iter().map(|(_, source, _)| source).collect();
        Ok(Resolved {
            file: merged,
            sources,
            library,
            inputs,
            posterior,
            priors,
            draw: Vec::new(),
        })
    }

    /// The same scenario with one draw of an ensemble or prior applied on every build.
    pub fn with_draw(&self, paths: &[String], values: &[f64]) -> Resolved {
        let mut out = self.clone();
        out.draw = paths
            .iter()
            .zip(values)
            .map(|(path, &value)| Override {
                path: path.clone(),
                value,
            })
            .collect();
        out
    }

    /// The lever library, if the scenario names one.
    pub fn library(&self) -> Option<&LeverLibrary> {
        self.library.as_ref().map(|(_, lib)| lib)
    }

    /// The scenario's name.
    pub fn name(&self) -> &str {
        self.file.name.as_deref().unwrap_or("unnamed")
    }

    /// Build a validated scenario, adding `extra_levers` and applying `overrides` after the file's own `set`.
    pub fn build(
        &self,
        extra_levers: &[LeverUse],
        overrides: &[Override],
    ) -> Result<LoadedScenario, ScenarioErrors> {
        let root = self
            .sources
            .first()
            .map_or("scenario", |s| s.path.as_str())
            .to_string();
        let mut errs = Vec::new();
        let mut file = self.file.clone();
        file.levers.extend(extra_levers.iter().cloned());

        // Levers from the library, inline.
        let mut expanded = Vec::new();
        for lever in &file.levers {
            let result = match self.library() {
                Some(lib) => lib.expand(lever),
                None if lever.effects.is_some() => Ok(lever.clone()),
                None => Err(format!(
                    "lever `{}` needs a `lever_library` (or inline `effects`)",
                    lever.name
                )),
            };
            match result {
                Ok(l) => expanded.push(l),
                Err(message) => {
                    errs.push(self.invalid(&format!("levers.{}", lever.name), message, None))
                }
            }
        }
        file.levers = expanded;

        // The draw, then `set`, then command-line overrides.
        for o in &self.draw {
            if let Err(message) = overrides::apply(&mut file, &o.path, o.value) {
                errs.push(ScenarioError::Unreadable {
                    path: format!("ensemble draw {}={}", o.path, o.value),
                    reason: message,
                    help: Some("the ensemble's paths must be settable on this scenario: see `wedge show --paths`".into()),
                });
            }
        }
        let set: Vec<(String, f64)> = std::mem::take(&mut file.set).into_iter().collect();
        for (path, value) in &set {
            if let Err(message) = overrides::apply(&mut file, path, *value) {
                errs.push(self.invalid(&format!("set.{path}"), message, None));
            }
        }
        for o in overrides {
            if let Err(message) = overrides::apply(&mut file, &o.path, o.value) {
                errs.push(ScenarioError::Unreadable {
                    path: format!("override {}={}", o.path, o.value),
                    reason: message,
                    help: None,
                });
            }
        }

        // Pins.
        for pin in std::mem::take(&mut file.pin) {
            let field = format!("pin.{}.{}", pin.actor.name(), pin.decision);
            let Some(agent) = file
                .agents
                .as_mut()
                .and_then(|a| a.iter_mut().find(|a| a.actor == pin.actor))
            else {
                errs.push(self.invalid(
                    &field,
                    format!("no agent `{}` to pin", pin.actor.name()),
                    None,
                ));
                continue;
            };
            let names: Vec<String> = agent.decisions.iter().map(|d| d.name.clone()).collect();
            match agent.decisions.iter_mut().find(|d| d.name == pin.decision) {
                Some(decision) => {
                    // Check the options here, so that a bad one is reported at the pin, not at the agent.
                    let options: Vec<&str> =
                        decision.options.iter().map(|o| o.name.as_str()).collect();
                    let named: Vec<&str> = match &pin.mode {
                        ModeSpec::Adaptive { .. } => Vec::new(),
                        ModeSpec::Pinned(option) => vec![option.as_str()],
                        ModeSpec::Scheduled(entries) => {
                            entries.iter().map(|(_, o)| o.as_str()).collect()
                        }
                    };
                    let unknown: Vec<&str> =
                        named.into_iter().filter(|o| !options.contains(o)).collect();
                    for option in &unknown {
                        errs.push(self.invalid(
                            &format!("{field}.{option}"),
                            format!("no option `{option}` on the menu of `{}`", pin.decision),
                            Some(help_for(option, options.iter().copied())),
                        ));
                    }
                    if unknown.is_empty() {
                        decision.mode = pin.mode;
                    }
                }
                None => errs.push(self.invalid(
                    &field,
                    format!(
                        "agent `{}` has no decision `{}`",
                        pin.actor.name(),
                        pin.decision
                    ),
                    Some(help_for(&pin.decision, names.iter().map(String::as_str))),
                )),
            }
        }
        if !errs.is_empty() {
            return Err(errors(&root, errs));
        }

        let spec = match self.to_spec(&file) {
            Ok(spec) => spec,
            Err(e) => return Err(errors(&root, e)),
        };
        let model = Model::new(spec).map_err(|model_errors| {
            errors(
                &root,
                model_errors
                    .into_iter()
                    .map(|e| self.located_model_error(e))
                    .collect(),
            )
        })?;
        let canonical = canonical_ron(&file);
        let hash = format!("{:x}", Sha256::digest(canonical.as_bytes()));
        Ok(LoadedScenario {
            model,
            resolved: file,
            hash,
            inputs: self.inputs.clone(),
        })
    }

    fn located_model_error(&self, e: ModelError) -> ScenarioError {
        let (message, help) = match e.message.split_once("; ") {
            Some((m, h)) => (m.to_string(), Some(h.to_string())),
            None => (e.message, None),
        };
        self.invalid(&e.path, message, help)
    }

    /// An error for a field path, located in the file of the chain that writes it.
    fn invalid(&self, field: &str, message: String, help: Option<String>) -> ScenarioError {
        let last = field.rsplit('.').next().unwrap_or(field);
        let mut candidates: Vec<&Source> = self.sources.iter().collect();
        if let Some((lib, _)) = &self.library {
            candidates.push(lib);
        }
        let best = candidates
            .iter()
            .find_map(|s| {
                locate(&s.text, field)
                    .filter(|at| s.text[*at..].starts_with(last))
                    .map(|at| (*s, at))
            })
            .or_else(|| {
                candidates
                    .iter()
                    .find_map(|s| locate(&s.text, field).map(|at| (*s, at)))
            });
        match best.or_else(|| self.sources.first().map(|s| (s, 0))) {
            Some((source, at)) => invalid_at(&source.path, &source.text, at, field, message, help),
            None => ScenarioError::Unreadable {
                path: field.to_string(),
                reason: message,
                help,
            },
        }
    }

    fn to_spec(&self, file: &ScenarioFile) -> Result<ModelSpec, Vec<ScenarioError>> {
        let mut errs = Vec::new();
        let mut need = |name: &str| {
            errs.push(self.invalid(
                name,
                format!("missing `{name}`"),
                Some(format!(
                    "add `{name}: ...` or `extend` a scenario that has it; see docs/SCENARIOS.md"
                )),
            ));
        };
        let (
            Some(name),
            Some(start_year),
            Some(turn_years),
            Some(horizon_years),
            Some(initial),
            Some(events),
            Some(agents),
            Some(split),
        ) = (
            file.name.clone(),
            file.start_year,
            file.turn_years,
            file.horizon_years,
            file.initial,
            file.events,
            file.agents.clone(),
            file.split,
        )
        else {
            for (field, present) in [
                ("name", file.name.is_some()),
                ("start_year", file.start_year.is_some()),
                ("turn_years", file.turn_years.is_some()),
                ("horizon_years", file.horizon_years.is_some()),
                ("initial", file.initial.is_some()),
                ("events", file.events.is_some()),
                ("agents", file.agents.is_some()),
                ("split", file.split.is_some()),
            ] {
                if !present {
                    need(field);
                }
            }
            return Err(errs);
        };
        let mut errs = Vec::new();
        if !(turn_years.is_finite() && turn_years > 0.0 && turn_years <= 1.0) {
            errs.push(self.invalid(
                "turn_years",
                format!("{turn_years} is not a valid turn length"),
                Some("use a length in years in (0, 1]; 0.25 is a quarter".into()),
            ));
            return Err(errs);
        }
        let turns = |years: f64| -> Option<u32> {
            let t = (years / turn_years).round();
            (t.is_finite() && t >= 0.0 && t <= f64::from(MAX_HORIZON_TURNS) * 2.0)
                .then_some(t as u32)
        };
        let horizon_turns = match turns(horizon_years) {
            Some(t) if (1..=MAX_HORIZON_TURNS).contains(&t) => t,
            _ => {
                errs.push(self.invalid(
                    "horizon_years",
                    format!("{horizon_years} years is not a usable horizon"),
                    Some(format!("use a positive horizon of at most {MAX_HORIZON_TURNS} turns ({} years at this turn length)", f64::from(MAX_HORIZON_TURNS) * turn_years)),
                ));
                0
            }
        };

        let mut model_agents = Vec::new();
        for agent in &agents {
            let mut decisions = Vec::new();
            for d in &agent.decisions {
                let field = format!("agents.{}.decisions.{}.mode", agent.actor.name(), d.name);
                let names: Vec<&str> = d.options.iter().map(|o| o.name.as_str()).collect();
                let index = |option: &str| -> Result<usize, ScenarioError> {
                    names.iter().position(|n| *n == option).ok_or_else(|| {
                        self.invalid(
                            &format!("{field}.{option}"),
                            format!("no option `{option}` on this menu"),
                            Some(help_for(option, names.iter().copied())),
                        )
                    })
                };
                let mode = match &d.mode {
                    ModeSpec::Adaptive { rationality } => Ok(DecisionMode::Adaptive {
                        rationality: *rationality,
                    }),
                    ModeSpec::Pinned(option) => index(option).map(DecisionMode::Pinned),
                    ModeSpec::Scheduled(entries) => entries
                        .iter()
                        .map(|(year, option)| {
                            let turn = turns(*year)
                                .filter(|_| !looks_like_calendar_year(*year))
                                .ok_or_else(|| {
                                    let (message, help) = years_after_start(*year, start_year);
                                    self.invalid(&field, message, Some(help))
                                })?;
                            Ok((turn, index(option)?))
                        })
                        .collect::<Result<Vec<_>, _>>()
                        .map(DecisionMode::Scheduled),
                };
                match mode {
                    Ok(mode) => decisions.push(Decision {
                        name: d.name.clone(),
                        options: d
                            .options
                            .iter()
                            .map(|o| Policy {
                                name: o.name.clone(),
                                effects: o.effects.clone(),
                            })
                            .collect(),
                        mode,
                    }),
                    Err(e) => errs.push(e),
                }
            }
            model_agents.push(Agent {
                actor: agent.actor,
                objective: agent.objective,
                decisions,
            });
        }

        let mut levers = Vec::new();
        for l in &file.levers {
            let field = format!("levers.{}", l.name);
            let years = |v: Option<f64>, what: &str, errs: &mut Vec<ScenarioError>| -> u32 {
                let v = v.unwrap_or(0.0);
                match turns(v).filter(|_| !looks_like_calendar_year(v)) {
                    Some(t) => t,
                    None => {
                        let (message, help) = if what == "onset_years" {
                            years_after_start(v, start_year)
                        } else {
                            (
                                format!("{v} is not a valid number of years"),
                                "use a non-negative number of years".into(),
                            )
                        };
                        errs.push(self.invalid(&format!("{field}.{what}"), message, Some(help)));
                        0
                    }
                }
            };
            let onset_turn = years(l.onset_years, "onset_years", &mut errs);
            let ramp_turns = years(l.ramp_years, "ramp_years", &mut errs);
            let duration_turns = l
                .duration_years
                .map(|d| years(Some(d), "duration_years", &mut errs));
            levers.push(Lever {
                name: l.name.clone(),
                effects: l.effects.clone().unwrap_or_default(),
                intensity: l.intensity.unwrap_or(1.0),
                onset_turn,
                ramp_turns,
                duration_turns,
                condition: match l.condition.unwrap_or(ConditionSpec::Always) {
                    ConditionSpec::Always => Condition::Always,
                    ConditionSpec::WhileAggressionBelow { partner, max } => {
                        Condition::WhileAggressionBelow { partner, max }
                    }
                    ConditionSpec::WhileAlignmentAbove { min } => {
                        Condition::WhileAlignmentAbove { min }
                    }
                    ConditionSpec::WhileAlignmentBelow { max } => {
                        Condition::WhileAlignmentBelow { max }
                    }
                },
            });
        }

        let mut uncertainties = Vec::new();
        for u in &file.uncertainties {
            match ParamId::parse(&u.target) {
                Some(target) => uncertainties.push(Uncertainty {
                    name: u.name.clone(),
                    target,
                    distribution: u.distribution.clone(),
                }),
                None => errs.push(self.invalid(
                    &format!("uncertainties.{}.target", u.name),
                    format!("`{}` is not a quantity of the model", u.target),
                    Some(help_for(
                        &u.target,
                        ParamId::all_paths().iter().map(String::as_str),
                    )),
                )),
            }
        }
        if !errs.is_empty() {
            return Err(errs);
        }
        Ok(ModelSpec {
            name,
            start_year,
            turn_years,
            horizon_turns,
            initial,
            params: file.params.unwrap_or_default(),
            hazards: events,
            agents: model_agents,
            levers,
            split,
            uncertainties,
        })
    }
}

/// Whether a number of years since the start is more likely a calendar year
/// (`onset_years: 2024`): no horizon reaches a thousand years.
fn looks_like_calendar_year(years: f64) -> bool {
    years >= 1000.0
}

/// The message and help for a time that is not a valid number of years after `start_year`.
fn years_after_start(years: f64, start_year: f64) -> (String, String) {
    let example = format!("e.g. 3 for {}", start_year + 3.0);
    if looks_like_calendar_year(years) {
        (
            format!(
                "{years} looks like a calendar year, but times here count years after start_year ({start_year})"
            ),
            format!(
                "write {} for {years} (years after start_year, {example})",
                years - start_year
            ),
        )
    } else {
        (
            format!("{years} is not a valid number of years after start_year"),
            format!("use a non-negative number of years after start_year ({example})"),
        )
    }
}

fn merge(into: &mut ScenarioFile, child: ScenarioFile) {
    macro_rules! take {
        ($($field:ident),*) => { $( if child.$field.is_some() { into.$field = child.$field; } )* };
    }
    take!(
        name,
        description,
        start_year,
        turn_years,
        horizon_years,
        initial,
        params,
        events,
        split
    );
    // A child's agent replaces its parent's agent of the same actor, in the
    // parent's place (so every other agent keeps its decision streams); an
    // actor the parent lacks is added at the end, and so is an actor the
    // child declares twice, for validation to report.
    if let Some(agents) = child.agents {
        let inherited = into.agents.get_or_insert_with(Vec::new);
        let parents = inherited.len();
        let mut replaced = vec![false; parents];
        for agent in agents {
            let slot = (0..parents).find(|&i| !replaced[i] && inherited[i].actor == agent.actor);
            match slot {
                Some(i) => {
                    replaced[i] = true;
                    inherited[i] = agent;
                }
                None => inherited.push(agent),
            }
        }
    }
    into.levers.extend(child.levers);
    for u in child.uncertainties {
        match into.uncertainties.iter_mut().find(|x| x.name == u.name) {
            Some(slot) => *slot = u,
            None => into.uncertainties.push(u),
        }
    }
    into.set.extend(child.set);
    into.pin.extend(child.pin);
}

/// The canonical RON text of a resolved scenario (what `wedge show` prints and the hash covers).
pub fn canonical_ron(file: &ScenarioFile) -> String {
    let config = ron::ser::PrettyConfig::new()
        .struct_names(false)
        .indentor("  ".to_string())
        .extensions(ron::extensions::Extensions::IMPLICIT_SOME);
    ron::ser::to_string_pretty(file, config)
        .unwrap_or_else(|e| format!("// cannot render scenario: {e}"))
}
