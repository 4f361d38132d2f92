//! The charts of each result with the data behind them: what `--plot` and
//! `--plot-data` write, chosen here so every surface draws the same figures.

use std::path::Path;

use wedge_runner::{ComparisonResult, Design, Param, RunResult, SensitivityResult};

use crate::ReportError;
use crate::figures::{
    arms_forest_svg, arms_survival_svg, design_points_svg, morris_svg, run_survival_svg,
    sweep_curve_svg, sweep_heatmap_svg, tornado_svg,
};
use crate::table::{arms_plot_csv, run_plot_csv, sensitivity_plot_csv};

/// The charts of a result and the data behind them.
#[derive(Debug)]
pub struct Figures {
    /// Each chart: `None` for the main one (the `--plot` file), `Some(suffix)`
    /// for one written beside it (`STEM-suffix.svg`).
    pub charts: Vec<(Option<&'static str>, Result<String, ReportError>)>,
    /// The data behind the charts, as CSV.
    pub data: String,
}

impl Figures {
    /// Write the charts to `plot` (the main one there, each other one beside
    /// it as `STEM-suffix.svg`) and the data behind them to `plot_data`, each
    /// atomically; either may be `None`. A chart that cannot be drawn stops
    /// the writing there.
    pub fn write(self, plot: Option<&Path>, plot_data: Option<&Path>) -> Result<(), ReportError> {
        if let Some(path) = plot {
            for (suffix, svg) in self.charts {
                let path = match suffix {
                    None => path.to_path_buf(),
                    Some(suffix) => wedge_io::beside(path, &format!("-{suffix}.svg"), "plot"),
                };
                wedge_io::write_atomic(&path, svg?.as_bytes())?;
            }
        }
        if let Some(path) = plot_data {
            wedge_io::write_atomic(path, self.data.as_bytes())?;
        }
        Ok(())
    }
}

/// A batch: its survival curve.
pub fn run_figures(r: &RunResult) -> Figures {
    Figures {
        charts: vec![(None, run_survival_svg(r))],
        data: run_plot_csv(r),
    }
}

/// A comparison: a forest plot of the paired effects, and every arm's survival curve beside it.
pub fn comparison_figures(r: &ComparisonResult) -> Figures {
    let baseline = &r.manifest.plan.scenario;
    let title = format!("Levers against {baseline} (paired, common random numbers)");
    Figures {
        charts: vec![
            (None, arms_forest_svg(&title, &r.arms)),
            (Some("survival"), arms_survival_svg(&r.arms)),
        ],
        data: arms_plot_csv(&r.arms),
    }
}

/// A sweep: a curve over one grid parameter, a heat map over two, else the design's points.
pub fn sweep_figures(r: &ComparisonResult, design: Design, params: &[Param]) -> Figures {
    let chart = match (design, params) {
        (Design::Grid, [x]) => sweep_curve_svg(&x.path, &x.values, &r.arms),
        (Design::Grid, [x, y]) => {
            sweep_heatmap_svg((&x.path, &x.values), (&y.path, &y.values), &r.arms)
        }
        _ => design_points_svg(&r.arms),
    };
    Figures {
        charts: vec![(None, chart)],
        data: arms_plot_csv(&r.arms),
    }
}

/// A sensitivity analysis: the tornado, and the Morris chart beside it.
pub fn sensitivity_figures(r: &SensitivityResult) -> Figures {
    Figures {
        charts: vec![
            (None, tornado_svg(&r.scenario, &r.tornado)),
            (Some("morris"), morris_svg(&r.scenario, &r.morris)),
        ],
        data: sensitivity_plot_csv(r),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(second: Result<String, ReportError>) -> Figures {
        Figures {
            charts: vec![(None, Ok("<svg/>".into())), (Some("forest"), second)],
            data: "x,y\n".into(),
        }
    }

    #[test]
    fn charts_go_to_the_plot_and_beside_it_and_the_data_to_its_own_file() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let (plot, data) = (dir.path().join("fig.svg"), dir.path().join("fig.csv"));
        let written = figures(Ok("<svg/>".into())).write(Some(&plot), Some(&data));
        assert!(written.is_ok());
        assert!(plot.is_file() && dir.path().join("fig-forest.svg").is_file());
        assert_eq!(
            std::fs::read_to_string(&data).ok().as_deref(),
            Some("x,y\n")
        );
    }

    #[test]
    fn a_chart_that_cannot_be_drawn_is_an_error_and_nothing_is_asked_without_paths() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let plot = dir.path().join("fig.svg");
        let failed = figures(Err(ReportError::Draw("no".into()))).write(Some(&plot), None);
        assert!(matches!(failed, Err(ReportError::Draw(_))));
        let nothing = figures(Err(ReportError::Draw("no".into()))).write(None, None);
        assert!(nothing.is_ok());
    }
}
