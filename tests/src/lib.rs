//! Jamaa's end-to-end test support: the server spawned on a free port of 127.0.0.1 with the demo loaded, on a
//! fresh SQLite file or on a throwaway PostgreSQL ([`pg`]), and a small GraphQL client over real HTTP.

pub mod app;
pub mod pg;
