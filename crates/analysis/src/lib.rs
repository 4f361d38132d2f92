//! Exploration statistics for wedge: variance-based sensitivity (Sobol
//! indices on a Saltelli design) and scenario discovery (PRIM).
//!
//! The crate is pure statistics: it reads numbers and returns numbers, does no
//! I/O and knows nothing about scenarios. A caller that wants Sobol indices
//! builds a [`SaltelliDesign`], maps each row of uniforms through the inverse
//! CDFs of its inputs ([`uniform`], [`normal`], [`triangular`], [`choice`],
//! [`weighted_choice`]), runs its model once per row and hands the outputs to
//! [`sobol_indices`]. A caller that wants scenario discovery fills a
//! [`Table`] of inputs with a 0/1 outcome and calls [`discover`] (or drives a
//! [`Prim`] box by box).
//!
//! The designs and estimators follow SALib (`sample/sobol.py`,
//! `analyze/sobol.py`): the row layout is SALib's, so SALib can analyse
//! outputs computed on a wedge design and the other way round. PRIM follows
//! Friedman & Fisher (1999) as implemented in the EMA Workbench
//! (`analysis/prim.py`), with the quasi-p values of Bryant & Lempert (2010).
//!
//! Every result type implements `serde::Serialize`, so a command line can
//! print it as JSON; nothing here formats text.
//!
//! Results are deterministic: a design is a pure function of its size and
//! seed, the bootstrap draws from its own seeded ChaCha8 stream, and every
//! sum runs sequentially in a fixed order.
//!
//! The estimator of `wedge calibrate` is here too: rejection ABC with hit
//! fractions as likelihoods ([`posterior`]), weighted quantiles and
//! resampling ([`weighted_quantile`], [`systematic_resample`]); the per-target
//! likelihoods that let targets of different kinds (events, base rates, rate
//! ratios) weigh one posterior ([`gaussian`], [`share`], [`log_rate_ratio`]);
//! and the local-linear regression adjustment with Epanechnikov weights
//! (Beaumont, Zhang & Balding 2002) on top of the rejection step ([`adjust`]).
//!
//! # Examples
//!
//! Sobol indices of `y = 4·x₁ + x₂` (x uniform on [0, 1]²), whose first-order
//! indices are 16/17 and 1/17:
//!
//! ```
//! use wedge_analysis::{DesignOptions, SaltelliDesign, SobolOptions, sobol_indices};
//!
//! let design = SaltelliDesign::new(1024, 2, DesignOptions::default()).unwrap();
//! let outputs: Vec<f64> = design.rows().map(|x| 4.0 * x[0] + x[1]).collect();
//! let indices = sobol_indices(design.layout(), &outputs, SobolOptions::default()).unwrap();
//! assert!((indices.first_order[0].value - 16.0 / 17.0).abs() < 0.05);
//! assert!((indices.first_order[1].value - 1.0 / 17.0).abs() < 0.05);
//! ```
//!
//! Scenario discovery: the cases of interest are the rows with `x > 0.7`, and
//! PRIM's chosen box restricts `x` (and only `x`) to about that range:
//!
//! ```
//! use wedge_analysis::{Bounds, PrimOptions, Table, discover};
//!
//! let x: Vec<f64> = (0..500).map(|i| f64::from(i) / 500.0).collect();
//! let noise: Vec<f64> = (0..500).map(|i| f64::from((i * 37) % 500) / 500.0).collect();
//! let outcome = x.iter().map(|&x| x > 0.7).collect();
//! let table = Table::new(outcome)
//!     .and_then(|t| t.with_numeric("x", x))
//!     .and_then(|t| t.with_numeric("noise", noise))
//!     .unwrap();
//! let boxes = discover(&table, PrimOptions::default()).unwrap();
//! let chosen = boxes[0].inspection().unwrap();
//! assert_eq!(chosen.restrictions.len(), 1);
//! assert_eq!(chosen.restrictions[0].name, "x");
//! match chosen.restrictions[0].bounds {
//!     Bounds::Numeric { low, .. } => assert!((low - 0.7).abs() < 0.05, "{low}"),
//!     _ => unreachable!("x is numeric"),
//! }
//! ```
#![deny(missing_docs)]

mod abc;
mod likelihood;
mod prim;
mod regression;
mod sobol;

pub use abc::{
    AbcError, Marginal, PRIOR_DRIVEN_BELOW, Posterior, Predictive, marginals, moments, posterior,
    predictive, systematic_resample, weighted_quantile,
};
pub use likelihood::{Observed, Simulated, gaussian, log_rate_ratio, ratio_from_interval, share};
pub use prim::{
    Bounds, BoxInspection, InspectedRestriction, Prim, PrimBox, PrimError, PrimOptions,
    Restriction, Table, TrajectoryStep, binomial_upper_tail, discover,
};
pub use regression::{Adjustment, Bounds as ParamBounds, adjust, epanechnikov, tolerance};
pub use sobol::{
    DesignOptions, Estimate, Layout, NoiseShare, PairEstimate, SOBOL_MAX_BASE, SOBOL_MAX_COLUMNS,
    SaltelliDesign, Sampler, SobolError, SobolIndices, SobolOptions, choice, noise_share,
    noise_share_binary, normal, normal_quantile, sobol_indices, triangular, uniform,
    weighted_choice,
};
