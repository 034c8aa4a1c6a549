//! The template registry (platform-wide).

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::entity::template;
use crate::error::Error;
use crate::model::template::{TemplateBundle, TemplateRef};

/// A template in the registry, without its content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateSummary {
    pub reference: TemplateRef,
    pub content_hash: String,
    pub published_at: DateTime<Utc>,
}

/// Publishes a bundle. Publishing the same bundle again is a no-op; another bundle under a published
/// name@version is a CONFLICT: versions are immutable.
pub(crate) async fn insert(
    conn: &impl ConnectionTrait,
    bundle: &TemplateBundle,
    now: DateTime<Utc>,
) -> Result<bool, Error> {
    let version = i32::try_from(bundle.version).map_err(Error::internal)?;
    if let Some(existing) = template::Entity::find_by_id((bundle.name.clone(), version)).one(conn).await? {
        return if existing.content_hash == bundle.content_hash {
            Ok(false)
        } else {
            Err(Error::Conflict(format!("{} is already published with other content", bundle.reference())))
        };
    }
    let text = serde_json::to_string(bundle).map_err(Error::internal)?;
    template::Entity::insert(template::ActiveModel {
        name: Set(bundle.name.clone()),
        version: Set(version),
        content_hash: Set(bundle.content_hash.clone()),
        bundle: Set(text),
        published_at: Set(now),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(true)
}

pub(crate) async fn get(conn: &impl ConnectionTrait, reference: &TemplateRef) -> Result<Option<TemplateBundle>, Error> {
    let version = i32::try_from(reference.version).map_err(Error::internal)?;
    let row = template::Entity::find_by_id((reference.name.clone(), version)).one(conn).await?;
    row.map(|row| {
        TemplateBundle::from_json(&row.bundle).map_err(|e| Error::internal(format!("stored template {reference}: {e}")))
    })
    .transpose()
}

pub(crate) async fn latest_version(conn: &impl ConnectionTrait, name: &str) -> Result<Option<u32>, Error> {
    let version: Option<Option<i32>> = template::Entity::find()
        .select_only()
        .column_as(template::Column::Version.max(), "max")
        .filter(template::Column::Name.eq(name))
        .into_tuple::<Option<i32>>()
        .one(conn)
        .await?;
    Ok(version.flatten().and_then(|v| u32::try_from(v).ok()))
}

/// The latest published version of every template, by name (one query).
pub(crate) async fn latest_versions(
    conn: &impl ConnectionTrait,
) -> Result<std::collections::HashMap<String, u32>, Error> {
    let rows: Vec<(String, Option<i32>)> = template::Entity::find()
        .select_only()
        .column(template::Column::Name)
        .column_as(template::Column::Version.max(), "max")
        .group_by(template::Column::Name)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(name, version)| Some((name, version.and_then(|v| u32::try_from(v).ok())?)))
        .collect())
}

pub(crate) async fn list(conn: &impl ConnectionTrait) -> Result<Vec<TemplateSummary>, Error> {
    let rows = template::Entity::find()
        .select_only()
        .columns([
            template::Column::Name,
            template::Column::Version,
            template::Column::ContentHash,
            template::Column::PublishedAt,
        ])
        .order_by_asc(template::Column::Name)
        .order_by_asc(template::Column::Version)
        .into_tuple::<(String, i32, String, DateTime<Utc>)>()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(name, version, content_hash, published_at)| {
            Some(TemplateSummary {
                reference: TemplateRef { name, version: u32::try_from(version).ok()? },
                content_hash,
                published_at,
            })
        })
        .collect())
}
