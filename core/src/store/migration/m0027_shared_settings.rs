//! Calendars and configurations stored once, as definitions are (m0020): a commune's working calendar and its
//! configuration (categories, id formats, module settings, texts) move to `definitions`, under the hex SHA-256
//! of their JSON text; `communes.calendar_hash` and `commune_configs.content_hash` keep the address instead of a
//! copy. The 1,503 communes onboarded from one template share one calendar and one configuration. A commune whose
//! calendar or configuration changes gets a new address; a stored body never changes (on PostgreSQL the
//! application's role may only read and add rows of `definitions`). Existing rows are moved, then the copies
//! dropped.

use sea_orm::ConnectionTrait;
use sea_orm_migration::prelude::*;

use super::tables::{add_columns, col};
use sha2::{Digest, Sha256};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

/// The columns of `commune_configs` that make its stored body, by their names in the body.
const CONFIG_PARTS: [(&str, &str); 4] = [
    ("categories", "categories"),
    ("id_formats", "idFormats"),
    ("settings", "settings"),
    ("translations", "translations"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();

        add_columns(manager, "communes", vec![col("calendar_hash").string().default("").to_owned()]).await?;
        let rows = db.query_all(&Query::select().columns(["id", "calendar"]).from("communes").to_owned()).await?;
        for row in rows {
            let id: uuid::Uuid = row.try_get("", "id")?;
            let body: serde_json::Value = row.try_get("", "calendar")?;
            let hash = store(db, body).await?;
            db.execute(
                &Query::update()
                    .table("communes")
                    .value("calendar_hash", hash)
                    .and_where(Expr::col("id").eq(id))
                    .to_owned(),
            )
            .await?;
        }
        manager.alter_table(Table::alter().table("communes").drop_column("calendar").to_owned()).await?;

        add_columns(manager, "commune_configs", vec![col("content_hash").string().default("").to_owned()]).await?;
        let mut columns = vec!["tenant_id"];
        columns.extend(CONFIG_PARTS.iter().map(|(column, _)| *column));
        let rows = db.query_all(&Query::select().columns(columns).from("commune_configs").to_owned()).await?;
        for row in rows {
            let tenant: uuid::Uuid = row.try_get("", "tenant_id")?;
            let mut body = serde_json::Map::new();
            for (column, name) in CONFIG_PARTS {
                body.insert(name.to_owned(), row.try_get::<serde_json::Value>("", column)?);
            }
            let hash = store(db, serde_json::Value::Object(body)).await?;
            db.execute(
                &Query::update()
                    .table("commune_configs")
                    .value("content_hash", hash)
                    .and_where(Expr::col("tenant_id").eq(tenant))
                    .to_owned(),
            )
            .await?;
        }
        // One column at a time: SQLite's ALTER TABLE drops one column per statement.
        for (column, _) in CONFIG_PARTS {
            manager.alter_table(Table::alter().table("commune_configs").drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}

/// Stores `body` under its address unless it is there already; the address.
async fn store(db: &impl ConnectionTrait, body: serde_json::Value) -> Result<String, DbErr> {
    let text = serde_json::to_vec(&body).map_err(|e| DbErr::Custom(e.to_string()))?;
    let hash = hex::encode(Sha256::digest(&text));
    db.execute(
        &Query::insert()
            .into_table("definitions")
            .columns(["hash", "body"])
            .values([hash.clone().into(), body.into()])
            .map_err(|e| DbErr::Custom(e.to_string()))?
            .on_conflict(OnConflict::column("hash").do_nothing().to_owned())
            .to_owned(),
    )
    .await?;
    Ok(hash)
}

#[cfg(test)]
mod tests {
    use sea_orm::{ConnectionTrait, DatabaseConnection};
    use sea_orm_migration::prelude::*;
    use secrecy::SecretString;

    use crate::model::ids::TenantId;
    use crate::model::template::TemplateContent;
    use crate::store::config::CommuneConfig;
    use crate::store::migration::Migrator;
    use crate::store::{Store, StoreConfig, communes};

    fn standard() -> TemplateContent {
        let templates = crate::model::standard::shipped_templates().unwrap();
        templates.into_iter().find(|t| t.name == "ma-commune").unwrap().content
    }

    async fn insert_commune(db: &DatabaseConnection, id: TenantId, slug: &str, content: &TemplateContent) {
        let json = |value: serde_json::Value| -> Expr { value.into() };
        let commune = Query::insert()
            .into_table("communes")
            .columns([
                "id",
                "slug",
                "name",
                "country",
                "default_locale",
                "locales",
                "time_zone",
                "currency",
                "tracking_prefix",
                "calendar",
                "status",
                "created_at",
                "catalog_generation",
                "site_origins",
            ])
            .values_panic([
                id.as_uuid().into(),
                slug.into(),
                json(serde_json::json!({ "fr": slug })),
                "MA".into(),
                "ar".into(),
                json(serde_json::json!(["ar", "fr"])),
                "Africa/Casablanca".into(),
                "MAD".into(),
                slug[..3].to_uppercase().into(),
                json(serde_json::to_value(&content.calendar).unwrap()),
                "active".into(),
                chrono::Utc::now().into(),
                0i64.into(),
                json(serde_json::json!([])),
            ])
            .to_owned();
        db.execute(&commune).await.unwrap();
        let config = Query::insert()
            .into_table("commune_configs")
            .columns(["tenant_id", "categories", "id_formats", "settings", "translations"])
            .values_panic([
                id.as_uuid().into(),
                json(serde_json::to_value(&content.categories).unwrap()),
                json(serde_json::to_value(content.id_formats).unwrap()),
                json(serde_json::to_value(&content.settings).unwrap()),
                json(serde_json::to_value(&content.translations).unwrap()),
            ])
            .to_owned();
        db.execute(&config).await.unwrap();
    }

    /// Rows written before m0027 are moved: one stored calendar and one configuration for two communes that
    /// held the same, at the addresses the application computes, read back as they were.
    #[tokio::test]
    async fn calendars_and_configurations_move_to_definitions() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("m.db").display());
        calendars_and_configurations_move(&url, &url, None).await;
    }

    /// The same on PostgreSQL: a database of the run's throwaway server migrated to m0026 by the role that owns
    /// it, rows written, then m0027; the application's role reads the communes back by their addresses.
    #[tokio::test]
    async fn calendars_and_configurations_move_to_definitions_postgres() {
        let server = jamaa_pg::PgServer::for_tests().unwrap();
        let database =
            Dropped(&server, server.create_database(&format!("m0027_{}", uuid::Uuid::now_v7().simple())).unwrap());
        let db = &database.1;
        calendars_and_configurations_move(&db.owner_url, &db.app_url, Some(jamaa_pg::APP_ROLE)).await;
    }

    /// A database dropped when the test ends, passed or not (the run's server outlives the test).
    struct Dropped<'a>(&'a jamaa_pg::PgServer, jamaa_pg::PgDatabase);

    impl Drop for Dropped<'_> {
        fn drop(&mut self) {
            if self.0.is_shared() {
                let _ = self.0.drop_database(&self.1.name);
            }
        }
    }

    /// Migrates the database at `url` to m0026, writes two communes holding the same calendar and configuration,
    /// migrates to the end and checks where they went; then reads one back through a store at `app_url` (on
    /// PostgreSQL as `app_role`, granted as the server grants it).
    async fn calendars_and_configurations_move(url: &str, app_url: &str, app_role: Option<&str>) {
        let db = sea_orm::Database::connect(url).await.unwrap();
        let before = Migrator::migrations().iter().position(|m| m.name() == "m0027_shared_settings").unwrap();
        Migrator::up(&db, Some(<u32 as TryFrom<usize>>::try_from(before).unwrap())).await.unwrap();
        let applied = Migrator::get_applied_migrations(&db).await.unwrap();
        assert_eq!(applied.last().map(|m| m.name().to_owned()).as_deref(), Some("m0026_idempotency_keys"));
        let content = standard();
        let (oujda, berkane) = (TenantId::new(), TenantId::new());
        insert_commune(&db, oujda, "oujda", &content).await;
        insert_commune(&db, berkane, "berkane", &content).await;
        Migrator::up(&db, None).await.unwrap();
        if let Some(role) = app_role {
            crate::store::migration::grant_app_role(&db, role).await.unwrap();
        }

        let hashes = db
            .query_all(&Query::select().columns(["calendar_hash"]).from("communes").to_owned())
            .await
            .unwrap()
            .into_iter()
            .map(|row| row.try_get::<String>("", "calendar_hash").unwrap())
            .collect::<Vec<_>>();
        let calendar = communes::calendar_address(&content.calendar).unwrap();
        assert_eq!(hashes, [calendar.clone(), calendar], "the calendar is not at the application's address");
        let configs = db
            .query_all(&Query::select().columns(["content_hash"]).from("commune_configs").to_owned())
            .await
            .unwrap()
            .into_iter()
            .map(|row| row.try_get::<String>("", "content_hash").unwrap())
            .collect::<Vec<_>>();
        let config = CommuneConfig {
            categories: content.categories.clone(),
            id_formats: content.id_formats,
            settings: content.settings.clone(),
            translations: content.translations.clone(),
        };
        let address = crate::store::shared::address(&serde_json::to_value(&config).unwrap()).unwrap();
        assert_eq!(configs, [address.clone(), address], "the configuration is not at the application's address");
        let stored = db
            .query_one(&Query::select().expr(Func::count(Expr::col("hash"))).from("definitions").to_owned())
            .await
            .unwrap()
            .unwrap()
            .try_get_by_index::<i64>(0)
            .unwrap();
        assert_eq!(stored, 2, "one calendar and one configuration for both communes");
        db.close().await.unwrap();

        let store = Store::connect(&StoreConfig {
            url: SecretString::from(app_url.to_owned()),
            max_connections: 1,
            acquire_timeout: crate::store::DEFAULT_ACQUIRE_TIMEOUT,
            sqlite_synchronous: Default::default(),
        })
        .await
        .unwrap();
        let read = communes::by_id(store.reader(), store.cache(), berkane).await.unwrap().unwrap();
        assert_eq!(*read.spec.calendar, content.calendar);
        assert_eq!(read.spec.slug.as_str(), "berkane");
        // And a commune's configuration, in its tenant transaction (under row-level security on PostgreSQL).
        let tx = store.tenant_tx(crate::store::TenantScope::new(oujda)).await.unwrap();
        assert_eq!(*crate::store::config::get(&tx).await.unwrap(), config);
        tx.commit().await.unwrap();
    }
}
