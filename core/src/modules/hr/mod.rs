//! The commune's human resources: staff records (grade, position, department, dates; personal data sealed),
//! the link between a record and a user account, leave and absences, and the organisation chart.

pub mod model;

#[cfg(feature = "store")]
pub(crate) mod entity;
#[cfg(feature = "store")]
pub mod service;
#[cfg(feature = "store")]
pub(crate) mod store;
