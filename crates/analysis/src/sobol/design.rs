//! Saltelli's sampling design in SALib's row layout, drawn from an
//! Owen-scrambled Sobol' sequence (or ChaCha8 uniforms beyond its limits).
//!
//! For N base points of a 2D-column sequence, A is columns 0..D and B columns
//! D..2D; A_B^j is A with column j taken from B, B_A^j is B with column j
//! taken from A. Rows per base point are A, A_B^1..A_B^D, [B_A^1..B_A^D], B,
//! exactly as SALib's `sample/sobol.py` lays them out (no skipped points).
//! Rows are computed on demand from (seed, base point), so a design of any
//! size costs no memory and its rows can be evaluated in any order.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::SobolError;

/// Most base points the scrambled Sobol' sequence provides (2^16).
pub const SOBOL_MAX_BASE: usize = 1 << 16;

/// Most columns (twice the inputs) the scrambled Sobol' sequence provides.
pub const SOBOL_MAX_COLUMNS: usize = 256;

/// Where the uniforms of a design come from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sampler {
    /// The Sobol' sequence when the design fits its limits, ChaCha8 otherwise.
    #[default]
    Auto,
    /// Burley's Owen-scrambled Sobol' sequence (`sobol_burley`), at most
    /// [`SOBOL_MAX_BASE`] base points and [`SOBOL_MAX_COLUMNS`] columns.
    Sobol,
    /// Independent ChaCha8 uniforms, one stream per base point.
    PseudoRandom,
}

/// Shape of a Saltelli design: what the estimators need to find A, B,
/// A_B^j and B_A^j among the outputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Layout {
    /// Number of base points N.
    pub n_base: usize,
    /// Number of inputs D.
    pub dims: usize,
    /// Whether the B_A^j rows for second-order indices are present.
    pub second_order: bool,
}

impl Layout {
    /// Rows per base point: D + 2, or 2D + 2 with second order.
    pub fn rows_per_base(&self) -> usize {
        if self.second_order {
            2 * self.dims + 2
        } else {
            self.dims + 2
        }
    }

    /// Rows of the whole design: N times [`Layout::rows_per_base`].
    pub fn n_rows(&self) -> usize {
        self.n_base * self.rows_per_base()
    }
}

/// Options of a design besides its size.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DesignOptions {
    /// Add the B_A^j rows needed for second-order indices.
    pub second_order: bool,
    /// Seed of the scramble (or of the ChaCha8 streams).
    pub seed: u64,
    /// Source of the uniforms.
    pub sampler: Sampler,
}

/// A Saltelli design: rows of uniforms in [0, 1) for a caller to map through
/// the inverse CDFs of its inputs.
///
/// # Example
/// ```
/// use wedge_analysis::{DesignOptions, SaltelliDesign, uniform};
/// let design = SaltelliDesign::new(8, 2, DesignOptions::default())?;
/// assert_eq!(design.n_rows(), 8 * 4);
/// let xs: Vec<Vec<f64>> = design
///     .rows()
///     .map(|u| vec![uniform(u[0], -1.0, 1.0), uniform(u[1], 0.0, 10.0)])
///     .collect();
/// assert!(xs.iter().all(|x| (-1.0..1.0).contains(&x[0])));
/// # Ok::<(), wedge_analysis::SobolError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SaltelliDesign {
    layout: Layout,
    seed: u64,
    sampler: Sampler,
}

impl SaltelliDesign {
    /// A design of `n_base` base points (a power of two, at least 2) over
    /// `dims` inputs.
    pub fn new(n_base: usize, dims: usize, options: DesignOptions) -> Result<Self, SobolError> {
        if n_base < 2 || !n_base.is_power_of_two() {
            return Err(SobolError::BaseNotPowerOfTwo(n_base));
        }
        if dims == 0 {
            return Err(SobolError::NoInputs);
        }
        let columns = 2 * dims;
        let fits = n_base <= SOBOL_MAX_BASE && columns <= SOBOL_MAX_COLUMNS;
        let sampler = match options.sampler {
            Sampler::Auto if fits => Sampler::Sobol,
            Sampler::Auto => Sampler::PseudoRandom,
            Sampler::Sobol if !fits => {
                return Err(SobolError::SobolLimits {
                    n_base,
                    columns,
                    max_base: SOBOL_MAX_BASE,
                    max_columns: SOBOL_MAX_COLUMNS,
                });
            }
            other => other,
        };
        Ok(SaltelliDesign {
            layout: Layout {
                n_base,
                dims,
                second_order: options.second_order,
            },
            seed: options.seed,
            sampler,
        })
    }

    /// The design's shape, for [`sobol_indices`](crate::sobol_indices).
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// The source actually used: [`Sampler::Sobol`] or [`Sampler::PseudoRandom`].
    pub fn sampler(&self) -> Sampler {
        self.sampler
    }

    /// The seed the design was built with.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Number of rows, N(D + 2) or N(2D + 2).
    pub fn n_rows(&self) -> usize {
        self.layout.n_rows()
    }

    /// The 2D uniforms of base point `i`: A's row then B's row.
    pub fn base_point(&self, i: usize) -> Vec<f64> {
        let columns = 2 * self.layout.dims;
        match self.sampler {
            Sampler::PseudoRandom => {
                let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
                rng.set_stream(i as u64);
                (0..columns).map(|_| rng.random::<f64>()).collect()
            }
            Sampler::Sobol | Sampler::Auto => {
                // Within the limits checked at construction, so the casts are exact.
                let seed = (self.seed ^ (self.seed >> 32)) as u32;
                (0..columns)
                    .map(|c| f64::from(sobol_burley::sample(i as u32, c as u32, seed)))
                    .collect()
            }
        }
    }

    /// Row `r` of the design (D uniforms in [0, 1)), or `None` past the end.
    pub fn row(&self, r: usize) -> Option<Vec<f64>> {
        if r >= self.n_rows() {
            return None;
        }
        let per = self.layout.rows_per_base();
        let point = self.base_point(r / per);
        Some(self.row_of(&point, r % per))
    }

    /// All rows in order, computed one base point at a time.
    pub fn rows(&self) -> impl Iterator<Item = Vec<f64>> + '_ {
        let per = self.layout.rows_per_base();
        (0..self.layout.n_base).flat_map(move |i| {
            let point = self.base_point(i);
            (0..per).map(move |k| self.row_of(&point, k))
        })
    }

    /// Row `k` (0-based within the base point) built from a base point.
    fn row_of(&self, point: &[f64], k: usize) -> Vec<f64> {
        let d = self.layout.dims;
        let (a, b) = point.split_at(d);
        let per = self.layout.rows_per_base();
        if k == 0 {
            a.to_vec()
        } else if k == per - 1 {
            b.to_vec()
        } else if k <= d {
            let mut row = a.to_vec();
            row[k - 1] = b[k - 1];
            row
        } else {
            let j = k - d - 1;
            let mut row = b.to_vec();
            row[j] = a[j];
            row
        }
    }
}
