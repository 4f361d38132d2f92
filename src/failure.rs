//! Failures at the edge: one report on stderr and an exit code.

use std::process::ExitCode;

use wedge_io::{Categorized, Category};

/// What went wrong, with the exit code it maps to.
#[derive(Debug)]
pub enum Failure {
    /// A report and its exit code: 2 for bad flags or an invalid scenario,
    /// 1 for I/O or another runtime failure.
    Report(miette::Report, u8),
    /// Interrupted by Ctrl-C with the checkpoint saved: exit 130.
    Interrupted(String),
    /// stdout closed (e.g. piped into `head`): exit quietly.
    BrokenPipe,
}

impl Failure {
    /// A usage error with a message.
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure::Report(miette::miette!("{}", message.into()), 2)
    }

    /// A runtime error with a message.
    pub fn runtime(message: impl Into<String>) -> Failure {
        Failure::Report(miette::miette!("{}", message.into()), 1)
    }

    /// Print the failure once and return its exit code.
    pub fn report(self) -> ExitCode {
        match self {
            Failure::Report(report, code) => {
                eprintln!("{report:?}");
                ExitCode::from(code)
            }
            Failure::Interrupted(message) => {
                eprintln!("interrupted: {message}");
                ExitCode::from(130)
            }
            Failure::BrokenPipe => ExitCode::SUCCESS,
        }
    }
}

impl From<wedge_scenario::ScenarioErrors> for Failure {
    fn from(e: wedge_scenario::ScenarioErrors) -> Failure {
        Failure::Report(miette::Report::new(e), 2)
    }
}

/// A library error by its category: usage (exit 2), runtime (exit 1), or
/// interrupted by Ctrl-C or SIGTERM with nothing to resume from (exit 1).
fn categorized(e: &dyn Categorized) -> Failure {
    match e.category() {
        Category::Usage => Failure::usage(e.to_string()),
        Category::Runtime => Failure::runtime(e.to_string()),
        Category::Interrupted => {
            Failure::runtime("interrupted by Ctrl-C or SIGTERM (no checkpoint: rerun the command)")
        }
    }
}

/// `From` for library errors that carry their category.
macro_rules! from_categorized {
    ($($error:ty),+) => {$(
        impl From<$error> for Failure {
            fn from(e: $error) -> Failure {
                categorized(&e)
            }
        }
    )+};
}

from_categorized!(
    wedge_io::OutputError,
    wedge_io::ReadError,
    wedge_runner::DiscoverError,
    wedge_runner::Moved,
    wedge_runner::ShardEnvError,
    wedge_runner::SobolRunError,
    wedge_report::ReadTableError,
    wedge_report::ReportError,
    wedge_report::RunsFileError,
    wedge_serve::ServeError
);

/// The errors of `wedge-calibrate`'s jobs: a run stopped with its checkpoint
/// saved says how to continue (exit 130); one that holds a scenario's errors
/// (its diagnostic, transparent through every wrapper, has them as related
/// errors) is reported with their source lines; the others by category.
impl From<wedge_calibrate::Error> for Failure {
    fn from(e: wedge_calibrate::Error) -> Failure {
        use miette::Diagnostic;
        if e.resumable() {
            Failure::Interrupted(e.to_string())
        } else if e.related().is_some() {
            // The full report, with the exit code of the error's category.
            let code = if e.category() == Category::Usage {
                2
            } else {
                1
            };
            Failure::Report(miette::Report::new(e), code)
        } else {
            categorized(&e)
        }
    }
}
