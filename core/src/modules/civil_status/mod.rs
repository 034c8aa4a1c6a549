//! Civil status (état civil): acts of birth and death, their marginal mentions, extracts and full copies.

pub mod model;

#[cfg(feature = "store")]
pub(crate) mod entity;
#[cfg(feature = "store")]
pub mod requests;
#[cfg(feature = "store")]
pub mod service;
#[cfg(feature = "store")]
pub(crate) mod store;
