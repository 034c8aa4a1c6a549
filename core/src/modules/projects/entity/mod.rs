//! The sea-orm entities of the projects tables, read and written by `store.rs` (and by the archive of a
//! commune, `store/portable.rs`).

pub(crate) mod project;
pub(crate) mod project_budget_line;
pub(crate) mod project_milestone;
pub(crate) mod project_update;
