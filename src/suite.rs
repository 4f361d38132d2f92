//! `wedge suite`: every scenario in a folder on one plan, and drift against a saved scoreboard.

use std::path::PathBuf;

use wedge_runner::{Score, Scoreboard};

use crate::args::{Format, SuiteArgs};
use crate::failure::Failure;
use crate::output::{MAX_RESULT_BYTES, emit, json, read_input};

/// `wedge suite`.
pub fn suite(flags: &SuiteArgs, command: &str) -> Result<(), Failure> {
    if let Some(save) = &flags.save {
        let inputs: Vec<PathBuf> = flags.against.iter().cloned().collect();
        wedge_io::guard_outputs(&[("--save", Some(save.as_path()))], &inputs)?;
    }
    let saved: Option<Scoreboard> = match &flags.against {
        Some(path) => Some(
            Scoreboard::from_json(&read_input(path, MAX_RESULT_BYTES)?)
                .map_err(|e| usage!("--against {}: {e}", path.display()))?,
        ),
        None => None,
    };
    let files = wedge_scenario::scenario_files(&flags.dir)
        .map_err(|e| usage!("cannot read {}: {e}", flags.dir.display()))?;
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
            .map_err(|_| Failure::interrupted_without_checkpoint())?;
        scores.push(score);
    }
    let mut board = Scoreboard::new(runs, seed, scores);
    let dir = flags.dir.display().to_string();
    board.stamp(&dir, &hashes, started.elapsed().as_secs_f64(), command);
    if let Some(path) = &flags.save {
        wedge_io::write_atomic(path, json(&board)?.as_bytes())?;
    }
    let mut text = crate::present::render(flags.format, &board)?;
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
