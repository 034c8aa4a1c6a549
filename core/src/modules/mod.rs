//! The registry modules: self-contained registers of a commune, each in one folder.
//!
//! A module's folder holds its whole vertical slice: `model.rs`, its pure types and rules (compiled without
//! the `store` feature, so the SDK can use them); and behind `store`, `entity/` (its sea-orm entities),
//! `store.rs` (its tenant-scoped repositories, taking a [`crate::store::TenantTx`]) and `service.rs` (its use
//! cases, methods of [`crate::service::Jamaa`]). Its migration stays in the one ordered list of
//! `store/migration/`. ARCHITECTURE.md, "Adding a registry module", lists every other file a new module touches.

pub mod civil_status;
pub mod council;
pub mod courier;
pub mod disputes;
pub(crate) mod fields;
pub mod finance;
pub mod hr;
pub mod payments;
pub mod petitions;
pub mod projects;
