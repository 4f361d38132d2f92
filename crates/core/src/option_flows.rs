//! Each option's change of flows against every other option of its decision,
//! built once per model (see [`crate::model::Model::option_flows`]) and read
//! by the look-ahead (`lookahead`), which writes an option's change into the
//! turn's flows entry by entry.

use crate::channel::{CHANNEL_COUNT, ChannelFlows};
use crate::policy::Agent;

/// The change in flows from each option of a decision to each other, for
/// every decision: built once per model, so that the look-ahead reads an
/// option's change instead of assembling it.
///
/// A change is kept as its non-zero entries `(slot, change)`, slots as in
/// `flow_slot`: an option moves a few channels, and the look-ahead writes
/// only those into the turn's flows.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionFlows {
    /// Every change's entries, change after change.
    entries: Vec<(usize, f64)>,
    /// `ranges[start + option·n + current]`: where the change from `current`
    /// to `option` (the flows of `option` less those of `current`) lies in `entries`.
    ranges: Vec<(usize, usize)>,
    /// `(start, n)` by agent, then decision.
    slots: Vec<Vec<(usize, usize)>>,
}

impl OptionFlows {
    /// The option changes of a model.
    pub fn new(agents: &[Agent]) -> OptionFlows {
        let mut entries = Vec::new();
        let mut ranges = Vec::new();
        let mut slots = Vec::new();
        let mut touched = Vec::new();
        for agent in agents {
            let mut row = Vec::new();
            for decision in &agent.decisions {
                let n = decision.options.len();
                row.push((ranges.len(), n));
                let alone: Vec<ChannelFlows> = decision
                    .options
                    .iter()
                    .map(|option| {
                        let mut flows = ChannelFlows::default();
                        option.add_to(&mut flows);
                        flows
                    })
                    .collect();
                for (o, option) in alone.iter().enumerate() {
                    for (c, current) in alone.iter().enumerate() {
                        // Only the slots either option's effects touch can differ.
                        touched.clear();
                        for policy in [o, c] {
                            for effect in &decision.options[policy].effects {
                                let target = effect.target.index();
                                touched.push(target * CHANNEL_COUNT + effect.channel.index());
                                touched.push(2 * CHANNEL_COUNT + target);
                            }
                        }
                        touched.sort_unstable();
                        touched.dedup();
                        let start = entries.len();
                        for &slot in &touched {
                            let change = flow_value(option, slot) - flow_value(current, slot);
                            // `base + 0.0` is `base` (a sum of flows is never −0),
                            // so only the other entries change an option's flows.
                            if change != 0.0 || change.is_sign_negative() {
                                entries.push((slot, change));
                            }
                        }
                        ranges.push((start, entries.len()));
                    }
                }
            }
            slots.push(row);
        }
        OptionFlows {
            entries,
            ranges,
            slots,
        }
    }

    /// The change from `current` to `option` of decision `(agent, decision)`,
    /// as its non-zero entries `(slot, change)`.
    #[inline]
    pub(crate) fn change(
        &self,
        (agent, decision): (usize, usize),
        option: usize,
        current: usize,
    ) -> &[(usize, f64)] {
        let (start, n) = self.slots[agent][decision];
        let (from, to) = self.ranges[start + option * n + current];
        &self.entries[from..to]
    }
}

/// The number at `slot` of a [`ChannelFlows`] (see [`flow_slot`]).
pub(crate) fn flow_value(flows: &ChannelFlows, slot: usize) -> f64 {
    if slot < 2 * CHANNEL_COUNT {
        // Partner-major: slot `p · CHANNEL_COUNT + c` is `flows[p][c]`.
        flows.flows.as_flattened()[slot]
    } else {
        flows.accommodation[slot - 2 * CHANNEL_COUNT]
    }
}

/// The number at `slot` of a [`ChannelFlows`]: the flows by partner then
/// channel, then the accommodation by partner.
pub(crate) fn flow_slot(flows: &mut ChannelFlows, slot: usize) -> &mut f64 {
    if slot < 2 * CHANNEL_COUNT {
        &mut flows.flows.as_flattened_mut()[slot]
    } else {
        &mut flows.accommodation[slot - 2 * CHANNEL_COUNT]
    }
}
