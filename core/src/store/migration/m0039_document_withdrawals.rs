//! A document may withdraw another (a notice of cancellation withdraws the quittance it cancels): the new
//! document names the withdrawn one's code, so that verifying the withdrawn code says so. Documents stay written
//! once: the withdrawal is a new row, never an update of the old one.

use sea_orm_migration::prelude::*;

use super::tables::{add_columns, nullable};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_columns(manager, "issued_documents", vec![nullable("withdraws").string().to_owned()]).await?;
        manager
            .create_index(
                Index::create()
                    .name("issued_documents_withdraws")
                    .table("issued_documents")
                    .col("tenant_id")
                    .col("withdraws")
                    .to_owned(),
            )
            .await
    }
}
