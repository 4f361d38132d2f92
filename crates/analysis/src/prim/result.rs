//! What PRIM reports: the peeling trajectory, the restricted dimensions of
//! each step, and the inspection of a chosen box with its quasi-p values.

use serde::Serialize;

use super::limits::{Bounds, Lim};

/// One input a box restricts, with its bounds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Restriction {
    /// Index of the input column.
    pub dim: usize,
    /// Name of the input column.
    pub name: String,
    /// The box's bounds on it.
    pub bounds: Bounds,
}

/// One box on the peeling trajectory.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrajectoryStep {
    /// Position on the trajectory (0 = the starting box).
    pub id: usize,
    /// Share of all cases of interest that lie in the box, k / Σy.
    pub coverage: f64,
    /// Share of the box's rows that are cases of interest, k / n.
    pub density: f64,
    /// Share of all rows that lie in the box, n / rows.
    pub mass: f64,
    /// Number of restricted inputs.
    pub res_dim: usize,
    /// Rows in the box.
    pub n: usize,
    /// Cases of interest in the box.
    pub k: usize,
    /// The restricted inputs, in column order.
    pub restrictions: Vec<Restriction>,
}

/// A restricted input of an inspected box, with the quasi-p value of each
/// restricted limit: the one-sided binomial probability of the box's density
/// arising by chance in the box with that limit removed (Bryant & Lempert
/// 2010).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InspectedRestriction {
    /// Index of the input column.
    pub dim: usize,
    /// Name of the input column.
    pub name: String,
    /// The box's bounds on it.
    pub bounds: Bounds,
    /// Quasi-p of the lower limit (numeric), or of the category set
    /// (categorical); `None` when the lower limit is not restricted.
    pub qp_low: Option<f64>,
    /// Quasi-p of the upper limit (numeric), or of the category set
    /// (categorical); `None` when the upper limit is not restricted.
    pub qp_high: Option<f64>,
    /// Whether any of its quasi-p values is below the significance level.
    pub significant: bool,
}

/// A box from the trajectory, inspected: its statistics and restrictions
/// with quasi-p values.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BoxInspection {
    /// Step of the trajectory inspected.
    pub step: usize,
    /// Coverage, as in [`TrajectoryStep`].
    pub coverage: f64,
    /// Density, as in [`TrajectoryStep`].
    pub density: f64,
    /// Mass, as in [`TrajectoryStep`].
    pub mass: f64,
    /// Number of restricted inputs.
    pub res_dim: usize,
    /// Rows in the box.
    pub n: usize,
    /// Cases of interest in the box.
    pub k: usize,
    /// The restricted inputs with their quasi-p values.
    pub restrictions: Vec<InspectedRestriction>,
}

impl BoxInspection {
    /// Names of the significant restricted inputs.
    pub fn significant_dims(&self) -> Vec<&str> {
        self.restrictions
            .iter()
            .filter(|r| r.significant)
            .map(|r| r.name.as_str())
            .collect()
    }
}

/// One box found by PRIM: its trajectory, the selected step and that
/// step's inspection.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PrimBox {
    pub(crate) trajectory: Vec<TrajectoryStep>,
    pub(crate) selected: Option<usize>,
    pub(crate) inspection: Option<BoxInspection>,
    /// The limits of every step.
    #[serde(skip)]
    pub(crate) limits: Vec<Vec<Lim>>,
    /// Rows outside earlier boxes when this one was sought.
    #[serde(skip)]
    pub(crate) remaining: Vec<usize>,
}

impl PrimBox {
    /// The peeling and pasting trajectory, starting box first.
    pub fn trajectory(&self) -> &[TrajectoryStep] {
        &self.trajectory
    }

    /// The selected step: by default the one of best coverage among those
    /// with density at least the threshold; `None` when no step reaches it.
    pub fn selected(&self) -> Option<usize> {
        self.selected
    }

    /// The selected step, inspected.
    pub fn inspection(&self) -> Option<&BoxInspection> {
        self.inspection.as_ref()
    }

    /// Rows outside earlier boxes when this box was sought.
    pub fn rows_available(&self) -> usize {
        self.remaining.len()
    }
}
