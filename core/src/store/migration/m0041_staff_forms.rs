//! Staff forms: the form a member fills in when taking an action (a site-visit report) is stored with the step
//! of the history that took it, its non-personal fields in clear (`form`) and its personal fields sealed under
//! the commune's data key (`form_sealed`, `form_key_id`); the request keeps the non-personal fields of the
//! latest form of each action (`staff_data`), which guards read.

use sea_orm_migration::prelude::*;

use super::tables::{add_columns, nullable};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_columns(manager, "requests", vec![nullable("staff_data").json_binary().to_owned()]).await?;
        add_columns(
            manager,
            "request_transitions",
            vec![
                nullable("form").json_binary().to_owned(),
                nullable("form_sealed").text().to_owned(),
                nullable("form_key_id").uuid().to_owned(),
            ],
        )
        .await
    }
}
