//! The sea-orm entities of the human resources tables, read and written by `store.rs` (and by the archive of a
//! commune, `store/portable.rs`).

pub(crate) mod hr_department;
pub(crate) mod hr_leave;
pub(crate) mod hr_staff;
