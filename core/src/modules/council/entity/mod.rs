//! The sea-orm entities of the council tables, read and written by `store.rs` (and by the archive of a commune,
//! `store/portable.rs`).

pub(crate) mod agenda_item;
pub(crate) mod council_member;
pub(crate) mod council_session;
pub(crate) mod council_vote;
pub(crate) mod deliberation;
