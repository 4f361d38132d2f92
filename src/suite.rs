//! `wedge suite`: every scenario in a folder on one plan, and drift against a saved scoreboard.

use std::path::{Path, PathBuf};

use wedge_runner::{Score, Scoreboard};

use crate::args::{Format, SuiteArgs, check_runs};
use crate::failure::Failure;
use crate::output::{emit, json, write_atomic};

/// The scenario files of a folder (lever libraries left out), sorted.
fn scenario_files(dir: &Path) -> Result<Vec<PathBuf>, Failure> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| usage!("cannot read {}: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .filter(|p| !crate::inspect::is_library(p))
        .collect();
    files.sort();
    Ok(files)
}

/// `wedge suite`.
pub fn suite(flags: &SuiteArgs) -> Result<(), Failure> {
    check_runs(flags.runs)?;
    let saved: Option<Scoreboard> = match &flags.against {
        Some(path) => {
            let text = crate::output::read_input(path, crate::output::MAX_RESULT_BYTES)?;
            Some(
                serde_json::from_str(&text)
                    .map_err(|e| usage!("{} is not a wedge scoreboard: {e}", path.display()))?,
            )
        }
        None => None,
    };
    let (runs, seed) = saved
        .as_ref()
        .map_or((flags.runs, flags.seed), |s| (s.runs, s.seed));
    let stop = crate::present::interrupt_flag();
    let mut scores = Vec::new();
    for file in scenario_files(&flags.dir)? {
        let loaded = wedge_scenario::load(&file)?;
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
        let score = Score::of(&name.unwrap_or_default(), &loaded.model, seed, runs, &stop)
            .map_err(|_| Failure::runtime("interrupted by Ctrl-C"))?;
        scores.push(score);
    }
    let board = Scoreboard::new(runs, seed, scores);
    if let Some(path) = &flags.save {
        write_atomic(path, json(&board)?.as_bytes())?;
    }
    let mut text = match flags.format {
        Format::Json => json(&board)?,
        _ => wedge_report::scoreboard_text(&board),
    };
    let drift = saved
        .as_ref()
        .map(|old| board.against(old))
        .unwrap_or_default();
    if let Some(old) = &saved {
        text += &wedge_report::drift_text(old, &drift);
    }
    emit(None, &text)?;
    let moved: Vec<&str> = drift
        .iter()
        .filter(|d| d.moved())
        .map(|d| d.file())
        .collect();
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
