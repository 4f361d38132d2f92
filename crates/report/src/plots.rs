//! The charts of each result with the data behind them: what `--plot` and
//! `--plot-data` write, chosen here so every surface draws the same figures.

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
