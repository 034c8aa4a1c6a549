//! The sea-orm entities of the civil status tables, read and written by `store.rs` (and by the archive of a commune,
//! `store/portable.rs`).

pub(crate) mod civil_act;
pub(crate) mod civil_mention;
