//! Failures at the edge: one report on stderr and an exit code.

use std::process::ExitCode;

use wedge_io::{Categorized, Category};

/// What went wrong, with the exit code it maps to.
#[derive(Debug)]
pub enum Failure {
    /// Bad flags or an invalid scenario: exit 2.
    Input(miette::Report),
    /// I/O or another runtime failure: exit 1.
    Runtime(miette::Report),
    /// Interrupted by Ctrl-C with the checkpoint saved: exit 130.
    Interrupted(String),
    /// stdout closed (e.g. piped into `head`): exit quietly.
    BrokenPipe,
}

impl Failure {
    /// A usage error with a message.
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure::Input(miette::miette!("{}", message.into()))
    }

    /// A runtime error with a message.
    pub fn runtime(message: impl Into<String>) -> Failure {
        Failure::Runtime(miette::miette!("{}", message.into()))
    }

    /// Interrupted by Ctrl-C or SIGTERM with nothing to resume from: exit 1.
    pub fn interrupted_without_checkpoint() -> Failure {
        Failure::runtime("interrupted by Ctrl-C or SIGTERM (no checkpoint: rerun the command)")
    }

    /// Print the failure once and return its exit code.
    pub fn report(self) -> ExitCode {
        match self {
            Failure::Input(report) => {
                eprintln!("{report:?}");
                ExitCode::from(2)
            }
            Failure::Runtime(report) => {
                eprintln!("{report:?}");
                ExitCode::from(1)
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
        Failure::Input(miette::Report::new(e))
    }
}

/// A library error by its category: usage (exit 2), runtime (exit 1), or
/// interrupted with nothing to resume from (exit 1).
fn categorized(e: &dyn Categorized) -> Failure {
    match e.category() {
        Category::Usage => Failure::usage(e.to_string()),
        Category::Runtime => Failure::runtime(e.to_string()),
        Category::Interrupted => Failure::interrupted_without_checkpoint(),
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
    wedge_runner::CompareError,
    wedge_runner::Moved,
    wedge_runner::SensitivityError,
    wedge_runner::SobolRunError,
    wedge_report::ReportError,
    wedge_report::RunsFileError,
    wedge_serve::ServeError
);

/// `From` for library errors with a variant holding a scenario's errors,
/// which are reported with their source lines; the other variants by category.
macro_rules! from_with_scenario {
    ($($error:ty => $variant:path),+) => {$(
        impl From<$error> for Failure {
            fn from(e: $error) -> Failure {
                match e {
                    $variant(e) => e.into(),
                    other => categorized(&other),
                }
            }
        }
    )+};
}

from_with_scenario!(
    wedge_scenario::ArmError => wedge_scenario::ArmError::Scenario,
    wedge_scenario::FolderError => wedge_scenario::FolderError::Scenario,
    wedge_calibrate::Error => wedge_calibrate::Error::Scenario,
    wedge_calibrate::ArmsError => wedge_calibrate::ArmsError::Arm
);
