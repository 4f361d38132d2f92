//! `wedge suite`: every scenario in a folder on one plan, and drift against a saved scoreboard.

use crate::args::{Format, SuiteArgs};
use crate::failure::Failure;
use crate::present::{emit, interrupt_flag, render};

/// `wedge suite`.
pub fn suite(SuiteArgs { mut job, format }: SuiteArgs, command: &str) -> Result<(), Failure> {
    job.command = command.to_string();
    let played = job.play(&interrupt_flag())?;
    let mut text = render(format, &played.board)?;
    if let Some(old) = &played.saved
        && format == Format::Text
    {
        text += &wedge_report::drift_text(old, &played.drift);
    }
    emit(None, &text)?;
    Ok(wedge_runner::check_drift(&played.drift)?)
}
