//! The sea-orm entity of the petition signatures, read and written by `store.rs` (and by the archive of a
//! commune, `store/portable.rs`).

pub(crate) mod petition_signature;
