//! The PRIM search: peel, paste, choose and inspect boxes, one after another.
//!
//! Follows the EMA Workbench's `Prim` (`analysis/prim.py`) with its defaults
//! and the lenient1 objective. Peeling: every numeric input offers two peels,
//! its upper limit to the (1 − α) quantile and its lower limit to the α
//! quantile of the values in the box (in that order); every categorical
//! input with two or more categories left offers to drop each one. The
//! score of a candidate is (ȳ_new − ȳ_old) / (n_old − n_new); the best score
//! wins, ties going to fewer restricted inputs, then to the first in column
//! order. A peel is taken while the mass stays at least `mass_min`, falls,
//! and the score is positive. Pasting then widens one restricted limit at a
//! time (to the paste-α quantile of the rows just outside it, or adds back a
//! category) while the mass grows, the score is positive and the density
//! rises. Every box taken is a step of the trajectory.

use serde::Serialize;

use super::PrimError;
use super::binomial::binomial_upper_tail;
use super::limits::{Lim, in_box, in_box_except, initial};
use super::quantile::ema_quantile;
use super::result::{BoxInspection, InspectedRestriction, PrimBox, Restriction, TrajectoryStep};
use super::table::{Column, Table};

/// Options of a PRIM search, with the EMA Workbench's defaults.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PrimOptions {
    /// Share of a box's rows one peel removes along one input (0.05).
    pub peel_alpha: f64,
    /// Share of the rows just outside a limit one paste adds (0.05).
    pub paste_alpha: f64,
    /// Smallest mass a box may have (0.05).
    pub mass_min: f64,
    /// Smallest density of the step chosen by default (0.8).
    pub threshold: f64,
    /// Quasi-p level below which a restriction is significant (0.05).
    pub significance: f64,
    /// Most boxes [`discover`] looks for (1).
    pub max_boxes: usize,
}

impl Default for PrimOptions {
    fn default() -> Self {
        PrimOptions {
            peel_alpha: 0.05,
            paste_alpha: 0.05,
            mass_min: 0.05,
            threshold: 0.8,
            significance: 0.05,
            max_boxes: 1,
        }
    }
}

impl PrimOptions {
    fn validate(&self) -> Result<(), PrimError> {
        let check = |name, value: f64, ok: bool, reason| {
            if ok {
                Ok(())
            } else {
                Err(PrimError::InvalidOption {
                    name,
                    value,
                    reason,
                })
            }
        };
        let a = self.peel_alpha;
        check("peel_alpha", a, a > 0.0 && a < 0.5, "0 < peel_alpha < 0.5")?;
        let a = self.paste_alpha;
        check(
            "paste_alpha",
            a,
            a > 0.0 && a < 0.5,
            "0 < paste_alpha < 0.5",
        )?;
        let m = self.mass_min;
        check("mass_min", m, (0.0..1.0).contains(&m), "0 ≤ mass_min < 1")?;
        let t = self.threshold;
        check(
            "threshold",
            t,
            (0.0..=1.0).contains(&t),
            "0 ≤ threshold ≤ 1",
        )?;
        let s = self.significance;
        check(
            "significance",
            s,
            s > 0.0 && s < 1.0,
            "0 < significance < 1",
        )
    }
}

/// Successive PRIM boxes: [`find_box`](Prim::find_box) peels and pastes a
/// box among the rows outside the boxes found before (their selected steps).
///
/// # Example
/// ```
/// use wedge_analysis::{Prim, PrimOptions, Table};
/// // Cases of interest where x > 0.7.
/// let x: Vec<f64> = (0..200).map(|i| f64::from(i) / 200.0).collect();
/// let y = x.iter().map(|x| *x > 0.7).collect();
/// let table = Table::new(y)?.with_numeric("x", x)?;
/// let mut prim = Prim::new(&table, PrimOptions::default())?;
/// let found = prim.find_box()?;
/// // The chosen step is the one of best coverage among those of density ≥ 0.8.
/// let inspection = found.inspection().expect("a box reaches density 0.8");
/// assert_eq!(inspection.coverage, 1.0);
/// assert!(inspection.density > 0.9);
/// assert_eq!(inspection.significant_dims(), ["x"]);
/// # Ok::<(), wedge_analysis::PrimError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Prim<'t> {
    table: &'t Table,
    options: PrimOptions,
    init: Vec<Lim>,
    total_cases: usize,
    boxes: Vec<PrimBox>,
}

