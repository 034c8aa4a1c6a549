//! Deadlines of a whole request, beside the timers of one state: a timer's `scope` (`state`, cancelled by any
//! action; `request`, kept until the request is answered), and when a request's answer period ended without
//! an answer (`requests.lapsed_at`, a complaint's lapse).

use sea_orm_migration::prelude::*;

use super::tables::{add_columns, col, nullable};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_columns(manager, "timers", vec![col("scope").string().default("state").to_owned()]).await?;
        add_columns(manager, "requests", vec![nullable("lapsed_at").timestamp_with_time_zone().to_owned()]).await?;
        Ok(())
    }
}
