//! Interval estimates: Wilson for proportions, Newcombe's hybrid score for paired differences.

/// z for a two-sided 95% interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// Wilson score interval for `successes` out of `n` at 95% (Wilson 1927).
/// It always holds the observed share (exactly, whatever the rounding: at
/// 2,000 of 2,000 the upper bound is 1, not 1 − 2⁻⁵²).
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
    (
        (centre - half).max(0.0).min(p),
        (centre + half).min(1.0).max(p),
    )
}

/// Half-width of the Wilson interval.
pub fn wilson_half_width(successes: u64, n: u64) -> f64 {
    let (lo, hi) = wilson(successes, n);
    (hi - lo) / 2.0
}

/// 95% interval for a paired difference of proportions: Newcombe's hybrid
/// score interval (Newcombe 1998, "Improved confidence intervals for the
/// difference between binomial proportions based on paired data", Statistics
/// in Medicine 17, method 10). Of `n` pairs, `both` split in both arms,
/// `gained` only in the variant and `lost` only in the baseline. The estimate
/// is (gained − lost)/n; the interval combines the two Wilson intervals with
/// the pairs' phi correlation, so it stays inside [−1, +1] and keeps its
/// coverage for small n.
pub fn paired_difference(both: u64, gained: u64, lost: u64, n: u64) -> (f64, (f64, f64)) {
    if n == 0 {
        return (0.0, (-1.0, 1.0));
    }
    let neither = n.saturating_sub(both + gained + lost);
    let n_f = n as f64;
    let base = both + lost;
    let variant = both + gained;
    let (p1, p2) = (base as f64 / n_f, variant as f64 / n_f);
    let (l1, u1) = wilson(base, n);
    let (l2, u2) = wilson(variant, n);
    let d = p2 - p1;
    // Phi coefficient of the 2×2 table (0 when a margin is empty).
    let (a, b, c, dd) = (both as f64, gained as f64, lost as f64, neither as f64);
    let margins = (a + b) * (c + dd) * (a + c) * (b + dd);
    let phi = if margins > 0.0 {
        (a * dd - b * c) / margins.sqrt()
    } else {
        0.0
    };
    let spread = |x: f64, y: f64| (x * x - 2.0 * phi * x * y + y * y).max(0.0).sqrt();
    let lower = d - spread(p2 - l2, u1 - p1);
    let upper = d + spread(u2 - p2, p1 - l1);
    (d, (lower.max(-1.0), upper.min(1.0)))
}

/// Normal 95% interval for the difference of two independent proportions
/// (for contrast with the paired one), clipped to [−1, +1].
pub fn independent_difference(s1: u64, s2: u64, n: u64) -> (f64, (f64, f64)) {
    let n_f = n.max(1) as f64;
    let (p1, p2) = (s1 as f64 / n_f, s2 as f64 / n_f);
    let d = p2 - p1;
    let half = Z95 * (p1 * (1.0 - p1) / n_f + p2 * (1.0 - p2) / n_f).sqrt();
    (d, ((d - half).max(-1.0), (d + half).min(1.0)))
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
    fn wilson_holds_the_observed_share_at_the_edges() {
        for n in [1, 7, 100, 2000, 32_000] {
            assert_eq!(wilson(n, n).1, 1.0, "{n} of {n}");
            assert_eq!(wilson(0, n).0, 0.0, "0 of {n}");
            assert!(wilson(n, n).0 < 1.0 && wilson(0, n).1 > 0.0);
        }
    }

    #[test]
    fn identical_arms_have_a_narrow_paired_interval_around_zero() {
        let (d, (lo, hi)) = paired_difference(300, 0, 0, 1000);
        assert_eq!(d, 0.0);
        assert!(lo <= 0.0 && hi >= 0.0 && hi - lo < 0.01, "{lo} {hi}");
    }

    #[test]
    fn paired_intervals_stay_within_one_at_small_n() {
        // At n = 10 the normal interval left [-1, 1] (-1.096 for 9 lost of 10).
        for both in 0..=10u64 {
            for gained in 0..=(10 - both) {
                for lost in 0..=(10 - both - gained) {
                    let (d, (lo, hi)) = paired_difference(both, gained, lost, 10);
                    assert!(
                        (-1.0..=1.0).contains(&lo)
                            && (-1.0..=1.0).contains(&hi)
                            && lo <= d
                            && d <= hi,
                        "{both} {gained} {lost}: {d} [{lo}, {hi}]"
                    );
                }
            }
        }
        let (_, (lo, _)) = paired_difference(0, 0, 9, 10);
        assert!(lo > -1.0 && lo < -0.5, "{lo}");
    }

    #[test]
    fn paired_intervals_agree_with_the_normal_one_at_large_n() {
        let (n, both, gained, lost) = (100_000u64, 20_000u64, 3_000u64, 2_000u64);
        let (d, (lo, hi)) = paired_difference(both, gained, lost, n);
        let n_f = n as f64;
        let second = (gained + lost) as f64 / n_f;
        let half = Z95 * ((second - d * d) / (n_f - 1.0)).sqrt();
        assert!((d - 0.01).abs() < 1e-12);
        assert!(
            (lo - (d - half)).abs() < 5e-4 && (hi - (d + half)).abs() < 5e-4,
            "{lo} {hi} vs ±{half}"
        );
    }
}
