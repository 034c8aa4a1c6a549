//! The commune's action-plan projects (organic law 113.14, arts 78–82): budget lines of the imported budget,
//! milestones, progress, and their publication as open data and on the commune's site.

pub mod model;

#[cfg(feature = "store")]
pub(crate) mod entity;
#[cfg(feature = "store")]
pub mod service;
#[cfg(feature = "store")]
pub(crate) mod store;
