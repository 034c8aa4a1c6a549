//! Deadlines per step: the due date of the step a request is in, when its state has an SLA
//! (`requests.step_due`), and in the history the due date of the step a row began (`request_transitions.step_due`)
//! and of the step it ended (`request_transitions.ended_step_due`), from which the indicators count the steps
//! left within their SLA. The timers of a step (its reminder and escalation) are timers of scope `step`.

use sea_orm_migration::prelude::*;

use super::tables::{add_columns, nullable};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_columns(manager, "requests", vec![nullable("step_due").date().to_owned()]).await?;
        for column in ["step_due", "ended_step_due"] {
            add_columns(manager, "request_transitions", vec![ColumnDef::new(column).date().null().to_owned()]).await?;
        }
        Ok(())
    }
}
