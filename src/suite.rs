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
pub fn suite(flags: &SuiteArgs, command: &str) -> Result<(), Failure> {
    check_runs(flags.runs)?;
    if let Some(save) = &flags.save {
        let inputs: Vec<PathBuf> = flags.against.iter().cloned().collect();
        crate::output::guard_outputs(&[("--save", Some(save.as_path()))], &inputs)?;
    }
    let saved: Option<Scoreboard> = match &flags.against {
        Some(path) => {
            let text = crate::output::read_input(path, crate::output::MAX_RESULT_BYTES)?;
            Some(
                Scoreboard::from_json(&text)
                    .map_err(|e| usage!("--against {}: {e}", path.display()))?,
            )
        }
        None => None,
    };
    let files = scenario_files(&flags.dir)?;
    if files.is_empty() {
        return Err(usage!(
            "{} holds no scenario files (*.ron other than lever libraries)",
            flags.dir.display()
        ));
    }
    let started = std::time::Instant::now();
    let (runs, seed) = saved
        .as_ref()
        .map_or((flags.runs, flags.seed), |s| (s.runs, s.seed));
    let stop = crate::present::interrupt_flag();
    let mut scores = Vec::new();
    let mut hashes = Vec::new();
    for file in files {
        let loaded = wedge_scenario::load(&file)?;
        hashes.push(loaded.hash.clone());
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
        let score = Score::of(&name.unwrap_or_default(), &loaded.model, seed, runs, &stop)
            .map_err(|_| {
                Failure::runtime(
                    "interrupted by Ctrl-C or SIGTERM (no checkpoint: rerun the command)",
                )
            })?;
        scores.push(score);
    }
    let mut board = Scoreboard::new(runs, seed, scores);
    board.manifest = Some(wedge_runner::Manifest::new(
        wedge_runner::RunPlan::new(
            &flags.dir.display().to_string(),
            &wedge_runner::combined_hash(&hashes),
            seed,
            runs,
        ),
        started.elapsed().as_secs_f64(),
        runs * hashes.len() as u64,
        command,
    ));
    if let Some(path) = &flags.save {
        write_atomic(path, json(&board)?.as_bytes())?;
    }
    let mut text = match flags.format {
        Format::Json => json(&board)?,
        Format::Csv => wedge_report::scoreboard_csv(&board),
        Format::Text => wedge_report::scoreboard_text(&board),
    };
    let drift = saved
        .as_ref()
        .map(|old| board.against(old))
        .unwrap_or_default();
    if let Some(old) = &saved
        && flags.format == Format::Text
    {
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
