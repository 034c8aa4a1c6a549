//! Moderation of public complaints (`model::moderation`): where each complaint stands (`moderation`), the kinds
//! of personal data its text was found to hold (`findings`, a JSON list) and the description a moderator
//! published in place of the applicant's (`published_description`). Complaints already public when this runs
//! were published unscreened: they wait in the moderation queue until a member of the staff decides.

use sea_orm::ConnectionTrait;
use sea_orm_migration::prelude::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0021_complaint_moderation"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        let columns = [
            ColumnDef::new("moderation").string().not_null().default("not_public").to_owned(),
            ColumnDef::new("findings").text().null().to_owned(),
            ColumnDef::new("published_description").text().null().to_owned(),
        ];
        for column in columns {
            manager.alter_table(Table::alter().table("complaints").add_column(column).to_owned()).await?;
        }
        manager
            .get_connection()
            .execute_unprepared("UPDATE complaints SET moderation = 'pending' WHERE public = TRUE")
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("complaints_moderation_submitted")
                    .table("complaints")
                    .col("tenant_id")
                    .col("moderation")
                    .col("submitted_at")
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
