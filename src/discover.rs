//! `wedge discover`: PRIM scenario discovery on a per-run table (CSV).

use wedge_analysis::PrimOptions;
use wedge_report::Discovered;
use wedge_runner::{CaseRule, DiscoverSettings};

use crate::args::DiscoverArgs;
use crate::failure::Failure;

/// `wedge discover`.
pub fn discover(flags: &DiscoverArgs) -> Result<(), Failure> {
    let rule = CaseRule::from_cuts(flags.below, flags.above)
        .ok_or_else(|| Failure::usage("give at most one of --below and --above"))?;
    let options = PrimOptions {
        threshold: flags.threshold,
        max_boxes: flags.boxes,
        ..PrimOptions::default()
    };
    let columns = wedge_report::read_table_csv(&flags.table)?;
    let settings = DiscoverSettings {
        outcome: flags.outcome.clone(),
        rule,
        inputs: flags.inputs.clone(),
        options,
    };
    let found = wedge_runner::discover(&columns, &settings)?;
    let source = flags.table.display().to_string();
    flags.out.write(&Discovered {
        found: &found,
        source: &source,
    })
}
