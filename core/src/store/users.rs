//! Platform users, their memberships in communes, and their login sessions (only hashes of secrets).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::entity::{membership, session, user};
use super::is_unique_violation;
use crate::error::Error;
use crate::model::ids::{SessionId, TenantId, UserId};
use crate::model::keys::RoleKey;

/// A user as stored.
#[derive(Clone, Debug)]
pub(crate) struct UserRecord {
    pub id: UserId,
    pub login: String,
    pub display_name: String,
    pub password_hash: String,
    pub disabled: bool,
    pub operator: bool,
}

/// A user's roles in one commune.
#[derive(Clone, Debug)]
pub(crate) struct MembershipRecord {
    pub tenant_id: TenantId,
    pub roles: Vec<RoleKey>,
}

/// A session as stored.
#[derive(Clone, Debug)]
pub(crate) struct SessionRecord {
    pub user_id: UserId,
    pub secret_hash: String,
    pub expires_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
}

fn to_record(row: user::Model) -> UserRecord {
    UserRecord {
        id: UserId::from_uuid(row.id),
        login: row.login,
        display_name: row.display_name,
        password_hash: row.password_hash,
        disabled: row.disabled,
        operator: row.operator,
    }
}

/// Inserts a user; false when the login is taken.
pub(crate) async fn insert(conn: &impl ConnectionTrait, user: &UserRecord, now: DateTime<Utc>) -> Result<bool, Error> {
    let model = user::ActiveModel {
        id: Set(user.id.as_uuid()),
        login: Set(user.login.clone()),
        display_name: Set(user.display_name.clone()),
        password_hash: Set(user.password_hash.clone()),
        disabled: Set(user.disabled),
        operator: Set(user.operator),
        created_at: Set(now),
    };
    match user::Entity::insert(model).exec_without_returning(conn).await {
        Ok(_) => Ok(true),
        Err(error) if is_unique_violation(&error) => Ok(false),
        Err(error) => Err(Error::from(error)),
    }
}

pub(crate) async fn by_login(conn: &impl ConnectionTrait, login: &str) -> Result<Option<UserRecord>, Error> {
    let row = user::Entity::find().filter(user::Column::Login.eq(login)).one(conn).await?;
    Ok(row.map(to_record))
}

pub(crate) async fn by_id(conn: &impl ConnectionTrait, id: UserId) -> Result<Option<UserRecord>, Error> {
    Ok(user::Entity::find_by_id(id.as_uuid()).one(conn).await?.map(to_record))
}

/// Changes a user's password hash and disabled flag.
pub(crate) async fn update(
    conn: &impl ConnectionTrait,
    id: UserId,
    password_hash: Option<&str>,
    disabled: Option<bool>,
) -> Result<(), Error> {
    let mut update = user::Entity::update_many().filter(user::Column::Id.eq(id.as_uuid()));
    if let Some(hash) = password_hash {
        update = update.col_expr(user::Column::PasswordHash, Expr::value(hash.to_owned()));
    }
    if let Some(disabled) = disabled {
        update = update.col_expr(user::Column::Disabled, Expr::value(disabled));
    }
    update.exec(conn).await?;
    Ok(())
}

/// The user's memberships, by commune.
pub(crate) async fn memberships(conn: &impl ConnectionTrait, user: UserId) -> Result<Vec<MembershipRecord>, Error> {
    let rows = membership::Entity::find()
        .filter(membership::Column::UserId.eq(user.as_uuid()))
        .order_by_asc(membership::Column::CreatedAt)
        .all(conn)
        .await?;
    rows.into_iter()
        .map(|row| {
            Ok(MembershipRecord {
                tenant_id: TenantId::from_uuid(row.tenant_id),
                roles: serde_json::from_value(row.roles)
                    .map_err(|_| Error::internal(format!("membership of user {} is corrupt", row.user_id)))?,
            })
        })
        .collect()
}

/// Sets the user's roles in a commune (a new membership, or new roles for an existing one).
pub(crate) async fn set_membership(
    conn: &impl ConnectionTrait,
    user: UserId,
    tenant: TenantId,
    roles: &[RoleKey],
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let roles = serde_json::json!(roles);
    let existing = membership::Entity::find_by_id((user.as_uuid(), tenant.as_uuid())).one(conn).await?;
    if existing.is_some() {
        membership::Entity::update_many()
            .col_expr(membership::Column::Roles, Expr::value(roles))
            .filter(membership::Column::UserId.eq(user.as_uuid()))
            .filter(membership::Column::TenantId.eq(tenant.as_uuid()))
            .exec(conn)
            .await?;
    } else {
        let model = membership::ActiveModel {
            user_id: Set(user.as_uuid()),
            tenant_id: Set(tenant.as_uuid()),
            roles: Set(roles),
            created_at: Set(now),
        };
        membership::Entity::insert(model).exec_without_returning(conn).await?;
    }
    Ok(())
}

