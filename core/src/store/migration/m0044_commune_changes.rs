//! Every change of a commune's row told to the servers sharing a PostgreSQL database: a statement-level trigger
//! on `communes` notifies the channel `jamaa_communes` (empty payload, delivered on commit), which each server's
//! listener hears to drop the communes it holds in memory (`store::cache::CommuneStates`). Whatever writes the
//! row — a use case, an import, an operator's SQL — is heard. SQLite has no such channel: a server watches its
//! file instead.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != sea_orm::DbBackend::Postgres {
            return Ok(());
        }
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE FUNCTION jamaa_communes_changed() RETURNS trigger LANGUAGE plpgsql AS $$ \
                 BEGIN PERFORM pg_notify('jamaa_communes', ''); RETURN NULL; END $$; \
                 CREATE TRIGGER communes_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON communes \
                 FOR EACH STATEMENT EXECUTE FUNCTION jamaa_communes_changed();",
            )
            .await?;
        Ok(())
    }
}
