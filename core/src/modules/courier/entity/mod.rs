//! The sea-orm entities of the courier tables, read and written by `store.rs` (and by the archive of a commune,
//! `store/portable.rs`).

pub(crate) mod courier_history;
pub(crate) mod courier_item;
