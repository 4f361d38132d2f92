//! The work behind the API: a paired comparison and one run's trace, through
//! the runner's typed experiments, as the command line's JSON documents.
//!
//! The runner plays the arms on the rayon pool in chunks folded in index
//! order, checks the stop flag inside every chunk and reports progress after
//! every wave, so the numbers are those of `wedge compare` for the same
//! inputs, whatever the thread count, and a cancelled job ends at once.

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use serde::Serialize;
use wedge_runner::{
    CompareError, ComparisonResult, Manifest, RunPlan, Trace, arm_summaries, rank, run_arms,
};

use crate::error::ApiError;
use crate::request::{ComparePlan, TracePlan};

/// What the server puts in the manifest's `command` field.
pub const COMMAND: &str = "wedge serve";

/// Which partner broke away, per arm: the page's "who defected".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArmDefectors {
    /// Arm name.
    pub arm: String,
    /// Runs that split.
    pub splits: u64,
    /// Of those, the splits in which Russia broke away.
    pub russia: u64,
    /// Of those, the splits in which China broke away.
    pub china: u64,
}

/// A finished comparison.
#[derive(Debug, Clone)]
pub struct CompareOutcome {
    /// The document `wedge compare --format json` prints, as compact JSON text.
    pub document: String,
    /// Who broke away in each arm, in the document's arm order.
    pub defectors: Vec<ArmDefectors>,
}

/// Compact JSON text, fields in the order the command line prints them.
fn encode<T: Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(|e| ApiError::Internal(format!("cannot encode JSON: {e}")))
}

/// Run a comparison, reporting `(runs done, runs in all)` over every arm after each wave.
///
/// This is [`wedge_runner::compare`] step by step (play the arms, summarize,
/// rank, record the plan), keeping the aggregates to tell who broke away.
pub fn compare(
    plan: &ComparePlan,
    stop: &AtomicBool,
    progress: &mut (dyn FnMut(u64, u64) + Send),
) -> Result<CompareOutcome, ApiError> {
    let started = Instant::now();
    let arms = plan.models.len() as u64;
    progress(0, plan.runs * arms);
    let comparison = run_arms(
        &plan.models,
        plan.seed,
        plan.runs,
        None,
        stop,
        &mut |done, planned| progress(done * arms, planned * arms),
    )
    .map_err(|e| match e {
        CompareError::Interrupted(_) => ApiError::Cancelled,
        other => ApiError::Invalid(other.to_string()),
    })?;
    let mut summaries = arm_summaries(&plan.names, &plan.models, &comparison);
    // The baseline first, then by paired delta, as `wedge compare --levers` orders arms.
    rank(&mut summaries);
    let defectors = summaries
        .iter()
        .map(|a| {
            let i = plan.names.iter().position(|n| *n == a.name).unwrap_or(0);
            let agg = &comparison.arms[i];
            ArmDefectors {
                arm: a.name.clone(),
                splits: agg.splits,
                russia: agg.defectors[0],
                china: agg.defectors[1],
            }
        })
        .collect();
    let runs = comparison.runs();
    let result = ComparisonResult {
        runs,
        seed: plan.seed,
        arms: summaries,
        manifest: Manifest::new(
            RunPlan::new(&plan.names[0], &plan.baseline_hash, plan.seed, runs),
            started.elapsed().as_secs_f64(),
            runs * arms,
            COMMAND,
        ),
        regret: Vec::new(),
    };
    Ok(CompareOutcome {
        document: encode(&result)?,
        defectors,
    })
}

/// Replay one run: the document `wedge trace --format json` prints, as compact JSON text.
pub fn trace(plan: &TracePlan) -> Result<String, ApiError> {
    encode(&Trace::record(&plan.model, plan.seed, plan.run))
}
