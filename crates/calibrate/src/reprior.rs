//! An ensemble under the priors a scenario declares.
//!
//! A posterior is proportional to likelihood × prior, so a scenario that
//! replaces the prior of a calibrated path changes only the draws' weights:
//! each draw is reweighted by the ratio of the scenario's prior density to the
//! one the calibration used (sampling–importance–resampling, Rubin 1988;
//! Smith & Gelfand 1992). A path the ensemble does not carry was not
//! calibrated: each draw takes a value from the scenario's prior, from a
//! stream of the ensemble's seed and the draw's index.

use wedge_core::Distribution;
use wedge_runner::draw_seed;
use wedge_scenario::Resolved;
use wedge_scenario::{PosteriorFile, Priors};
use wedge_scenario::{ScenarioError, ScenarioErrors, invalid_at};

/// The density of a prior at `x` (up to a constant shared by every draw for a
/// Normal, whose clamping to the path's range is ignored).
pub fn density(d: &Distribution, x: f64) -> f64 {
    match *d {
        Distribution::Uniform { low, high } => {
            if x < low || x > high {
                0.0
            } else if high > low {
                1.0 / (high - low)
            } else {
                1.0
            }
        }
        Distribution::Triangular { low, mode, high } => {
            if x < low || x > high || high <= low {
                return if high <= low && x == low { 1.0 } else { 0.0 };
            }
            if x < mode {
                2.0 * (x - low) / ((high - low) * (mode - low))
            } else if x > mode {
                2.0 * (high - x) / ((high - low) * (high - mode))
            } else {
                2.0 / (high - low)
            }
        }
        Distribution::Normal { mean, sd } => {
            let z = (x - mean) / sd;
            (-0.5 * z * z).exp() / sd
        }
        Distribution::Choice(ref options) => {
            let total: f64 = options.iter().map(|o| o.1).sum();
            options
                .iter()
                .filter(|o| o.0 == x)
                .map(|o| o.1 / total)
                .sum()
        }
    }
}

/// The ensemble `post` under the priors `scenario` declares (unchanged when it
/// declares none): calibrated paths reweighted by the density ratio, new paths
/// drawn from their prior. Errors when the scenario's priors are invalid there
/// or give every draw zero weight.
pub fn under_scenario_priors(
    mut post: PosteriorFile,
    scenario: &Resolved,
) -> Result<PosteriorFile, ScenarioErrors> {
    let Some(own) = Priors::of_scenario_checked(scenario)? else {
        return Ok(post);
    };
    let ranges = own.ranges(scenario)?;
    let fresh = draw_seed(post.seed, u64::MAX - 1);
    let new: Vec<usize> = (0..own.entries.len())
        .filter(|&i| !post.paths.contains(&own.entries[i].path))
        .collect();
    for (k, draw) in post.draws.iter_mut().enumerate() {
        for entry in &own.entries {
            let Some(j) = post.paths.iter().position(|p| *p == entry.path) else {
                continue;
            };
            let used = post.priors.iter().find(|p| p.path == entry.path);
            if used.is_some_and(|u| u.distribution == entry.distribution) {
                continue;
            }
            let x = draw.values[j];
            let before = used.map_or(1.0, |u| density(&u.distribution, x));
            let after = density(&entry.distribution, x);
            draw.weight *= if before > 0.0 { after / before } else { 0.0 };
        }
        if !new.is_empty() {
            let values = own.sample(fresh, k as u64, &ranges);
            draw.values.extend(new.iter().map(|&i| values[i]));
        }
    }
    post.paths
        .extend(new.iter().map(|&i| own.entries[i].path.clone()));
    for entry in &own.entries {
        match post.priors.iter_mut().find(|p| p.path == entry.path) {
            Some(slot) => *slot = entry.clone(),
            None => post.priors.push(entry.clone()),
        }
    }
    let total: f64 = post.draws.iter().map(|d| d.weight).sum();
    if !(total > 0.0 && total.is_finite()) {
        let (shown, text) = scenario
            .sources
            .first()
            .map_or((String::new(), String::new()), |s| {
                (s.path.clone(), s.text.clone())
            });
        let at = text.find("priors:").unwrap_or(0);
        return Err(ScenarioErrors {
            file: shown.clone(),
            errors: vec![no_draw_left(&shown, &text, at, &post.name)],
        });
    }
    for d in &mut post.draws {
        d.weight /= total;
    }
    Ok(post)
}

fn no_draw_left(shown: &str, text: &str, at: usize, name: &str) -> ScenarioError {
    invalid_at(
        shown,
        text,
        at,
        "priors",
        format!("these priors give every draw of the ensemble `{name}` zero weight"),
        Some(
            "widen the priors to overlap the calibrated draws, or recalibrate with them (`wedge calibrate`)".into(),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::density;
    use wedge_core::Distribution;

    #[test]
    fn prior_densities_integrate_to_one_and_vanish_outside_their_support() {
        let cases = [
            Distribution::Uniform {
                low: 0.2,
                high: 0.7,
            },
            Distribution::Triangular {
                low: 1.0,
                mode: 1.3,
                high: 2.0,
            },
            Distribution::Normal { mean: 0.0, sd: 1.0 },
        ];
        let n = 200_000;
        let (a, b) = (-8.0, 8.0);
        let h = (b - a) / f64::from(n);
        for d in cases {
            let total: f64 = (0..n)
                .map(|i| density(&d, a + (f64::from(i) + 0.5) * h) * h)
                .sum();
            let expected = if matches!(d, Distribution::Normal { .. }) {
                (2.0 * std::f64::consts::PI).sqrt()
            } else {
                1.0
            };
            assert!((total - expected).abs() < 1e-3, "{d:?}: {total}");
        }
        let u = Distribution::Uniform {
            low: 0.2,
            high: 0.7,
        };
        assert_eq!(density(&u, 0.1), 0.0);
        assert_eq!(density(&u, 0.8), 0.0);
    }
}
