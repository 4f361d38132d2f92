//! Integration tests: they drive the real `wedge` binary as a user would.

mod browser;
mod calibrate;
mod cli;
mod explore;
mod facts;
mod faults;
mod http;
mod scenarios;
mod serve;
mod slurm;
mod snapshots;
mod util;
