//! Inverse CDFs that turn a design's uniforms into input values.
//!
//! A Saltelli design gives uniforms in [0, 1); the value of an input is its
//! distribution's quantile at that uniform, so the low-discrepancy structure
//! of the design carries over to the inputs.

/// Smallest distance from 0 and 1 a uniform keeps before an unbounded
/// quantile is taken (2^-53), so that u = 0 does not map to −∞.
const EDGE: f64 = 1.0 / 9_007_199_254_740_992.0;

/// The value at `u` of a uniform distribution on [low, high).
pub fn uniform(u: f64, low: f64, high: f64) -> f64 {
    low + (high - low) * u
}

/// The value at `u` of a normal distribution; `u` is clamped into
/// [2^-53, 1 − 2^-53] first, so every uniform maps to a finite value.
pub fn normal(u: f64, mean: f64, sd: f64) -> f64 {
    mean + sd * normal_quantile(u.clamp(EDGE, 1.0 - EDGE))
}

/// The value at `u` of a triangular distribution on [low, high] with its
/// peak at `mode`.
pub fn triangular(u: f64, low: f64, mode: f64, high: f64) -> f64 {
    let width = high - low;
    if width <= 0.0 {
        return low;
    }
    let split = (mode - low) / width;
    if u < split {
        low + (u * width * (mode - low)).sqrt()
    } else {
        high - ((1.0 - u) * width * (high - mode)).sqrt()
    }
}

/// The index ⌊u·k⌋ of one of `k` equally likely choices (capped at k − 1;
/// `k = 0` is read as a single choice).
pub fn choice(u: f64, k: usize) -> usize {
    let k = k.max(1);
    ((u * k as f64).floor().max(0.0) as usize).min(k - 1)
}

/// The index of one of several choices with relative `weights`: the first
/// whose cumulative share exceeds `u`. `None` when there is no positive
/// weight.
pub fn weighted_choice(u: f64, weights: &[f64]) -> Option<usize> {
    let total: f64 = weights.iter().filter(|w| **w > 0.0).sum();
    if !(total > 0.0 && total.is_finite()) {
        return None;
    }
    let target = u * total;
    let mut cumulative = 0.0;
    let mut last = None;
    for (i, w) in weights.iter().enumerate() {
        if *w > 0.0 {
            cumulative += w;
            last = Some(i);
            if target < cumulative {
                return Some(i);
            }
        }
    }
    last
}

/// Φ⁻¹(p), the standard normal quantile, by Wichura's algorithm AS 241
/// (PPND16, about 16 significant digits). Returns ±∞ at 0 and 1 and NaN
/// outside [0, 1].
// The coefficients are written as Wichura published them, digits beyond f64
// included, so that they can be checked against the paper.
#[allow(clippy::excessive_precision)]
pub fn normal_quantile(p: f64) -> f64 {
    if p.is_nan() || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    const A: [f64; 8] = [
        3.387_132_872_796_366_608,
        133.141_667_891_784_377_45,
        1_971.590_950_306_551_442_7,
        13_731.693_765_509_461_125,
        45_921.953_931_549_871_457,
        67_265.770_927_008_700_853,
        33_430.575_583_588_128_105,
        2_509.080_928_730_122_672_7,
    ];
    const B: [f64; 8] = [
        1.0,
        42.313_330_701_600_911_252,
        687.187_007_492_057_908_3,
        5_394.196_021_424_751_107_7,
        21_213.794_301_586_595_867,
        39_307.895_800_092_710_61,
        28_729.085_735_721_942_674,
        5_226.495_278_852_854_561,
    ];
    const C: [f64; 8] = [
        1.423_437_110_749_683_577_34,
        4.630_337_846_156_545_295_9,
        5.769_497_221_460_691_405_5,
        3.647_848_324_763_204_605_04,
        1.270_458_252_452_368_382_58,
        0.241_780_725_177_450_611_77,
        0.022_723_844_989_269_184_583_3,
        7.745_450_142_783_414_076_4e-4,
    ];
    const D: [f64; 8] = [
        1.0,
        2.053_191_626_637_758_821_87,
        1.676_384_830_183_803_849_4,
        0.689_767_334_985_100_004_55,
        0.148_103_976_427_480_074_59,
        0.015_198_666_563_616_457_196_6,
        5.475_938_084_995_344_946e-4,
        1.050_750_071_644_416_843_24e-9,
    ];
    const E: [f64; 8] = [
        6.657_904_643_501_103_777_2,
        5.463_784_911_164_114_369_9,
        1.784_826_539_917_291_335_8,
        0.296_560_571_828_504_891_23,
        0.026_532_189_526_576_123_093,
        0.001_242_660_947_388_078_438_6,
        2.711_555_568_743_487_578_15e-5,
        2.010_334_399_292_288_132_65e-7,
    ];
    const F: [f64; 8] = [
        1.0,
        0.599_832_206_555_887_937_69,
        0.136_929_880_922_735_805_31,
        0.014_875_361_290_850_614_852_5,
        7.868_691_311_456_132_591e-4,
        1.846_318_317_510_054_681_8e-5,
        1.421_511_758_316_445_888_7e-7,
        2.044_263_103_389_939_785_64e-15,
    ];
    fn poly(c: &[f64; 8], x: f64) -> f64 {
        c.iter().rev().fold(0.0, |acc, ci| acc * x + ci)
    }
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180_625 - q * q;
        return q * poly(&A, r) / poly(&B, r);
    }
    let tail = if q < 0.0 { p } else { 1.0 - p };
    let mut r = (-tail.ln()).sqrt();
    let value = if r <= 5.0 {
        r -= 1.6;
        poly(&C, r) / poly(&D, r)
    } else {
        r -= 5.0;
        poly(&E, r) / poly(&F, r)
    };
    if q < 0.0 { -value } else { value }
}
