//! Jamaa's end-to-end tests, one module per area, in one test binary: each test file linking the whole server on
//! its own took longer to link than its tests take to run. nextest names a test `jamaa-tests::it <module>::<test>`
//! (for instance `api::citizen_submits_staff_acts_citizen_tracks::postgres`); `cargo nextest run -p jamaa-tests
//! -E 'test(/^api::/)'` runs one area.

mod access;
mod api;
mod attacker;
mod catalog_cache;
mod citizen;
mod civil_status;
mod commissions;
mod complaints;
mod council_finance;
mod courier;
mod disputes;
mod document_pdfs;
mod documents;
mod fanout;
mod faults;
mod hr;
mod idempotency;
mod indicators;
mod languages;
mod legal;
mod notifications;
mod office;
mod open311;
mod partner_app;
mod payments;
mod payments_online;
mod personal_data;
mod pg_harness;
mod portable;
mod projects;
mod replication;
mod sdk_parity;
mod security;
mod shape;
mod shutdown;
mod site;
mod snapshot;
mod spending;
mod staff_forms;
mod steps;
mod training;
mod transport;
mod uploads;
mod users;
mod watiqa;
