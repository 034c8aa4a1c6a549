//! The API tokens table (platform-wide): only hashes of secrets.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::entity::api_token;
use crate::auth::tokens::TokenKind;
use crate::error::Error;
use crate::model::ids::{TenantId, TokenId};
use crate::model::keys::RoleKey;

/// A token as stored.
#[derive(Clone, Debug)]
pub(crate) struct TokenRecord {
    pub id: TokenId,
    pub kind: TokenKind,
    pub tenant_id: Option<TenantId>,
    pub roles: Vec<RoleKey>,
    pub scopes: Vec<TenantId>,
    pub secret_hash: String,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug)]
pub(crate) struct NewToken<'a> {
    pub id: TokenId,
    pub kind: TokenKind,
    pub tenant_id: Option<TenantId>,
    pub roles: &'a [RoleKey],
    pub scopes: &'a [TenantId],
    pub label: &'a str,
    pub secret_hash: &'a str,
    pub expires_at: Option<DateTime<Utc>>,
    pub issued_by: &'a str,
}

pub(crate) async fn insert(conn: &impl ConnectionTrait, token: NewToken<'_>, now: DateTime<Utc>) -> Result<(), Error> {
    let model = api_token::ActiveModel {
        id: Set(token.id.as_uuid()),
        kind: Set(token.kind),
        tenant_id: Set(token.tenant_id.map(|t| t.as_uuid())),
        roles: Set(serde_json::json!(token.roles)),
        scopes: Set(serde_json::json!(token.scopes)),
        label: Set(token.label.to_owned()),
        secret_hash: Set(token.secret_hash.to_owned()),
        created_at: Set(now),
        expires_at: Set(token.expires_at),
        revoked_at: Set(None),
        last_used_at: Set(None),
        issued_by: Set(token.issued_by.to_owned()),
    };
    api_token::Entity::insert(model).exec_without_returning(conn).await?;
    Ok(())
}

pub(crate) async fn by_id(conn: &impl ConnectionTrait, id: TokenId) -> Result<Option<TokenRecord>, Error> {
    let Some(row) = api_token::Entity::find_by_id(id.as_uuid()).one(conn).await? else {
        return Ok(None);
    };
    let corrupt = || Error::internal(format!("token {} is corrupt in storage", row.id));
    Ok(Some(TokenRecord {
        id,
        kind: row.kind,
        tenant_id: row.tenant_id.map(TenantId::from_uuid),
        roles: serde_json::from_value(row.roles.clone()).map_err(|_| corrupt())?,
        scopes: serde_json::from_value(row.scopes.clone()).map_err(|_| corrupt())?,
        secret_hash: row.secret_hash.clone(),
        expires_at: row.expires_at,
        revoked_at: row.revoked_at,
    }))
}

pub(crate) async fn touch(conn: &impl ConnectionTrait, id: TokenId, now: DateTime<Utc>) -> Result<(), Error> {
    api_token::Entity::update_many()
        .col_expr(api_token::Column::LastUsedAt, Expr::value(now))
        .filter(api_token::Column::Id.eq(id.as_uuid()))
        .exec(conn)
        .await?;
    Ok(())
}

/// Revokes a token; false when there is no such token or it was already revoked.
pub(crate) async fn revoke(conn: &impl ConnectionTrait, id: TokenId, now: DateTime<Utc>) -> Result<bool, Error> {
    let result = api_token::Entity::update_many()
        .col_expr(api_token::Column::RevokedAt, Expr::value(now))
        .filter(api_token::Column::Id.eq(id.as_uuid()))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(result.rows_affected > 0)
}

/// What is shown of a token in a listing: never its secret nor its hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenSummary {
    pub id: TokenId,
    pub kind: TokenKind,
    pub label: String,
    pub roles: Vec<RoleKey>,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// The tokens of a commune: its staff tokens and the partner tokens scoped to it, oldest first.
pub(crate) async fn of_commune(conn: &impl ConnectionTrait, tenant: TenantId) -> Result<Vec<TokenSummary>, Error> {
    use sea_orm::{Condition, QueryOrder};
    let rows = api_token::Entity::find()
        .filter(
            Condition::any()
                .add(api_token::Column::TenantId.eq(tenant.as_uuid()))
                .add(api_token::Column::Kind.eq(TokenKind::Partner)),
        )
        .order_by_asc(api_token::Column::Id)
        .all(conn)
        .await?;
    let mut found = Vec::new();
    for row in rows {
        let corrupt = || Error::internal(format!("token {} is corrupt in storage", row.id));
        let scopes: Vec<TenantId> = serde_json::from_value(row.scopes.clone()).map_err(|_| corrupt())?;
        if row.tenant_id != Some(tenant.as_uuid()) && !scopes.contains(&tenant) {
            continue;
        }
        found.push(TokenSummary {
            id: TokenId::from_uuid(row.id),
            kind: row.kind,
            label: row.label.clone(),
            roles: serde_json::from_value(row.roles.clone()).map_err(|_| corrupt())?,
            created_at: row.created_at,
            expires_at: row.expires_at,
            last_used_at: row.last_used_at,
            revoked_at: row.revoked_at,
        });
    }
    Ok(found)
}
