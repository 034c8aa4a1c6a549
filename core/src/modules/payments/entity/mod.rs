//! The sea-orm entities of the online payments' tables, read and written by `store.rs` (and by the archive of
//! a commune, `store/portable.rs`).

pub(crate) mod online_payment;
pub(crate) mod payment_refund;
pub(crate) mod payment_statement;
