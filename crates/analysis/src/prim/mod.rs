//! Scenario discovery with PRIM, the Patient Rule Induction Method of
//! Friedman & Fisher (1999), as the EMA Workbench implements it: a table of
//! inputs with a 0/1 outcome, peeling and pasting along a trajectory of
//! boxes, a default box choice, quasi-p values per restricted limit (Bryant
//! & Lempert 2010) and successive boxes.

mod binomial;
mod error;
mod limits;
mod quantile;
mod result;
mod search;
mod table;

#[cfg(test)]
mod tests;

pub use binomial::binomial_upper_tail;
pub use error::PrimError;
pub use limits::Bounds;
pub use result::{BoxInspection, InspectedRestriction, PrimBox, Restriction, TrajectoryStep};
pub use search::{Prim, PrimOptions, discover};
pub use table::Table;
