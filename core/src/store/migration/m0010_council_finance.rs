//! The council (members, sessions, agenda items, deliberations and their votes) and finance transparency
//! (budget lines with their appropriations, commitments, payments and revenues).

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

/// The tenant tables this migration creates.
const TABLES: &[&str] = &[
    "council_members",
    "council_sessions",
    "council_agenda_items",
    "council_deliberations",
    "council_votes",
    "budget_lines",
];

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0010_council_finance"
    }
}

fn col(name: &'static str) -> ColumnDef {
    let mut def = ColumnDef::new(name);
    def.not_null();
    def
}

fn nullable(name: &'static str) -> ColumnDef {
    let mut def = ColumnDef::new(name);
    def.null();
    def
}

/// A tenant table: `tenant_id` first, and a primary key led by it.
fn tenant_table(name: &'static str, key: &[&'static str]) -> TableCreateStatement {
    let mut table = Table::create();
    table.table(name).if_not_exists().col(col("tenant_id").uuid());
    let mut pk = Index::create();
    pk.col("tenant_id");
    for column in key {
        pk.col(*column);
    }
    table.primary_key(&mut pk);
    table
        .foreign_key(
            ForeignKey::create().from(name, "tenant_id").to("communes", "id").on_delete(ForeignKeyAction::Restrict),
        )
        .to_owned()
}

/// A foreign key within the commune: `(tenant_id, column)` → `to(tenant_id, id)`.
fn tenant_fk(from: &'static str, column: &'static str, to: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from_tbl(from)
        .from_col("tenant_id")
        .from_col(column)
        .to_tbl(to)
        .to_col("tenant_id")
        .to_col("id")
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                tenant_table("council_members", &["id"])
                    .col(col("id").uuid())
                    .col(col("name_ar").string())
                    .col(col("name_latin").string())
                    .col(col("party").string())
                    .col(col("role").string())
                    .col(col("mandate_start").date())
                    .col(nullable("mandate_end").date())
                    .col(col("created_at").timestamp_with_time_zone())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                tenant_table("council_sessions", &["id"])
                    .col(col("id").uuid())
                    .col(col("kind").string())
                    .col(col("starts_on").date())
                    .col(col("title").json_binary())
                    .col(nullable("published_at").timestamp_with_time_zone())
                    .col(col("created_at").timestamp_with_time_zone())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                tenant_table("council_agenda_items", &["id"])
                    .col(col("id").uuid())
                    .col(col("session_id").uuid())
                    .col(col("position").integer())
                    .col(col("title").json_binary())
                    .col(nullable("request_id").uuid())
                    .foreign_key(&mut tenant_fk("council_agenda_items", "session_id", "council_sessions"))
                    .foreign_key(&mut tenant_fk("council_agenda_items", "request_id", "requests"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                tenant_table("council_deliberations", &["id"])
                    .col(col("id").uuid())
                    .col(col("session_id").uuid())
                    .col(nullable("agenda_item_id").uuid())
                    .col(col("number").integer())
                    .col(col("text").json_binary())
                    .col(col("members_in_office").integer())
                    .col(col("present").integer())
                    .col(col("votes_for").integer())
                    .col(col("against").integer())
                    .col(col("abstain").integer())
                    .col(col("absent").integer())
                    .col(col("outcome").string())
                    .col(col("decided_at").timestamp_with_time_zone())
                    .foreign_key(&mut tenant_fk("council_deliberations", "session_id", "council_sessions"))
                    .foreign_key(&mut tenant_fk("council_deliberations", "agenda_item_id", "council_agenda_items"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                tenant_table("council_votes", &["deliberation_id", "member_id"])
                    .col(col("deliberation_id").uuid())
                    .col(col("member_id").uuid())
                    .col(col("choice").string())
                    .foreign_key(&mut tenant_fk("council_votes", "deliberation_id", "council_deliberations"))
                    .foreign_key(&mut tenant_fk("council_votes", "member_id", "council_members"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                tenant_table("budget_lines", &["id"])
                    .col(col("id").uuid())
                    .col(col("year").integer())
                    .col(col("position").integer())
                    .col(col("kind").string())
                    .col(col("chapter").string())
                    .col(col("article").string())
                    .col(col("paragraph").string())
                    .col(col("label").json_binary())
                    .col(nullable("revenue_type").string())
                    .col(nullable("appropriated").big_integer())
                    .col(nullable("committed").big_integer())
                    .col(nullable("paid").big_integer())
                    .col(nullable("planned").big_integer())
                    .col(nullable("collected").big_integer())
                    .col(col("imported_at").timestamp_with_time_zone())
                    .to_owned(),
            )
            .await?;
        for (name, table, columns) in [
            ("council_agenda_items_position", "council_agenda_items", &["session_id", "position"][..]),
            ("council_deliberations_number", "council_deliberations", &["session_id", "number"][..]),
            ("budget_lines_code", "budget_lines", &["year", "kind", "chapter", "article", "paragraph"][..]),
        ] {
            let mut index = Index::create();
            index.name(name).table(table).unique().col("tenant_id");
            for column in columns {
                index.col(*column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        let db = manager.get_connection();
        if db.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared(&super::row_level_security(TABLES)).await?;
        }
        Ok(())
    }
}
