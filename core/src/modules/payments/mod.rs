//! Payments of what requests owe: online, through a provider's hosted page (`provider.rs`).

#[cfg(feature = "store")]
pub mod provider;
