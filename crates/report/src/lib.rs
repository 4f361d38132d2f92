//! Rendering wedge's typed results: text tables, CSV, SVG figures (drawn with
//! plotters) and a self-contained HTML page (inline SVG, no network).
//!
//! Every renderer takes a result type of `wedge-runner` and returns text, so
//! any surface (the command line, a server, a notebook) prints the same thing.
//! Charts are SVG only: the SVG backend needs no font files, so wedge draws
//! plots on any machine without system fonts.
//!
//! # Example
//!
//! ```
//! use std::sync::atomic::AtomicBool;
//! use wedge_runner::{RunPlan, RunSession};
//!
//! let model = wedge_core::Model::reference_2021();
//! let mut session = RunSession::new(&model, RunPlan::new("reference", "-", 1, 300), None);
//! session.run(&AtomicBool::new(false), &mut |_| {}).unwrap();
//! let result = session.result("doc");
//! assert!(wedge_report::run_csv(&result).starts_with("measure,year,value"));
//! assert!(wedge_report::run_survival_svg(&result).unwrap().contains("<svg"));
//! ```
#![deny(missing_docs)]

mod charts;
mod explore;
mod figures;
mod html;
mod plots;
mod runs;
mod runs_file;
#[cfg(feature = "parquet")]
mod runs_parquet;
mod runs_read;
mod table;
mod tabular;
mod text;

pub use charts::{
    Curve, HIGHLIGHTED_CURVES, Interval, Panel, forest_svg, heatmap_svg, panels_svg, scatter_svg,
    survival_svg, survival_svg_from, sweep_svg,
};
pub use explore::{NOISE_WARNING, discovery_csv, discovery_text, sobol_csv, sobol_text};
pub use figures::{
    arms_forest_svg, arms_survival_svg, design_points_svg, morris_svg, run_survival_svg,
    sweep_curve_svg, sweep_heatmap_svg, tornado_svg,
};
pub use html::{Document, escape, report};
pub use plots::{Figures, comparison_figures, run_figures, sensitivity_figures, sweep_figures};
pub use runs::{ArmMeta, LeverMeta, RunsCsv, RunsMeta, UncertaintyMeta, runs_meta};
pub use runs_file::{
    RunsFileError, RunsFormat, RunsWriteError, check_runs_path, runs_sidecar, write_runs,
    write_runs_file, write_runs_table,
};
#[cfg(feature = "parquet")]
pub use runs_parquet::{META_KEY, ParquetTableError, RunsParquet};
pub use runs_read::{MAX_TABLE_BYTES, ReadTableError, read_table_csv};
pub use table::{
    arms_plot_csv, comparison_csv, csv_rows, run_csv, run_plot_csv, scoreboard_csv,
    sensitivity_csv, sensitivity_plot_csv, trace_csv,
};
pub use tabular::{Discovered, Tabular};
pub use text::{
    comparison_text, drift_text, manifest_line, pct_interval, run_text, scoreboard_text,
    sensitivity_text, trace_text,
};

/// Why a chart or a report could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// plotters failed to draw.
    #[error("cannot draw the chart: {0}")]
    Draw(String),
    /// The input is not a wedge result.
    #[error("not a wedge result: {0}")]
    Input(String),
    /// A chart or its data could not be written.
    #[error(transparent)]
    Write(#[from] wedge_io::OutputError),
}

impl wedge_io::Categorized for ReportError {
    fn category(&self) -> wedge_io::Category {
        match self {
            ReportError::Draw(_) => wedge_io::Category::Runtime,
            ReportError::Input(_) => wedge_io::Category::Usage,
            ReportError::Write(e) => e.category(),
        }
    }
}
