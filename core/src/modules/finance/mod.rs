//! Finance transparency: a commune's budget lines by year, imported from CSV, the expenditures and revenues
//! recorded against them (commitments, approvals, payment orders, payments, revenue titles, collections,
//! counter-entries), and the budget execution computed from both.

pub mod entries;
pub mod model;

#[cfg(feature = "store")]
pub(crate) mod entity;
#[cfg(feature = "store")]
pub mod recording;
#[cfg(feature = "store")]
pub mod service;
#[cfg(feature = "store")]
pub(crate) mod store;
