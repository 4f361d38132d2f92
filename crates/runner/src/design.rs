//! Designs: which points of parameter space an experiment visits.
//!
//! A design turns parameters (a field path and the values or range given for
//! it) into points, each a list of `(path, value)` settings. Building a model
//! from a point is the caller's job (wedge-scenario applies settings as
//! overrides), so designs stay free of scenario files.
//!
//! - [`Design::Grid`]: every combination of the listed values.
//! - [`Design::LatinHypercube`]: McKay, Beckman & Conover (1979).
//! - Sobol (quasi-random) designs for variance-based sensitivity go here as a
//!   further [`Design`] variant with its own point generator beside
//!   [`latin_hypercube`].

use rand::{RngExt, SeedableRng};
use wedge_core::Model;

use crate::swept::{DrawnPath, check_not_drawn};

/// Most points one design may have.
pub const MAX_POINTS: usize = 400;

/// One swept parameter: a field path and the values (or range ends) given for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Field path, e.g. `params.sanctions_bite`.
    pub path: String,
    /// Values (a grid uses them all; a hypercube uses their smallest and largest).
    pub values: Vec<f64>,
}

/// One point of a design: the value of each parameter there.
pub type Point = Vec<(String, f64)>;

/// How the points of a sweep are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Design {
    /// Every combination of the listed values (one parameter: a curve; two: a heat map).
    Grid,
    /// A Latin hypercube of `samples` points over each parameter's range.
    LatinHypercube {
        /// Number of points.
        samples: usize,
    },
}

/// Why a sweep's points cannot be played.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SweepError {
    /// The design cannot be built.
    #[error(transparent)]
    Design(#[from] DesignError),
    /// A swept path is one the scenario draws in every run.
    #[error(transparent)]
    Drawn(#[from] DrawnPath),
}

impl wedge_io::Categorized for SweepError {
    fn category(&self) -> wedge_io::Category {
        wedge_io::Category::Usage
    }
}

/// Why a design cannot be built.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DesignError {
    /// A grid of more than two parameters.
    #[error(
        "a grid takes one parameter (a curve) or two (a heat map); use a Latin hypercube for more"
    )]
    GridTooWide,
    /// Bad hypercube size.
    #[error("a Latin hypercube needs between 2 and 400 samples, got {0}")]
    Samples(usize),
    /// A hypercube parameter without a range.
    #[error("{0}: a Latin hypercube needs a range from:to with to > from")]
    NoRange(String),
    /// Too many points.
    #[error("{0} points is too many for one sweep (at most 400)")]
    TooManyPoints(usize),
}

impl Design {
    /// The points of a sweep of `baseline`: [`Design::points`], then the check
    /// ([`check_not_drawn`]) that `baseline` draws none of the swept paths. The
    /// command line and the Python package build their sweeps from these.
    pub fn sweep_points(
        &self,
        params: &[Param],
        seed: u64,
        baseline: &Model,
    ) -> Result<Vec<Point>, SweepError> {
        let points = self.points(params, seed)?;
        for p in params {
            check_not_drawn(baseline, &p.path)?;
        }
        Ok(points)
    }

    /// The points of the design over `params`; a hypercube is drawn from `seed`.
    ///
    /// # Example
    ///
    /// ```
    /// use wedge_runner::{Design, Param};
    ///
    /// let params = [Param { path: "params.a".into(), values: vec![0.0, 1.0] },
    ///               Param { path: "params.b".into(), values: vec![2.0, 3.0, 4.0] }];
    /// assert_eq!(Design::Grid.points(&params, 1).unwrap().len(), 6);
    /// let lhs = Design::LatinHypercube { samples: 5 }.points(&params, 1).unwrap();
    /// assert_eq!(lhs.len(), 5);
    /// ```
    pub fn points(&self, params: &[Param], seed: u64) -> Result<Vec<Point>, DesignError> {
        let points = match *self {
            Design::Grid => grid(params)?,
            Design::LatinHypercube { samples } => latin_hypercube(params, samples, seed)?,
        };
        if points.len() > MAX_POINTS {
            return Err(DesignError::TooManyPoints(points.len()));
        }
        Ok(points)
    }
}

/// Every combination of the values, the first parameter varying slowest.
pub fn grid(params: &[Param]) -> Result<Vec<Point>, DesignError> {
    if params.len() > 2 {
        return Err(DesignError::GridTooWide);
    }
    let mut points: Vec<Point> = vec![vec![]];
    for p in params {
        points = points
            .into_iter()
            .flat_map(|prefix| {
                p.values.iter().map(move |v| {
                    let mut point = prefix.clone();
                    point.push((p.path.clone(), *v));
                    point
                })
            })
            .collect();
    }
    Ok(points)
}

