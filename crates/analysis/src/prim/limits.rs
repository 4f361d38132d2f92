//! Limits of a PRIM box on each input column, and the bounds they are
//! reported as.

use serde::Serialize;

use super::table::{Column, Table};

/// A box's limit on one column, as the algorithm works with it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Lim {
    /// Rows with low ≤ x ≤ high.
    Num { low: f64, high: f64 },
    /// Rows whose category is allowed (`mask[code]`).
    Cat(Vec<bool>),
}

impl Lim {
    /// Whether `row` of `column` lies within this limit.
    pub(crate) fn contains(&self, column: &Column, row: usize) -> bool {
        match (self, column) {
            (Lim::Num { low, high }, Column::Numeric(x)) => *low <= x[row] && x[row] <= *high,
            (Lim::Cat(mask), Column::Categorical { codes, .. }) => mask[codes[row] as usize],
            _ => false,
        }
    }

    /// The bounds shown to users.
    pub(crate) fn bounds(&self, column: &Column) -> Bounds {
        match (self, column) {
            (Lim::Cat(mask), Column::Categorical { categories, .. }) => Bounds::Categorical {
                allowed: categories
                    .iter()
                    .zip(mask)
                    .filter(|(_, on)| **on)
                    .map(|(c, _)| c.clone())
                    .collect(),
            },
            (Lim::Num { low, high }, _) => Bounds::Numeric {
                low: *low,
                high: *high,
            },
            (Lim::Cat(_), Column::Numeric(_)) => Bounds::Categorical {
                allowed: Vec::new(),
            },
        }
    }
}

/// The box that holds every row: [min, max] of each numeric column, every
/// category of each categorical one.
pub(crate) fn initial(table: &Table) -> Vec<Lim> {
    table
        .columns()
        .iter()
        .map(|column| match column {
            Column::Numeric(x) => Lim::Num {
                low: x.iter().copied().fold(f64::INFINITY, f64::min),
                high: x.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            },
            Column::Categorical { categories, .. } => Lim::Cat(vec![true; categories.len()]),
        })
        .collect()
}

/// Whether `row` lies in the box `lims` on every column but `skip`.
pub(crate) fn in_box_except(table: &Table, lims: &[Lim], skip: usize, row: usize) -> bool {
    lims.iter()
        .zip(table.columns())
        .enumerate()
        .all(|(c, (lim, column))| c == skip || lim.contains(column, row))
}

/// Whether `row` lies in the box `lims`.
pub(crate) fn in_box(table: &Table, lims: &[Lim], row: usize) -> bool {
    in_box_except(table, lims, usize::MAX, row)
}

/// A box's bounds on one input.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Bounds {
    /// A numeric input restricted to [low, high] (both included).
    Numeric {
        /// Lower limit.
        low: f64,
        /// Upper limit.
        high: f64,
    },
    /// A categorical input restricted to a set of categories.
    Categorical {
        /// The categories inside the box, in declaration order.
        allowed: Vec<String>,
    },
}
