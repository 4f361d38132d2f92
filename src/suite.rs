//! `wedge suite`: run every scenario in a folder and keep a scoreboard, to
//! catch unintended changes to the model.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use wedge_runner::aggregate::Aggregate;
use wedge_runner::batch::{Batch, Control, run_chunks};
use wedge_runner::stats::{Z95, wilson};
use wedge_runner::summary::median_years;

use crate::args::Format;
use crate::failure::Failure;
use crate::output::{emit, json, write_atomic};

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

/// A saved scoreboard.
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
}

fn scenario_files(dir: &Path) -> Result<Vec<PathBuf>, Failure> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", dir.display())))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .filter(|p| {
            // Lever libraries are not scenarios.
            std::fs::read_to_string(p).ok().is_none_or(|t| {
                ron::Options::default()
                    .from_str::<wedge_scenario::schema::LeverLibrary>(&t)
                    .is_err()
            })
        })
        .collect();
    files.sort();
    Ok(files)
}

/// `wedge suite`.
pub fn suite(
    dir: &Path,
    runs: u64,
    seed: u64,
    save: Option<&Path>,
    against: Option<&Path>,
    format: Format,
) -> Result<(), Failure> {
    if runs == 0 || runs > crate::batch::MAX_RUNS {
        return Err(Failure::usage(format!(
            "--runs must be between 1 and {}, got {runs}",
            crate::batch::MAX_RUNS
        )));
    }
    let saved: Option<Scoreboard> = match against {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?;
            Some(serde_json::from_str(&text).map_err(|e| {
                Failure::usage(format!("{} is not a wedge scoreboard: {e}", path.display()))
            })?)
        }
        None => None,
    };
    let (runs, seed) = saved.as_ref().map_or((runs, seed), |s| (s.runs, s.seed));
    let never = std::sync::atomic::AtomicBool::new(false);
    let mut scores = Vec::new();
    for file in scenario_files(dir)? {
        let loaded = wedge_scenario::load(&file)?;
        let model = &loaded.model;
        let mut agg = Aggregate::new(model);
        let mut on_wave = |_: &Aggregate, _: u64| {};
        let _ = run_chunks(
            model,
            &Batch::whole(seed, runs),
            &mut agg,
            Control {
                stop: &never,
                on_wave: &mut on_wave,
            },
        );
        let splits = agg.splits.max(1) as f64;
        let (lo, hi) = wilson(agg.splits, agg.runs);
        scores.push(Score {
            file: file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            scenario: model.spec().name.clone(),
            split_probability: agg.splits as f64 / agg.runs as f64,
            ci95: [lo, hi],
            median_years_to_split: median_years(&agg, model.spec().turn_years),
            russia_defects: agg.defectors[0] as f64 / splits,
            china_defects: agg.defectors[1] as f64 / splits,
        });
    }
    let board = Scoreboard {
        wedge_version: env!("CARGO_PKG_VERSION").to_string(),
        runs,
        seed,
        scores,
    };
    if let Some(path) = save {
        write_atomic(path, json(&board)?.as_bytes())?;
    }
    let mut text = match format {
        Format::Json => json(&board)?,
        _ => render(&board),
    };
    let mut moved = Vec::new();
    if let Some(old) = &saved {
        text += &format!(
            "\nAgainst the saved scoreboard ({} runs, seed {}):\n",
            old.runs, old.seed
        );
        for score in &board.scores {
            match old.scores.iter().find(|o| o.file == score.file) {
                None => {
                    text += &format!("  {:<40} new (not in the saved scoreboard)\n", score.file)
                }
                Some(o) => {
                    // Two-sample test on the proportions at the 95% level.
                    let n = runs as f64;
                    let se = ((o.split_probability * (1.0 - o.split_probability)
                        + score.split_probability * (1.0 - score.split_probability))
                        / n)
                        .sqrt();
                    let diff = score.split_probability - o.split_probability;
                    let flag = diff.abs() > Z95 * se.max(1e-12) && diff != 0.0;
                    if flag {
                        moved.push(score.file.clone());
                    }
                    text += &format!(
                        "  {:<40} {:>6.1}% → {:>6.1}%  {}\n",
                        score.file,
                        o.split_probability * 100.0,
                        score.split_probability * 100.0,
                        if flag {
                            "MOVED beyond its interval"
                        } else if diff == 0.0 {
                            "identical"
                        } else {
                            "within its interval"
                        }
                    );
                }
            }
        }
        for o in &old.scores {
            if !board.scores.iter().any(|s| s.file == o.file) {
                text += &format!("  {:<40} missing (in the saved scoreboard only)\n", o.file);
                moved.push(o.file.clone());
            }
        }
    }
    emit(None, &text)?;
    if moved.is_empty() {
        Ok(())
    } else {
        Err(Failure::runtime(format!(
            "{} scenarios moved beyond their intervals: {}",
            moved.len(),
            moved.join(", ")
        )))
    }
}

fn render(board: &Scoreboard) -> String {
    let mut s = format!(
        "wedge suite: {} runs per scenario, seed {}\n\n",
        board.runs, board.seed
    );
    s += &format!(
        "{:<40} {:>7}  {:<17} {:>8}  {:>7} {:>7}\n",
        "scenario file", "split", "95% CI", "median", "Russia", "China"
    );
    for sc in &board.scores {
        s += &format!(
            "{:<40} {:>6.1}%  [{:>5.1}%, {:>5.1}%] {:>8}  {:>6.0}% {:>6.0}%\n",
            sc.file,
            sc.split_probability * 100.0,
            sc.ci95[0] * 100.0,
            sc.ci95[1] * 100.0,
            sc.median_years_to_split
                .map_or("—".into(), |m| format!("{m:.2}y")),
            sc.russia_defects * 100.0,
            sc.china_defects * 100.0
        );
    }
    s
}
