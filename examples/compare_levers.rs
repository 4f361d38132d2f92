//! A paired lever comparison through the library alone, no command line:
//! load the 2021 baseline, add one lever from its library, play both arms on
//! common random numbers and print the lever's effect on the split.
//!
//! ```text
//! cargo run --release --example compare_levers [LEVER] [RUNS]
//! ```

use std::path::Path;
use std::sync::atomic::AtomicBool;

use wedge_runner::{Arm, CompareSettings, Ranking, RunPlan, compare};
use wedge_scenario::Resolved;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let lever = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "arms-control".into());
    let runs: u64 = match std::env::args().nth(2) {
        Some(n) => n.parse()?,
        None => 4000,
    };
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline-2021.ron");

    // Load once; build the baseline and the baseline plus the lever.
    let resolved = Resolved::read(&path)?;
    let base = resolved.build(&[], &[])?;
    let library = resolved
        .library()
        .ok_or("the baseline scenario names no lever library")?;
    let with_lever = resolved.build(&library.uses_of(&lever)?, &[])?;

    let arms = [
        Arm {
            name: base.model.spec().name.clone(),
            model: base.model.clone(),
        },
        Arm {
            name: format!("+{lever}"),
            model: with_lever.model,
        },
    ];
    let plan = RunPlan::new(&base.model.spec().name, &base.hash, 1, runs);
    let settings = CompareSettings::new(plan, None, "examples/compare_levers");
    let stop = AtomicBool::new(false);
    let result = compare(&arms, &settings, Ranking::ByDelta, &stop, &mut |_, _| {})?;

    let (baseline, arm) = (&result.arms[0], &result.arms[1]);
    let d = &arm.delta;
    println!(
        "{} runs per arm, seed {}, common random numbers",
        result.runs, result.seed
    );
    println!(
        "split probability: baseline {:.1}%, {} {:.1}%",
        baseline.split.probability * 100.0,
        arm.name,
        arm.split.probability * 100.0
    );
    println!(
        "effect of {}: {:+.2} pp, paired 95% interval [{:+.2}, {:+.2}] pp ({}); \
         two independent batches would give [{:+.2}, {:+.2}] pp",
        arm.name,
        d.estimate * 100.0,
        d.ci95[0] * 100.0,
        d.ci95[1] * 100.0,
        d.verdict,
        d.independent_ci95[0] * 100.0,
        d.independent_ci95[1] * 100.0
    );
    println!(
        "pairs: {} split in both, {} only with the lever, {} only without, {} in neither",
        arm.pairs.both, arm.pairs.gained, arm.pairs.lost, arm.pairs.neither
    );
    Ok(())
}
