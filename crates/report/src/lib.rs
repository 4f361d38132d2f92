//! Pictures and pages for wedge results: SVG charts drawn with plotters and a
//! self-contained HTML report (inline SVG, no network).
//!
//! Charts are SVG only: the SVG backend needs no font files, so wedge draws
//! plots on any machine without system fonts.
#![deny(missing_docs)]

pub mod charts;
pub mod html;

/// Why a chart or a report could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// plotters failed to draw.
    #[error("cannot draw the chart: {0}")]
    Draw(String),
    /// The input is not a wedge result.
    #[error("not a wedge result: {0}")]
    Input(String),
}
