//! sea-orm entities, private to the store: nothing outside `store` reads a table directly.
//!
//! Platform tables (`communes`, `api_tokens`, `users`, `sessions`) have a plain id (`memberships`: user and
//! commune); every tenant table has `tenant_id` and a composite primary key led by it; `definitions`, shared
//! content, is keyed by the hash of its body.

pub(crate) mod api_token;
pub(crate) mod audit_event;
pub(crate) mod audit_head;
pub(crate) mod audit_published_head;
pub(crate) mod commune;
pub(crate) mod commune_config;
pub(crate) mod complaint;
pub(crate) mod counter;
pub(crate) mod data_key;
pub(crate) mod definition;
pub(crate) mod idempotency_key;
pub(crate) mod issued_document;
pub(crate) mod membership;
pub(crate) mod notification_delivery;
pub(crate) mod outbox_event;
pub(crate) mod platform_idempotency_key;
pub(crate) mod publication;
pub(crate) mod request;
pub(crate) mod request_file;
pub(crate) mod request_lookup;
pub(crate) mod request_message;
pub(crate) mod request_opinion;
pub(crate) mod role;
pub(crate) mod service;
pub(crate) mod session;
pub(crate) mod smtp_setting;
pub(crate) mod template;
pub(crate) mod timer;
pub(crate) mod transition;
pub(crate) mod user;
pub(crate) mod webhook_endpoint;
pub(crate) mod workflow;

// The registry modules keep their entities in their folders (`crate::modules`).
pub(crate) use crate::modules::civil_status::entity::{civil_act, civil_mention};
pub(crate) use crate::modules::council::entity::{
    agenda_item, council_member, council_session, council_vote, deliberation,
};
pub(crate) use crate::modules::courier::entity::{courier_history, courier_item};
pub(crate) use crate::modules::disputes::entity::{
    dispute_appeal, dispute_case, dispute_decision, dispute_document, dispute_hearing,
};
pub(crate) use crate::modules::finance::entity::{budget_line, finance_entry};
pub(crate) use crate::modules::hr::entity::{hr_department, hr_leave, hr_staff};
pub(crate) use crate::modules::payments::entity::{
    online_payment, payment, payment_demand, payment_refund, payment_statement,
};
pub(crate) use crate::modules::petitions::entity::petition_signature;
pub(crate) use crate::modules::projects::entity::{project, project_budget_line, project_milestone, project_update};
