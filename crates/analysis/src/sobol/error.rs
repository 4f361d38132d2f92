//! Errors of the Sobol design and estimators.

use thiserror::Error;

/// Why a design could not be built or outputs could not be analysed.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SobolError {
    /// The number of base points is not a power of two of at least 2.
    #[error("the number of base points must be a power of two of at least 2, got {0}")]
    BaseNotPowerOfTwo(usize),
    /// A design needs at least one input.
    #[error("a design needs at least one input")]
    NoInputs,
    /// The scrambled Sobol' sequence was asked for beyond its limits.
    #[error(
        "the Sobol' sequence covers at most {max_base} base points and {max_columns} columns \
         (2 per input); asked for {n_base} base points and {columns} columns"
    )]
    SobolLimits {
        /// Base points asked for.
        n_base: usize,
        /// Columns asked for (twice the inputs).
        columns: usize,
        /// Largest number of base points.
        max_base: usize,
        /// Largest number of columns.
        max_columns: usize,
    },
    /// The outputs do not match the design's number of rows.
    #[error("the design has {expected} rows but {found} outputs were given")]
    OutputLength {
        /// Rows of the design.
        expected: usize,
        /// Outputs given.
        found: usize,
    },
    /// An output is NaN or infinite.
    #[error("output {row} is not a finite number ({value})")]
    NonFiniteOutput {
        /// Row of the design.
        row: usize,
        /// The value.
        value: f64,
    },
    /// The A and B outputs are all equal, so there is no variance to apportion.
    #[error("the outputs at the A and B points are all equal: there is no variance to apportion")]
    ConstantOutput,
    /// One bootstrap resample cannot give a standard deviation.
    #[error("the bootstrap needs 0 (none) or at least 2 resamples, got 1")]
    SingleResample,
    /// Replicates: K must be at least 2 and divide the number of values.
    #[error("{values} values cannot be split into rows of {replicates} replicates (K ≥ 2)")]
    Replicates {
        /// Number of values given.
        values: usize,
        /// Replicates per row asked for.
        replicates: usize,
    },
    /// A proportion outside [0, 1].
    #[error("proportion {row} is {value}, outside [0, 1]")]
    Proportion {
        /// Row.
        row: usize,
        /// The value.
        value: f64,
    },
}
