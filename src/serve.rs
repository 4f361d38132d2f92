//! `wedge serve`: the page and JSON API of `wedge-serve`, on a local port.

use wedge_serve::ServeConfig;

use crate::args::ServeArgs;
use crate::failure::Failure;

/// `wedge serve`.
pub fn serve(flags: &ServeArgs) -> Result<(), Failure> {
    let config = ServeConfig::from_flags(
        &flags.bind,
        flags.port,
        flags.scenarios.clone(),
        flags.max_runs,
        flags.max_jobs,
    )
    .map_err(Failure::usage)?;
    wedge_serve::serve(&config, |addr| {
        eprintln!(
            "wedge serve: listening on http://{addr}/ (scenarios from {}); Ctrl-C stops it",
            flags.scenarios.display()
        );
    })?;
    Ok(())
}
