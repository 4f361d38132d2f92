//! `wedge suite`: every scenario in a folder on one plan, and drift against a saved scoreboard.

use wedge_calibrate::SuiteJob;

use crate::args::{Format, SuiteArgs};
use crate::failure::Failure;
use crate::present::{emit, interrupt_flag, render};

/// `wedge suite`.
pub fn suite(flags: &SuiteArgs, command: &str) -> Result<(), Failure> {
    let job = SuiteJob {
        dir: flags.dir.clone(),
        plan: (flags.runs, flags.seed),
        save: flags.save.clone(),
        against: flags.against.clone(),
        command: command.to_string(),
    };
    let played = job.play(&interrupt_flag())?;
    let mut text = render(flags.format, &played.board)?;
    if let Some(old) = &played.saved
        && flags.format == Format::Text
    {
        text += &wedge_report::drift_text(old, &played.drift);
    }
    emit(None, &text)?;
    Ok(wedge_runner::check_drift(&played.drift)?)
}
