//! Transcendentals the step and the decisions call many times per turn,
//! written for speed.
//!
//! [`exp`] and [`ln`] reduce their argument by powers of two and evaluate a
//! short polynomial (`exp` with a 32-entry table of `2^(j/32)`), inline, with
//! no call into the C library and nothing that depends on the platform's
//! `libm`: their relative error is below 1e-14 over the ranges the model uses
//! (tested against the standard library).
//! `tanh` through one `exp` costs about half of the C library's `tanh` (which
//! goes through `expm1`); its error is below 2e-15 in absolute value. All are
//! far inside any interval the model reports; results remain a pure function
//! of (scenario, seed, run).

/// `ln 2` split in two: the high part has trailing zero bits, so `k·LN2_HI`
/// is exact for every exponent `k` of an `f64` (fdlibm's constants).
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
/// The rest of `ln 2`.
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
/// 1.5·2⁵²: adding and subtracting it rounds a number of magnitude below 2⁵¹ to an integer.
const ROUNDER: f64 = 6_755_399_441_055_744.0;

/// `2^(j/32)` for `j` in 0..32, each correctly rounded (computed to 60 digits).
const EXP2_TABLE: [f64; 32] = [
    f64::from_bits(0x3ff0000000000000),
    f64::from_bits(0x3ff059b0d3158574),
    f64::from_bits(0x3ff0b5586cf9890f),
    f64::from_bits(0x3ff11301d0125b51),
    f64::from_bits(0x3ff172b83c7d517b),
    f64::from_bits(0x3ff1d4873168b9aa),
    f64::from_bits(0x3ff2387a6e756238),
    f64::from_bits(0x3ff29e9df51fdee1),
    f64::from_bits(0x3ff306fe0a31b715),
    f64::from_bits(0x3ff371a7373aa9cb),
    f64::from_bits(0x3ff3dea64c123422),
    f64::from_bits(0x3ff44e086061892d),
    f64::from_bits(0x3ff4bfdad5362a27),
    f64::from_bits(0x3ff5342b569d4f82),
    f64::from_bits(0x3ff5ab07dd485429),
    f64::from_bits(0x3ff6247eb03a5585),
    f64::from_bits(0x3ff6a09e667f3bcd),
    f64::from_bits(0x3ff71f75e8ec5f74),
    f64::from_bits(0x3ff7a11473eb0187),
    f64::from_bits(0x3ff82589994cce13),
    f64::from_bits(0x3ff8ace5422aa0db),
    f64::from_bits(0x3ff93737b0cdc5e5),
    f64::from_bits(0x3ff9c49182a3f090),
    f64::from_bits(0x3ffa5503b23e255d),
    f64::from_bits(0x3ffae89f995ad3ad),
    f64::from_bits(0x3ffb7f76f2fb5e47),
    f64::from_bits(0x3ffc199bdd85529c),
    f64::from_bits(0x3ffcb720dcef9069),
    f64::from_bits(0x3ffd5818dcfba487),
    f64::from_bits(0x3ffdfc97337b9b5f),
    f64::from_bits(0x3ffea4afa2a490da),
    f64::from_bits(0x3fff50765b6e4540),
];

/// `e^x`: `x = (32m + j)·ln 2/32 + r` with `|r| ≤ ln 2/64`, so
/// `e^x = 2^m · 2^(j/32) · e^r`, with `e^r − 1` by its Taylor polynomial of
/// degree 5 (truncation below 3e-15 relative) and `2^(j/32)` from a table.
/// Arguments outside (−708, 709), where the result would be subnormal or
/// infinite, and NaN go to the standard library.
#[inline]
pub fn exp(x: f64) -> f64 {
    if !(x > -708.0 && x < 709.0) {
        return x.exp();
    }
    let kf = (x * (32.0 * std::f64::consts::LOG2_E) + ROUNDER) - ROUNDER;
    let r = (x - kf * (LN2_HI / 32.0)) - kf * (LN2_LO / 32.0);
    // kf is an integer of magnitude below 2^15: exact as an i64.
    let k = kf as i64;
    let p = 1.0 / 120.0;
    let p = p * r + 1.0 / 24.0;
    let p = p * r + 1.0 / 6.0;
    let p = p * r + 0.5;
    let p = p * r + 1.0;
    let p = p * r;
    let t = EXP2_TABLE[(k & 31) as usize];
    // m = k >> 5 is in [−1022, 1023]: 2^m is built from its exponent bits.
    let scale = f64::from_bits((((k >> 5) + 1023) as u64) << 52);
    (t + t * p) * scale
}

