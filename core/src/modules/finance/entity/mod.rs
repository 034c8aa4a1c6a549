//! The sea-orm entities of the finance tables, read and written by `store.rs` (and by the archive of a commune,
//! `store/portable.rs`).

pub(crate) mod budget_line;
pub(crate) mod finance_entry;
