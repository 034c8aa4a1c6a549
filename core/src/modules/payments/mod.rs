//! Payments of what requests owe: online, through a provider's hosted page (`provider.rs`), reconciled with the
//! provider's statements and refunded (`reconcile.rs`: the rules; `online.rs`: the use cases).

pub mod reconcile;

#[cfg(feature = "store")]
pub(crate) mod entity;
#[cfg(feature = "store")]
pub mod online;
#[cfg(feature = "store")]
pub(crate) mod online_store;
#[cfg(feature = "store")]
pub mod provider;
