//! Assignment of requests to a person: who holds each request (a user of the platform, a member of the
//! commune), the holder named by each assignment step of the history, and the indexes of the inbox (sorted by
//! the legal decision date, filtered by state, holder or service).

use sea_orm_migration::prelude::*;

use super::tables::nullable;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

fn index(name: &str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table("requests");
    for column in columns {
        index.col(*column);
    }
    index.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The user holding the request (users are never deleted, only disabled).
        manager
            .alter_table(Table::alter().table("requests").add_column(nullable("assignee_id").uuid()).to_owned())
            .await?;
        // The holder an assignment step gave the request to (none for a release and for workflow steps).
        manager
            .alter_table(
                Table::alter().table("request_transitions").add_column(nullable("assignee_id").uuid()).to_owned(),
            )
            .await?;
        manager.create_index(index("requests_by_due", &["tenant_id", "decision_due", "id"])).await?;
        manager.create_index(index("requests_by_state_due", &["tenant_id", "state", "decision_due"])).await?;
        manager.create_index(index("requests_by_assignee_due", &["tenant_id", "assignee_id", "decision_due"])).await?;
        manager.create_index(index("requests_by_service_due", &["tenant_id", "service_id", "decision_due"])).await?;
        Ok(())
    }
}
