//! The communes table (platform-wide). A commune's working calendar is stored once in `definitions` for every
//! commune holding the same (m0027): the row keeps its address, and a changed calendar gets a new one.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::cache::CatalogCache;
use super::entity::commune;
use super::shared::{put_shared, shared_bodies};
use crate::error::Error;
use crate::model::calendar::WorkingCalendar;
use crate::model::commune::{Commune, CommuneSpec, CommuneStatus, Slug, TrackingPrefix, TrainingReset, Zone};
use crate::model::ids::TenantId;
use crate::model::template::TemplateRef;

pub(crate) async fn insert(
    conn: &impl ConnectionTrait,
    id: TenantId,
    spec: &CommuneSpec,
    status: CommuneStatus,
    lineage: Option<&TemplateRef>,
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    let calendar = put_calendar(conn, &spec.calendar).await?;
    let addresses = Addresses { calendar, roles: String::new() };
    insert_addressed(conn, id, spec, status, lineage, now, addresses).await
}

/// The addresses in `definitions` of what a new commune shares with others onboarded from the same template.
pub(crate) struct Addresses {
    /// Its working calendar.
    pub calendar: String,
    /// Its role set, or empty: its roles are its own rows.
    pub roles: String,
}

/// [`insert`] with the commune's calendar (and role set) already stored (onboarding many from one template).
pub(crate) async fn insert_addressed(
    conn: &impl ConnectionTrait,
    id: TenantId,
    spec: &CommuneSpec,
    status: CommuneStatus,
    lineage: Option<&TemplateRef>,
    now: DateTime<Utc>,
    addresses: Addresses,
) -> Result<(), sea_orm::DbErr> {
    let Addresses { calendar: calendar_hash, roles: roles_hash } = addresses;
    let model = commune::ActiveModel {
        id: Set(id.as_uuid()),
        slug: Set(spec.slug.as_str().to_owned()),
        name: Set(to_json(&spec.name)?),
        country: Set(spec.country),
        official_code: Set(spec.official_code.clone()),
        region: Set(spec.region.clone()),
        province: Set(spec.province.clone()),
        population: Set(spec.population.and_then(|p| i64::try_from(p).ok())),
        default_locale: Set(spec.default_locale),
        locales: Set(to_json(&spec.locales)?),
        time_zone: Set(spec.time_zone.name().to_owned()),
        currency: Set(spec.currency.clone()),
        tracking_prefix: Set(spec.tracking_prefix.as_str().to_owned()),
        calendar_hash: Set(calendar_hash),
        status: Set(status),
        template_name: Set(lineage.map(|l| l.name.clone())),
        template_version: Set(lineage.and_then(|l| i32::try_from(l.version).ok())),
        created_at: Set(now),
        catalog_generation: Set(0),
        site_origins: Set(serde_json::json!([])),
        training_source: Set(None),
        training_reset: Set(None),
        training_reset_at: Set(None),
        roles_hash: Set(roles_hash),
    };
    commune::Entity::insert(model).exec_without_returning(conn).await?;
    Ok(())
}

pub(crate) async fn by_slug(
    conn: &impl ConnectionTrait,
    cache: &CatalogCache,
    slug: &str,
) -> Result<Option<Commune>, Error> {
    by_unique(conn, cache, commune::Column::Slug, slug).await
}

/// A commune by slug, with the generation of its current catalog.
pub(crate) async fn by_slug_with_generation(
    conn: &impl ConnectionTrait,
    cache: &CatalogCache,
    slug: &str,
) -> Result<Option<(Commune, i64)>, Error> {
    let row = commune::Entity::find().filter(commune::Column::Slug.eq(slug)).one(conn).await?;
    let generation = row.as_ref().map(|row| row.catalog_generation);
    Ok(one(conn, cache, row).await?.zip(generation))
}

/// The generation of a commune's current catalog.
pub(crate) async fn catalog_generation(conn: &impl ConnectionTrait, id: TenantId) -> Result<i64, Error> {
    commune::Entity::find_by_id(id.as_uuid())
        .select_only()
        .column(commune::Column::CatalogGeneration)
        .into_tuple::<i64>()
        .one(conn)
        .await?
        .ok_or(Error::NotFound("commune"))
}

/// Raises the generation of a commune's current catalog (in the transaction that changed it).
pub(crate) async fn raise_catalog_generation(conn: &impl ConnectionTrait, id: TenantId) -> Result<(), Error> {
    commune::Entity::update_many()
        .col_expr(commune::Column::CatalogGeneration, Expr::col(commune::Column::CatalogGeneration).add(1_i64))
        .filter(commune::Column::Id.eq(id.as_uuid()))
        .exec(conn)
        .await?;
    Ok(())
}

