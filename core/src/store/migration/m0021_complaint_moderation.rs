//! Moderation of public complaints (`model::moderation`): where each complaint stands (`moderation`), the kinds
//! of personal data its text was found to hold (`findings`, a JSON list) and the description a moderator
//! published in place of the applicant's (`published_description`). Complaints already public when this runs
//! were published unscreened: they wait in the moderation queue until a member of the staff decides.

use sea_orm::ConnectionTrait;
use sea_orm_migration::prelude::*;

use super::tables::{add_columns, col, nullable, tenant_index};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        let columns = vec![
            col("moderation").string().default("not_public").to_owned(),
            nullable("findings").text().to_owned(),
            nullable("published_description").text().to_owned(),
        ];
        add_columns(manager, "complaints", columns).await?;
        manager
            .get_connection()
            .execute_unprepared("UPDATE complaints SET moderation = 'pending' WHERE public = TRUE")
            .await?;
        manager
            .create_index(tenant_index(
                "complaints_moderation_submitted",
                "complaints",
                &["moderation", "submitted_at"],
                false,
            ))
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use sea_orm::ActiveValue::Set;
    use sea_orm::{ConnectionTrait, EntityTrait};
    use sea_orm_migration::MigratorTrait;
    use secrecy::SecretString;

    use crate::model::ids::{RequestId, TenantId};
    use crate::model::moderation::{self, Moderation, PersonalDataKind};
    use crate::store::complaints::{self, PublicFilter};
    use crate::store::entity::complaint;
    use crate::store::migration::Migrator;
    use crate::store::{Store, StoreConfig, TenantScope};

    /// The migrations before this one (m0001 to m0020).
    const BEFORE: u32 = 15;

    /// A complaint row as the schema before this migration holds it.
    fn row(tenant: TenantId, n: u32, public: bool, address: &str) -> complaint::ActiveModel {
        complaint::ActiveModel {
            tenant_id: Set(tenant.as_uuid()),
            request_id: Set(RequestId::new().as_uuid()),
            tracking_code: Set(format!("OUJ-2025-{n:06}")),
            service_code: Set("reclamation".into()),
            category: Set(Some("lighting".into())),
            public: Set(public),
            latitude: Set(None),
            longitude: Set(None),
            address: Set(Some(address.into())),
            submitted_at: Set(Utc.with_ymd_and_hms(2025, 11, n, 9, 0, 0).unwrap()),
            rating: Set(None),
            rated_at: Set(None),
            ..Default::default()
        }
    }

    #[tokio::test]
    async fn complaints_public_before_screening_wait_in_the_queue_unlisted() {
        let config = StoreConfig {
            url: SecretString::from("sqlite::memory:"),
            max_connections: 1,
            acquire_timeout: crate::store::DEFAULT_ACQUIRE_TIMEOUT,
            sqlite_synchronous: Default::default(),
        };
        let store = Store::connect(&config).await.unwrap();
        Migrator::up(&store.db, Some(BEFORE)).await.unwrap();
        let applied = Migrator::get_applied_migrations(&store.db).await.unwrap();
        assert_eq!(applied.last().map(|m| m.name().to_owned()).as_deref(), Some("m0020_shared_definitions"));

        // Complaints published before their texts were screened, one with a phone number in its place, one
        // without, and a private one: only their own rows matter here, so their requests are left out.
        let tenant = TenantId::new();
        let with_phone = "Devant le n° 12, appelez-moi au 06 12 34 56 78";
        assert_eq!(
            moderation::kinds(&moderation::screen(with_phone, &[])),
            [PersonalDataKind::Phone],
            "the screen finds the phone"
        );
        let rows = [
            row(tenant, 1, true, with_phone),
            row(tenant, 2, true, "Rue Zerktouni"),
            row(tenant, 3, false, with_phone),
        ];
        let ids: Vec<RequestId> = rows.iter().map(|r| RequestId::from_uuid(*r.request_id.as_ref())).collect();
        store.db.execute_unprepared("PRAGMA foreign_keys = OFF").await.unwrap();
        complaint::Entity::insert_many(rows).exec_without_returning(&store.db).await.unwrap();
        store.db.execute_unprepared("PRAGMA foreign_keys = ON").await.unwrap();

        Migrator::up(&store.db, Some(1)).await.unwrap();
        let applied = Migrator::get_applied_migrations(&store.db).await.unwrap();
        assert_eq!(applied.last().map(|m| m.name().to_owned()).as_deref(), Some("m0021_complaint_moderation"));

        let tx = store.tenant_tx(TenantScope::new(tenant)).await.unwrap();
        let mut states = Vec::new();
        for id in &ids {
            let found = complaints::by_request(&tx, *id).await.unwrap().unwrap();
            states.push((found.moderation, found.findings));
        }
        // Public ones wait for a moderator (never screened: the queue shows what the screen finds when read).
        assert_eq!(states, [(Moderation::Pending, None), (Moderation::Pending, None), (Moderation::NotPublic, None)]);
        let queue: Vec<RequestId> =
            complaints::pending(&tx, None, 10).await.unwrap().into_iter().map(|c| c.request_id).collect();
        assert_eq!(queue, ids[..2]);
        assert_eq!(complaints::pending_count(&tx).await.unwrap(), 2);
        let listed = complaints::public(&tx, &PublicFilter::default(), None, None).await.unwrap();
        assert!(listed.is_empty(), "nothing is listed until a moderator decides: {listed:?}");
        tx.commit().await.unwrap();
    }
}
