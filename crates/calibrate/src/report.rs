//! The calibration report (Markdown): per target its observed value and its
//! prior and posterior predictive, then how far each prior narrowed.

use wedge_analysis::{Marginal, PRIOR_DRIVEN_BELOW, Predictive};
use wedge_scenario::{EventSpec, Role, TargetSpec};

use crate::record::Check;

/// What the report shows.
pub struct Report<'a> {
    /// Plan name.
    pub name: &'a str,
    /// wedge version.
    pub version: &'a str,
    /// Master seed.
    pub seed: u64,
    /// Prior draws played.
    pub draws: u64,
    /// Draws with a positive likelihood.
    pub accepted: u64,
    /// Effective sample size of the weights.
    pub ess: f64,
    /// Share of the event-weighted draws the kernel keeps.
    pub accept: f64,
    /// The kernel's tolerance on the standardised distance.
    pub delta: f64,
    /// Draws kept.
    pub kept: usize,
    /// The targets, in plan order.
    pub targets: &'a [TargetSpec],
    /// One check per target.
    pub checks: &'a [Check],
    /// One marginal per path (adjusted posterior).
    pub marginals: &'a [(String, Marginal)],
    /// One marginal per path, rejection only (before the adjustment).
    pub rejection: &'a [Marginal],
}

/// What a target's statistic is and what the record says, in words.
pub fn describe(e: &EventSpec) -> (String, String) {
    match e {
        EventSpec::Split {
            from_year,
            to_year,
            defector,
        } => (
            format!(
                "share of replicates that split {from_year}–{to_year}{}",
                defector.map_or(String::new(), |d| format!(", {d:?} breaking away"))
            ),
            "it happened".into(),
        ),
        EventSpec::NoSplit => (
            "share of replicates with no split within the horizon".into(),
            "it happened".into(),
        ),
        EventSpec::BaseRate {
            years,
            share,
            sd,
            discrepancy,
        } => (
            format!("share of replicates that split within {years} years"),
            format!("{share:.2} (record SD {sd}, discrepancy SD {discrepancy})"),
        ),
        EventSpec::LeaderChangeRatio {
            ratio,
            low,
            high,
            discrepancy,
        } => (
            "split hazard in the year from a leadership change ÷ other years".into(),
            format!("×{ratio} [{low}, {high}] (discrepancy SD {discrepancy} on the log scale)"),
        ),
        EventSpec::TrackedRatio {
            series,
            from_year,
            to_year,
            ratio,
            sd,
            discrepancy,
        } => (
            format!("`{series}` in {to_year} ÷ in {from_year} (geometric mean over replicates)"),
            format!("×{ratio} (record SD {sd}, discrepancy SD {discrepancy}, log scale)"),
        ),
    }
}

fn band(p: &Predictive) -> String {
    format!(
        "{:.3} (draws 5–95%: {:.3}–{:.3})",
        p.probability, p.p05, p.p95
    )
}

/// The report as Markdown.
pub fn markdown(r: &Report<'_>) -> String {
    let mut s = format!(
        "# Calibration `{}`\n\nwedge {}, seed {}: {} prior draws. Method: rejection ABC with local-linear regression adjustment (Beaumont, Zhang & Balding 2002). Each draw is weighted by its fitted events' hit fractions times the Epanechnikov kernel of its fitted rates' and ratios' distance from the record (in units of record SD ⊕ discrepancy SD), with the tolerance δ = {:.2} that keeps {:.0}% of the event-weighted draws; {} draws have a positive weight, effective sample size {:.0}. The parameters are regressed on those statistics (logit scale of each prior's range) and moved to the record; {} draws are kept (systematic resampling by weight) and each is played again for the posterior predictive.\n\n",
        r.name,
        r.version,
        r.seed,
        r.draws,
        r.delta,
        100.0 * r.accept,
        r.accepted,
        r.ess,
        r.kept
    );
    s += "## Posterior predictive checks\n\nEach target's statistic per draw (estimated from its replicates), its mean and 5–95% range across draws: under the prior (the prior draws) and the posterior (the kept draws, each played again with fresh seeds). For Gaussian targets, *plausible* is the share of draws whose implausibility |observed − simulated| / σ is below 3 (σ: record ⊕ discrepancy ⊕ Monte Carlo).\n\n| target | role | statistic | record | replicates/draw | prior predictive | posterior predictive | plausible (prior → posterior) |\n|---|---|---|---|---|---|---|---|\n";
    for (t, c) in r.targets.iter().zip(r.checks) {
        let (stat, record) = describe(&t.event);
        let plausible = match (c.prior_plausible, c.plausible) {
            (Some(a), Some(b)) => format!("{:.0}% → {:.0}%", 100.0 * a, 100.0 * b),
            _ => "".into(),
        };
        s += &format!(
            "| {} | {} | {stat} | {record} | {} | {} | {} | {plausible} |\n",
            t.name,
            if t.role == Role::Fit {
                "fit"
            } else {
                "held out"
            },
            t.replicates,
            band(&c.prior),
            band(&c.posterior),
        );
    }
    s += &format!(
        "\n## How far each prior narrowed\n\nContraction = 1 − Var_post / Var_prior, for the rejection step alone and after the regression adjustment; below {PRIOR_DRIVEN_BELOW} (after the adjustment) the coefficient is **prior-driven**: the record does not identify it.\n\n| path | prior mean ± sd | rejection median [5%, 95%] | adjusted median [5%, 95%] | contraction (rejection → adjusted) | |\n|---|---|---|---|---|---|\n"
    );
    let mut unidentified = Vec::new();
    for ((path, m), rej) in r.marginals.iter().zip(r.rejection) {
        let prior_driven = m.contraction < PRIOR_DRIVEN_BELOW;
        if prior_driven {
            unidentified.push(format!("`{path}`"));
        }
        s += &format!(
            "| `{path}` | {:.3} ± {:.3} | {:.3} [{:.3}, {:.3}] | {:.3} [{:.3}, {:.3}] | {:.2} → {:.2} | {} |\n",
            m.prior_mean,
            m.prior_sd,
            rej.median,
            rej.p05,
            rej.p95,
            m.median,
            m.p05,
            m.p95,
            rej.contraction,
            m.contraction,
            if prior_driven {
                "prior-driven"
            } else {
                "narrowed"
            }
        );
    }
    s += &format!(
        "\n## Unidentified\n\n{} of {} coefficients stay prior-driven (contraction below {PRIOR_DRIVEN_BELOW}): {}.\n",
        unidentified.len(),
        r.marginals.len(),
        if unidentified.is_empty() {
            "none".to_string()
        } else {
            unidentified.join(", ")
        }
    );
    s
}