/// Ends a membership; false when there was none.
pub(crate) async fn remove_membership(
    conn: &impl ConnectionTrait,
    user: UserId,
    tenant: TenantId,
) -> Result<bool, Error> {
    let result = membership::Entity::delete_many()
        .filter(membership::Column::UserId.eq(user.as_uuid()))
        .filter(membership::Column::TenantId.eq(tenant.as_uuid()))
        .exec(conn)
        .await?;
    Ok(result.rows_affected > 0)
}

pub(crate) async fn insert_session(
    conn: &impl ConnectionTrait,
    id: SessionId,
    user: UserId,
    secret_hash: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), Error> {
    let model = session::ActiveModel {
        id: Set(id.as_uuid()),
        user_id: Set(user.as_uuid()),
        secret_hash: Set(secret_hash.to_owned()),
        created_at: Set(now),
        expires_at: Set(expires_at),
        ended_at: Set(None),
    };
    session::Entity::insert(model).exec_without_returning(conn).await?;
    Ok(())
}

pub(crate) async fn session(conn: &impl ConnectionTrait, id: SessionId) -> Result<Option<SessionRecord>, Error> {
    let row = session::Entity::find_by_id(id.as_uuid()).one(conn).await?;
    Ok(row.map(|row| SessionRecord {
        user_id: UserId::from_uuid(row.user_id),
        secret_hash: row.secret_hash,
        expires_at: row.expires_at,
        ended_at: row.ended_at,
    }))
}

/// Ends a session, or every open session of a user; how many were ended.
pub(crate) async fn end_sessions(
    conn: &impl ConnectionTrait,
    session: Option<SessionId>,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<u64, Error> {
    let mut update = session::Entity::update_many()
        .col_expr(session::Column::EndedAt, Expr::value(now))
        .filter(session::Column::UserId.eq(user.as_uuid()))
        .filter(session::Column::EndedAt.is_null());
    if let Some(id) = session {
        update = update.filter(session::Column::Id.eq(id.as_uuid()));
    }
    Ok(update.exec(conn).await?.rows_affected)
}

/// The users with these ids (unknown ids are left out).
pub(crate) async fn by_ids(conn: &impl ConnectionTrait, ids: &[UserId]) -> Result<Vec<UserRecord>, Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = user::Entity::find()
        .filter(user::Column::Id.is_in(ids.iter().map(|id| id.as_uuid())))
        .order_by_asc(user::Column::Login)
        .all(conn)
        .await?;
    Ok(rows.into_iter().map(to_record).collect())
}

/// The user's roles in one commune, if it has a membership there.
pub(crate) async fn membership_in(
    conn: &impl ConnectionTrait,
    user: UserId,
    tenant: TenantId,
) -> Result<Option<Vec<RoleKey>>, Error> {
    let row = membership::Entity::find_by_id((user.as_uuid(), tenant.as_uuid())).one(conn).await?;
    row.map(|row| {
        serde_json::from_value(row.roles)
            .map_err(|_| Error::internal(format!("membership of user {} is corrupt", row.user_id)))
    })
    .transpose()
}

/// The members of a commune and their roles there, by login.
pub(crate) async fn members_of(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
) -> Result<Vec<(UserRecord, Vec<RoleKey>)>, Error> {
    let rows = membership::Entity::find().filter(membership::Column::TenantId.eq(tenant.as_uuid())).all(conn).await?;
    let ids: Vec<UserId> = rows.iter().map(|row| UserId::from_uuid(row.user_id)).collect();
    let users = by_ids(conn, &ids).await?;
    let mut members = Vec::with_capacity(users.len());
    for user in users {
        let Some(row) = rows.iter().find(|row| row.user_id == user.id.as_uuid()) else { continue };
        let roles = serde_json::from_value(row.roles.clone())
            .map_err(|_| Error::internal(format!("membership of user {} is corrupt", row.user_id)))?;
        members.push((user, roles));
    }
    Ok(members)
}

/// How many communes the user has a membership in.
pub(crate) async fn membership_count(conn: &impl ConnectionTrait, user: UserId) -> Result<u64, Error> {
    use sea_orm::PaginatorTrait;
    membership::Entity::find()
        .filter(membership::Column::UserId.eq(user.as_uuid()))
        .count(conn)
        .await
        .map_err(Into::into)
}