pub(crate) async fn by_official_code(
    conn: &impl ConnectionTrait,
    cache: &CatalogCache,
    code: &str,
) -> Result<Option<Commune>, Error> {
    by_unique(conn, cache, commune::Column::OfficialCode, code).await
}

/// The tracking prefixes every commune holds.
pub(crate) async fn tracking_prefixes(conn: &impl ConnectionTrait) -> Result<Vec<String>, Error> {
    commune::Entity::find()
        .select_only()
        .column(commune::Column::TrackingPrefix)
        .into_tuple::<String>()
        .all(conn)
        .await
        .map_err(Into::into)
}

/// Records the template a commune's configuration now follows.
pub(crate) async fn set_lineage(conn: &impl ConnectionTrait, id: TenantId, lineage: &TemplateRef) -> Result<(), Error> {
    commune::Entity::update_many()
        .col_expr(commune::Column::TemplateName, Expr::value(lineage.name.clone()))
        .col_expr(
            commune::Column::TemplateVersion,
            Expr::value(i32::try_from(lineage.version).map_err(Error::internal)?),
        )
        .filter(commune::Column::Id.eq(id.as_uuid()))
        .exec(conn)
        .await?;
    Ok(())
}

/// Replaces the configuration a commune keeps on its own row: country, languages, currency, zone, calendar
/// (stored under its address unless there already: a shared calendar is never changed). The calendar's address.
pub(crate) async fn update_settings(
    conn: &impl ConnectionTrait,
    id: TenantId,
    spec: &CommuneSpec,
) -> Result<String, Error> {
    let calendar_hash = put_calendar(conn, &spec.calendar).await?;
    commune::Entity::update_many()
        .col_expr(commune::Column::Country, Expr::value(spec.country))
        .col_expr(commune::Column::DefaultLocale, Expr::value(spec.default_locale))
        .col_expr(commune::Column::Locales, Expr::value(to_json(&spec.locales)?))
        .col_expr(commune::Column::Currency, Expr::value(spec.currency.clone()))
        .col_expr(commune::Column::TimeZone, Expr::value(spec.time_zone.name()))
        .col_expr(commune::Column::CalendarHash, Expr::value(calendar_hash.clone()))
        .filter(commune::Column::Id.eq(id.as_uuid()))
        .exec(conn)
        .await?;
    Ok(calendar_hash)
}

/// The origins of a commune's website.
pub(crate) async fn site_origins(conn: &impl ConnectionTrait, id: TenantId) -> Result<Vec<String>, Error> {
    let value = commune::Entity::find_by_id(id.as_uuid())
        .select_only()
        .column(commune::Column::SiteOrigins)
        .into_tuple::<serde_json::Value>()
        .one(conn)
        .await?
        .ok_or(Error::NotFound("commune"))?;
    serde_json::from_value(value).map_err(Error::internal)
}

/// Replaces the origins of a commune's website (in the transaction of the change).
pub(crate) async fn set_site_origins(
    conn: &impl ConnectionTrait,
    id: TenantId,
    origins: &[String],
) -> Result<(), Error> {
    commune::Entity::update_many()
        .col_expr(commune::Column::SiteOrigins, Expr::value(to_json(&origins)?))
        .filter(commune::Column::Id.eq(id.as_uuid()))
        .exec(conn)
        .await?;
    Ok(())
}

/// Every commune's website origins together (a platform read: origins are public).
pub(crate) async fn all_site_origins(conn: &impl ConnectionTrait) -> Result<Vec<String>, Error> {
    let rows = commune::Entity::find()
        .select_only()
        .column(commune::Column::SiteOrigins)
        .into_tuple::<serde_json::Value>()
        .all(conn)
        .await?;
    let mut origins = Vec::new();
    for value in rows {
        origins.extend(serde_json::from_value::<Vec<String>>(value).map_err(Error::internal)?);
    }
    Ok(origins)
}

pub(crate) async fn by_id(
    conn: &impl ConnectionTrait,
    cache: &CatalogCache,
    id: TenantId,
) -> Result<Option<Commune>, Error> {
    let row = commune::Entity::find_by_id(id.as_uuid()).one(conn).await?;
    one(conn, cache, row).await
}

