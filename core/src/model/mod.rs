//! Pure domain types and rules: no I/O, no async, no database.

pub mod access;
pub mod assignment;
pub mod audit;
pub mod calendar;
pub mod catalog;
pub mod commune;
pub mod complaint;
pub mod document_layout;
pub mod documents;
pub mod form;
pub mod i18n;
pub mod idempotency;
pub mod ids;
pub mod indicators;
pub mod moderation;
pub mod national_id;
pub mod notifications;
pub mod provenance;
pub mod publication;
pub mod request;
pub mod settings;
pub mod standard;
pub mod template;
pub mod translations;
pub mod verification;
pub mod workflow;
