//! A commune's configuration beyond services and roles (categories, id formats, settings, texts).

use sea_orm::{ActiveValue::Set, EntityTrait};

use super::TenantTx;
use super::entity::commune_config;
use crate::error::Error;
use crate::model::template::{Category, IdFormats};

/// What `commune_configs` holds for a commune.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct CommuneConfig {
    pub categories: Vec<Category>,
    pub id_formats: IdFormats,
    pub settings: std::collections::BTreeMap<String, serde_json::Value>,
    pub translations: std::collections::BTreeMap<String, crate::model::i18n::LocalizedText>,
}

pub(crate) async fn get(tx: &TenantTx) -> Result<CommuneConfig, Error> {
    let Some(row) = commune_config::Entity::find_by_id(tx.tenant_uuid()).one(tx.conn()).await? else {
        return Ok(CommuneConfig::default());
    };
    Ok(CommuneConfig {
        categories: serde_json::from_value(row.categories).map_err(Error::internal)?,
        id_formats: serde_json::from_value(row.id_formats).map_err(Error::internal)?,
        settings: serde_json::from_value(row.settings).map_err(Error::internal)?,
        translations: serde_json::from_value(row.translations).map_err(Error::internal)?,
    })
}

pub(crate) async fn put(tx: &TenantTx, config: &CommuneConfig) -> Result<(), Error> {
    let model = commune_config::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        categories: Set(serde_json::to_value(&config.categories).map_err(Error::internal)?),
        id_formats: Set(serde_json::to_value(config.id_formats).map_err(Error::internal)?),
        settings: Set(serde_json::to_value(&config.settings).map_err(Error::internal)?),
        translations: Set(serde_json::to_value(&config.translations).map_err(Error::internal)?),
    };
    let exists = commune_config::Entity::find_by_id(tx.tenant_uuid()).one(tx.conn()).await?.is_some();
    if exists {
        commune_config::Entity::update(model).exec(tx.conn()).await?;
    } else {
        commune_config::Entity::insert(model).exec_without_returning(tx.conn()).await?;
    }
    Ok(())
}
