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
    let k = ceil_to_i64(m.ln() / ln_gamma());
    let slot = (k - lowest_index()).max(0) as usize;
    slot.min(POSITIVE_BUCKETS - 1)
}

/// `x.ceil() as i64`, bit for bit, without the library's `ceil` (a call on
/// processors without a rounding instruction) where `x` is small enough for
/// its truncation to be exact: one more than the truncation when that lies
/// below `x`. NaN and magnitudes from 2⁵² take the library's way.
#[inline]
fn ceil_to_i64(x: f64) -> i64 {
    if x.abs() < 4_503_599_627_370_496.0 {
        let truncated = x as i64;
        if (truncated as f64) < x {
            truncated + 1
        } else {
            truncated
        }
    } else {
        x.ceil() as i64
    }
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

/// The edges `(low, high)` of a bucket: every value it counts lies in
/// `[low, high]`. A positive bucket of representative `r` spans
/// `[r/(1 + α), r/(1 − α)]` (that is `[γᵏ⁻¹, γᵏ]`), a negative one the mirror
/// image; the zero bucket spans `±`[`MIN_MAGNITUDE`] (from 0 for an unsigned quantity).
pub fn edges(bucket: usize, signed: bool) -> (f64, f64) {
    let r = value(bucket, signed);
    if r > 0.0 {
        (r / (1.0 + ALPHA), r / (1.0 - ALPHA))
    } else if r < 0.0 {
        (r / (1.0 - ALPHA), r / (1.0 + ALPHA))
    } else if signed {
        (-MIN_MAGNITUDE, MIN_MAGNITUDE)
    } else {
        (0.0, MIN_MAGNITUDE)
    }
}

/// The bucket holding the `q`-quantile (lower, rank `⌊q·(n − 1)⌋`) of a
/// sketch's counts; `None` if it is empty.
fn quantile_bucket(counts: &[u64], q: f64) -> Option<usize> {
    let total: u64 = counts.iter().sum();
    if total == 0 {
        return None;
    }
    let rank = (q.clamp(0.0, 1.0) * (total - 1) as f64).floor() as u64;
    let mut seen = 0u64;
    for (b, n) in counts.iter().enumerate() {
        seen += n;
        if seen > rank {
            return Some(b);
        }
    }
    None
}

/// The `q`-quantile (lower, rank `⌊q·(n − 1)⌋`) of a sketch's counts; `None` if it is empty.
pub fn quantile(counts: &[u64], q: f64, signed: bool) -> Option<f64> {
    quantile_bucket(counts, q).map(|b| value(b, signed))
}

/// A band `[low, high]` rounded outwards: `low` is the lower edge of the
/// bucket of the `q_low`-quantile and `high` the upper edge of the bucket of
/// the `q_high`-quantile, so the band holds the exact quantiles of the
/// recorded values (each edge within 2α/(1 + α) of them, relatively; within
/// [`MIN_MAGNITUDE`] in the zero bucket), and with them any value that
/// lies between them, such as the mean of a tight cluster narrower than a
/// bucket. `None` if the sketch is empty.
pub fn band(counts: &[u64], q_low: f64, q_high: f64, signed: bool) -> Option<(f64, f64)> {
    let low = quantile_bucket(counts, q_low)?;
    let high = quantile_bucket(counts, q_high)?;
    Some((edges(low, signed).0, edges(high, signed).1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_ceiling_is_the_librarys_bit_for_bit() {
        let mut xs = crate::tests::EDGE_FLOATS.to_vec();
        xs.extend([
            -f64::MIN_POSITIVE,
            4_503_599_627_370_496.0,
            -4_503_599_627_370_496.0,
            1e300,
            -1e300,
        ]);
        // Each side of integers and halves, and a sweep of ordinary values.
        for k in [
            -1000.0,
            -461.0,
            -3.0,
            -1.0,
            0.0,
            1.0,
            2.0,
            460.0,
            4_503_599_627_370_495.0,
        ] {
            for y in [k, k + 0.5f64] {
                xs.extend([
                    y.next_down(),
                    y,
                    y.next_up(),
                    -y.next_down(),
                    -y,
                    -y.next_up(),
                ]);
            }
        }
        for i in -200_000..=200_000 {
            xs.push(f64::from(i) * 2.345_678_9e-3);
        }
        for x in xs {
            assert_eq!(ceil_to_i64(x), x.ceil() as i64, "{x:e}");
        }
    }

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
    fn a_band_holds_the_exact_quantiles_and_a_tight_cluster_s_mean() {
        // Values tighter than one bucket: the representative alone can fall
        // on either side of their mean; the outward-rounded band cannot.
        let tight: Vec<f64> = (0..2000).map(|i| 0.023_73 + 1e-9 * i as f64).collect();
        let spread: Vec<f64> = (0..1001).map(|i| -1.0 + 0.002 * i as f64).collect();
        let tiny: Vec<f64> = (0..100).map(|i| 1e-6 * i as f64).collect();
        for (xs, signed) in [(tight, false), (spread.clone(), true), (tiny, false)] {
            let counts = sketch_of(&xs, signed);
            let mut sorted = xs.clone();
            sorted.sort_by(f64::total_cmp);
            let mean = xs.iter().sum::<f64>() / xs.len() as f64;
            let (low, high) = band(&counts, 0.05, 0.95, signed).unwrap_or((f64::NAN, f64::NAN));
            let (want_low, want_high) = (exact(&sorted, 0.05), exact(&sorted, 0.95));
            assert!(low <= want_low + 1e-12 && want_high <= high + 1e-12);
            assert!(low <= mean && mean <= high, "{low} {mean} {high}");
            let slack = 2.0 * ALPHA / (1.0 + ALPHA);
            assert!(want_low - low <= slack * want_low.abs() + MIN_MAGNITUDE + 1e-12);
            assert!(high - want_high <= slack * want_high.abs() + MIN_MAGNITUDE + 1e-12);
        }
        // Every bucket's edges hold the values it counts.
        for x in spread.iter().chain(&[0.5e-4, 0.7, 1.0, -1.0]) {
            let (low, high) = edges(bucket(*x, true), true);
            assert!(
                low <= *x + 1e-12 && *x <= high + 1e-12,
                "{x}: [{low}, {high}]"
            );
        }
        assert_eq!(band(&[0; 5], 0.05, 0.95, false), None);
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