/// A candidate peel or paste: a new limit on one column and the box it makes.
struct Candidate {
    col: usize,
    lim: Lim,
    n: usize,
    k: usize,
}

impl<'t> Prim<'t> {
    /// Prepare a search over `table`.
    pub fn new(table: &'t Table, options: PrimOptions) -> Result<Self, PrimError> {
        options.validate()?;
        if table.columns().is_empty() {
            return Err(PrimError::NoColumns);
        }
        let total_cases = table.outcome().iter().filter(|y| **y).count();
        if total_cases == 0 {
            return Err(PrimError::ConstantOutcome(0));
        }
        if total_cases == table.len() {
            return Err(PrimError::ConstantOutcome(1));
        }
        Ok(Prim {
            table,
            options,
            init: initial(table),
            total_cases,
            boxes: Vec::new(),
        })
    }

    /// Find the next box among the rows outside the boxes found so far.
    pub fn find_box(&mut self) -> Result<&PrimBox, PrimError> {
        let remaining: Vec<usize> = match self.boxes.last() {
            None => (0..self.table.len()).collect(),
            Some(last) => {
                let step = last.selected.ok_or(PrimError::NoSelection)?;
                let lims = &last.limits[step];
                last.remaining
                    .iter()
                    .copied()
                    .filter(|&r| !in_box(self.table, lims, r))
                    .collect()
            }
        };
        if self.cases(&remaining) == 0 {
            return Err(PrimError::NoCasesRemaining);
        }
        let mut lims = self.init.clone();
        let mut rows = remaining.clone();
        let mut found = PrimBox {
            trajectory: vec![self.step(0, &rows, &lims)],
            selected: None,
            inspection: None,
            limits: vec![lims.clone()],
            remaining,
        };
        while let Some(best) = self.best_peel(&rows, &lims) {
            let column = &self.table.columns()[best.col];
            rows.retain(|&r| best.lim.contains(column, r));
            lims[best.col] = best.lim;
            self.record(&mut found, &rows, &lims);
        }
        while let Some(best) = self.best_paste(&found.remaining, &rows, &lims) {
            lims[best.col] = best.lim;
            rows = found
                .remaining
                .iter()
                .copied()
                .filter(|&r| in_box(self.table, &lims, r))
                .collect();
            self.record(&mut found, &rows, &lims);
        }
        found.selected = self.default_step(&found.trajectory);
        found.inspection = found.selected.map(|s| self.inspect(&found, s));
        self.boxes.push(found);
        Ok(&self.boxes[self.boxes.len() - 1])
    }

    /// Select another step of the latest box (before finding the next one).
    pub fn select(&mut self, step: usize) -> Result<&PrimBox, PrimError> {
        let last = self.boxes.last().ok_or(PrimError::NoBox)?;
        let len = last.trajectory.len();
        if step >= len {
            return Err(PrimError::StepOutOfRange { step, len });
        }
        let inspection = self.inspect(last, step);
        let index = self.boxes.len() - 1;
        let last = &mut self.boxes[index];
        last.selected = Some(step);
        last.inspection = Some(inspection);
        Ok(&self.boxes[index])
    }

    /// Inspect any step of box `index` (quasi-p values of its limits).
    pub fn inspect_step(&self, index: usize, step: usize) -> Result<BoxInspection, PrimError> {
        let found = self.boxes.get(index).ok_or(PrimError::NoBox)?;
        let len = found.trajectory.len();
        if step >= len {
            return Err(PrimError::StepOutOfRange { step, len });
        }
        Ok(self.inspect(found, step))
    }

    /// The boxes found so far.
    pub fn boxes(&self) -> &[PrimBox] {
        &self.boxes
    }

    /// The boxes found, by value.
    pub fn into_boxes(self) -> Vec<PrimBox> {
        self.boxes
    }

    fn cases(&self, rows: &[usize]) -> usize {
        let y = self.table.outcome();
        rows.iter().filter(|&&r| y[r]).count()
    }

    fn restricted(&self, col: usize, lim: &Lim) -> bool {
        *lim != self.init[col]
    }

