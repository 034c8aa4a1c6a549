//! sea-orm entities, private to the store: nothing outside `store` reads a table directly.
//!
//! Platform tables (`communes`, `api_tokens`) have a plain id; every tenant table has `tenant_id` and a
//! composite primary key led by it.

pub(crate) mod api_token;
pub(crate) mod audit_event;
pub(crate) mod audit_head;
pub(crate) mod commune;
pub(crate) mod commune_config;
pub(crate) mod counter;
pub(crate) mod data_key;
pub(crate) mod notification_delivery;
pub(crate) mod outbox_event;
pub(crate) mod request;
pub(crate) mod request_lookup;
pub(crate) mod role;
pub(crate) mod service;
pub(crate) mod smtp_setting;
pub(crate) mod template;
pub(crate) mod timer;
pub(crate) mod transition;
pub(crate) mod webhook_endpoint;
pub(crate) mod workflow;