/// `ln x`: `x = 2^e·m` with `m` in [√½, √2), `ln m = 2·atanh(s)`, `s = (m − 1)/(m + 1)`
/// (|s| ≤ 0.172), by the series `2(s + s³/3 + … + s¹⁹/19)` (truncation below
/// 1e-16 relative), plus `e·ln 2`. Zero, negative, subnormal, infinite and NaN
/// arguments go to the standard library.
#[inline]
pub fn ln(x: f64) -> f64 {
    if !(f64::MIN_POSITIVE..f64::INFINITY).contains(&x) {
        return x.ln();
    }
    let bits = x.to_bits();
    let mut e = ((bits >> 52) & 0x7ff) as i64 - 1023;
    // The mantissa as a number in [1, 2), then in [√½, √2).
    let mut m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if m > std::f64::consts::SQRT_2 {
        m *= 0.5;
        e += 1;
    }
    let f = m - 1.0;
    let s = f / (2.0 + f);
    let z = s * s;
    let p = 1.0 / 19.0;
    let p = p * z + 1.0 / 17.0;
    let p = p * z + 1.0 / 15.0;
    let p = p * z + 1.0 / 13.0;
    let p = p * z + 1.0 / 11.0;
    let p = p * z + 1.0 / 9.0;
    let p = p * z + 1.0 / 7.0;
    let p = p * z + 1.0 / 5.0;
    let p = p * z + 1.0 / 3.0;
    // ln m = 2s·(1 + z·p).
    let ln_m = 2.0 * s + 2.0 * s * z * p;
    let e = e as f64;
    e * LN2_HI + (ln_m + e * LN2_LO)
}

/// Hyperbolic tangent as `(1 − e^{−2|x|}) / (1 + e^{−2|x|})` with the sign of `x`.
#[inline]
pub fn tanh(x: f64) -> f64 {
    let a = x.abs();
    if a > 20.0 {
        // tanh(20) rounds to 1.
        return 1.0f64.copysign(x);
    }
    let e = exp(-2.0 * a);
    ((1.0 - e) / (1.0 + e)).copysign(x)
}

#[cfg(test)]
mod tests {
    /// Largest relative error of `fast` against `exact` at `points` points spread over `[lo, hi]`.
    fn worst(fast: fn(f64) -> f64, exact: fn(f64) -> f64, lo: f64, hi: f64, points: u32) -> f64 {
        (0..=points)
            .map(|i| lo + (hi - lo) * f64::from(i) / f64::from(points))
            .map(|x| {
                let e = exact(x);
                ((fast(x) - e) / e).abs()
            })
            .fold(0.0, f64::max)
    }

    #[test]
    fn exp_agrees_with_the_library_exp() {
        // The model's arguments: tanh's −2|x| in [−40, 0], the logit's λ·(U − max U) ≤ 0,
        // the price noise's few tenths; and the whole range where exp is normal.
        for (lo, hi) in [(-40.0, 0.0), (-1.0, 1.0), (-1e-6, 1e-6), (-707.9, 708.9)] {
            let err = worst(super::exp, f64::exp, lo, hi, 200_000);
            assert!(err < 1e-14, "relative error {err:e} on [{lo}, {hi}]");
        }
        assert_eq!(super::exp(0.0), 1.0);
        assert_eq!(super::exp(-1e4), 0.0);
        assert_eq!(super::exp(1e4), f64::INFINITY);
        assert!(super::exp(f64::NAN).is_nan());
    }

    #[test]
    fn ln_agrees_with_the_library_ln() {
        // The model's arguments are power ratios of the partners (about 0.01 to 100).
        for (lo, hi) in [
            (0.01, 100.0),
            (0.5, 2.0),
            (1.0 - 1e-6, 1.0 + 1e-6),
            (1e-300, 1e300),
        ] {
            let err = worst(super::ln, f64::ln, lo, hi, 200_000);
            assert!(err < 1e-14, "relative error {err:e} on [{lo}, {hi}]");
        }
        for x in [1e-300, 1e-10, 0.1, 0.7, 1.5, 3.0, 1e10, 1e300] {
            let err = ((super::ln(x) - x.ln()) / x.ln()).abs();
            assert!(err < 1e-14, "ln({x}): relative error {err:e}");
        }
        assert_eq!(super::ln(1.0), 0.0);
        assert_eq!(super::ln(0.0), f64::NEG_INFINITY);
        assert!(super::ln(-1.0).is_nan());
    }

    #[test]
    fn agrees_with_the_library_tanh() {
        let mut worst = 0.0f64;
        for i in -40_000..=40_000 {
            let x = f64::from(i) * 1e-3;
            worst = worst.max((super::tanh(x) - x.tanh()).abs());
        }
        assert!(worst < 2e-15, "worst absolute error {worst:e}");
        assert_eq!(super::tanh(0.0), 0.0);
        assert_eq!(super::tanh(1e3), 1.0);
        assert_eq!(super::tanh(-1e3), -1.0);
        assert!(super::tanh(f64::NAN).is_nan());
    }
}
