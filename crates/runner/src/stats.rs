//! Interval estimates: Wilson for proportions, normal for paired differences.

/// z for a two-sided 95% interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// Wilson score interval for `successes` out of `n` at 95% (Wilson 1927).
pub fn wilson(successes: u64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let n_f = n as f64;
    let p = successes as f64 / n_f;
    let z2 = Z95 * Z95;
    let denom = 1.0 + z2 / n_f;
    let centre = (p + z2 / (2.0 * n_f)) / denom;
    let half = Z95 * (p * (1.0 - p) / n_f + z2 / (4.0 * n_f * n_f)).sqrt() / denom;
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// Half-width of the Wilson interval.
pub fn wilson_half_width(successes: u64, n: u64) -> f64 {
    let (lo, hi) = wilson(successes, n);
    (hi - lo) / 2.0
}

/// Normal 95% interval for a paired difference of proportions from discordant
/// pairs: `gained` runs split only in the variant, `lost` only in the baseline.
/// The estimate is (gained − lost)/n and its variance that of the mean of the
/// per-run differences.
pub fn paired_difference(gained: u64, lost: u64, n: u64) -> (f64, (f64, f64)) {
    if n == 0 {
        return (0.0, (-1.0, 1.0));
    }
    let n_f = n as f64;
    let d = (gained as f64 - lost as f64) / n_f;
    let second_moment = (gained + lost) as f64 / n_f;
    let variance = ((second_moment - d * d) / (n_f - 1.0).max(1.0)).max(0.0);
    let half = Z95 * variance.sqrt();
    (d, (d - half, d + half))
}

/// Normal 95% interval for the difference of two independent proportions (for contrast with the paired one).
pub fn independent_difference(s1: u64, s2: u64, n: u64) -> (f64, (f64, f64)) {
    let n_f = n.max(1) as f64;
    let (p1, p2) = (s1 as f64 / n_f, s2 as f64 / n_f);
    let d = p2 - p1;
    let half = Z95 * (p1 * (1.0 - p1) / n_f + p2 * (1.0 - p2) / n_f).sqrt();
    (d, (d - half, d + half))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_a_known_value() {
        // 10 of 100: Wilson 95% interval is about (0.0552, 0.1744).
        let (lo, hi) = wilson(10, 100);
        assert!(
            (lo - 0.0552).abs() < 1e-3 && (hi - 0.1744).abs() < 1e-3,
            "{lo} {hi}"
        );
    }

    #[test]
    fn identical_arms_have_a_zero_width_paired_interval() {
        assert_eq!(paired_difference(0, 0, 1000), (0.0, (0.0, 0.0)));
    }
}
