//! Persistence on SQLite and PostgreSQL (sea-orm): entities, migrations and tenant-scoped repositories.
