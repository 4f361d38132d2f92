//! SVG charts: survival curves, forest plots of paired deltas, sweep curves and tornados.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

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

/// Curves drawn in colour, with their bands and legend entries; later curves are drawn thin and grey.
pub const HIGHLIGHTED_CURVES: usize = 5;

/// Survival curves with their 95% bands, as an SVG document, in percent.
/// The first [`HIGHLIGHTED_CURVES`] curves (the baseline and the top arms, in
/// the order given) are drawn in distinct colours with their bands; any
/// others are thin grey lines under one legend entry. The y-axis starts below
/// the lowest band, and says so when that is not 0.
pub fn survival_svg(title: &str, curves: &[Curve<'_>]) -> Result<String, ReportError> {
    survival_svg_from(title, curves, None)
}

/// [`survival_svg`] with the x-axis in calendar years from `start_year`
/// (curve years count from the start); `None` labels years from the start.
pub fn survival_svg_from(
    title: &str,
    curves: &[Curve<'_>],
    start_year: Option<f64>,
) -> Result<String, ReportError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (760, 460)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        let years = curves
            .iter()
            .flat_map(|c| c.points.iter().map(|p| p.0))
            .fold(1.0, f64::max);
        let low = curves
            .iter()
            .flat_map(|c| c.points.iter().map(|p| p.2))
            .fold(1.0, f64::min);
        // A floor on a 5-point grid, so the axis label can say where it starts.
        let floor = ((low * 100.0 - 5.0) / 5.0).floor().clamp(0.0, 19.0) * 5.0;
        let y_desc = if floor > 0.0 {
            format!("partnership intact, % (axis starts at {floor:.0}%)")
        } else {
            "partnership intact, %".to_string()
        };
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 24))
            .margin(14)
            .margin_right(34)
            .x_label_area_size(44)
            .y_label_area_size(60)
            .build_cartesian_2d(0.0..years, floor..100.0)
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .label_style(("sans-serif", 17))
            .axis_desc_style(("sans-serif", 18))
            .x_desc(if start_year.is_some() {
                "calendar year"
            } else {
                "years from the start"
            })
            .x_label_formatter(&|x| match start_year {
                // A start in mid-year (e.g. 2021.5) keeps its decimal.
                Some(start) if start.fract() != 0.0 => format!("{:.1}", start + x),
                Some(start) => format!("{:.0}", start + x),
                None => format!("{x:.0}"),
            })
            .y_desc(y_desc)
            .draw()
            .map_err(draw_err)?;
        let grey = RGBColor(170, 170, 170);
        let others = curves.len().saturating_sub(HIGHLIGHTED_CURVES);
        // The grey ones first, so the highlighted curves are drawn on top.
        for (i, curve) in curves.iter().enumerate().skip(HIGHLIGHTED_CURVES) {
            let series = chart
                .draw_series(LineSeries::new(
                    curve.points.iter().map(|p| (p.0, p.1 * 100.0)),
                    grey.stroke_width(1),
                ))
                .map_err(draw_err)?;
            if i == HIGHLIGHTED_CURVES {
                series
                    .label(format!("{others} other arms"))
                    .legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 18, y)], grey.stroke_width(1))
                    });
            }
        }
        for (i, curve) in curves.iter().enumerate().take(HIGHLIGHTED_CURVES) {
            let color = color_of(i);
            let band: Vec<(f64, f64)> = curve
                .points
                .iter()
                .map(|p| (p.0, p.3 * 100.0))
                .chain(curve.points.iter().rev().map(|p| (p.0, p.2 * 100.0)))
                .collect();
            chart
                .draw_series(std::iter::once(Polygon::new(band, color.mix(0.12))))
                .map_err(draw_err)?;
            let width = if i == 0 { 3 } else { 2 };
            chart
                .draw_series(LineSeries::new(
                    curve.points.iter().map(|p| (p.0, p.1 * 100.0)),
                    color.stroke_width(width),
                ))
                .map_err(draw_err)?
                .label(curve.label)
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(width))
                });
        }
        chart
            .configure_series_labels()
            .label_font(("sans-serif", 17))
            .background_style(WHITE.mix(0.85))
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
        let height = 100 + 28 * rows.len().max(1) as u32;
        let root = SVGBackend::with_string(&mut svg, (760, height)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        let lo = rows.iter().map(|r| r.low).fold(0.0, f64::min);
        let hi = rows.iter().map(|r| r.high).fold(0.0, f64::max);
        let pad = ((hi - lo) * 0.05).max(1e-3);
        let n = rows.len().max(1) as f64;
        let labels: Vec<String> = rows.iter().map(|r| r.label.to_string()).collect();
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 24))
            .margin(12)
            .x_label_area_size(52)
            .y_label_area_size(250)
            .build_cartesian_2d((lo - pad)..(hi + pad), -0.5..(n - 0.5))
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .label_style(("sans-serif", 17))
            .axis_desc_style(("sans-serif", 18))
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
        // In percent, like every other chart and table.
        let points: Vec<(f64, f64, f64, f64)> = points
            .iter()
            .map(|p| (p.0, p.1 * 100.0, p.2 * 100.0, p.3 * 100.0))
            .collect();
        let points = points.as_slice();
        let top = points.iter().map(|p| p.3).fold(5.0, f64::max).min(100.0);
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 24))
            .margin(12)
            .x_label_area_size(52)
            .y_label_area_size(60)
            .build_cartesian_2d(x0..x1, 0.0..top)
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .label_style(("sans-serif", 17))
            .axis_desc_style(("sans-serif", 18))
            .x_desc(x_label)
            .y_desc("split probability, %")
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
        let whole = SVGBackend::with_string(&mut svg, (820, 540)).into_drawing_area();
        whole.fill(&WHITE).map_err(draw_err)?;
        let (root, legend) = whole.split_horizontally(710);
        let (nx, ny) = (xs.len().max(1), ys.len().max(1));
        let top = cells.iter().copied().fold(1e-9, f64::max);
        let shade_of = |v: f64| {
            let shade = (v / top).clamp(0.0, 1.0);
            RGBColor(
                255 - (shade * 224.0) as u8,
                255 - (shade * 150.0) as u8,
                255 - (shade * 60.0) as u8,
            )
        };
        // The colour legend: the scale from 0 to the largest cell, in percent.
        let (steps, bar_top, bar_height) = (20, 80, 380);
        for k in 0..steps {
            let v = top * (steps - 1 - k) as f64 / (steps - 1) as f64;
            let y0 = bar_top + k * bar_height / steps;
            legend
                .draw(&Rectangle::new(
                    [(10, y0), (34, y0 + bar_height / steps + 1)],
                    shade_of(v).filled(),
                ))
                .map_err(draw_err)?;
        }
        legend
            .draw(&Rectangle::new(
                [(10, bar_top), (34, bar_top + bar_height)],
                BLACK.stroke_width(1),
            ))
            .map_err(draw_err)?;
        for (frac, y) in [
            (1.0, bar_top),
            (0.5, bar_top + bar_height / 2),
            (0.0, bar_top + bar_height),
        ] {
            legend
                .draw(&Text::new(
                    format!("{:.1}%", top * frac * 100.0),
                    (40, y - 7),
                    ("sans-serif", 17).into_font(),
                ))
                .map_err(draw_err)?;
        }
        legend
            .draw(&Text::new(
                "split",
                (8, bar_top - 40),
                ("sans-serif", 17).into_font(),
            ))
            .map_err(draw_err)?;
        legend
            .draw(&Text::new(
                "probability",
                (8, bar_top - 22),
                ("sans-serif", 17).into_font(),
            ))
            .map_err(draw_err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 24))
            .margin(12)
            .x_label_area_size(52)
            .y_label_area_size(80)
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
            .label_style(("sans-serif", 17))
            .axis_desc_style(("sans-serif", 18))
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
                let color = shade_of(*v);
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
                // White on dark cells, black on light ones.
                let ink = if v / top > 0.55 { WHITE } else { BLACK };
                Text::new(
                    format!("{:.1}%", v * 100.0),
                    (SegmentValue::CenterOf(i), SegmentValue::CenterOf(j)),
                    ("sans-serif", 17).into_font().color(&ink),
                )
            }))
            .map_err(draw_err)?;
        whole.present().map_err(draw_err)?;
    }
    Ok(svg)
}

