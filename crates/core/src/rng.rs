//! The layout of random streams within a run.
//!
//! Run *i* of master seed *s* owns the ChaCha8 stream `ChaCha8Rng::seed_from_u64(s)`
//! with `set_stream(i)`. Within that stream each purpose reads from its own
//! block of word positions, so a purpose's draws never depend on how many
//! numbers another purpose used. Adding a lever (which draws nothing), or an
//! agent option, leaves the event, noise and uncertainty draws of every run
//! unchanged: that is what makes common random numbers work across arms.
//!
//! | purpose | word position |
//! |---|---|
//! | events (one uniform per kind per turn) | 0 |
//! | alignment noise and the energy price's noise (two normals per turn) | 1·2⁴⁰ |
//! | successor draws | 2·2⁴⁰ |
//! | decisions of agent *a* (one uniform per decision per turn) | (8 + a)·2⁴⁰ |
//! | uncertainty named *n* (two uniforms) | 2⁴⁸·(1 + FNV-1a(n) mod 2¹⁶) |

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

const BLOCK: u128 = 1 << 40;

/// What a block of the run's stream is used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose<'a> {
    /// Event triggers.
    Events,
    /// Alignment and resentment noise.
    Noise,
    /// Successor leaders' traits.
    Successors,
    /// One agent's decisions, by index in the model's agent list.
    Decisions(usize),
    /// One named uncertainty.
    Uncertainty(&'a str),
}

/// The generator of a run for one purpose.
pub fn stream(seed: u64, run: u64, purpose: Purpose<'_>) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(run);
    let position = match purpose {
        Purpose::Events => 0,
        Purpose::Noise => BLOCK,
        Purpose::Successors => 2 * BLOCK,
        Purpose::Decisions(agent) => (8 + agent as u128) * BLOCK,
        Purpose::Uncertainty(name) => (1u128 << 48) * (1 + u128::from(uncertainty_slot(name))),
    };
    rng.set_word_pos(position);
    rng
}

/// Which of the 2¹⁶ uncertainty blocks a named uncertainty draws from. Two names in one
/// slot would draw identical values, so a model refuses them (see `Model::new`).
pub fn uncertainty_slot(name: &str) -> u64 {
    fnv1a(name) % (1 << 16)
}

/// FNV-1a, 64-bit: a stable hash of a name (Rust's `Hash` is not stable across versions).
pub fn fnv1a(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}
