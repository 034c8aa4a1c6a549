//! Pure domain types and rules: no I/O, no async, no database.

pub mod audit;
pub mod calendar;
pub mod catalog;
pub mod commune;
pub mod documents;
pub mod form;
pub mod i18n;
pub mod ids;
pub mod national_id;
pub mod notifications;
pub mod request;
pub mod standard;
pub mod template;
pub mod workflow;
