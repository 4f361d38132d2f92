//! Errors of the PRIM table and algorithm.

use thiserror::Error;

/// Why a table could not be built or PRIM could not run.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum PrimError {
    /// The table has no rows.
    #[error("the table has no rows")]
    EmptyTable,
    /// The table has no input columns.
    #[error("the table has no input columns")]
    NoColumns,
    /// A column's length differs from the outcome's.
    #[error("column `{column}` has {found} values but the outcome has {expected}")]
    LengthMismatch {
        /// Column name.
        column: String,
        /// Rows of the table.
        expected: usize,
        /// Values in the column.
        found: usize,
    },
    /// Two columns share a name.
    #[error("two columns are named `{0}`")]
    DuplicateColumn(String),
    /// A numeric value is NaN or infinite.
    #[error("column `{column}` row {row} is not a finite number")]
    NonFinite {
        /// Column name.
        column: String,
        /// Row.
        row: usize,
    },
    /// A categorical code has no category.
    #[error("column `{column}` row {row} has code {code} but only {categories} categories")]
    CodeOutOfRange {
        /// Column name.
        column: String,
        /// Row.
        row: usize,
        /// The code.
        code: u32,
        /// Number of categories.
        categories: usize,
    },
    /// A categorical column's categories are empty or repeat a label.
    #[error("column `{0}` needs distinct category labels")]
    BadCategories(String),
    /// Every row has the same outcome, so there is nothing to discover.
    #[error("every row's outcome is {0}: PRIM needs both 0s and 1s")]
    ConstantOutcome(u8),
    /// An option is out of its range.
    #[error("option {name} = {value} is out of range: {reason}")]
    InvalidOption {
        /// Option name.
        name: &'static str,
        /// The value given.
        value: f64,
        /// The admissible range.
        reason: &'static str,
    },
    /// The rows left outside earlier boxes hold no case of interest.
    #[error("no case of interest is left outside the boxes found so far")]
    NoCasesRemaining,
    /// The previous box has no selected step, so its rows cannot be removed.
    #[error("the previous box has no selected step: select one before finding another box")]
    NoSelection,
    /// There is no box to select a step of.
    #[error("no box has been found yet")]
    NoBox,
    /// A step index past the trajectory.
    #[error("step {step} is past the trajectory's {len} steps")]
    StepOutOfRange {
        /// The step asked for.
        step: usize,
        /// Steps in the trajectory.
        len: usize,
    },
}
