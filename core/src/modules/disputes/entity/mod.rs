//! The sea-orm entities of the disputes tables, read and written by `store.rs` (and by the archive of a
//! commune, `store/portable.rs`).

pub(crate) mod dispute_appeal;
pub(crate) mod dispute_case;
pub(crate) mod dispute_decision;
pub(crate) mod dispute_document;
pub(crate) mod dispute_hearing;
