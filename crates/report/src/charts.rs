//! SVG charts: survival curves, forest plots of paired deltas, sweep curves and tornados.

use plotters::prelude::*;

use crate::ReportError;

/// One survival curve: (year, survival, low, high) points.
pub struct Curve<'a> {
    /// Legend label.
    pub label: &'a str,
    /// Points.
    pub points: Vec<(f64, f64, f64, f64)>,
}

/// One row of a forest plot: label, estimate, interval.
pub struct Interval<'a> {
    /// Row label.
    pub label: &'a str,
    /// Point estimate.
    pub estimate: f64,
    /// Lower bound.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
}

const PALETTE: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
    RGBColor(255, 127, 14),
    RGBColor(23, 190, 207),
];

/// A distinct colour for series `i`: the palette first, then golden-ratio hues.
fn color_of(i: usize) -> RGBColor {
    if i < PALETTE.len() {
        return PALETTE[i];
    }
    let (r, g, b) = HSLColor((i as f64 * 0.618_034) % 1.0, 0.65, 0.42).rgb();
    RGBColor(r, g, b)
}

fn draw_err<E: std::fmt::Debug>(e: E) -> ReportError {
    ReportError::Draw(format!("{e:?}"))
}

/// Survival curves with their 95% bands, as an SVG document.
pub fn survival_svg(title: &str, curves: &[Curve<'_>]) -> Result<String, ReportError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (720, 420)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        let years = curves
            .iter()
            .flat_map(|c| c.points.iter().map(|p| p.0))
            .fold(1.0, f64::max);
        let low = curves
            .iter()
            .flat_map(|c| c.points.iter().map(|p| p.2))
            .fold(1.0, f64::min);
        let floor = (low - 0.05).clamp(0.0, 0.95);
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 20))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(52)
            .build_cartesian_2d(0.0..years, floor..1.0)
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .x_desc("years")
            .y_desc("partnership intact")
            .draw()
            .map_err(draw_err)?;
        for (i, curve) in curves.iter().enumerate() {
            let color = color_of(i);
            let band: Vec<(f64, f64)> = curve
                .points
                .iter()
                .map(|p| (p.0, p.3))
                .chain(curve.points.iter().rev().map(|p| (p.0, p.2)))
                .collect();
            chart
                .draw_series(std::iter::once(Polygon::new(band, color.mix(0.15))))
                .map_err(draw_err)?;
            chart
                .draw_series(LineSeries::new(
                    curve.points.iter().map(|p| (p.0, p.1)),
                    color.stroke_width(2),
                ))
                .map_err(draw_err)?
                .label(curve.label)
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(2))
                });
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .position(SeriesLabelPosition::LowerLeft)
            .draw()
            .map_err(draw_err)?;
        root.present().map_err(draw_err)?;
    }
    Ok(svg)
}

/// A forest plot: one row per interval, a vertical line at zero.
pub fn forest_svg(
    title: &str,
    x_label: &str,
    rows: &[Interval<'_>],
) -> Result<String, ReportError> {
    let mut svg = String::new();
    {
        let height = 80 + 28 * rows.len().max(1) as u32;
        let root = SVGBackend::with_string(&mut svg, (760, height)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        let lo = rows.iter().map(|r| r.low).fold(0.0, f64::min);
        let hi = rows.iter().map(|r| r.high).fold(0.0, f64::max);
        let pad = ((hi - lo) * 0.05).max(1e-3);
        let n = rows.len().max(1) as f64;
        let labels: Vec<String> = rows.iter().map(|r| r.label.to_string()).collect();
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 20))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(230)
            .build_cartesian_2d((lo - pad)..(hi + pad), -0.5..(n - 0.5))
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .x_desc(x_label)
            .y_labels(rows.len().max(1))
            .y_label_formatter(&|y| {
                let i = y.round();
                if (y - i).abs() < 0.01 && i >= 0.0 {
                    labels
                        .get(labels.len().saturating_sub(1 + i as usize))
                        .cloned()
                        .unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .draw()
            .map_err(draw_err)?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(0.0, -0.5), (0.0, n - 0.5)],
                BLACK.stroke_width(1),
            )))
            .map_err(draw_err)?;
        for (i, r) in rows.iter().enumerate() {
            let y = n - 1.0 - i as f64;
            let color = PALETTE[0];
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(r.low, y), (r.high, y)],
                    color.stroke_width(2),
                )))
                .map_err(draw_err)?;
            chart
                .draw_series(std::iter::once(Circle::new(
                    (r.estimate, y),
                    4,
                    color.filled(),
                )))
                .map_err(draw_err)?;
        }
        root.present().map_err(draw_err)?;
    }
    Ok(svg)
}