pub(crate) async fn by_tracking_prefix(
    conn: &impl ConnectionTrait,
    cache: &CatalogCache,
    prefix: &str,
) -> Result<Option<Commune>, Error> {
    by_unique(conn, cache, commune::Column::TrackingPrefix, prefix).await
}

/// A page of communes ordered by slug, after the `after` slug; without training communes unless asked.
pub(crate) async fn page(
    conn: &impl ConnectionTrait,
    cache: &CatalogCache,
    after: Option<&str>,
    limit: u64,
    with_training: bool,
) -> Result<Vec<Commune>, Error> {
    let mut query = commune::Entity::find().order_by_asc(commune::Column::Slug).limit(limit);
    if let Some(after) = after {
        query = query.filter(commune::Column::Slug.gt(after));
    }
    if !with_training {
        query = query.filter(commune::Column::Status.ne(CommuneStatus::Training));
    }
    let rows = query.all(conn).await?;
    let calendars = calendars(conn, cache, rows.iter().map(|row| row.calendar_hash.as_str())).await?;
    rows.into_iter()
        .map(|row| {
            let calendar = calendars.get(&row.calendar_hash).cloned();
            from_model(row, calendar)
        })
        .collect()
}

/// How many communes there are; without training communes unless asked.
pub(crate) async fn count(conn: &impl ConnectionTrait, with_training: bool) -> Result<u64, Error> {
    let mut query = commune::Entity::find();
    if !with_training {
        query = query.filter(commune::Column::Status.ne(CommuneStatus::Training));
    }
    query.count(conn).await.map_err(Into::into)
}

/// What a training commune's row says of it (see m0029).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TrainingRow {
    pub source: Option<String>,
    pub reset: Option<TrainingReset>,
    pub reset_at: Option<DateTime<Utc>>,
}

/// Marks a commune as a training one, made from `source`, set back on `reset`'s schedule.
pub(crate) async fn set_training(
    conn: &impl ConnectionTrait,
    id: TenantId,
    source: &str,
    reset: TrainingReset,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    commune::Entity::update_many()
        .col_expr(commune::Column::Status, Expr::value(CommuneStatus::Training))
        .col_expr(commune::Column::TrainingSource, Expr::value(source.to_owned()))
        .col_expr(commune::Column::TrainingReset, Expr::value(reset))
        .col_expr(commune::Column::TrainingResetAt, Expr::value(now))
        .filter(commune::Column::Id.eq(id.as_uuid()))
        .exec(conn)
        .await?;
    Ok(())
}

/// Records that a training commune is set back at `at`, unless it was since `since` (a scheduled reset:
/// of several servers, the first takes it, the row's lock holding the others until it commits); whether this
/// caller takes it.
pub(crate) async fn claim_training_reset(
    conn: &impl ConnectionTrait,
    id: TenantId,
    since: Option<DateTime<Utc>>,
    at: DateTime<Utc>,
) -> Result<bool, Error> {
    let mut update = commune::Entity::update_many()
        .col_expr(commune::Column::TrainingResetAt, Expr::value(at))
        .filter(commune::Column::Id.eq(id.as_uuid()))
        .filter(commune::Column::Status.eq(CommuneStatus::Training));
    if let Some(since) = since {
        update = update.filter(
            sea_orm::Condition::any()
                .add(commune::Column::TrainingResetAt.is_null())
                .add(commune::Column::TrainingResetAt.lt(since)),
        );
    }
    Ok(update.exec(conn).await?.rows_affected == 1)
}

/// A training commune's row, `None` for a commune that is not one.
pub(crate) async fn training(conn: &impl ConnectionTrait, id: TenantId) -> Result<Option<TrainingRow>, Error> {
    let row = commune::Entity::find_by_id(id.as_uuid())
        .filter(commune::Column::Status.eq(CommuneStatus::Training))
        .one(conn)
        .await?;
    Ok(row.map(|row| TrainingRow {
        source: row.training_source,
        reset: row.training_reset,
        reset_at: row.training_reset_at,
    }))
}

