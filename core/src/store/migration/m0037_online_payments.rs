//! Online payments through the commune's provider: the payments started (`online_payments`: the order sent to
//! the provider, its amount copied from what the request owes, its outcome; the provider's transaction
//! reference unique per commune, so that a payment is never recorded twice), the provider's daily statements
//! imported for reconciliation (`payment_statements`, with the mismatches found), and refunds
//! (`payment_refunds`: requested with a reason, approved or rejected by another member). No card data.

use sea_orm_migration::prelude::*;

use super::row_level_security;
use super::tables::{col, create_tenant_indexes, nullable, on_postgres, tenant_table};

/// The tenant tables this migration creates.
const TABLES: &[&str] = &["online_payments", "payment_statements", "payment_refunds"];

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                tenant_table("online_payments")
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
                    .to_owned(),
            )
            .await?;
        create_tenant_indexes(
            manager,
            "online_payments",
            &[
                ("online_payments_order", &["order_id"], true),
                ("online_payments_reference", &["provider_reference"], true),
                ("online_payments_demand", &["demand_id"], false),
            ],
        )
        .await?;
        manager
            .create_table(
                tenant_table("payment_statements")
                    .col(col("day").date())
                    .col(col("lines").integer())
                    // The mismatches found at import (JSON, `model::Mismatch`s).
                    .col(col("mismatches").text())
                    .col(col("imported_by").string())
                    .col(col("imported_at").timestamp_with_time_zone())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                tenant_table("payment_refunds")
                    .col(col("payment_id").uuid())
                    .col(col("amount").big_integer())
                    .col(col("reason").text())
                    // `requested`, `approved`, `rejected`.
                    .col(col("status").string())
                    .col(col("requested_by").string())
                    .col(col("requested_at").timestamp_with_time_zone())
                    .col(nullable("decided_by").string())
                    .col(nullable("decided_at").timestamp_with_time_zone())
                    .to_owned(),
            )
            .await?;
        on_postgres(manager, &row_level_security(TABLES)).await?;
        Ok(())
    }
}
