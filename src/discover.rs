//! `wedge discover`: PRIM scenario discovery on a per-run table (CSV).

use wedge_report::Discovered;

use crate::args::DiscoverArgs;
use crate::failure::Failure;

/// `wedge discover`.
pub fn discover(flags: &DiscoverArgs) -> Result<(), Failure> {
    let settings = flags
        .discover
        .settings()
        .ok_or_else(|| Failure::usage("give at most one of --below and --above"))?;
    let columns = wedge_report::read_table_csv(&flags.table)?;
    let found = wedge_runner::discover(&columns, &settings)?;
    let source = flags.table.display().to_string();
    flags.out.write(&Discovered {
        found: &found,
        source: &source,
    })
}
