//! Finance transparency: a commune's budget lines by year, imported from CSV, and the budget execution.

pub mod model;

#[cfg(feature = "store")]
pub(crate) mod entity;
#[cfg(feature = "store")]
pub mod service;
#[cfg(feature = "store")]
pub(crate) mod store;
