//! Assignment of requests to a person: who holds each request (a user of the platform, a member of the
//! commune), the holder named by each assignment step of the history, and the indexes of the inbox (sorted by
//! the legal decision date, filtered by state, holder or service).

use sea_orm_migration::prelude::*;

use super::tables::{add_columns, create_tenant_indexes, nullable};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The user holding the request (users are never deleted, only disabled).
        add_columns(manager, "requests", vec![nullable("assignee_id").uuid().to_owned()]).await?;
        // The holder an assignment step gave the request to (none for a release and for workflow steps).
        add_columns(manager, "request_transitions", vec![nullable("assignee_id").uuid().to_owned()]).await?;
        create_tenant_indexes(
            manager,
            "requests",
            &[
                ("requests_by_due", &["decision_due", "id"], false),
                ("requests_by_state_due", &["state", "decision_due"], false),
                ("requests_by_assignee_due", &["assignee_id", "decision_due"], false),
                ("requests_by_service_due", &["service_id", "decision_due"], false),
            ],
        )
        .await
    }
}
