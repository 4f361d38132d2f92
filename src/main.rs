//! The `wedge` command line: flags, commands, progress, exit codes.
//!
//! Libraries never print or exit; this crate turns their results into text,
//! JSON or CSV on stdout, messages on stderr, and an exit code.

/// A usage error (exit 2) from a format string.
macro_rules! usage {
    ($($arg:tt)*) => { $crate::failure::Failure::usage(format!($($arg)*)) };
}

mod args;
mod batch;
mod calibrate;
mod compare;
mod discover;
mod failure;
mod inspect;
mod present;
mod report;
mod sensitivity;
mod serve;
mod slurm;
mod sobol;
mod suite;
mod trace;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    // The command as the user typed it, under the program's name (not the binary's path).
    let command_line = std::iter::once("wedge".to_string())
        .chain(std::env::args().skip(1))
        .collect::<Vec<_>>()
        .join(" ");
    let result = match cli.command {
        Command::Run(a) => batch::run(a, &command_line),
        Command::Compare(a) => compare::compare(a, &command_line),
        Command::Sweep(a) => compare::sweep(a, &command_line),
        Command::Sensitivity(a) => sensitivity::sensitivity(a, &command_line),
        Command::Sobol(a) => sobol::sobol(&a, &command_line),
        Command::Discover(a) => discover::discover(&a),
        Command::Calibrate(a) => calibrate::calibrate(a),
        Command::Suite(a) => suite::suite(a, &command_line),
        Command::Validate { files } => inspect::validate(&files),
        Command::Show { scenario, paths } => inspect::show(&scenario, paths),
        Command::Merge { parts, out } => batch::merge(&parts, &out, &command_line),
        Command::Trace(a) => trace::trace(&a, &command_line),
        Command::Slurm(a) => slurm::slurm(&a),
        Command::Report { results, output } => report::report(&results, &output),
        Command::Serve(a) => serve::serve(&a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}
