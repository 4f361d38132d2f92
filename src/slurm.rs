//! `wedge slurm`: prints a ready `sbatch` script for a job array of shards plus the merge step.

use crate::args::SlurmArgs;
use crate::failure::Failure;
use crate::output::emit;

/// `wedge slurm`.
pub fn slurm(flags: &SlurmArgs) -> Result<(), Failure> {
    let (scenario, runs, shards, out_dir) = (&flags.scenario, flags.runs, flags.shards, &flags.out);
    // Validate now, not on the cluster. A calibration plan gets the calibrate
    // recipe; anything else must be a valid scenario.
    let plan = wedge_scenario::Calibration::read(scenario).is_ok();
    if !plan {
        wedge_scenario::load(scenario)?;
    }
    let wedge = std::env::current_exe()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| "wedge".to_string());
    let scenario = std::fs::canonicalize(scenario).unwrap_or_else(|_| scenario.to_path_buf());
    // Array tasks may start elsewhere: make the output folder absolute.
    let out_dir = if out_dir.is_absolute() {
        out_dir.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(out_dir))
            .unwrap_or_else(|_| out_dir.to_path_buf())
    };
    if plan {
        let (s, o) = (
            scenario.display().to_string(),
            out_dir.display().to_string(),
        );
        return emit(
            None,
            &wedge_calibrate::slurm::slurm_script(&wedge, &s, &o, shards),
        );
    }
    emit(
        None,
        &wedge_runner::slurm_script(
            &wedge,
            &scenario.display().to_string(),
            &out_dir.display().to_string(),
            runs,
            shards,
            flags.seed,
        ),
    )
}