/// Latin hypercube points: each parameter's range (the smallest to the largest
/// value given) cut into `samples` strata, one point per stratum, strata paired
/// at random. Deterministic from the seed.
pub fn latin_hypercube(
    params: &[Param],
    samples: usize,
    seed: u64,
) -> Result<Vec<Point>, DesignError> {
    if !(2..=MAX_POINTS).contains(&samples) {
        return Err(DesignError::Samples(samples));
    }
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed ^ 0x6c68_735f_6465_7369);
    let mut points: Vec<Point> = vec![Vec::new(); samples];
    for p in params {
        let low = p.values.iter().copied().fold(f64::INFINITY, f64::min);
        let high = p.values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if high <= low {
            return Err(DesignError::NoRange(p.path.clone()));
        }
        let mut strata: Vec<usize> = (0..samples).collect();
        for i in (1..samples).rev() {
            strata.swap(i, rng.random_range(0..=i));
        }
        for (point, stratum) in points.iter_mut().zip(strata) {
            let u: f64 = rng.random();
            let value = low + (high - low) * (stratum as f64 + u) / samples as f64;
            point.push((p.path.clone(), value));
        }
    }
    Ok(points)
}

/// Each point's values, in the order of its paths (the set columns of a sweep's per-run table).
pub fn point_values(points: &[Point]) -> Vec<Vec<f64>> {
    points
        .iter()
        .map(|point| point.iter().map(|(_, v)| *v).collect())
        .collect()
}

/// The name of a point in tables: `path=value …`, values rounded to 6 decimals.
pub fn point_name(point: &[(String, f64)]) -> String {
    point
        .iter()
        .map(|(path, value)| format!("{path}={}", (value * 1e6).round() / 1e6))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> Vec<Param> {
        vec![
            Param {
                path: "x".into(),
                values: vec![0.0, 10.0],
            },
            Param {
                path: "y".into(),
                values: vec![-1.0, 1.0],
            },
        ]
    }

    #[test]
    fn a_hypercube_puts_one_point_in_each_stratum_of_each_range() {
        let n = 17;
        let points = latin_hypercube(&params(), n, 42).unwrap_or_default();
        assert_eq!(points.len(), n);
        for (k, (low, high)) in [(0.0, 10.0), (-1.0, 1.0)].into_iter().enumerate() {
            let mut strata: Vec<usize> = points
                .iter()
                .map(|p| {
                    let v = p[k].1;
                    assert!((low..high).contains(&v), "{v}");
                    ((v - low) / (high - low) * n as f64) as usize
                })
                .collect();
            strata.sort_unstable();
            assert_eq!(strata, (0..n).collect::<Vec<_>>());
        }
        assert_eq!(
            points,
            latin_hypercube(&params(), n, 42).unwrap_or_default()
        );
        assert_ne!(
            points,
            latin_hypercube(&params(), n, 43).unwrap_or_default()
        );
    }

    #[test]
    fn a_grid_varies_the_first_parameter_slowest() {
        let points = grid(&params()).unwrap_or_default();
        let names: Vec<String> = points.iter().map(|p| point_name(p)).collect();
        assert_eq!(names, ["x=0 y=-1", "x=0 y=1", "x=10 y=-1", "x=10 y=1"]);
    }

    #[test]
    fn bad_designs_are_refused() {
        let three = [params(), params()[..1].to_vec()].concat();
        assert_eq!(
            Design::Grid.points(&three, 1),
            Err(DesignError::GridTooWide)
        );
        assert_eq!(
            latin_hypercube(&params(), 1, 1),
            Err(DesignError::Samples(1))
        );
        let flat = [Param {
            path: "z".into(),
            values: vec![1.0],
        }];
        assert_eq!(
            latin_hypercube(&flat, 5, 1),
            Err(DesignError::NoRange("z".into()))
        );
    }

    #[test]
    fn sweep_points_refuse_a_path_the_baseline_draws() {
        let params = [Param {
            path: "params.threat_weight".into(),
            values: vec![0.5, 1.0],
        }];
        let model = Model::reference_2021();
        let points = Design::Grid.sweep_points(&params, 1, &model);
        assert_eq!(points.map(|p| p.len()), Ok(2));
        let mut spec = model.spec().clone();
        spec.uncertainties.push(wedge_core::Uncertainty {
            name: "threat".into(),
            target: wedge_core::ParamId::parse("params.threat_weight")
                .unwrap_or_else(|| panic!("a coefficient")),
            distribution: wedge_core::Distribution::Uniform {
                low: 0.6,
                high: 1.0,
            },
        });
        let drawn = Model::new(spec).unwrap_or_else(|e| panic!("{e:?}"));
        let refused = Design::Grid.sweep_points(&params, 1, &drawn);
        assert!(matches!(refused, Err(SweepError::Drawn(_))), "{refused:?}");
        let bad = Design::LatinHypercube { samples: 1 }.sweep_points(&params, 1, &model);
        assert!(matches!(bad, Err(SweepError::Design(_))), "{bad:?}");
    }
}
