//! One name for each result's text table and CSV rows, so a surface picks a
//! format without knowing which renderer belongs to which result.

use serde::Serialize;
use wedge_runner::{
    ComparisonResult, Discovery, RunResult, Scoreboard, SensitivityResult, SobolResult, Trace,
};

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

/// A comparison's rows are its arms; a sweep's, whose arms carry their swept
/// values, are its points.
impl Tabular for ComparisonResult {
    fn text(&self) -> String {
        crate::text::comparison_text(self, arm_label(self))
    }
    fn csv(&self) -> String {
        crate::table::comparison_csv(self, arm_label(self))
    }
}

/// What a comparison calls its rows: `point` for a sweep, else `arm`.
fn arm_label(r: &ComparisonResult) -> &'static str {
    if r.arms.iter().any(|a| !a.params.is_empty()) {
        "point"
    } else {
        "arm"
    }
}

/// Scenario discovery on the table read from `source` (named in the text
/// table's heading); its JSON is the [`Discovery`] alone.
#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct Discovered<'a> {
    /// The boxes found.
    pub found: &'a Discovery,
    /// Where the table came from.
    #[serde(skip)]
    pub source: &'a str,
}

impl Tabular for Discovered<'_> {
    fn text(&self) -> String {
        crate::explore::discovery_text(self.found, self.source)
    }
    fn csv(&self) -> String {
        crate::explore::discovery_csv(self.found)
    }
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

    #[test]
    fn a_sweep_names_its_rows_points_and_a_comparison_arms() {
        use wedge_runner::{Arm, CompareSettings, Ranking, RunPlan};
        let model = wedge_core::Model::reference_2021();
        let arm = |name: &str| Arm {
            name: name.to_string(),
            model: model.clone(),
        };
        let settings = CompareSettings::new(RunPlan::new("reference", "-", 1, 50), None, "test");
        let stop = std::sync::atomic::AtomicBool::new(false);
        let arms = [arm("a"), arm("b")];
        let compared =
            wedge_runner::compare(&arms, &settings, Ranking::AsGiven, &stop, &mut |_, _| {});
        let Ok(mut r) = compared else {
            panic!("two arms of one model compare")
        };
        assert!(r.text().contains("runs per arm"));
        assert!(r.csv().starts_with("arm,"), "{}", r.csv());
        let point = vec![("x".to_string(), 1.0)];
        r.arms[0].name = wedge_runner::point_name(&point);
        r.attach_points(&[point]);
        assert!(r.text().contains("runs per point"));
        assert!(r.csv().starts_with("x,"), "{}", r.csv());
    }
}
