//! Fees owed and paid: a request's demand (its procedure's fees, each with its basis), payments recorded at
//! the counter (cash or card) with their quittances, cancellations by counter-entry, the day's report of an
//! agent, and the fees collected per procedure and month (open data). Online: through a provider's hosted page
//! (`provider.rs`), reconciled with the provider's statements and refunded (`reconcile.rs`: the rules;
//! `online.rs`: the use cases).

pub mod model;
pub mod reconcile;

#[cfg(feature = "store")]
pub(crate) mod demands;
#[cfg(feature = "store")]
pub(crate) mod entity;
#[cfg(feature = "store")]
pub mod online;
#[cfg(feature = "store")]
pub(crate) mod online_store;
#[cfg(feature = "store")]
pub mod provider;
#[cfg(feature = "store")]
pub mod service;
#[cfg(feature = "store")]
pub(crate) mod store;
