//! A mergeable quantile sketch with integer counts, in the manner of DDSketch
//! (Masson, Rim and Lee, "DDSketch: a fast and fully-mergeable quantile sketch
//! with relative-error guarantees", VLDB 2019).
//!
//! A value `x` with `|x| ≥` [`MIN_MAGNITUDE`] falls in the logarithmic bucket
//! `k = ⌈log_γ |x|⌉` with `γ = (1 + α)/(1 − α)`, whose every value lies within
//! relative distance [`ALPHA`] of the bucket's representative `2γᵏ/(γ + 1)`;
//! values with `|x| <` [`MIN_MAGNITUDE`] share one zero bucket (reported as 0,
//! absolute error below [`MIN_MAGNITUDE`]). Quantities whose magnitude is at
//! most 1 (every tracked variable) need [`POSITIVE_BUCKETS`] buckets per sign.
//!
//! A sketch is a fixed-length vector of counts ordered by value, so two
//! sketches merge by adding counts: exact, associative and bit-identical in
//! any grouping. A quantile read from a sketch is within relative accuracy
//! [`ALPHA`] of the exact lower quantile of the recorded values (the value of
//! rank `⌊q·(n − 1)⌋`, 0-based, in sorted order).

/// Relative accuracy α of every quantile read from a sketch.
pub const ALPHA: f64 = 0.01;

/// Smallest magnitude given its own bucket; smaller values count as 0.
pub const MIN_MAGNITUDE: f64 = 1e-4;

/// ln γ, γ = (1 + α)/(1 − α).
fn ln_gamma() -> f64 {
    ((1.0 + ALPHA) / (1.0 - ALPHA)).ln()
}

/// The bucket index of [`MIN_MAGNITUDE`] (the lowest; the highest, of 1.0, is 0).
fn lowest_index() -> i64 {
    (MIN_MAGNITUDE.ln() / ln_gamma()).ceil() as i64
}

/// Buckets per sign for magnitudes in [[`MIN_MAGNITUDE`], 1].
pub const POSITIVE_BUCKETS: usize = 461;

/// Buckets of a sketch: the zero bucket, the positive buckets, and for signed
/// quantities as many negative ones.
pub const fn width(signed: bool) -> usize {
    if signed {
        2 * POSITIVE_BUCKETS + 1
    } else {
        POSITIVE_BUCKETS + 1
    }
}

/// Position of a magnitude's bucket among the positive ones (0 = smallest).
fn magnitude_slot(m: f64) -> usize {
    let k = (m.ln() / ln_gamma()).ceil() as i64;
    let slot = (k - lowest_index()).max(0) as usize;
    slot.min(POSITIVE_BUCKETS - 1)
}

/// The bucket (position in value order) of `x`; magnitudes above 1 fall in the
/// top bucket, and a negative `x` of an unsigned quantity in the zero bucket.
pub fn bucket(x: f64, signed: bool) -> usize {
    let zero = if signed { POSITIVE_BUCKETS } else { 0 };
    if x.is_nan() || x.abs() < MIN_MAGNITUDE {
        return zero;
    }
    if x > 0.0 {
        zero + 1 + magnitude_slot(x)
    } else if signed {
        POSITIVE_BUCKETS - 1 - magnitude_slot(-x)
    } else {
        zero
    }
}

/// The representative value of a bucket (inverse of [`bucket`] within α).
pub fn value(bucket: usize, signed: bool) -> f64 {
    let zero = if signed { POSITIVE_BUCKETS } else { 0 };
    let magnitude = |slot: usize| {
        let k = lowest_index() + slot as i64;
        let gamma = ln_gamma().exp();
        2.0 * (ln_gamma() * k as f64).exp() / (gamma + 1.0)
    };
    match bucket.cmp(&zero) {
        std::cmp::Ordering::Equal => 0.0,
        std::cmp::Ordering::Greater => magnitude(bucket - zero - 1),
        std::cmp::Ordering::Less => -magnitude(POSITIVE_BUCKETS - 1 - bucket),
    }
}

