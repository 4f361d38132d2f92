//! The calibration report of `wedge calibrate`, as Markdown: the estimate's
//! size, a posterior predictive check per episode of the record, and how far
//! each prior narrowed (prior-driven coefficients flagged).

use wedge_analysis::abc::{Marginal, PRIOR_DRIVEN_BELOW, Predictive};

/// One episode of the record, as reported.
#[derive(Debug, Clone)]
pub struct EpisodeCheck {
    /// Name.
    pub name: String,
    /// "fit" or "held out".
    pub role: String,
    /// The event, in words.
    pub event: String,
    /// Replicates per draw.
    pub replicates: u64,
    /// Prior predictive of the event.
    pub prior: Predictive,
    /// Posterior predictive of the event.
    pub posterior: Predictive,
}

/// Everything the report shows.
#[derive(Debug, Clone)]
pub struct CalibrationReport<'a> {
    /// Calibration name.
    pub name: &'a str,
    /// wedge version.
    pub version: &'a str,
    /// Master seed.
    pub seed: u64,
    /// Draws from the prior.
    pub draws: u64,
    /// Draws with every fitted episode hit at least once.
    pub accepted: u64,
    /// Effective sample size.
    pub ess: f64,
    /// Draws kept in the posterior file.
    pub kept: usize,
    /// The episodes.
    pub episodes: &'a [EpisodeCheck],
    /// Field paths with their marginals.
    pub marginals: &'a [(String, Marginal)],
}

fn band(p: &Predictive) -> String {
    format!(
        "{:.1}% (draws 5–95%: {:.1}–{:.1}%)",
        p.probability * 100.0,
        p.p05 * 100.0,
        p.p95 * 100.0
    )
}

/// The report as Markdown.
pub fn calibration_markdown(r: &CalibrationReport<'_>) -> String {
    let mut s = format!(
        "# Calibration `{}`\n\nwedge {}, seed {}: {} prior draws, {} reproduced every fitted episode at least once; effective sample size {:.0}; {} draws kept (systematic resampling by weight).\n\n",
        r.name, r.version, r.seed, r.draws, r.accepted, r.ess, r.kept
    );
    s += "## Posterior predictive checks\n\nThe probability that a replicate reproduces the record, averaged over the prior and over the posterior.\n\n| episode | role | event | replicates/draw | prior predictive | posterior predictive |\n|---|---|---|---|---|---|\n";
    for e in r.episodes {
        s += &format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            e.name,
            e.role,
            e.event,
            e.replicates,
            band(&e.prior),
            band(&e.posterior)
        );
    }
    s += &format!(
        "\n## How far each prior narrowed\n\nContraction = 1 − Var_post / Var_prior; below {PRIOR_DRIVEN_BELOW} the coefficient is **prior-driven**: the record does not identify it.\n\n| path | prior mean ± sd | posterior median [5%, 95%] | contraction | |\n|---|---|---|---|---|\n"
    );
    for (path, m) in r.marginals {
        s += &format!(
            "| `{path}` | {:.3} ± {:.3} | {:.3} [{:.3}, {:.3}] | {:.2} | {} |\n",
            m.prior_mean,
            m.prior_sd,
            m.median,
            m.p05,
            m.p95,
            m.contraction,
            if m.contraction < PRIOR_DRIVEN_BELOW {
                "prior-driven"
            } else {
                "narrowed"
            }
        );
    }
    s
}