    fn record(&self, found: &mut PrimBox, rows: &[usize], lims: &[Lim]) {
        let id = found.trajectory.len();
        found.trajectory.push(self.step(id, rows, lims));
        found.limits.push(lims.to_vec());
    }

    fn step(&self, id: usize, rows: &[usize], lims: &[Lim]) -> TrajectoryStep {
        let n = rows.len();
        let k = self.cases(rows);
        let restrictions = self.restrictions(lims);
        TrajectoryStep {
            id,
            coverage: k as f64 / self.total_cases as f64,
            density: if n == 0 { 0.0 } else { k as f64 / n as f64 },
            mass: n as f64 / self.table.len() as f64,
            res_dim: restrictions.len(),
            n,
            k,
            restrictions,
        }
    }

    fn restrictions(&self, lims: &[Lim]) -> Vec<Restriction> {
        let names = self.table.column_names();
        lims.iter()
            .enumerate()
            .filter(|(c, lim)| self.restricted(*c, lim))
            .map(|(dim, lim)| Restriction {
                dim,
                name: names[dim].clone(),
                bounds: lim.bounds(&self.table.columns()[dim]),
            })
            .collect()
    }

    /// Count rows and cases among `rows` that pass `keep`.
    fn count(&self, rows: &[usize], keep: impl Fn(usize) -> bool) -> (usize, usize) {
        let y = self.table.outcome();
        rows.iter()
            .filter(|&&r| keep(r))
            .fold((0, 0), |(n, k), &r| (n + 1, k + usize::from(y[r])))
    }

    /// The first candidate of best (score, unrestricted inputs), with its score.
    fn best(
        &self,
        n_old: usize,
        k_old: usize,
        lims: &[Lim],
        candidates: Vec<Candidate>,
    ) -> Option<(f64, Candidate)> {
        let restricted_now = lims
            .iter()
            .enumerate()
            .filter(|(c, lim)| self.restricted(*c, lim))
            .count();
        let mut best: Option<(f64, usize, Candidate)> = None;
        for candidate in candidates {
            let score = lenient1(n_old, k_old, candidate.n, candidate.k);
            let restricted = restricted_now
                - usize::from(self.restricted(candidate.col, &lims[candidate.col]))
                + usize::from(self.restricted(candidate.col, &candidate.lim));
            let free = lims.len() - restricted;
            let better = match &best {
                None => true,
                Some((s, f, _)) => score > *s || (score == *s && free > *f),
            };
            if better {
                best = Some((score, free, candidate));
            }
        }
        best.map(|(score, _, candidate)| (score, candidate))
    }

    fn best_peel(&self, rows: &[usize], lims: &[Lim]) -> Option<Candidate> {
        if rows.is_empty() {
            return None;
        }
        let alpha = self.options.peel_alpha;
        let mut candidates = Vec::new();
        let mut scratch = Vec::with_capacity(rows.len());
        for (col, column) in self.table.columns().iter().enumerate() {
            match (&lims[col], column) {
                (Lim::Num { low, high }, Column::Numeric(x)) => {
                    scratch.clear();
                    scratch.extend(rows.iter().map(|&r| x[r]));
                    let upper = ema_quantile(&mut scratch, 1.0 - alpha);
                    let lower = ema_quantile(&mut scratch, alpha);
                    let (n, k) = self.count(rows, |r| x[r] <= upper);
                    let lim = Lim::Num {
                        low: *low,
                        high: upper,
                    };
                    candidates.push(Candidate { col, lim, n, k });
                    let (n, k) = self.count(rows, |r| x[r] >= lower);
                    let lim = Lim::Num {
                        low: lower,
                        high: *high,
                    };
                    candidates.push(Candidate { col, lim, n, k });
                }
                (Lim::Cat(mask), Column::Categorical { codes, .. }) => {
                    if mask.iter().filter(|on| **on).count() < 2 {
                        continue;
                    }
                    for drop in (0..mask.len()).filter(|c| mask[*c]) {
                        let (n, k) = self.count(rows, |r| codes[r] as usize != drop);
                        let mut peeled = mask.clone();
                        peeled[drop] = false;
                        candidates.push(Candidate {
                            col,
                            lim: Lim::Cat(peeled),
                            n,
                            k,
                        });
                    }
                }
                _ => {}
            }
        }
        let (n_old, k_old) = (rows.len(), self.cases(rows));
        let (score, best) = self.best(n_old, k_old, lims, candidates)?;
        let total = self.table.len() as f64;
        let mass_new = best.n as f64 / total;
        let mass_old = n_old as f64 / total;
        (mass_new >= self.options.mass_min && mass_new < mass_old && score > 0.0).then_some(best)
    }

