//! docs/MODEL.md is meant to be enough to reimplement the model: this test fails
//! if it does not name (in backticks) a coefficient, channel, event kind, feature
//! or state variable that the engine declares.

use crate::channel::Channel;
use crate::events::EventKind;
use crate::features::FEATURE_NAMES;
use crate::params::PARAMETERS;
use crate::state::{PartnerVar, RivalryVar, WorldVar};

const MODEL_MD: &str = include_str!("../../../docs/MODEL.md");

#[test]
fn model_md_names_every_parameter_channel_event_feature_and_variable() {
    let names = PARAMETERS
        .iter()
        .map(|(name, _, _)| *name)
        .chain(Channel::ALL.map(Channel::name))
        .chain(EventKind::ALL.map(EventKind::name))
        .chain(FEATURE_NAMES.iter().copied())
        .chain(PartnerVar::ALL.map(PartnerVar::field))
        .chain(RivalryVar::ALL.map(RivalryVar::field))
        .chain(WorldVar::ALL.map(WorldVar::field));
    let missing: Vec<&str> = names
        .filter(|name| !MODEL_MD.contains(&format!("`{name}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/MODEL.md does not name {missing:?}"
    );
}
