//! `wedge serve`: the page and JSON API of `wedge-serve`, on a local port.

use crate::args::ServeArgs;
use crate::failure::Failure;

/// `wedge serve`.
pub fn serve(flags: &ServeArgs) -> Result<(), Failure> {
    let config = flags.serve.config().map_err(Failure::usage)?;
    wedge_serve::serve(&config, |addr| {
        eprintln!(
            "wedge serve: listening on http://{addr}/ (scenarios from {}); Ctrl-C stops it",
            flags.serve.scenarios.display()
        );
    })?;
    Ok(())
}
