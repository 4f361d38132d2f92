//! Fixed-point sums: exact, associative accumulation of bounded floats.

/// Scale of the fixed-point representation (2³²): resolution ≈ 2.3e-10.
pub const SCALE: f64 = 4_294_967_296.0;

/// Below this magnitude a scaled value converts through `i64`: 2⁶², so the
/// rounded value (at most one more) still fits.
const FAST_LIMIT: f64 = 4_611_686_018_427_387_904.0;

/// A value in fixed point: `(x · SCALE).round() as i128`, bit for bit.
///
/// A tracked value is bounded, so its scaled value fits an `i64` and is
/// converted with the processor's own truncation, then rounded half away
/// from zero by its fraction (exact: `y − trunc(y)` is representable). Only
/// values out of that range (and NaN) take the library's `round` and the
/// slower conversion to `i128`.
#[inline]
pub fn to_fixed(x: f64) -> i128 {
    let y = x * SCALE;
    if y.abs() < FAST_LIMIT {
        let truncated = y as i64;
        let fraction = y - truncated as f64;
        let rounded = if fraction >= 0.5 {
            truncated + 1
        } else if fraction <= -0.5 {
            truncated - 1
        } else {
            truncated
        };
        i128::from(rounded)
    } else {
        y.round() as i128
    }
}

/// A fixed-point sum back to a float.
pub fn from_fixed(x: i128) -> f64 {
    x as f64 / SCALE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_are_order_independent() {
        let xs = [0.1, 0.7, -0.3333, 1e-6, 0.999];
        let forward: i128 = xs.iter().map(|x| to_fixed(*x)).sum();
        let backward: i128 = xs.iter().rev().map(|x| to_fixed(*x)).sum();
        assert_eq!(forward, backward);
        assert!((from_fixed(forward) - xs.iter().sum::<f64>()).abs() < 1e-8);
    }

    /// The conversion by the library's `round` and `as i128`.
    fn reference(x: f64) -> i128 {
        (x * SCALE).round() as i128
    }

    #[test]
    fn the_fast_conversion_is_the_library_rounding_bit_for_bit() {
        let half = 0.5 / SCALE;
        let mut xs = crate::tests::EDGE_FLOATS.to_vec();
        xs.extend([
            1.0,
            -1.0,
            half,
            -half,
            3.0 * half,
            -3.0 * half,
            FAST_LIMIT / SCALE,
            -FAST_LIMIT / SCALE,
            2.0 * FAST_LIMIT / SCALE,
            -2.0 * FAST_LIMIT / SCALE,
            1e30,
            -1e30,
        ]);
        // Values just either side of every half-way point near a few integers,
        // and a sweep of ordinary values.
        for k in [-3.0, -1.0, 0.0, 1.0, 2.0, 1e6, 4_503_599_627_370_495.0] {
            let y: f64 = k + 0.5;
            for z in [y.next_down(), y, y.next_up()] {
                xs.push(z / SCALE);
                xs.push(-z / SCALE);
            }
        }
        for i in -100_000..=100_000 {
            xs.push(f64::from(i) * 1.234_567_891e-5);
        }
        for x in xs {
            assert_eq!(to_fixed(x), reference(x), "{x:e}");
        }
    }
}
