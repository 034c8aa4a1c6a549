//! The courier registry (bureau d'ordre): incoming and outgoing mail, numbered, routed and followed up.

pub mod model;

#[cfg(feature = "store")]
pub(crate) mod entity;
#[cfg(feature = "store")]
pub mod service;
#[cfg(feature = "store")]
pub(crate) mod store;