/// Labelled points `(label, x, y)` on axes from 0; each label sits beside its
/// point on the side that keeps it inside the canvas.
pub fn scatter_svg(
    title: &str,
    x_label: &str,
    y_label: &str,
    points: &[(String, f64, f64)],
) -> Result<String, ReportError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (760, 480)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
        let x1 = points.iter().map(|p| finite(p.1)).fold(1e-6, f64::max) * 1.1;
        let y1 = points.iter().map(|p| finite(p.2)).fold(1e-6, f64::max) * 1.15;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 24))
            .margin(16)
            .x_label_area_size(44)
            .y_label_area_size(60)
            .build_cartesian_2d(0.0..x1, 0.0..y1)
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .label_style(("sans-serif", 17))
            .axis_desc_style(("sans-serif", 18))
            .x_desc(x_label)
            .y_desc(y_label)
            .draw()
            .map_err(draw_err)?;
        let mut placed: Vec<(i32, i32)> = Vec::new();
        for (i, (label, x, y)) in points.iter().enumerate() {
            let (x, y) = (finite(*x), finite(*y));
            let color = color_of(i);
            chart
                .draw_series(std::iter::once(Circle::new((x, y), 5, color.filled())))
                .map_err(draw_err)?;
            let right_half = x > x1 * 0.55;
            let anchor = if right_half {
                Pos::new(HPos::Right, VPos::Bottom)
            } else {
                Pos::new(HPos::Left, VPos::Bottom)
            };
            let style = ("sans-serif", 17).into_font().color(&BLACK).pos(anchor);
            let (px, mut py) = chart.backend_coord(&(x, y));
            // Move a label up past any label already placed on top of it.
            while placed
                .iter()
                .any(|(qx, qy)| (qx - px).abs() < 170 && (qy - py).abs() < 19)
            {
                py -= 19;
            }
            placed.push((px, py));
            let dx = if right_half { -8 } else { 8 };
            root.draw(&Text::new(label.clone(), (px + dx, py - 4), style))
                .map_err(draw_err)?;
        }
        root.present().map_err(draw_err)?;
    }
    Ok(svg)
}

