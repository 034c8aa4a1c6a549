//! Workflow timers waiting to fire (tacit approval, escalation).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "timers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub request_id: Uuid,
    /// The request version the timer was set at; a request that moved on makes the timer stale.
    pub request_version: i64,
    pub action: String,
    pub due_at: DateTimeUtc,
    pub status: Status,
    pub fired_at: Option<DateTimeUtc>,
    /// `state`: cancelled when the request leaves the state it was set in; `request`: a deadline of the whole
    /// request (a complaint's answer period), kept until the request is answered; `step`: the reminder and
    /// escalation of the step the request is in, cancelled when it leaves the state.
    pub scope: Scope,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// What a timer belongs to, stored by its name (`state`, `request`).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    sea_orm::DeriveActiveEnum,
    sea_orm::EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")]
pub(crate) enum Scope {
    /// The state the request was in when it was set: it takes a workflow action, and any action cancels it.
    State,
    /// The whole request: it records a step of the request's deadline, and only an answer cancels it.
    Request,
    /// The step the request is in (a state with an SLA): it records the step's reminder or escalation, and
    /// any action cancels it.
    Step,
}

/// Where a timer stands, stored by its name (`pending`, `fired`, `cancelled`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, DeriveActiveEnum, EnumIter)]
#[serde(rename_all = "snake_case")]
#[sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")]
pub(crate) enum Status {
    /// Waiting for its time, then for the scheduler.
    Pending,
    /// Fired by the scheduler.
    Fired,
    /// Dropped: the request moved on, or was answered.
    Cancelled,
}
