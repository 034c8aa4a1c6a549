//! Citizens' requests.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "requests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub service_id: Uuid,
    pub workflow_id: Uuid,
    pub tracking_code: String,
    pub state: String,
    pub outcome: Option<crate::model::workflow::Outcome>,
    pub version: i64,
    /// The form data but its personal fields.
    pub data: Json,
    /// The personal fields, sealed (AES-256-GCM) under `data_key_id`.
    #[sea_orm(column_type = "Text", nullable)]
    pub personal: Option<String>,
    pub data_key_id: Option<Uuid>,
    pub documents: Json,
    pub secret_hash: String,
    pub submitted_at: DateTimeUtc,
    pub decision_due: Date,
    pub updated_at: DateTimeUtc,
    pub closed_at: Option<DateTimeUtc>,
    /// The user holding the request, if it is assigned.
    pub assignee_id: Option<Uuid>,
    /// When the answer period ended without an answer (complaints).
    pub lapsed_at: Option<DateTimeUtc>,
    /// When the step the request is in is due (its state's SLA), if that state has one.
    pub step_due: Option<Date>,
    /// The non-personal fields of the latest staff form of each action (`{"site_visit": {...}}`), which guards
    /// read.
    pub staff_data: Option<Json>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
