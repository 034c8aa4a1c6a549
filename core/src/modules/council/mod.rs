//! The council (majalis): members, sessions, agendas, deliberations and their votes, published decisions.

pub mod model;

#[cfg(feature = "store")]
pub(crate) mod entity;
#[cfg(feature = "store")]
pub mod service;
#[cfg(feature = "store")]
pub(crate) mod store;
