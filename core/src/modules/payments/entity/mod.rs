//! The entities of demands and payments.

pub(crate) mod payment;
pub(crate) mod payment_demand;