/// One panel of [`panels_svg`]: its input's name and `(input, estimate, low, high)` points.
pub type Panel = (String, Vec<(f64, f64, f64, f64)>);

/// Outcome against each input, one scatter panel per input (with 95%
/// whiskers), side by side in rows of up to three; axis labels stay inside
/// the canvas. Estimates are proportions, drawn in percent.
pub fn panels_svg(title: &str, y_label: &str, panels: &[Panel]) -> Result<String, ReportError> {
    let columns = panels.len().clamp(1, 3);
    let rows = panels.len().div_ceil(3).max(1);
    let mut svg = String::new();
    {
        let (width, height) = (330 * columns as u32 + 20, 60 + 320 * rows as u32);
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        let root = root.titled(title, ("sans-serif", 24)).map_err(draw_err)?;
        let top = panels
            .iter()
            .flat_map(|(_, pts)| pts.iter().map(|p| p.3))
            .fold(0.01, f64::max)
            .min(1.0)
            * 100.0;
        let areas = root.split_evenly((rows, columns));
        for ((name, points), area) in panels.iter().zip(areas) {
            let x0 = points.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
            let x1 = points.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
            let (x0, x1) = if x0.is_finite() && x1 > x0 {
                let pad = (x1 - x0) * 0.05;
                (x0 - pad, x1 + pad)
            } else {
                (0.0, 1.0)
            };
            let mut chart = ChartBuilder::on(&area)
                .margin(10)
                .x_label_area_size(48)
                .y_label_area_size(56)
                .build_cartesian_2d(x0..x1, 0.0..top * 1.05)
                .map_err(draw_err)?;
            chart
                .configure_mesh()
                .label_style(("sans-serif", 17))
                .axis_desc_style(("sans-serif", 17))
                .x_labels(4)
                .x_desc(name.as_str())
                .y_desc(y_label)
                .draw()
                .map_err(draw_err)?;
            chart
                .draw_series(points.iter().map(|p| {
                    PathElement::new(
                        vec![(p.0, p.2 * 100.0), (p.0, p.3 * 100.0)],
                        PALETTE[0].mix(0.6).stroke_width(1),
                    )
                }))
                .map_err(draw_err)?;
            chart
                .draw_series(
                    points
                        .iter()
                        .map(|p| Circle::new((p.0, p.1 * 100.0), 4, PALETTE[0].filled())),
                )
                .map_err(draw_err)?;
        }
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

    /// The text of every `<text>` element, trimmed.
    fn texts(svg: &str) -> Vec<String> {
        svg.split("<text")
            .skip(1)
            .filter_map(|t| {
                Some(
                    t.split_once('>')?
                        .1
                        .split("</text>")
                        .next()?
                        .trim()
                        .to_string(),
                )
            })
            .collect()
    }

    fn curve(label: &str, end: f64) -> Curve<'_> {
        Curve {
            label,
            points: vec![(0.0, 1.0, 1.0, 1.0), (10.0, end, end - 0.02, end + 0.02)],
        }
    }

    fn stroke_colours(svg: &str) -> std::collections::BTreeSet<String> {
        svg.split("stroke=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .filter(|c| c.starts_with('#'))
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn many_survival_curves_highlight_the_first_few_and_say_where_the_axis_starts() {
        let labels: Vec<String> = (0..14).map(|i| format!("arm {i}")).collect();
        let curves: Vec<Curve<'_>> = labels
            .iter()
            .enumerate()
            .map(|(i, l)| curve(l, 0.8 - 0.01 * i as f64))
            .collect();
        let svg = survival_svg("Survival", &curves).unwrap_or_default();
        assert!(
            svg.contains("axis starts at"),
            "the y-axis starts above 0 and says so"
        );
        assert!(svg.contains("9 other arms"));
        let t = texts(&svg);
        assert!(
            t.iter().any(|x| x == "arm 4") && !t.iter().any(|x| x == "arm 5"),
            "only the first five are named: {t:?}"
        );
        // Highlighted colours are distinct: at most five series colours plus grey and the axes.
        let colours = stroke_colours(&svg);
        assert!(colours.contains("#AAAAAA"), "{colours:?}");
        for c in PALETTE.iter().take(HIGHLIGHTED_CURVES) {
            let hex = format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2);
            assert!(colours.contains(&hex), "{hex} missing from {colours:?}");
        }
    }

    #[test]
    fn a_heat_map_has_a_colour_legend() {
        let xs = [0.0, 1.0];
        let ys = [0.1, 0.2];
        let svg =
            heatmap_svg("Split", ("x", &xs), ("y", &ys), &[0.1, 0.2, 0.3, 0.4]).unwrap_or_default();
        let t = texts(&svg);
        for want in ["probability", "40.0%", "20.0%", "0.0%"] {
            assert!(t.iter().any(|x| x == want), "{want} missing from {t:?}");
        }
    }

    #[test]
    fn design_panels_have_one_panel_per_input_inside_the_canvas() {
        let panels: Vec<Panel> = ["params.a", "params.b"]
            .iter()
            .map(|n| {
                (
                    n.to_string(),
                    vec![(0.0, 0.1, 0.05, 0.15), (1.0, 0.3, 0.25, 0.35)],
                )
            })
            .collect();
        let svg = panels_svg("Design", "split probability, %", &panels).unwrap_or_default();
        let t = texts(&svg);
        assert!(
            t.iter().any(|x| x == "params.a") && t.iter().any(|x| x == "params.b"),
            "{t:?}"
        );
        // Every text anchor lies inside the canvas.
        for x in svg
            .split("<text x=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
        {
            let x: f64 = x.parse().unwrap_or(-1.0);
            assert!(x >= 0.0, "text at x = {x}");
        }
    }

    #[test]
    fn scatter_labels_do_not_sit_on_each_other() {
        let points = vec![
            ("one".to_string(), 0.0, 0.0),
            ("two".to_string(), 0.01, 0.0),
            ("far".to_string(), 1.0, 1.0),
        ];
        let svg = scatter_svg("M", "x", "y", &points).unwrap_or_default();
        let ys: Vec<String> = svg
            .split("<text")
            .filter(|t| t.contains("\none\n") || t.contains("\ntwo\n"))
            .filter_map(|t| {
                t.split("y=\"")
                    .nth(1)?
                    .split('"')
                    .next()
                    .map(str::to_string)
            })
            .collect();
        assert_eq!(ys.len(), 2);
        assert_ne!(ys[0], ys[1]);
    }
}
