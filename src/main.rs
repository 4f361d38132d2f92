//! The `wedge` command line: flags, commands, progress, exit codes.
//!
//! Libraries never print or exit; this crate turns their results into text,
//! JSON or CSV on stdout, messages on stderr, and an exit code.

mod args;
mod batch;
mod compare;
mod failure;
mod inspect;
mod output;
mod plot;
mod sensitivity;
mod slurm;
mod suite;
mod trace;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let command_line = std::env::args().collect::<Vec<_>>().join(" ");
    let result = match cli.command {
        Command::Run {
            scenario,
            batch,
            checkpoint,
            checkpoint_every,
            resume,
            shard,
        } => {
            let options = batch::RunOptions {
                checkpoint: checkpoint.as_deref(),
                checkpoint_every,
                resume: resume.as_deref(),
                shard: shard.as_deref(),
            };
            batch::run(&scenario, &batch, &options, &command_line)
        }
        Command::Compare {
            scenarios,
            levers,
            all_levers,
            batch,
        } => compare::compare(&scenarios, &levers, all_levers, &batch, &command_line),
        Command::Sweep {
            scenario,
            params,
            design,
            samples,
            batch,
        } => {
            let design = match design {
                args::SweepDesign::Grid => compare::Design::Grid,
                args::SweepDesign::Lhs => compare::Design::LatinHypercube { samples },
            };
            compare::sweep(&scenario, &params, &design, &batch, &command_line)
        }
        Command::Validate { files } => inspect::validate(&files),
        Command::Show { scenario } => inspect::show(&scenario),
        Command::Merge {
            parts,
            format,
            output,
        } => batch::merge(&parts, format, output.as_deref()),
        Command::Trace {
            scenario,
            seed,
            run,
            format,
        } => trace::trace(&scenario, seed, run, format),
        Command::Sensitivity {
            scenario,
            trajectories,
            batch,
        } => sensitivity::sensitivity(&scenario, trajectories, &batch),
        Command::Suite {
            dir,
            runs,
            seed,
            save,
            against,
            format,
        } => suite::suite(
            &dir,
            runs,
            seed,
            save.as_deref(),
            against.as_deref(),
            format,
        ),
        Command::Slurm {
            scenario,
            runs,
            shards,
            seed,
            out,
        } => slurm::slurm(&scenario, runs, shards, seed, &out),
        Command::Report { results, output } => plot::report(&results, &output),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}
