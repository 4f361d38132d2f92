//! `wedge serve`: the page and JSON API of `wedge-serve`, on a local port.

use std::net::{IpAddr, SocketAddr};

use wedge_serve::{Limits, ServeConfig, ServeError};

use crate::args::ServeArgs;
use crate::failure::Failure;

/// `wedge serve`.
pub fn serve(flags: &ServeArgs) -> Result<(), Failure> {
    let ip: IpAddr = flags.bind.parse().map_err(|_| {
        usage!(
            "--bind must be an IP address such as 127.0.0.1 or ::1, got `{}`",
            flags.bind
        )
    })?;
    if !(1..=10_000_000).contains(&flags.max_runs) {
        return Err(usage!(
            "--max-runs must be between 1 and 10000000, got {}",
            flags.max_runs
        ));
    }
    if !(1..=64).contains(&flags.max_jobs) {
        return Err(usage!(
            "--max-jobs must be between 1 and 64, got {}",
            flags.max_jobs
        ));
    }
    let mut limits = Limits::with_max_runs(flags.max_runs);
    limits.max_jobs = flags.max_jobs;
    let config = ServeConfig {
        bind: SocketAddr::new(ip, flags.port),
        scenarios: flags.scenarios.clone(),
        limits,
    };
    wedge_serve::serve(&config, |addr| {
        eprintln!(
            "wedge serve: listening on http://{addr}/ (scenarios from {}); Ctrl-C stops it",
            flags.scenarios.display()
        );
    })
    .map_err(|e| match e {
        ServeError::Scenarios { .. } => Failure::usage(e.to_string()),
        ServeError::Bind { .. } | ServeError::Io(_) => Failure::runtime(e.to_string()),
    })
}
