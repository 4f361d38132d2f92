//! Scenario discovery on a per-run table: PRIM (Friedman & Fisher 1999, as
//! the EMA Workbench implements it, from `wedge-analysis`) over the table's
//! input columns, for a 0/1 outcome.
//!
//! The input columns are, unless named explicitly, those of the per-run
//! table's inputs: `p.` (values set or swept for the arm), `u.` (drawn
//! uncertainties) and `l.` (lever intensities); columns that never vary are
//! left out, as no box can restrict them. The outcome is a column read as a
//! case of interest where it is 1 (`split`), or where it lies below or above
//! a cut (`final_alignment` below 0).

use serde::Serialize;
use wedge_analysis::{
    BoxInspection, PrimError, PrimOptions, Table, TrajectoryStep, discover as prim,
};

/// Column-name prefixes of a per-run table's inputs.
pub const INPUT_PREFIXES: [&str; 3] = ["p.", "u.", "l."];

/// One column of a table, as read.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    /// Numbers (NaN for an empty cell).
    Numeric(Vec<f64>),
    /// Labels (empty for an empty cell).
    Labels(Vec<String>),
}

impl Column {
    fn len(&self) -> usize {
        match self {
            Column::Numeric(v) => v.len(),
            Column::Labels(v) => v.len(),
        }
    }
}

/// Which rows are cases of interest.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "rule", content = "cut")]
pub enum CaseRule {
    /// The outcome is 1 (a 0/1 column such as `split`).
    IsOne,
    /// The outcome is below the cut (empty cells are not cases).
    Below(f64),
    /// The outcome is above the cut (empty cells are not cases).
    Above(f64),
}

impl CaseRule {
    /// The rule of a cut below, a cut above, or neither (the outcome is 1);
    /// `None` when both cuts are given.
    pub fn from_cuts(below: Option<f64>, above: Option<f64>) -> Option<CaseRule> {
        match (below, above) {
            (Some(_), Some(_)) => None,
            (Some(c), None) => Some(CaseRule::Below(c)),
            (None, Some(c)) => Some(CaseRule::Above(c)),
            (None, None) => Some(CaseRule::IsOne),
        }
    }
}

/// What to look for.
#[derive(Debug, Clone, PartialEq)]
pub struct DiscoverSettings {
    /// The outcome column.
    pub outcome: String,
    /// Which of its values are cases of interest.
    pub rule: CaseRule,
    /// Input columns; empty means every `p.`, `u.` and `l.` column that varies.
    pub inputs: Vec<String>,
    /// PRIM's options (threshold: the smallest density of the chosen box).
    pub options: PrimOptions,
}

/// What to look for, as `wedge discover`'s flags give it (they are its
/// fields, with the `clap` feature): the cuts as two options, and PRIM's
/// threshold and number of boxes beside its other options' defaults.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct DiscoverFlags {
    /// The outcome column; its cases of interest are the rows where it is 1 (or see --below, --above).
    #[cfg_attr(feature = "clap", arg(long, default_value = "split"))]
    pub outcome: String,
    /// Cases of interest are the rows where the outcome is below this value.
    #[cfg_attr(feature = "clap", arg(long, allow_negative_numbers = true))]
    pub below: Option<f64>,
    /// Cases of interest are the rows where the outcome is above this value.
    #[cfg_attr(feature = "clap", arg(long, allow_negative_numbers = true))]
    pub above: Option<f64>,
    /// Smallest density of the chosen box (the step of best coverage that reaches it).
    #[cfg_attr(feature = "clap", arg(long, default_value_t = 0.8))]
    pub threshold: f64,
    /// Input columns (default: every p.*, u.* and l.* column that varies).
    #[cfg_attr(feature = "clap", arg(long, value_delimiter = ','))]
    pub inputs: Vec<String>,
    /// Most boxes to find, one after another (each among the rows outside the earlier ones).
    #[cfg_attr(feature = "clap", arg(long, default_value_t = 1))]
    pub boxes: usize,
}

impl DiscoverFlags {
    /// The settings these flags ask for; `None` when both `below` and
    /// `above` are given.
    pub fn settings(&self) -> Option<DiscoverSettings> {
        Some(DiscoverSettings {
            outcome: self.outcome.clone(),
            rule: CaseRule::from_cuts(self.below, self.above)?,
            inputs: self.inputs.clone(),
            options: PrimOptions {
                threshold: self.threshold,
                max_boxes: self.boxes,
                ..PrimOptions::default()
            },
        })
    }
}

