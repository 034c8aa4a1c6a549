//! The answers of operators' creating calls that name no commune, under their callers' idempotency keys.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "platform_idempotency_keys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub caller: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    pub operation: String,
    pub request_hash: String,
    /// The answer, sealed under the master key `master_key_id`; none until recorded.
    pub answer: Option<String>,
    pub master_key_id: Option<String>,
    /// Set by the transaction of the call's use case: its work is committed, answer recorded or not.
    pub work_done: bool,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
