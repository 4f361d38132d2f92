//! The suite scoreboard: every scenario of a folder run on one plan, and a
//! two-sample test of each score against a saved scoreboard, to catch
//! unintended changes to the model.

use std::sync::atomic::AtomicBool;

use serde::{Deserialize, Serialize};
use wedge_core::Model;

use crate::aggregate::Aggregate;
use crate::provenance::{Manifest, RunPlan, combined_hash};
use crate::stats::{Z95, wilson};
use crate::summary::median_years;
use crate::waves::{Batch, BatchError, Control, run_chunks};

/// One scenario's line on the scoreboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    /// File name within the folder.
    pub file: String,
    /// Scenario name.
    pub scenario: String,
    /// Split probability within the horizon.
    pub split_probability: f64,
    /// Wilson 95% interval.
    pub ci95: [f64; 2],
    /// Median years to split, if reached.
    pub median_years_to_split: Option<f64>,
    /// Share of splits in which Russia broke away.
    pub russia_defects: f64,
    /// Share of splits in which China broke away.
    pub china_defects: f64,
}

impl Score {
    /// Play `model` `runs` times from `seed` and score it under the name `file`.
    pub fn of(
        file: &str,
        model: &Model,
        seed: u64,
        runs: u64,
        stop: &AtomicBool,
    ) -> Result<Score, BatchError> {
        let mut agg = Aggregate::new(model);
        let mut on_wave = |_: &Aggregate, _: u64| {};
        run_chunks(
            model,
            &Batch::whole(seed, runs),
            &mut agg,
            Control {
                stop,
                on_wave: &mut on_wave,
            },
        )?;
        let splits = agg.splits.max(1) as f64;
        let (lo, hi) = wilson(agg.splits, agg.runs);
        Ok(Score {
            file: file.to_string(),
            scenario: model.spec().name.clone(),
            split_probability: agg.splits as f64 / agg.runs.max(1) as f64,
            ci95: [lo, hi],
            median_years_to_split: median_years(&agg, model.spec().turn_years),
            russia_defects: agg.defectors[0] as f64 / splits,
            china_defects: agg.defectors[1] as f64 / splits,
        })
    }
}

/// A scoreboard (saved as JSON by `wedge suite --save`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scoreboard {
    /// wedge version that wrote it.
    pub wedge_version: String,
    /// Runs per scenario.
    pub runs: u64,
    /// Master seed.
    pub seed: u64,
    /// Scores, by file name.
    pub scores: Vec<Score>,
    /// Provenance (the folder, a hash over its scenarios' hashes, the command).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest: Option<crate::provenance::Manifest>,
}

/// Why a saved scoreboard cannot be compared with.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ScoreboardError {
    /// Not JSON of a scoreboard's shape.
    #[error("not a wedge scoreboard: {0}")]
    Unreadable(String),
    /// Its plan is impossible.
    #[error("its run count is {0}; a scoreboard needs between 1 and {max} runs per scenario", max = crate::MAX_RUNS)]
    Runs(u64),
    /// A score is not a probability, or its interval does not hold it.
    #[error("the score of {0} is not a probability with an interval around it")]
    Score(String),
    /// No scores.
    #[error("it holds no scores")]
    Empty,
}

/// How one scenario's score compares with a saved scoreboard.
#[derive(Debug, Clone, PartialEq)]
pub enum Drift {
    /// Scored now, absent from the saved scoreboard.
    New {
        /// File name.
        file: String,
    },
    /// In the saved scoreboard only (counts as moved).
    Missing {
        /// File name.
        file: String,
    },
    /// In both: the saved and the current split probability and the verdict.
    Scored {
        /// File name.
        file: String,
        /// Saved split probability.
        before: f64,
        /// Current split probability.
        after: f64,
        /// The verdict of the two-sample test.
        verdict: Verdict,
    },
}

/// The verdict of the two-sample test on one scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Bit-identical probability.
    Identical,
    /// Different, but within the 95% interval of the difference.
    Within,
    /// Beyond the 95% interval: the model changed.
    Moved,
}

impl Drift {
    /// Whether this line fails the suite.
    pub fn moved(&self) -> bool {
        matches!(
            self,
            Drift::Missing { .. }
                | Drift::Scored {
                    verdict: Verdict::Moved,
                    ..
                }
        )
    }

    /// The scenario file.
    pub fn file(&self) -> &str {
        match self {
            Drift::New { file } | Drift::Missing { file } | Drift::Scored { file, .. } => file,
        }
    }
}

/// Scenarios that moved beyond their intervals or went missing: the suite fails.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} scenarios moved beyond their intervals: {}", .0.len(), .0.join(", "))]
pub struct Moved(pub Vec<String>);