    fn best_paste(&self, remaining: &[usize], rows: &[usize], lims: &[Lim]) -> Option<Candidate> {
        let alpha = self.options.paste_alpha;
        let table = self.table;
        let mut candidates = Vec::new();
        for (col, column) in table.columns().iter().enumerate() {
            if !self.restricted(col, &lims[col]) {
                continue;
            }
            let others = |r: usize| in_box_except(table, lims, col, r);
            match (&lims[col], &self.init[col], column) {
                (
                    Lim::Num { low, high },
                    Lim::Num {
                        low: min,
                        high: max,
                    },
                    Column::Numeric(x),
                ) => {
                    let mut below: Vec<f64> = remaining
                        .iter()
                        .filter(|&&r| *min <= x[r] && x[r] <= *low && others(r))
                        .map(|&r| x[r])
                        .collect();
                    let value = if below.is_empty() {
                        *min
                    } else {
                        ema_quantile(&mut below, 1.0 - alpha)
                    };
                    let lim = Lim::Num {
                        low: value,
                        high: *high,
                    };
                    let (n, k) = self.count(remaining, |r| lim.contains(column, r) && others(r));
                    candidates.push(Candidate { col, lim, n, k });
                    let mut above: Vec<f64> = remaining
                        .iter()
                        .filter(|&&r| *high <= x[r] && x[r] <= *max && others(r))
                        .map(|&r| x[r])
                        .collect();
                    let value = if above.is_empty() {
                        *max
                    } else {
                        ema_quantile(&mut above, alpha)
                    };
                    let lim = Lim::Num {
                        low: *low,
                        high: value,
                    };
                    let (n, k) = self.count(remaining, |r| lim.contains(column, r) && others(r));
                    candidates.push(Candidate { col, lim, n, k });
                }
                (Lim::Cat(mask), _, Column::Categorical { .. }) => {
                    for add in (0..mask.len()).filter(|c| !mask[*c]) {
                        let mut pasted = mask.clone();
                        pasted[add] = true;
                        let lim = Lim::Cat(pasted);
                        let (n, k) =
                            self.count(remaining, |r| lim.contains(column, r) && others(r));
                        candidates.push(Candidate { col, lim, n, k });
                    }
                }
                _ => {}
            }
        }
        let (n_old, k_old) = (rows.len(), self.cases(rows));
        let (score, best) = self.best(n_old, k_old, lims, candidates)?;
        let total = self.table.len() as f64;
        let mass_new = best.n as f64 / total;
        let mass_old = n_old as f64 / total;
        let mean_old = k_old as f64 / n_old as f64;
        let mean_new = best.k as f64 / best.n as f64;
        (mass_new >= self.options.mass_min
            && mass_new > mass_old
            && score > 0.0
            && mean_new > mean_old)
            .then_some(best)
    }

    /// Best coverage among steps with density ≥ threshold; ties to the
    /// denser, then the earlier step.
    fn default_step(&self, trajectory: &[TrajectoryStep]) -> Option<usize> {
        let mut best: Option<&TrajectoryStep> = None;
        for step in trajectory
            .iter()
            .filter(|s| s.density >= self.options.threshold)
        {
            let better = match best {
                None => true,
                Some(b) => {
                    step.coverage > b.coverage
                        || (step.coverage == b.coverage && step.density > b.density)
                }
            };
            if better {
                best = Some(step);
            }
        }
        best.map(|s| s.id)
    }

