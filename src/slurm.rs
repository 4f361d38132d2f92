//! `wedge slurm`: prints a ready `sbatch` script for a job array of shards plus the merge step.

use crate::args::SlurmArgs;
use crate::failure::Failure;
use crate::present::emit;

/// `wedge slurm`.
pub fn slurm(flags: &SlurmArgs) -> Result<(), Failure> {
    let wedge = std::env::current_exe()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| "wedge".to_string());
    let shape = (flags.runs, flags.shards, flags.seed);
    let script = wedge_calibrate::script_for(&wedge, &flags.scenario, &flags.out, shape)?;
    emit(None, &script)
}
