//! Test support for Jamaa: a throwaway PostgreSQL server for integration tests ([`pg`]).

pub mod pg;