    /// Quasi-p values of each restricted limit of step `step`.
    fn inspect(&self, found: &PrimBox, step: usize) -> BoxInspection {
        let stats = &found.trajectory[step];
        let lims = &found.limits[step];
        let (n_box, k_box) = (stats.n as u64, stats.k as u64);
        let qp = |col: usize, relaxed: Lim| -> f64 {
            let mut temp = lims.clone();
            temp[col] = relaxed;
            let (t, h) = self.count(&found.remaining, |r| in_box(self.table, &temp, r));
            let p = if t == 0 { 0.0 } else { h as f64 / t as f64 };
            binomial_upper_tail(k_box, n_box, p)
        };
        let names = self.table.column_names();
        let restrictions = lims
            .iter()
            .enumerate()
            .filter(|(c, lim)| self.restricted(*c, lim))
            .map(|(dim, lim)| {
                let (qp_low, qp_high) = match (lim, &self.init[dim]) {
                    (
                        Lim::Num { low, high },
                        Lim::Num {
                            low: min,
                            high: max,
                        },
                    ) => {
                        let lower = (low != min).then(|| {
                            qp(
                                dim,
                                Lim::Num {
                                    low: *min,
                                    high: *high,
                                },
                            )
                        });
                        let upper = (high != max).then(|| {
                            qp(
                                dim,
                                Lim::Num {
                                    low: *low,
                                    high: *max,
                                },
                            )
                        });
                        (lower, upper)
                    }
                    (_, init) => {
                        let p = qp(dim, init.clone());
                        (Some(p), Some(p))
                    }
                };
                let level = self.options.significance;
                let significant =
                    qp_low.is_some_and(|p| p < level) || qp_high.is_some_and(|p| p < level);
                InspectedRestriction {
                    dim,
                    name: names[dim].clone(),
                    bounds: lim.bounds(&self.table.columns()[dim]),
                    qp_low,
                    qp_high,
                    significant,
                }
            })
            .collect();
        BoxInspection {
            step,
            coverage: stats.coverage,
            density: stats.density,
            mass: stats.mass,
            res_dim: stats.res_dim,
            n: stats.n,
            k: stats.k,
            restrictions,
        }
    }
}

/// The EMA Workbench's lenient1 objective: change of mean per row removed
/// (or added).
fn lenient1(n_old: usize, k_old: usize, n_new: usize, k_new: usize) -> f64 {
    let mean_old = k_old as f64 / n_old as f64;
    let mean_new = if n_new > 0 {
        k_new as f64 / n_new as f64
    } else {
        0.0
    };
    if mean_old == mean_new || n_old == n_new {
        0.0
    } else {
        (mean_new - mean_old) / n_old.abs_diff(n_new) as f64
    }
}

/// Successive boxes over `table`: up to `options.max_boxes`, stopping early
/// when a box has no step of density at least the threshold (that box is
/// still returned, for its trajectory) or no case of interest remains.
///
/// # Example
/// ```
/// use wedge_analysis::{Bounds, PrimOptions, Table, discover};
/// // Splits where the sanctions are mild and the rapport is weak.
/// let n = 1000;
/// let sanctions: Vec<f64> = (0..n).map(|i| f64::from(i % 40) / 40.0).collect();
/// let rapport: Vec<f64> = (0..n).map(|i| f64::from(i / 40) / 25.0).collect();
/// let split = sanctions.iter().zip(&rapport).map(|(s, r)| *s < 0.3 && *r < 0.5).collect();
/// let table = Table::new(split)?
///     .with_numeric("sanctions", sanctions)?
///     .with_numeric("rapport", rapport)?;
/// let boxes = discover(&table, PrimOptions::default())?;
/// let chosen = boxes[0].inspection().expect("a dense box");
/// assert_eq!(chosen.significant_dims(), ["sanctions", "rapport"]);
/// assert!(matches!(chosen.restrictions[0].bounds, Bounds::Numeric { high, .. } if high < 0.3));
/// # Ok::<(), wedge_analysis::PrimError>(())
/// ```
pub fn discover(table: &Table, options: PrimOptions) -> Result<Vec<PrimBox>, PrimError> {
    let mut prim = Prim::new(table, options)?;
    for index in 0..options.max_boxes {
        match prim.find_box() {
            Ok(found) if found.selected().is_none() => break,
            Ok(_) => {}
            Err(PrimError::NoCasesRemaining) if index > 0 => break,
            Err(e) => return Err(e),
        }
    }
    Ok(prim.into_boxes())
}
