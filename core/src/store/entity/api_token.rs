//! API tokens: only the hash of the secret is stored.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "api_tokens")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: crate::auth::tokens::TokenKind,
    /// The commune of a staff token; none for operators and partners.
    pub tenant_id: Option<Uuid>,
    /// Roles of a staff token.
    pub roles: Json,
    /// Communes a partner token may act on.
    pub scopes: Json,
    pub label: String,
    pub secret_hash: String,
    pub created_at: DateTimeUtc,
    pub expires_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
    pub last_used_at: Option<DateTimeUtc>,
    /// Who issued it, as the audit trail names callers.
    pub issued_by: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
