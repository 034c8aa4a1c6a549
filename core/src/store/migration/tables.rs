//! What the migrations build their tables from: columns, tenant tables keyed by `(tenant_id, …)` that belong to
//! a commune, the foreign keys and indexes led by `tenant_id`, and the statements only PostgreSQL runs.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

/// A column that is never NULL (`NOT NULL` before the rest of its definition).
pub(super) fn col(name: &'static str) -> ColumnDef {
    let mut def = ColumnDef::new(name);
    def.not_null();
    def
}

/// A column that may be NULL (`NULL` said aloud, before the rest of its definition).
pub(super) fn nullable(name: &'static str) -> ColumnDef {
    let mut def = ColumnDef::new(name);
    def.null();
    def
}

/// Adds `columns` to `table`, one statement each (SQLite adds one column per statement).
pub(super) async fn add_columns(
    manager: &SchemaManager<'_>,
    table: &str,
    columns: Vec<ColumnDef>,
) -> Result<(), DbErr> {
    for mut column in columns {
        manager.alter_table(Table::alter().table(table.to_owned()).add_column(&mut column).to_owned()).await?;
    }
    Ok(())
}

/// A tenant table keyed by `(tenant_id, id)`: both columns first, and `tenant_id` a commune's.
pub(super) fn tenant_table(name: &'static str) -> TableCreateStatement {
    tenant_table_keyed(name, &["id"]).col(col("id").uuid()).to_owned()
}

/// A tenant table whose primary key is `tenant_id` then `key` (the caller adds the key's columns): `tenant_id`
/// first, a commune's, which cannot be removed while the table holds its rows.
pub(super) fn tenant_table_keyed(name: &'static str, key: &[&'static str]) -> TableCreateStatement {
    let mut pk = Index::create();
    pk.col("tenant_id");
    for column in key {
        pk.col(*column);
    }
    Table::create()
        .table(name)
        .if_not_exists()
        .col(col("tenant_id").uuid())
        .primary_key(&mut pk)
        .foreign_key(&mut commune_key(name))
        .to_owned()
}

/// `table.tenant_id` refers to a commune, which cannot be removed while the table holds its rows.
pub(super) fn commune_key(table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(table, "tenant_id").to("communes", "id").on_delete(ForeignKeyAction::Restrict).to_owned()
}

/// `(tenant_id, column)` of `from` refers to a row `(tenant_id, id)` of `to`: of the same commune.
pub(super) fn tenant_fk(from: &'static str, column: &'static str, to: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from_tbl(from)
        .from_col("tenant_id")
        .from_col(column)
        .to_tbl(to)
        .to_col("tenant_id")
        .to_col("id")
        .to_owned()
}

/// An index of `table` on `tenant_id` then `columns`.
pub(super) fn tenant_index(
    name: &'static str,
    table: &'static str,
    columns: &[&'static str],
    unique: bool,
) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(table).col("tenant_id");
    for column in columns {
        index.col(*column);
    }
    if unique {
        index.unique();
    }
    index.to_owned()
}

/// Creates the indexes `(name, columns, unique)` of `table`, each on `tenant_id` then its columns, in order.
pub(super) async fn create_tenant_indexes(
    manager: &SchemaManager<'_>,
    table: &'static str,
    indexes: &[(&'static str, &[&'static str], bool)],
) -> Result<(), DbErr> {
    for (name, columns, unique) in indexes {
        manager.create_index(tenant_index(name, table, columns, *unique)).await?;
    }
    Ok(())
}

/// Runs `sql` on PostgreSQL only (row-level security, functions, triggers and grants SQLite does not have).
pub(super) async fn on_postgres(manager: &SchemaManager<'_>, sql: &str) -> Result<(), DbErr> {
    let db = manager.get_connection();
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared(sql).await?;
    }
    Ok(())
}
