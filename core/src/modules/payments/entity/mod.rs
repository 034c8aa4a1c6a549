//! The entities of demands and payments, and of online payments, statements and refunds.

pub(crate) mod online_payment;
pub(crate) mod payment;
pub(crate) mod payment_demand;
pub(crate) mod payment_refund;
pub(crate) mod payment_statement;