/// One box found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FoundBox {
    /// Rows outside earlier boxes when this one was sought.
    pub rows_available: usize,
    /// The peeling and pasting trajectory, starting box first.
    pub trajectory: Vec<TrajectoryStep>,
    /// The chosen step: best coverage among those of density ≥ threshold.
    pub selected: Option<usize>,
    /// The chosen step with the quasi-p value of each restricted limit.
    pub inspection: Option<BoxInspection>,
}

/// What `wedge discover --format json` prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Discovery {
    /// The outcome column.
    pub outcome: String,
    /// The case rule.
    pub rule: CaseRule,
    /// Rows of the table.
    pub rows: usize,
    /// Cases of interest among them.
    pub cases: usize,
    /// The input columns PRIM worked on.
    pub inputs: Vec<String>,
    /// Input columns left out because they never vary.
    pub constant: Vec<String>,
    /// Input columns left out because they repeat an earlier input
    /// (a swept lever intensity is both `p.levers.NAME.intensity` and `l.NAME`).
    pub repeated: Vec<String>,
    /// Density threshold of the chosen box.
    pub threshold: f64,
    /// The boxes found.
    pub boxes: Vec<FoundBox>,
}

/// Why discovery could not run.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum DiscoverError {
    /// The outcome column is not in the table.
    #[error("no column `{0}` in the table (columns: {1})")]
    NoOutcome(String, String),
    /// An input named explicitly is not in the table.
    #[error("no input column `{0}` in the table")]
    NoInput(String),
    /// The outcome holds labels, or a 0/1 rule met another value.
    #[error(
        "the outcome `{column}` {problem}; give --below or --above a cut for a continuous outcome"
    )]
    BadOutcome {
        /// The column.
        column: String,
        /// What is wrong.
        problem: String,
    },
    /// An input has empty cells.
    #[error("input column `{column}` has an empty cell at row {row}; leave it out with --inputs")]
    Missing {
        /// The column.
        column: String,
        /// First empty row (0-based, after the header).
        row: usize,
    },
    /// No input varies.
    #[error(
        "no input column varies (looked for columns named p.*, u.* and l.*); name them with --inputs"
    )]
    NoInputs,
    /// PRIM refused.
    #[error(transparent)]
    Prim(#[from] PrimError),
}

impl wedge_io::Categorized for DiscoverError {
    fn category(&self) -> wedge_io::Category {
        wedge_io::Category::Usage
    }
}

