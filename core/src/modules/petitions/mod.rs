//! Petitions (organic law 113-14, art. 121-126): signatures by citizens, admissibility, inscription on the
//! council's agenda. A petition is a request of the `petition` procedure; this module adds what its lifecycle
//! needs (the admissibility check of the procedure hook) and its register of signatures.

pub mod model;

#[cfg(feature = "store")]
pub(crate) mod entity;
#[cfg(feature = "store")]
pub mod service;
#[cfg(feature = "store")]
pub(crate) mod store;
