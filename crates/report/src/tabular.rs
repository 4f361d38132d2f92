//! One name for each result's text table and CSV rows, so a surface picks a
//! format without knowing which renderer belongs to which result.

use wedge_runner::{RunResult, Scoreboard, SensitivityResult, SobolResult, Trace};

/// A result that prints as a readable table (`--format text`) and as CSV rows (`--format csv`).
pub trait Tabular {
    /// The readable table.
    fn text(&self) -> String;
    /// The CSV rows.
    fn csv(&self) -> String;
}

/// Implement [`Tabular`] by naming the two renderers.
macro_rules! tabular {
    ($($t:ty => $text:path, $csv:path;)*) => {$(
        impl Tabular for $t {
            fn text(&self) -> String {
                $text(self)
            }
            fn csv(&self) -> String {
                $csv(self)
            }
        }
    )*};
}

tabular! {
    RunResult => crate::text::run_text, crate::table::run_csv;
    SensitivityResult => crate::text::sensitivity_text, crate::table::sensitivity_csv;
    SobolResult => crate::explore::sobol_text, crate::explore::sobol_csv;
    Trace => crate::text::trace_text, crate::table::trace_csv;
    Scoreboard => crate::text::scoreboard_text, crate::table::scoreboard_csv;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trace_renders_as_its_renderers_do() {
        let model = wedge_core::Model::reference_2021();
        let trace = Trace::record(&model, 1, 0);
        assert_eq!(trace.text(), crate::trace_text(&trace));
        assert_eq!(Tabular::csv(&trace), crate::trace_csv(&trace));
    }
}
