//! Transcendentals the step calls many times per turn, written for speed.
//!
//! `tanh` through one `exp` costs about half of the C library's `tanh`
//! (which goes through `expm1`). Its error is below 1e-15 in absolute value,
//! far inside any interval the model reports; results remain a pure function
//! of (scenario, seed, run).

/// Hyperbolic tangent as `(1 − e^{−2|x|}) / (1 + e^{−2|x|})` with the sign of `x`.
#[inline]
pub fn tanh(x: f64) -> f64 {
    let a = x.abs();
    if a > 20.0 {
        // tanh(20) rounds to 1.
        return 1.0f64.copysign(x);
    }
    let e = (-2.0 * a).exp();
    ((1.0 - e) / (1.0 + e)).copysign(x)
}

#[cfg(test)]
mod tests {
    #[test]
    fn agrees_with_the_library_tanh() {
        let mut worst = 0.0f64;
        for i in -40_000..=40_000 {
            let x = f64::from(i) * 1e-3;
            worst = worst.max((super::tanh(x) - x.tanh()).abs());
        }
        assert!(worst < 1e-15, "worst absolute error {worst:e}");
        assert_eq!(super::tanh(0.0), 0.0);
        assert_eq!(super::tanh(1e3), 1.0);
        assert_eq!(super::tanh(-1e3), -1.0);
        assert!(super::tanh(f64::NAN).is_nan());
    }
}
