//! Where a number of a procedure comes from: a legal text, or the commune (read by workflows, forms and fees).

use serde::{Deserialize, Serialize};

/// The basis of a number in a procedure: the legal text that sets it, or none — the commune sets it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum RuleBasis {
    /// The law, decree or article that sets it.
    LegalReference(String),
    /// No law sets it: the commune does.
    CommuneSetting,
}
