//! Identities: platform users (argon2id password hashes), their memberships in communes, and login sessions;
//! the permissions each role of a commune grants; and the sealed contents of the documents uploaded with a
//! request (a tenant table, with row-level security).
//!
//! `memberships` names a commune but is a platform table: it is read to authenticate a user, before any
//! commune is known, to learn which communes the user works in. It holds no citizen data, only which roles
//! a user holds where; writes to it go through use cases that check the operator's or the commune
//! administrator's permission.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0004_identities"
    }
}

/// The permissions of the standard's roles, for the communes made before roles carried them.
const STANDARD_ROLES: &str = include_str!("../../../data/ma-commune/roles.json");

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("users")
                    .if_not_exists()
                    .col(ColumnDef::new("id").uuid().not_null().primary_key())
                    .col(ColumnDef::new("login").string().not_null().unique_key())
                    .col(ColumnDef::new("display_name").string().not_null())
                    .col(ColumnDef::new("password_hash").string().not_null())
                    .col(ColumnDef::new("disabled").boolean().not_null())
                    .col(ColumnDef::new("operator").boolean().not_null())
                    .col(ColumnDef::new("created_at").timestamp_with_time_zone().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("memberships")
                    .if_not_exists()
                    .col(ColumnDef::new("user_id").uuid().not_null())
                    .col(ColumnDef::new("tenant_id").uuid().not_null())
                    .col(ColumnDef::new("roles").json_binary().not_null())
                    .col(ColumnDef::new("created_at").timestamp_with_time_zone().not_null())
                    .primary_key(Index::create().col("user_id").col("tenant_id"))
                    .foreign_key(ForeignKey::create().from("memberships", "user_id").to("users", "id"))
                    .foreign_key(ForeignKey::create().from("memberships", "tenant_id").to("communes", "id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("sessions")
                    .if_not_exists()
                    .col(ColumnDef::new("id").uuid().not_null().primary_key())
                    .col(ColumnDef::new("user_id").uuid().not_null())
                    .col(ColumnDef::new("secret_hash").string().not_null())
                    .col(ColumnDef::new("created_at").timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new("expires_at").timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new("ended_at").timestamp_with_time_zone().null())
                    .foreign_key(ForeignKey::create().from("sessions", "user_id").to("users", "id"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(Index::create().name("sessions_user").table("sessions").col("user_id").to_owned()).await?;
        manager
            .alter_table(
                Table::alter()
                    .table("roles")
                    .add_column(ColumnDef::new("permissions").json_binary().not_null().default("[]"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("request_files")
                    .if_not_exists()
                    .col(ColumnDef::new("tenant_id").uuid().not_null())
                    .col(ColumnDef::new("id").uuid().not_null())
                    .col(ColumnDef::new("request_id").uuid().not_null())
                    .col(ColumnDef::new("code").string().not_null())
                    .col(ColumnDef::new("file_name").string().not_null())
                    .col(ColumnDef::new("media_type").string().not_null())
                    .col(ColumnDef::new("size_bytes").big_integer().not_null())
                    .col(ColumnDef::new("sha256").string().not_null())
                    .col(ColumnDef::new("content").text().not_null())
                    .col(ColumnDef::new("data_key_id").uuid().not_null())
                    .col(ColumnDef::new("created_at").timestamp_with_time_zone().not_null())
                    .primary_key(Index::create().col("tenant_id").col("id"))
                    .foreign_key(
                        ForeignKey::create()
                            .from_tbl("request_files")
                            .from_col("tenant_id")
                            .from_col("request_id")
                            .to_tbl("requests")
                            .to_col("tenant_id")
                            .to_col("id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("request_files_request")
                    .table("request_files")
                    .col("tenant_id")
                    .col("request_id")
                    .to_owned(),
            )
            .await?;
        if manager.get_connection().get_database_backend() == DbBackend::Postgres {
            manager.get_connection().execute_unprepared(&super::row_level_security(&["request_files"])).await?;
        }
        // Communes made from the standard keep what their roles allowed before.
        let standard: Vec<serde_json::Value> =
            serde_json::from_str(STANDARD_ROLES).map_err(|e| DbErr::Custom(e.to_string()))?;
        let db = manager.get_connection();
        for role in standard {
            let (Some(key), Some(permissions)) = (role["key"].as_str(), role.get("permissions")) else { continue };
            let backend = db.get_database_backend();
            let sql = match backend {
                DbBackend::Postgres => "UPDATE roles SET permissions = $1::jsonb WHERE key = $2",
                _ => "UPDATE roles SET permissions = ? WHERE key = ?",
            };
            let values: [sea_orm::Value; 2] = [permissions.to_string().into(), key.into()];
            db.execute_raw(sea_orm::Statement::from_sql_and_values(backend, sql, values)).await?;
        }
        Ok(())
    }
}