impl wedge_io::Categorized for Moved {
    fn category(&self) -> wedge_io::Category {
        wedge_io::Category::Runtime
    }
}

/// Fail when any line of `drift` [moved](Drift::moved), naming their files.
pub fn check_drift(drift: &[Drift]) -> Result<(), Moved> {
    let moved: Vec<String> = drift
        .iter()
        .filter(|d| d.moved())
        .map(|d| d.file().to_string())
        .collect();
    if moved.is_empty() {
        Ok(())
    } else {
        Err(Moved(moved))
    }
}

/// Two-sample test of proportions at the 95% level, each out of `runs`.
pub fn verdict(before: f64, after: f64, runs: u64) -> Verdict {
    let n = runs as f64;
    let se = ((before * (1.0 - before) + after * (1.0 - after)) / n).sqrt();
    let diff = after - before;
    if diff == 0.0 {
        Verdict::Identical
    } else if diff.abs() > Z95 * se.max(1e-12) {
        Verdict::Moved
    } else {
        Verdict::Within
    }
}

impl Scoreboard {
    /// A scoreboard of this version of wedge.
    pub fn new(runs: u64, seed: u64, scores: Vec<Score>) -> Scoreboard {
        Scoreboard {
            wedge_version: crate::VERSION.to_string(),
            runs,
            seed,
            scores,
            manifest: None,
        }
    }

    /// Score every `(file name, model, scenario hash)` of the folder `dir` on
    /// one plan (`runs` from `seed`), stamped with its provenance.
    pub fn play(
        suite: &[(String, &Model, String)],
        (runs, seed): (u64, u64),
        dir: &str,
        command: &str,
        stop: &AtomicBool,
    ) -> Result<Scoreboard, BatchError> {
        let started = std::time::Instant::now();
        let scores = suite
            .iter()
            .map(|(file, model, _)| Score::of(file, model, seed, runs, stop))
            .collect::<Result<_, _>>()?;
        let mut board = Scoreboard::new(runs, seed, scores);
        let hashes: Vec<String> = suite.iter().map(|(_, _, h)| h.clone()).collect();
        board.stamp(dir, &hashes, started.elapsed().as_secs_f64(), command);
        Ok(board)
    }

    /// Fill in the provenance of a suite over the folder `dir` whose scenarios
    /// hash to `hashes` (one plan over all of them), `wall_seconds` long.
    pub fn stamp(&mut self, dir: &str, hashes: &[String], wall_seconds: f64, command: &str) {
        let plan = RunPlan::new(dir, &combined_hash(hashes), self.seed, self.runs);
        let runs_done = self.runs * hashes.len() as u64;
        self.manifest = Some(Manifest::new(plan, wall_seconds, runs_done, command));
    }

    /// Read a saved scoreboard, checking that its plan and scores are possible.
    pub fn from_json(text: &str) -> Result<Scoreboard, ScoreboardError> {
        let board: Scoreboard =
            serde_json::from_str(text).map_err(|e| ScoreboardError::Unreadable(e.to_string()))?;
        if board.runs == 0 || board.runs > crate::MAX_RUNS {
            return Err(ScoreboardError::Runs(board.runs));
        }
        if board.scores.is_empty() {
            return Err(ScoreboardError::Empty);
        }
        let unit = |x: f64| (0.0..=1.0).contains(&x);
        for s in &board.scores {
            let [lo, hi] = s.ci95;
            if !(unit(s.split_probability)
                && unit(lo)
                && unit(hi)
                && lo <= s.split_probability
                && s.split_probability <= hi)
            {
                return Err(ScoreboardError::Score(s.file.clone()));
            }
        }
        Ok(board)
    }