/// A curve of split probability against one swept value, with its interval band.
pub fn sweep_svg(
    title: &str,
    x_label: &str,
    points: &[(f64, f64, f64, f64)],
) -> Result<String, ReportError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (720, 420)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        let x0 = points.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
        let x1 = points.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
        let (x0, x1) = if x0.is_finite() && x1 > x0 {
            (x0, x1)
        } else {
            (0.0, 1.0)
        };
        let top = points.iter().map(|p| p.3).fold(0.05, f64::max).min(1.0);
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 20))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(52)
            .build_cartesian_2d(x0..x1, 0.0..top)
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .x_desc(x_label)
            .y_desc("split probability")
            .draw()
            .map_err(draw_err)?;
        let band: Vec<(f64, f64)> = points
            .iter()
            .map(|p| (p.0, p.3))
            .chain(points.iter().rev().map(|p| (p.0, p.2)))
            .collect();
        chart
            .draw_series(std::iter::once(Polygon::new(band, PALETTE[0].mix(0.15))))
            .map_err(draw_err)?;
        chart
            .draw_series(LineSeries::new(
                points.iter().map(|p| (p.0, p.1)),
                PALETTE[0].stroke_width(2),
            ))
            .map_err(draw_err)?;
        chart
            .draw_series(
                points
                    .iter()
                    .map(|p| Circle::new((p.0, p.1), 3, PALETTE[0].filled())),
            )
            .map_err(draw_err)?;
        root.present().map_err(draw_err)?;
    }
    Ok(svg)
}

/// A heat map over a grid: `cells[i * ys.len() + j]` is the value at (`xs[i]`, `ys[j]`), in \[0, 1\].
pub fn heatmap_svg(
    title: &str,
    x: (&str, &[f64]),
    y: (&str, &[f64]),
    cells: &[f64],
) -> Result<String, ReportError> {
    let (x_label, xs) = x;
    let (y_label, ys) = y;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (720, 520)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        let (nx, ny) = (xs.len().max(1), ys.len().max(1));
        let top = cells.iter().copied().fold(1e-9, f64::max);
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!("{title} (darkest = {:.1}%)", top * 100.0),
                ("sans-serif", 20),
            )
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(70)
            .build_cartesian_2d(
                (0..nx as i32 - 1).into_segmented(),
                (0..ny as i32 - 1).into_segmented(),
            )
            .map_err(draw_err)?;
        let label = |values: &[f64], v: &SegmentValue<i32>| match v {
            SegmentValue::CenterOf(i) => values
                .get(*i as usize)
                .map_or(String::new(), |x| format!("{x:.3}")),
            _ => String::new(),
        };
        let x_fmt = |v: &SegmentValue<i32>| label(xs, v);
        let y_fmt = |v: &SegmentValue<i32>| label(ys, v);
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc(x_label)
            .y_desc(y_label)
            .x_labels(nx + 1)
            .y_labels(ny + 1)
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .draw()
            .map_err(draw_err)?;
        let cell = |k: usize| ((k / ny) as i32, (k % ny) as i32);
        chart
            .draw_series(cells.iter().enumerate().map(|(k, v)| {
                let (i, j) = cell(k);
                let shade = (v / top).clamp(0.0, 1.0);
                let color = RGBColor(
                    255 - (shade * 224.0) as u8,
                    255 - (shade * 150.0) as u8,
                    255 - (shade * 60.0) as u8,
                );
                Rectangle::new(
                    [
                        (SegmentValue::Exact(i), SegmentValue::Exact(j)),
                        (SegmentValue::Exact(i + 1), SegmentValue::Exact(j + 1)),
                    ],
                    color.filled(),
                )
            }))
            .map_err(draw_err)?;
        chart
            .draw_series(cells.iter().enumerate().map(|(k, v)| {
                let (i, j) = cell(k);
                Text::new(
                    format!("{:.1}%", v * 100.0),
                    (SegmentValue::CenterOf(i), SegmentValue::CenterOf(j)),
                    ("sans-serif", 12).into_font(),
                )
            }))
            .map_err(draw_err)?;
        root.present().map_err(draw_err)?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_are_svg_documents() {
        let curve = Curve {
            label: "baseline",
            points: vec![(0.0, 1.0, 1.0, 1.0), (1.0, 0.9, 0.85, 0.95)],
        };
        let svg = survival_svg("Survival", &[curve]).unwrap_or_default();
        assert!(
            svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
            "{svg}"
        );
        let rows = [Interval {
            label: "+lever",
            estimate: 0.05,
            low: 0.02,
            high: 0.08,
        }];
        let forest = forest_svg("Δ", "pp", &rows).unwrap_or_default();
        assert!(forest.contains("<circle"));
    }
}
