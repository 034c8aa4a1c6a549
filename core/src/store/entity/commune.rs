//! The platform's list of communes (tenants).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "communes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub slug: String,
    pub name: Json,
    pub country: crate::model::commune::Country,
    pub official_code: Option<String>,
    pub region: Option<String>,
    pub province: Option<String>,
    pub population: Option<i64>,
    pub default_locale: crate::model::i18n::Locale,
    pub locales: Json,
    pub time_zone: String,
    pub currency: crate::model::commune::Currency,
    #[sea_orm(unique)]
    pub tracking_prefix: String,
    /// The address of its working calendar in `definitions` (see m0027).
    pub calendar_hash: String,
    pub status: crate::model::commune::CommuneStatus,
    /// Lineage: the template (and version) the commune's configuration came from.
    pub template_name: Option<String>,
    pub template_version: Option<i32>,
    pub created_at: DateTimeUtc,
    /// Raised with every change of the commune's current services (see m0013).
    pub catalog_generation: i64,
    /// The origins of the commune's own website (`https://host[:port]`), allowed by CORS (see m0015).
    pub site_origins: Json,
    /// A training commune's source (its slug), its reset schedule (`nightly`, `manual`) and its last reset
    /// (see m0029).
    pub training_source: Option<String>,
    pub training_reset: Option<crate::model::commune::TrainingReset>,
    pub training_reset_at: Option<DateTimeUtc>,
    /// The address in `definitions` of the role set it was onboarded with, empty for none (see m0043).
    #[serde(default)]
    pub roles_hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
