//! Print the built-in reference model as a scenario file (used to draft `scenarios/baseline-2021.ron`).
use wedge_core::{DecisionMode, reference::spec_2021};
use wedge_scenario::schema::*;

fn main() {
    let spec = spec_2021();
    let file = ScenarioFile {
        lever_library: Some("levers.ron".into()),
        name: Some(spec.name.clone()),
        description: Some("The status quo in mid-2021".into()),
        start_year: Some(spec.start_year),
        turn_years: Some(spec.turn_years),
        horizon_years: Some(spec.horizon_turns as f64 * spec.turn_years),
        initial: Some(spec.initial),
        params: Some(spec.params),
        events: Some(spec.hazards),
        agents: Some(spec.agents.iter().map(|a| AgentSpec {
            actor: a.actor,
            objective: a.objective,
            decisions: a.decisions.iter().map(|d| DecisionSpec {
                name: d.name.clone(),
                options: d.options.iter().map(|o| PolicySpec { name: o.name.clone(), effects: o.effects.clone() }).collect(),
                mode: match d.mode { DecisionMode::Adaptive { rationality } => ModeSpec::Adaptive { rationality }, _ => unreachable!() },
            }).collect(),
        }).collect()),
        split: Some(spec.split),
        uncertainties: spec.uncertainties.iter().map(|u| UncertaintySpec { name: u.name.clone(), target: u.target.path(), distribution: u.distribution.clone() }).collect(),
        ..Default::default()
    };
    println!("{}", wedge_scenario::load::canonical_ron(&file));
}
