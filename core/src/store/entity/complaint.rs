//! Complaints: the listing facts of a complaint request and its satisfaction rating.

use sea_orm::entity::prelude::*;

use crate::model::keys::ServiceCode;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "complaints")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub request_id: Uuid,
    pub tracking_code: String,
    pub service_code: ServiceCode,
    pub category: Option<String>,
    pub public: bool,
    #[sea_orm(column_type = "Double", nullable)]
    pub latitude: Option<f64>,
    #[sea_orm(column_type = "Double", nullable)]
    pub longitude: Option<f64>,
    #[sea_orm(column_type = "Text", nullable)]
    pub address: Option<String>,
    pub submitted_at: DateTimeUtc,
    pub rating: Option<i16>,
    pub rated_at: Option<DateTimeUtc>,
    pub moderation: crate::model::moderation::Moderation,
    #[sea_orm(column_type = "Text", nullable)]
    pub findings: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub published_description: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