/// Find boxes of inputs where the cases of interest concentrate.
pub fn discover(
    columns: &[(String, Column)],
    settings: &DiscoverSettings,
) -> Result<Discovery, DiscoverError> {
    let find = |name: &str| columns.iter().find(|(n, _)| n == name).map(|(_, c)| c);
    let outcome = find(&settings.outcome).ok_or_else(|| {
        DiscoverError::NoOutcome(
            settings.outcome.clone(),
            columns
                .iter()
                .map(|(n, _)| n.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        )
    })?;
    let y = cases(&settings.outcome, outcome, settings.rule)?;
    let rows = y.len();
    let cases = y.iter().filter(|c| **c).count();

    let candidates: Vec<&(String, Column)> = if settings.inputs.is_empty() {
        columns
            .iter()
            .filter(|(n, _)| INPUT_PREFIXES.iter().any(|p| n.starts_with(p)))
            .collect()
    } else {
        settings
            .inputs
            .iter()
            .map(|name| {
                columns
                    .iter()
                    .find(|(n, _)| n == name)
                    .ok_or_else(|| DiscoverError::NoInput(name.clone()))
            })
            .collect::<Result<_, _>>()?
    };
    let mut table = Table::new(y)?;
    let mut inputs = Vec::new();
    let mut constant = Vec::new();
    let mut repeated = Vec::new();
    let mut kept: Vec<&Column> = Vec::new();
    for (name, column) in candidates {
        if column.len() != rows {
            continue;
        }
        if kept.contains(&column) {
            repeated.push(name.clone());
            continue;
        }
        match column {
            Column::Numeric(values) => {
                if let Some(row) = values.iter().position(|v| !v.is_finite()) {
                    return Err(DiscoverError::Missing {
                        column: name.clone(),
                        row,
                    });
                }
                if values.iter().all(|v| *v == values[0]) {
                    constant.push(name.clone());
                    continue;
                }
                table = table.with_numeric(name, values.clone())?;
            }
            Column::Labels(labels) => {
                if labels.iter().all(|v| *v == labels[0]) {
                    constant.push(name.clone());
                    continue;
                }
                table = table.with_labels(name, labels)?;
            }
        }
        inputs.push(name.clone());
        kept.push(column);
    }
    if inputs.is_empty() {
        return Err(DiscoverError::NoInputs);
    }
    let boxes = prim(&table, settings.options)?
        .into_iter()
        .map(|b| FoundBox {
            rows_available: b.rows_available(),
            trajectory: b.trajectory().to_vec(),
            selected: b.selected(),
            inspection: b.inspection().cloned(),
        })
        .collect();
    Ok(Discovery {
        outcome: settings.outcome.clone(),
        rule: settings.rule,
        rows,
        cases,
        inputs,
        constant,
        repeated,
        threshold: settings.options.threshold,
        boxes,
    })
}

/// The cases of interest of an outcome column.
fn cases(name: &str, column: &Column, rule: CaseRule) -> Result<Vec<bool>, DiscoverError> {
    let bad = |problem: String| DiscoverError::BadOutcome {
        column: name.to_string(),
        problem,
    };
    let Column::Numeric(values) = column else {
        return Err(bad("holds labels, not numbers".into()));
    };
    values
        .iter()
        .enumerate()
        .map(|(row, v)| match rule {
            CaseRule::IsOne if *v == 1.0 => Ok(true),
            CaseRule::IsOne if *v == 0.0 => Ok(false),
            CaseRule::IsOne => Err(bad(format!("is {v} at row {row}, not 0 or 1"))),
            CaseRule::Below(cut) => Ok(*v < cut),
            CaseRule::Above(cut) => Ok(*v > cut),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(rule: CaseRule) -> DiscoverSettings {
        DiscoverSettings {
            outcome: "y".into(),
            rule,
            inputs: Vec::new(),
            options: PrimOptions {
                threshold: 0.9,
                ..PrimOptions::default()
            },
        }
    }

    #[test]
    fn flags_give_the_rule_of_their_cuts_and_prims_threshold_and_boxes() {
        let flags = DiscoverFlags {
            outcome: "final_alignment".into(),
            below: Some(-0.5),
            above: None,
            threshold: 0.6,
            inputs: vec!["u.a".into()],
            boxes: 3,
        };
        let got = flags.settings();
        let want = DiscoverSettings {
            outcome: "final_alignment".into(),
            rule: CaseRule::Below(-0.5),
            inputs: vec!["u.a".into()],
            options: PrimOptions {
                threshold: 0.6,
                max_boxes: 3,
                ..PrimOptions::default()
            },
        };
        assert_eq!(got, Some(want));
        let neither = DiscoverFlags {
            below: None,
            ..flags.clone()
        };
        assert_eq!(neither.settings().map(|s| s.rule), Some(CaseRule::IsOne));
        let both = DiscoverFlags {
            above: Some(0.5),
            ..flags
        };
        assert_eq!(both.settings(), None);
    }

    #[test]
    fn constant_and_repeated_inputs_are_left_out_and_the_box_is_found() {
        let n = 400;
        let x: Vec<f64> = (0..n).map(|i| f64::from(i) / f64::from(n)).collect();
        let y: Vec<f64> = x.iter().map(|v| f64::from(u8::from(*v > 0.8))).collect();
        let columns = vec![
            ("p.x".to_string(), Column::Numeric(x.clone())),
            ("l.x".to_string(), Column::Numeric(x.clone())),
            ("u.flat".to_string(), Column::Numeric(vec![1.0; n as usize])),
            ("other".to_string(), Column::Numeric(x)),
            ("y".to_string(), Column::Numeric(y)),
        ];
        let d = discover(&columns, &settings(CaseRule::IsOne)).expect("discovers");
        assert_eq!(d.inputs, ["p.x"]);
        assert_eq!(d.repeated, ["l.x"]);
        assert_eq!(d.constant, ["u.flat"]);
        assert_eq!(d.cases, 79);
        let chosen = d.boxes[0].inspection.as_ref().expect("a dense box");
        assert!(chosen.density >= 0.9);
        let below = discover(&columns, &settings(CaseRule::Below(0.5))).expect("discovers");
        assert_eq!(below.cases, n as usize - 79);
    }

    #[test]
    fn a_non_binary_outcome_without_a_cut_is_refused() {
        let columns = vec![
            ("u.a".to_string(), Column::Numeric(vec![0.1, 0.2, 0.3])),
            ("y".to_string(), Column::Numeric(vec![0.0, 0.5, 1.0])),
        ];
        let e = discover(&columns, &settings(CaseRule::IsOne)).expect_err("0.5 is not 0 or 1");
        assert!(e.to_string().contains("not 0 or 1"), "{e}");
        let missing = discover(&columns[..1], &settings(CaseRule::IsOne)).expect_err("no y");
        assert!(matches!(missing, DiscoverError::NoOutcome(..)));
    }
}
