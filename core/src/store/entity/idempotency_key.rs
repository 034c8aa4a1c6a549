//! The answers of creating calls, under their callers' idempotency keys.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "idempotency_keys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub caller: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    pub operation: String,
    pub request_hash: String,
    /// The answer, sealed under the commune's data key `data_key_id`; none until the call's transaction
    /// records it (which it does before it commits).
    pub answer: Option<String>,
    pub data_key_id: Option<Uuid>,
    /// Set by the transaction of the call's use case when the key was claimed apart from it: its work is
    /// committed, answer recorded or not.
    #[serde(default)]
    pub work_done: bool,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
