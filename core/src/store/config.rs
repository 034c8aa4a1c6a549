//! A commune's configuration beyond services and roles (categories, id formats, settings, texts), stored once
//! in `definitions` for every commune holding the same (m0027): the commune's row keeps its address.

use std::sync::Arc;

use sea_orm::{ActiveValue::Set, EntityTrait};
use serde::{Deserialize, Serialize};

use super::TenantTx;
use super::entity::commune_config;
use super::shared::put_shared;
use crate::error::Error;
use crate::model::template::{Category, IdFormats};

/// What a commune's configuration holds: its stored body is this as JSON.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CommuneConfig {
    pub categories: Vec<Category>,
    pub id_formats: IdFormats,
    pub settings: std::collections::BTreeMap<String, serde_json::Value>,
    pub translations: std::collections::BTreeMap<String, crate::model::i18n::LocalizedText>,
}

impl CommuneConfig {
    /// The configuration a template's content gives a commune.
    pub(crate) fn of(content: &crate::model::template::TemplateContent) -> Self {
        Self {
            categories: content.categories.clone(),
            id_formats: content.id_formats,
            settings: content.settings.clone(),
            translations: content.translations.clone(),
        }
    }
}

/// The commune's configuration, decoded once for every commune that holds the same.
pub(crate) async fn get(tx: &TenantTx) -> Result<Arc<CommuneConfig>, Error> {
    let Some(row) = commune_config::Entity::find_by_id(tx.tenant_uuid()).one(tx.conn()).await? else {
        return Ok(Arc::default());
    };
    tx.cache().configs.load(tx.conn(), &row.content_hash, "configuration").await
}

/// Makes `config` the commune's configuration: stored under its address (unless held there already), the
/// commune's row pointing to it. The address other communes share is never changed.
/// Stores a configuration in `definitions` (unless there already): its address, for [`set_address`].
pub(crate) async fn store(conn: &impl sea_orm::ConnectionTrait, config: &CommuneConfig) -> Result<String, Error> {
    let body = serde_json::to_value(config).map_err(Error::internal)?;
    put_shared(conn, vec![body]).await?.pop().ok_or_else(|| Error::internal("no address"))
}

/// Gives a new commune the configuration stored at `address`.
pub(crate) async fn set_address(tx: &TenantTx, address: &str) -> Result<(), Error> {
    let model = commune_config::ActiveModel { tenant_id: Set(tx.tenant_uuid()), content_hash: Set(address.to_owned()) };
    commune_config::Entity::insert(model).exec_without_returning(tx.conn()).await?;
    Ok(())
}

pub(crate) async fn put(tx: &TenantTx, config: &CommuneConfig) -> Result<String, Error> {
    let body = serde_json::to_value(config).map_err(Error::internal)?;
    let address = put_shared(tx.conn(), vec![body]).await?.pop().ok_or_else(|| Error::internal("no address"))?;
    let model = commune_config::ActiveModel { tenant_id: Set(tx.tenant_uuid()), content_hash: Set(address.clone()) };
    let exists = commune_config::Entity::find_by_id(tx.tenant_uuid()).one(tx.conn()).await?.is_some();
    if exists {
        commune_config::Entity::update(model).exec(tx.conn()).await?;
    } else {
        commune_config::Entity::insert(model).exec_without_returning(tx.conn()).await?;
    }
    Ok(address)
}
