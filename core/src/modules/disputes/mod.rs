//! The commune's disputes (litigation): cases with their parties sealed, hearings and their reminders,
//! decisions and appeals.

pub mod model;

#[cfg(feature = "store")]
pub(crate) mod entity;
#[cfg(feature = "store")]
pub mod service;
#[cfg(feature = "store")]
pub(crate) mod store;