/// The training communes set back on a schedule (`reset`), with their last reset.
pub(crate) async fn training_scheduled(
    conn: &impl ConnectionTrait,
    reset: TrainingReset,
) -> Result<Vec<(TenantId, Option<DateTime<Utc>>)>, Error> {
    let rows = commune::Entity::find()
        .select_only()
        .column(commune::Column::Id)
        .column(commune::Column::TrainingResetAt)
        .filter(commune::Column::Status.eq(CommuneStatus::Training))
        .filter(commune::Column::TrainingReset.eq(reset))
        .into_tuple::<(uuid::Uuid, Option<DateTime<Utc>>)>()
        .all(conn)
        .await?;
    Ok(rows.into_iter().map(|(id, at)| (TenantId::from_uuid(id), at)).collect())
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<serde_json::Value, sea_orm::DbErr> {
    serde_json::to_value(value).map_err(|e| sea_orm::DbErr::Json(e.to_string()))
}

/// The address of a calendar in `definitions`.
#[cfg(test)]
pub(crate) fn calendar_address(calendar: &WorkingCalendar) -> Result<String, Error> {
    Ok(super::shared::address(&to_json(calendar)?)?)
}

/// Stores a calendar under its address (unless there already); the address.
pub(crate) async fn put_calendar(
    conn: &impl ConnectionTrait,
    calendar: &WorkingCalendar,
) -> Result<String, sea_orm::DbErr> {
    let addresses = put_shared(conn, vec![to_json(calendar)?]).await?;
    addresses.into_iter().next().ok_or_else(|| sea_orm::DbErr::Custom("no calendar address".into()))
}

/// The calendars of these addresses: held decoded, or read in one query and kept.
async fn calendars<'a>(
    conn: &impl ConnectionTrait,
    cache: &CatalogCache,
    addresses: impl IntoIterator<Item = &'a str>,
) -> Result<std::collections::HashMap<String, std::sync::Arc<WorkingCalendar>>, Error> {
    let mut found = std::collections::HashMap::new();
    let mut missing = std::collections::BTreeSet::new();
    for address in addresses {
        match cache.calendars.get(address) {
            Some(held) => {
                found.insert(address.to_owned(), held);
            }
            None => {
                missing.insert(address.to_owned());
            }
        }
    }
    if !missing.is_empty() {
        for (address, body) in shared_bodies(conn, missing).await? {
            let calendar: WorkingCalendar = serde_json::from_value(body).map_err(Error::internal)?;
            let held = cache.calendars.keep(&address, calendar);
            found.insert(address, held);
        }
    }
    Ok(found)
}

/// The commune whose `column` (one no two communes share) holds `value`.
async fn by_unique(
    conn: &impl ConnectionTrait,
    cache: &CatalogCache,
    column: commune::Column,
    value: &str,
) -> Result<Option<Commune>, Error> {
    let row = commune::Entity::find().filter(column.eq(value)).one(conn).await?;
    one(conn, cache, row).await
}

/// One row as a commune, with its calendar.
async fn one(
    conn: &impl ConnectionTrait,
    cache: &CatalogCache,
    row: Option<commune::Model>,
) -> Result<Option<Commune>, Error> {
    let Some(row) = row else { return Ok(None) };
    let calendar = calendars(conn, cache, [row.calendar_hash.as_str()]).await?.remove(&row.calendar_hash);
    from_model(row, calendar).map(Some)
}

/// A commune from its row and its calendar (`None`: no calendar stored at the row's address).
fn from_model(row: commune::Model, calendar: Option<std::sync::Arc<WorkingCalendar>>) -> Result<Commune, Error> {
    let corrupt = |what: &str| Error::internal(format!("commune {} has an invalid {what} in storage", row.id));
    let spec = CommuneSpec {
        slug: Slug::parse(&row.slug).map_err(|_| corrupt("slug"))?,
        name: serde_json::from_value(row.name.clone()).map_err(|_| corrupt("name"))?,
        country: row.country,
        official_code: row.official_code.clone(),
        region: row.region.clone(),
        province: row.province.clone(),
        population: row.population.and_then(|p| u64::try_from(p).ok()),
        default_locale: row.default_locale,
        locales: serde_json::from_value(row.locales.clone()).map_err(|_| corrupt("locales"))?,
        time_zone: Zone::parse(&row.time_zone).map_err(|_| corrupt("time zone"))?,
        currency: row.currency.clone(),
        tracking_prefix: TrackingPrefix::parse(&row.tracking_prefix).map_err(|_| corrupt("tracking prefix"))?,
        calendar: calendar.ok_or_else(|| corrupt("calendar address"))?,
    };
    Ok(Commune {
        id: TenantId::from_uuid(row.id),
        spec,
        status: row.status,
        lineage: match (&row.template_name, row.template_version) {
            (Some(name), Some(version)) => Some(TemplateRef {
                name: name.clone(),
                version: u32::try_from(version).map_err(|_| corrupt("template version"))?,
            }),
            _ => None,
        },
    })
}
