//! Principals, roles and permissions, and API tokens.
