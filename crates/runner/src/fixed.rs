//! Fixed-point sums: exact, associative accumulation of bounded floats.

/// Scale of the fixed-point representation (2³²): resolution ≈ 2.3e-10.
pub const SCALE: f64 = 4_294_967_296.0;

/// A value in fixed point.
pub fn to_fixed(x: f64) -> i128 {
    (x * SCALE).round() as i128
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
}
