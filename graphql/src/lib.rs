//! The Jamaa API: the GraphQL schema (async-graphql) served over axum, the health endpoints, the server's
//! settings and start-up. Wire types live here and are converted from core's types; core knows no HTTP.

pub mod app;
pub mod cli;
pub mod connections;
pub mod cors;
pub mod dispatcher;
pub mod dispute_files;
pub mod document_pdfs;
pub mod edge;
pub mod files;
pub mod graphiql;
pub mod graphql_http;
pub mod health;
pub mod limits;
pub mod metrics;
pub mod open311;
pub mod opendata;
pub mod outbound;
pub mod pages;
pub mod response_cache;
pub mod schema;
pub mod server;
pub mod settings;
pub mod uploads;

pub use app::{AppState, router};
pub use schema::{JamaaSchema, build_schema};
pub use server::Application;
pub use settings::Settings;
