//! Deadlines per step: the due date of the step a request is in, when its state has an SLA
//! (`requests.step_due`), and in the history the due date of the step a row began (`request_transitions.step_due`)
//! and of the step it ended (`request_transitions.ended_step_due`), from which the indicators count the steps
//! left within their SLA. The timers of a step (its reminder and escalation) are timers of scope `step`.

use sea_orm_migration::prelude::*;

use super::tables::nullable;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table("requests").add_column(nullable("step_due").date()).to_owned())
            .await?;
        for column in ["step_due", "ended_step_due"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("request_transitions")
                        .add_column(ColumnDef::new(column).date().null())
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
