//! Integration tests: they drive the real `wedge` binary as a user would.

mod cli;
mod explore;
mod facts;
mod faults;
mod scenarios;
mod slurm;
mod util;
