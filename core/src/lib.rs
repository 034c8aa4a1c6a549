//! Jamaa's domain: communes (tenants), their service catalog, forms, workflows, requests and audit trail.
//!
//! The `model` module is pure (no I/O, no async) and compiles to WebAssembly for the SDK. Persistence and the
//! use cases that the API and the CLI call live behind the `store` feature.

pub mod error;
pub mod model;
pub mod modules;

#[cfg(feature = "store")]
pub mod auth;
#[cfg(feature = "store")]
pub mod crypto;
#[cfg(feature = "store")]
pub mod pdf;
#[cfg(feature = "store")]
pub mod service;
#[cfg(feature = "store")]
pub mod store;

pub use error::{Error, FieldError, Result};