    /// Each current score against `saved` (current files first, then saved-only ones).
    ///
    /// # Example
    ///
    /// ```
    /// use wedge_runner::{Score, Scoreboard};
    ///
    /// let score = |p: f64| Score { file: "a.ron".into(), scenario: "a".into(),
    ///     split_probability: p, ci95: [p, p], median_years_to_split: None,
    ///     russia_defects: 0.5, china_defects: 0.5 };
    /// let saved = Scoreboard::new(2000, 1, vec![score(0.30)]);
    /// let now = Scoreboard::new(2000, 1, vec![score(0.40)]);
    /// assert!(now.against(&saved)[0].moved());
    /// ```
    pub fn against(&self, saved: &Scoreboard) -> Vec<Drift> {
        let mut out: Vec<Drift> = self
            .scores
            .iter()
            .map(|s| match saved.scores.iter().find(|o| o.file == s.file) {
                None => Drift::New {
                    file: s.file.clone(),
                },
                Some(o) => Drift::Scored {
                    file: s.file.clone(),
                    before: o.split_probability,
                    after: s.split_probability,
                    verdict: verdict(o.split_probability, s.split_probability, self.runs),
                },
            })
            .collect();
        out.extend(
            saved
                .scores
                .iter()
                .filter(|o| !self.scores.iter().any(|s| s.file == o.file))
                .map(|o| Drift::Missing {
                    file: o.file.clone(),
                }),
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_z_test_separates_noise_from_a_shift() {
        assert_eq!(verdict(0.3, 0.3, 2000), Verdict::Identical);
        // se ≈ 0.0145 at 2000 runs: 1 pp is noise, 5 pp is a shift.
        assert_eq!(verdict(0.30, 0.31, 2000), Verdict::Within);
        assert_eq!(verdict(0.30, 0.35, 2000), Verdict::Moved);
        assert_eq!(verdict(0.30, 0.31, 200_000), Verdict::Moved);
    }

    #[test]
    fn the_drift_check_fails_on_moved_and_missing_scenarios_only() {
        let scored = |file: &str, verdict| Drift::Scored {
            file: file.into(),
            before: 0.3,
            after: 0.35,
            verdict,
        };
        let fine = [
            scored("a.ron", Verdict::Within),
            Drift::New {
                file: "n.ron".into(),
            },
        ];
        assert_eq!(check_drift(&fine), Ok(()));
        let bad = [
            scored("a.ron", Verdict::Moved),
            scored("b.ron", Verdict::Identical),
            Drift::Missing {
                file: "c.ron".into(),
            },
        ];
        let err = check_drift(&bad);
        assert_eq!(err, Err(Moved(vec!["a.ron".into(), "c.ron".into()])));
        let message = err.err().map(|e| e.to_string()).unwrap_or_default();
        assert_eq!(
            message,
            "2 scenarios moved beyond their intervals: a.ron, c.ron"
        );
    }

    #[test]
    fn impossible_saved_scoreboards_are_refused() {
        let good = r#"{"wedge_version":"x","runs":100,"seed":1,"scores":[{"file":"a.ron","scenario":"a","split_probability":0.5,"ci95":[0.4,0.6],"median_years_to_split":null,"russia_defects":0.5,"china_defects":0.5}]}"#;
        assert!(Scoreboard::from_json(good).is_ok());
        let no_runs = good.replace(r#""runs":100"#, r#""runs":0"#);
        assert_eq!(
            Scoreboard::from_json(&no_runs).err(),
            Some(ScoreboardError::Runs(0))
        );
        let no_scores = r#"{"wedge_version":"x","runs":100,"seed":1,"scores":[]}"#;
        assert_eq!(
            Scoreboard::from_json(no_scores).err(),
            Some(ScoreboardError::Empty)
        );
        let nan = good.replace("0.5,\"ci95\"", "2.0,\"ci95\"");
        let nan = nan.replace(r#""split_probability":0.5"#, r#""split_probability":2.0"#);
        assert!(matches!(
            Scoreboard::from_json(&nan),
            Err(ScoreboardError::Score(_))
        ));
    }

    #[test]
    fn missing_and_new_files_are_reported() {
        let score = |file: &str| Score {
            file: file.into(),
            scenario: file.into(),
            split_probability: 0.5,
            ci95: [0.4, 0.6],
            median_years_to_split: None,
            russia_defects: 0.5,
            china_defects: 0.5,
        };
        let saved = Scoreboard::new(100, 1, vec![score("a"), score("b")]);
        let now = Scoreboard::new(100, 1, vec![score("a"), score("c")]);
        let drift = now.against(&saved);
        let files: Vec<(&str, bool)> = drift.iter().map(|d| (d.file(), d.moved())).collect();
        assert_eq!(files, [("a", false), ("c", false), ("b", true)]);
    }

    #[test]
    fn a_played_suite_scores_each_model_on_one_plan() {
        let model = crate::tests::short_model();
        let suite = [
            ("a.ron".to_string(), &model, "h1".to_string()),
            ("b.ron".to_string(), &model, "h2".to_string()),
        ];
        let stop = AtomicBool::new(false);
        let board = Scoreboard::play(&suite, (300, 4), "dir", "test", &stop)
            .unwrap_or_else(|e| panic!("{e}"));
        let alone = Score::of("b.ron", &model, 4, 300, &stop).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(board.scores.len(), 2);
        assert_eq!(board.scores[1], alone);
        assert_eq!((board.runs, board.seed), (300, 4));
        let manifest = board.manifest.as_ref().unwrap_or_else(|| panic!("stamped"));
        assert_eq!(
            (manifest.plan.runs, manifest.command.as_str()),
            (300, "test")
        );
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        assert!(Scoreboard::play(&suite, (300, 4), "dir", "test", &stop).is_err());
    }
}
