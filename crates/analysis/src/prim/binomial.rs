//! The one-sided binomial tail behind PRIM's quasi-p values, computed in log
//! space so that the tiny p-values of strong restrictions neither underflow
//! nor lose their digits.
//!
//! A single probability is Loader's saddle-point form ("Fast and accurate
//! computation of binomial probabilities", 2000, as in R's `dbinom`), exact
//! to a few ulps for any n; the tail sums the terms outward from the first,
//! whichever side is smaller, with the ratio of consecutive terms.

use std::f64::consts::PI;

/// P[X ≥ k] for X ~ Binomial(n, p): the p-value of
/// `scipy.stats.binomtest(k, n, p, alternative="greater")`.
///
/// # Example
/// ```
/// use wedge_analysis::binomial_upper_tail;
/// // Five heads in five fair tosses: 1/32.
/// assert!((binomial_upper_tail(5, 5, 0.5) - 1.0 / 32.0).abs() < 1e-15);
/// assert_eq!(binomial_upper_tail(0, 5, 0.5), 1.0);
/// ```
pub fn binomial_upper_tail(k: u64, n: u64, p: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if k > n || p <= 0.0 || p.is_nan() {
        return 0.0;
    }
    if p >= 1.0 {
        return 1.0;
    }
    let q = 1.0 - p;
    let (nf, kf) = (n as f64, k as f64);
    if kf > nf * p {
        // Terms fall from k upwards: sum them relative to the first.
        let log_first = log_pmf(k, n, p);
        let odds = p / q;
        let (mut term, mut sum) = (1.0, 1.0);
        let mut i = k;
        while i < n {
            term *= (n - i) as f64 / (i + 1) as f64 * odds;
            sum += term;
            i += 1;
            if term < sum * 1e-17 {
                break;
            }
        }
        (log_first + sum.ln()).exp()
    } else {
        // The tail is at least about a half: one minus the lower tail, whose
        // terms fall from k − 1 downwards.
        let top = k - 1;
        let log_first = log_pmf(top, n, p);
        let odds = q / p;
        let (mut term, mut sum) = (1.0, 1.0);
        let mut i = top;
        while i > 0 {
            term *= i as f64 / (n - i + 1) as f64 * odds;
            sum += term;
            i -= 1;
            if term < sum * 1e-17 {
                break;
            }
        }
        (1.0 - (log_first + sum.ln()).exp()).max(0.0)
    }
}

/// ln P[X = x] for X ~ Binomial(n, p), 0 < p < 1.
fn log_pmf(x: u64, n: u64, p: f64) -> f64 {
    let q = 1.0 - p;
    let (nf, xf) = (n as f64, x as f64);
    if x == 0 {
        return if p < 0.1 {
            -bd0(nf, nf * q) - nf * p
        } else {
            nf * q.ln()
        };
    }
    if x == n {
        return if q < 0.1 {
            -bd0(nf, nf * p) - nf * q
        } else {
            nf * p.ln()
        };
    }
    let lc = stirlerr(n) - stirlerr(x) - stirlerr(n - x) - bd0(xf, nf * p) - bd0(nf - xf, nf * q);
    let lf = (2.0 * PI).ln() + xf.ln() + (-xf / nf).ln_1p();
    lc - 0.5 * lf
}

/// ln(n!) − ln(√(2πn) (n/e)^n), the error of Stirling's formula.
fn stirlerr(n: u64) -> f64 {
    let nf = n as f64;
    if n <= 15 {
        let log_factorial: f64 = (2..=n).map(|i| (i as f64).ln()).sum();
        return log_factorial - (nf + 0.5) * nf.ln() + nf - 0.5 * (2.0 * PI).ln();
    }
    const S0: f64 = 1.0 / 12.0;
    const S1: f64 = 1.0 / 360.0;
    const S2: f64 = 1.0 / 1260.0;
    const S3: f64 = 1.0 / 1680.0;
    const S4: f64 = 1.0 / 1188.0;
    let nn = nf * nf;
    if n > 500 {
        (S0 - S1 / nn) / nf
    } else if n > 80 {
        (S0 - (S1 - S2 / nn) / nn) / nf
    } else if n > 35 {
        (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / nf
    } else {
        (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / nf
    }
}

/// x ln(x/np) + np − x, computed without cancellation when x ≈ np.
fn bd0(x: f64, np: f64) -> f64 {
    if (x - np).abs() < 0.1 * (x + np) {
        let mut v = (x - np) / (x + np);
        let mut s = (x - np) * v;
        let mut ej = 2.0 * x * v;
        v *= v;
        for j in 1..1000 {
            ej *= v;
            let s1 = s + ej / f64::from(2 * j + 1);
            if s1 == s {
                return s1;
            }
            s = s1;
        }
        s
    } else {
        x * (x / np).ln() + np - x
    }
}

#[cfg(test)]
mod tests {
    use super::binomial_upper_tail;

    #[test]
    fn matches_scipy_binomtest_greater() {
        // scipy.stats.binomtest(k, n, p, alternative="greater").pvalue, SciPy 1.17.
        let cases = [
            (7, 10, 0.3, 0.010_592_078_399_999_996),
            (2, 10, 0.5, 0.989_257_812_5),
            (45, 100, 0.4, 0.178_901_632_723_105_55),
            (40, 100, 0.4, 0.537_924_659_114_036_8),
            (300, 450, 0.6, 0.002_079_636_975_547_193_5),
            (428, 450, 0.93, 0.042_865_740_316_222_38),
            (5050, 10000, 0.5, 0.161_087_099_897_655_43),
            (1, 1000, 0.001, 0.632_304_575_229_035_9),
            (3, 1_000_000, 1e-6, 0.080_301_305_101_449_62),
            (20, 20, 0.2, 1.048_576_000_000_001_2e-14),
            (900, 1000, 0.85, 2.038_966_127_472_765_4e-6),
            (120, 450, 0.131, 1.378_480_067_403_714_3e-14),
            (60, 200, 0.1, 3.700_520_420_614_82e-15),
            (250, 400, 0.3, 5.163_106_596_808_037e-41),
        ];
        for (k, n, p, want) in cases {
            let got = binomial_upper_tail(k, n, p);
            assert!(
                (got - want).abs() <= 1e-12 * want,
                "P[Bin({n}, {p}) ≥ {k}] = {got:e}, SciPy {want:e}"
            );
        }
    }

    #[test]
    fn small_cases_match_exact_sums() {
        // Exact: P[Bin(10, 0.3) ≥ 7] = Σ C(10, i) 0.3^i 0.7^(10−i).
        let exact: f64 = [(7, 120.0), (8, 45.0), (9, 10.0), (10, 1.0)]
            .iter()
            .map(|&(i, c)| c * 0.3_f64.powi(i) * 0.7_f64.powi(10 - i))
            .sum();
        assert!((binomial_upper_tail(7, 10, 0.3) - exact).abs() < 1e-15);
        assert!((binomial_upper_tail(1, 3, 0.5) - 0.875).abs() < 1e-15);
        assert_eq!(binomial_upper_tail(4, 3, 0.5), 0.0);
        assert_eq!(binomial_upper_tail(2, 3, 0.0), 0.0);
        assert_eq!(binomial_upper_tail(2, 3, 1.0), 1.0);
    }
}
