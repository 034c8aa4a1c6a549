//! Pure domain types and rules: no I/O, no async, no database.

pub mod audit;
pub mod calendar;
pub mod catalog;
pub mod commune;
pub mod complaint;
pub mod documents;
pub mod form;
pub mod i18n;
pub mod ids;
pub mod indicators;
pub mod national_id;
pub mod request;
pub mod standard;
pub mod template;
pub mod verification;
pub mod workflow;
