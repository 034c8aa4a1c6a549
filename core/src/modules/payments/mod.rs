//! Fees owed and paid: a request's demand (its procedure's fees, each with its basis), payments recorded at
//! the counter (cash or card) with their quittances, cancellations by counter-entry, the day's report of an
//! agent, and the fees collected per procedure and month (open data).

pub mod model;

#[cfg(feature = "store")]
pub(crate) mod demands;
#[cfg(feature = "store")]
pub(crate) mod entity;
#[cfg(feature = "store")]
pub mod service;
#[cfg(feature = "store")]
pub(crate) mod store;
