//! The commune's action-plan projects.

use sea_orm::entity::prelude::*;

use crate::modules::projects::model::ProjectStatus;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "projects")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub code: String,
    pub title: Json,
    pub description: Json,
    pub category: String,
    pub period_from: i32,
    pub period_to: i32,
    pub status: ProjectStatus,
    pub progress: i32,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    pub place: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub published: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
