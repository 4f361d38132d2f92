//! What one client may ask of the server.
//!
//! The budget is in run-turns: a request's runs × arms × horizon turns. The
//! default allows 20,000 runs per arm of a two-arm comparison over a ten-year
//! scenario in quarters (40 turns), a few seconds on two cores; a longer
//! horizon gets proportionally fewer runs.

use wedge_core::Model;

use crate::error::ApiError;

/// Limits that keep one client from exhausting the machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Most runs per arm.
    pub max_runs: u64,
    /// Most run-turns (runs × arms × horizon turns) per request.
    pub max_run_turns: u64,
    /// Most jobs (comparisons and traces) running at once; more get 429.
    pub max_jobs: usize,
    /// Largest request body, in bytes.
    pub max_body_bytes: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::with_max_runs(20_000)
    }
}

impl Limits {
    /// The default limits with another run cap (the run-turn budget scales with it).
    pub fn with_max_runs(max_runs: u64) -> Limits {
        Limits {
            max_runs,
            max_run_turns: max_runs.saturating_mul(2 * 40),
            max_jobs: 2,
            max_body_bytes: 16 * 1024,
        }
    }

    /// Refuse a request whose runs × arms × turns exceed the budget.
    pub fn check_work(&self, runs: u64, models: &[Model]) -> Result<(), ApiError> {
        let turns: u64 = models.iter().map(|m| u64::from(m.horizon_turns())).sum();
        let work = runs.saturating_mul(turns);
        if work > self.max_run_turns {
            let most = self.max_run_turns / turns.max(1);
            return Err(ApiError::Invalid(format!(
                "{runs} runs of {} arm(s) over {turns} turns in all is more than this server allows \
                 ({} run-turns); ask for at most {most} runs",
                models.len(),
                self.max_run_turns
            )));
        }
        Ok(())
    }
}
