//! `wedge suite`: every scenario in a folder on one plan, and drift against a saved scoreboard.

use std::path::PathBuf;

use wedge_runner::Scoreboard;

use crate::args::{Format, SuiteArgs};
use crate::failure::Failure;
use crate::output::{emit, json};
use wedge_io::MAX_RESULT_BYTES;

/// `wedge suite`.
pub fn suite(flags: &SuiteArgs, command: &str) -> Result<(), Failure> {
    if let Some(save) = &flags.save {
        let inputs: Vec<PathBuf> = flags.against.iter().cloned().collect();
        wedge_io::guard_outputs(&[("--save", Some(save.as_path()))], &inputs)?;
    }
    let saved: Option<Scoreboard> = match &flags.against {
        Some(path) => Some(
            Scoreboard::from_json(&wedge_io::read_text(path, MAX_RESULT_BYTES)?)
                .map_err(|e| usage!("--against {}: {e}", path.display()))?,
        ),
        None => None,
    };
    let loaded = wedge_scenario::load_folder(&flags.dir)?;
    let plan = saved
        .as_ref()
        .map_or((flags.runs, flags.seed), |s| (s.runs, s.seed));
    let suite: Vec<_> = loaded
        .iter()
        .map(|(file, l)| (file.clone(), &l.model, l.hash.clone()))
        .collect();
    let dir = flags.dir.display().to_string();
    let stop = crate::present::interrupt_flag();
    let board = Scoreboard::play(&suite, plan, &dir, command, &stop)
        .map_err(|_| Failure::interrupted_without_checkpoint())?;
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
    Ok(wedge_runner::check_drift(&drift)?)
}
