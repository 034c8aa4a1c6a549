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

use super::tables::{add_columns, col, nullable, tenant_fk, tenant_index};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

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
                    .col(col("id").uuid().primary_key())
                    .col(col("login").string().unique_key())
                    .col(col("display_name").string())
                    .col(col("password_hash").string())
                    .col(col("disabled").boolean())
                    .col(col("operator").boolean())
                    .col(col("created_at").timestamp_with_time_zone())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("memberships")
                    .if_not_exists()
                    .col(col("user_id").uuid())
                    .col(col("tenant_id").uuid())
                    .col(col("roles").json_binary())
                    .col(col("created_at").timestamp_with_time_zone())
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
                    .col(col("id").uuid().primary_key())
                    .col(col("user_id").uuid())
                    .col(col("secret_hash").string())
                    .col(col("created_at").timestamp_with_time_zone())
                    .col(col("expires_at").timestamp_with_time_zone())
                    .col(nullable("ended_at").timestamp_with_time_zone())
                    .foreign_key(ForeignKey::create().from("sessions", "user_id").to("users", "id"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(Index::create().name("sessions_user").table("sessions").col("user_id").to_owned()).await?;
        add_columns(manager, "roles", vec![col("permissions").json_binary().default("[]").to_owned()]).await?;
        manager
            .create_table(
                Table::create()
                    .table("request_files")
                    .if_not_exists()
                    .col(col("tenant_id").uuid())
                    .col(col("id").uuid())
                    .col(col("request_id").uuid())
                    .col(col("code").string())
                    .col(col("file_name").string())
                    .col(col("media_type").string())
                    .col(col("size_bytes").big_integer())
                    .col(col("sha256").string())
                    .col(col("content").text())
                    .col(col("data_key_id").uuid())
                    .col(col("created_at").timestamp_with_time_zone())
                    .primary_key(Index::create().col("tenant_id").col("id"))
                    .foreign_key(&mut tenant_fk("request_files", "request_id", "requests"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(tenant_index("request_files_request", "request_files", &["request_id"], false)).await?;
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
