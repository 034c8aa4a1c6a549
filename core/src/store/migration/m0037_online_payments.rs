//! Online payments through the commune's provider: the payments started (`online_payments`: the order sent to
//! the provider, its amount copied from what the request owes, its outcome; the provider's transaction
//! reference unique per commune, so that a payment is never recorded twice), the provider's daily statements
//! imported for reconciliation (`payment_statements`, with the mismatches found), and refunds
//! (`payment_refunds`: requested with a reason, approved or rejected by another member). No card data.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

/// The tenant tables this migration creates.
const TABLES: &[&str] = &["online_payments", "payment_statements", "payment_refunds"];

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0037_online_payments"
    }
}

fn col(name: &'static str) -> ColumnDef {
    let mut def = ColumnDef::new(name);
    def.not_null();
    def
}

fn nullable(name: &'static str) -> ColumnDef {
    let mut def = ColumnDef::new(name);
    def.null();
    def
}

fn tenant_key(table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(table, "tenant_id").to("communes", "id").on_delete(ForeignKeyAction::Restrict).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("online_payments")
                    .if_not_exists()
                    .col(col("tenant_id").uuid())
                    .col(col("id").uuid())
                    // The order's id at the provider (`oid`).
                    .col(col("order_id").string())
                    // What is paid: the demand of a request (payments module), and that request.
                    .col(col("demand_id").uuid())
                    .col(col("request_id").uuid())
                    // Centimes, and the ISO 4217 numeric currency (504, the dirham).
                    .col(col("amount").big_integer())
                    .col(col("currency").string())
                    // `pending`, `paid`, `refused`.
                    .col(col("status").string())
                    .col(nullable("provider_reference").string())
                    .col(nullable("refusal_code").string())
                    .col(col("started_by").string())
                    .col(col("started_at").timestamp_with_time_zone())
                    .col(col("expires_at").timestamp_with_time_zone())
                    .col(nullable("settled_at").timestamp_with_time_zone())
                    // `callback` or `statement`.
                    .col(nullable("settled_by").string())
                    .primary_key(Index::create().col("tenant_id").col("id"))
                    .foreign_key(&mut tenant_key("online_payments"))
                    .to_owned(),
            )
            .await?;
        for (name, columns, unique) in [
            ("online_payments_order", &["tenant_id", "order_id"][..], true),
            ("online_payments_reference", &["tenant_id", "provider_reference"][..], true),
            ("online_payments_demand", &["tenant_id", "demand_id"][..], false),
        ] {
            let mut index = Index::create();
            index.name(name).table("online_payments");
            for column in columns {
                index.col(*column);
            }
            if unique {
                index.unique();
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table("payment_statements")
                    .if_not_exists()
                    .col(col("tenant_id").uuid())
                    .col(col("id").uuid())
                    .col(col("day").date())
                    .col(col("lines").integer())
                    // The mismatches found at import (JSON, `model::Mismatch`s).
                    .col(col("mismatches").text())
                    .col(col("imported_by").string())
                    .col(col("imported_at").timestamp_with_time_zone())
                    .primary_key(Index::create().col("tenant_id").col("id"))
                    .foreign_key(&mut tenant_key("payment_statements"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("payment_refunds")
                    .if_not_exists()
                    .col(col("tenant_id").uuid())
                    .col(col("id").uuid())
                    .col(col("payment_id").uuid())
                    .col(col("amount").big_integer())
                    .col(col("reason").text())
                    // `requested`, `approved`, `rejected`.
                    .col(col("status").string())
                    .col(col("requested_by").string())
                    .col(col("requested_at").timestamp_with_time_zone())
                    .col(nullable("decided_by").string())
                    .col(nullable("decided_at").timestamp_with_time_zone())
                    .primary_key(Index::create().col("tenant_id").col("id"))
                    .foreign_key(&mut tenant_key("payment_refunds"))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        if db.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared(&super::row_level_security(TABLES)).await?;
        }
        Ok(())
    }
}