/// The `q`-quantile (lower, rank `⌊q·(n − 1)⌋`) of a sketch's counts; `None` if it is empty.
pub fn quantile(counts: &[u64], q: f64, signed: bool) -> Option<f64> {
    let total: u64 = counts.iter().sum();
    if total == 0 {
        return None;
    }
    let rank = (q.clamp(0.0, 1.0) * (total - 1) as f64).floor() as u64;
    let mut seen = 0u64;
    for (b, n) in counts.iter().enumerate() {
        seen += n;
        if seen > rank {
            return Some(value(b, signed));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sketch_of(xs: &[f64], signed: bool) -> Vec<u64> {
        let mut counts = vec![0; width(signed)];
        for x in xs {
            counts[bucket(*x, signed)] += 1;
        }
        counts
    }

    fn exact(sorted: &[f64], q: f64) -> f64 {
        sorted[(q * (sorted.len() - 1) as f64).floor() as usize]
    }

    #[test]
    fn the_bucket_count_covers_magnitudes_down_to_the_minimum() {
        assert_eq!(POSITIVE_BUCKETS as i64, 1 - lowest_index());
        assert_eq!(magnitude_slot(1.0), POSITIVE_BUCKETS - 1);
        assert_eq!(magnitude_slot(MIN_MAGNITUDE), 0);
    }

    #[test]
    fn quantiles_are_within_alpha_of_exact_quantiles() {
        // Known data spanning four decades, and a signed set around zero.
        let positive: Vec<f64> = (1..=2000).map(|i| 1e-3 * (1.0034_f64).powi(i)).collect();
        let signed: Vec<f64> = (0..1001).map(|i| -1.0 + 0.002 * i as f64).collect();
        for (xs, is_signed) in [(positive, false), (signed, true)] {
            let counts = sketch_of(&xs, is_signed);
            let mut sorted = xs.clone();
            sorted.sort_by(f64::total_cmp);
            for q in [0.0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1.0] {
                let want = exact(&sorted, q);
                let got = quantile(&counts, q, is_signed).unwrap_or(f64::NAN);
                let tolerance = ALPHA * want.abs()
                    + if want.abs() < MIN_MAGNITUDE {
                        MIN_MAGNITUDE
                    } else {
                        0.0
                    };
                assert!(
                    (got - want).abs() <= tolerance + 1e-12,
                    "q = {q}: sketch {got}, exact {want}"
                );
            }
        }
    }

    #[test]
    fn small_quantities_keep_their_order() {
        // A variable around 0.017 with a tail: p05 ≤ mean ≤ p95.
        let xs: Vec<f64> = (0..1000).map(|i| 0.010 + 0.000_015 * i as f64).collect();
        let counts = sketch_of(&xs, false);
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        let p05 = quantile(&counts, 0.05, false).unwrap_or(f64::NAN);
        let p95 = quantile(&counts, 0.95, false).unwrap_or(f64::NAN);
        assert!(p05 <= mean && mean <= p95, "{p05} {mean} {p95}");
        assert!(p05 > 0.0095 && p95 < 0.026, "{p05} {p95}");
    }

    #[test]
    fn merged_sketches_equal_the_sketch_of_the_union() {
        let a: Vec<f64> = (0..300).map(|i| (i as f64 * 0.37).sin()).collect();
        let b: Vec<f64> = (0..200).map(|i| (i as f64 * 0.11).cos() * 0.01).collect();
        let mut merged = sketch_of(&a, true);
        for (m, n) in merged.iter_mut().zip(sketch_of(&b, true)) {
            *m += n;
        }
        let union: Vec<f64> = a.iter().chain(&b).copied().collect();
        assert_eq!(merged, sketch_of(&union, true));
    }

    #[test]
    fn an_empty_sketch_has_no_quantile() {
        assert_eq!(quantile(&[0; 5], 0.5, false), None);
    }
}
