//! The history of each request: one row per action taken.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "request_transitions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub request_id: Uuid,
    pub from_state: Option<String>,
    pub to_state: String,
    pub action: String,
    pub actor: String,
    pub comment: Option<String>,
    pub occurred_at: DateTimeUtc,
    /// The holder an assignment step gave the request to.
    pub assignee_id: Option<Uuid>,
    /// The due date of the step this row began (the SLA of the state entered), if it has one.
    pub step_due: Option<Date>,
    /// The due date of the step this row ended (the SLA of the state left), if it had one.
    pub ended_step_due: Option<Date>,
    /// The staff form filled in with the action, but its personal fields.
    pub form: Option<Json>,
    /// The staff form's personal fields, sealed (AES-256-GCM) under `form_key_id`.
    #[sea_orm(column_type = "Text", nullable)]
    pub form_sealed: Option<String>,
    pub form_key_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
