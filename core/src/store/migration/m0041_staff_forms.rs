//! Staff forms: the form a member fills in when taking an action (a site-visit report) is stored with the step
//! of the history that took it, its non-personal fields in clear (`form`) and its personal fields sealed under
//! the commune's data key (`form_sealed`, `form_key_id`); the request keeps the non-personal fields of the
//! latest form of each action (`staff_data`), which guards read.

use sea_orm_migration::prelude::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0041_staff_forms"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::add_columns(manager, "requests", vec![ColumnDef::new("staff_data").json_binary().null().to_owned()])
            .await?;
        super::add_columns(
            manager,
            "request_transitions",
            vec![
                ColumnDef::new("form").json_binary().null().to_owned(),
                ColumnDef::new("form_sealed").text().null().to_owned(),
                ColumnDef::new("form_key_id").uuid().null().to_owned(),
            ],
        )
        .await
    }
}
