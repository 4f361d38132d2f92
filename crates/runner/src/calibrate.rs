//! What a calibration needs from the runner: the episodes' models built from
//! one prior draw, and the draws of one shard. Playing the draws, scoring them
//! and merging shards is `wedge-calibrate`'s business.

use std::ops::Range;

use wedge_core::Model;

/// Builds the episodes' models (in target order) from one draw's values.
pub type BuildEpisodes<'a> = dyn Fn(&[f64]) -> Result<Vec<Model>, String> + Sync + 'a;

/// The draws of shard `k` of `n` (1-based) of a plan of `draws` draws.
pub fn shard_range(draws: u64, k: u64, n: u64) -> Range<u64> {
    let at = |i: u64| (u128::from(draws) * u128::from(i) / u128::from(n.max(1))) as u64;
    at(k.saturating_sub(1))..at(k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_every_draw_once() {
        let ranges: Vec<_> = (1..=3).map(|k| shard_range(10, k, 3)).collect();
        assert_eq!(ranges, vec![0..3, 3..6, 6..10]);
        assert_eq!(shard_range(2, 1, 3), 0..0);
        assert_eq!(shard_range(2, 3, 3), 1..2);
    }
}
