//! The quantile PRIM peels and pastes at, as in the EMA Workbench's
//! `get_quantile` (modelled on sdtoolkit): the midpoint between the order
//! statistic and the next distinct value, so that a limit never falls on a
//! data point and ties are never split.

/// The EMA Workbench's quantile of `data` (non-empty; reordered in place).
///
/// With sorted values d and i = (n − 1)q: for q ≤ 0.5, the midpoint of
/// d[⌊i⌋] and the smallest value above it (or d[⌊i⌋] itself when there is
/// none); for q > 0.5, the midpoint of d[⌈i⌉] and the largest value below
/// it. Linear time: a selection and a scan instead of a sort.
pub(crate) fn ema_quantile(data: &mut [f64], q: f64) -> f64 {
    let n = data.len();
    let i = (n - 1) as f64 * q;
    if q > 0.5 {
        let hi = (i.ceil() as usize).min(n - 1);
        let (_, pivot, _) = data.select_nth_unstable_by(hi, f64::total_cmp);
        let pivot = *pivot;
        let below = data
            .iter()
            .copied()
            .filter(|v| *v < pivot)
            .fold(f64::NEG_INFINITY, f64::max);
        if below == f64::NEG_INFINITY {
            pivot
        } else {
            (below + pivot) / 2.0
        }
    } else {
        let lo = (i.floor() as usize).min(n - 1);
        let (_, pivot, _) = data.select_nth_unstable_by(lo, f64::total_cmp);
        let pivot = *pivot;
        let above = data
            .iter()
            .copied()
            .filter(|v| *v > pivot)
            .fold(f64::INFINITY, f64::min);
        if above == f64::INFINITY {
            pivot
        } else {
            (pivot + above) / 2.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ema_quantile;

    /// The EMA Workbench's loop, transcribed, for comparison.
    fn reference(data: &[f64], q: f64) -> f64 {
        let mut d = data.to_vec();
        d.sort_by(f64::total_cmp);
        let i = (d.len() - 1) as f64 * q;
        let (mut lo, mut hi) = (i.floor() as usize, i.ceil() as usize);
        if q > 0.5 {
            while d[lo] == d[hi] && lo > 0 {
                lo -= 1;
            }
        } else {
            while d[lo] == d[hi] && hi < d.len() - 1 {
                hi += 1;
            }
        }
        (d[lo] + d[hi]) / 2.0
    }

    #[test]
    fn matches_the_workbench_loop_with_and_without_ties() {
        let sets: [&[f64]; 6] = [
            &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0],
            &[3.0, 1.0, 2.0, 2.0, 2.0, 2.0, 5.0, 9.0],
            &[1.0, 1.0, 1.0, 1.0],
            &[0.5],
            &[4.0, 4.0, 4.0, 7.0, 7.0, 7.0, 7.0, 7.0],
            &[0.3, 0.1, 0.9, 0.7, 0.7, 0.2, 0.8, 0.1, 0.6, 0.05, 0.95, 0.5],
        ];
        for data in sets {
            for q in [0.0, 0.05, 0.1, 0.5, 0.9, 0.95, 1.0] {
                let mut scratch = data.to_vec();
                assert_eq!(
                    ema_quantile(&mut scratch, q),
                    reference(data, q),
                    "{data:?} q={q}"
                );
            }
        }
        // Values never split ties: 5% of 1..=20 lies between 1 and 2.
        let mut data: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(ema_quantile(&mut data, 0.05), 1.5);
        assert_eq!(ema_quantile(&mut data, 0.95), 19.5);
    }
}
