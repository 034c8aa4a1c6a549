//! Timers: a workflow's, set when a request enters a state and cancelled when it leaves (scope `state`), and
//! the deadlines of a whole request, cancelled only when it is answered (scope `request`: a complaint's answer
//! period); claimed by the scheduler.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect};

pub(crate) use super::entity::timer::Scope;
use super::entity::timer::Status;
use super::entity::{request, timer};
use super::{Store, TenantTx};
use crate::error::Error;
use crate::model::ids::{JobId, RequestId, TenantId};

/// A timer that is due.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct DueTimer {
    pub id: JobId,
    pub request_id: RequestId,
    pub request_version: i64,
    pub action: String,
    pub due_at: DateTime<Utc>,
    pub scope: Scope,
}

pub(crate) async fn insert(
    tx: &TenantTx,
    request_id: RequestId,
    request_version: i64,
    action: &str,
    due_at: DateTime<Utc>,
    scope: Scope,
) -> Result<(), Error> {
    timer::Entity::insert(timer::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        id: Set(JobId::new().as_uuid()),
        request_id: Set(request_id.as_uuid()),
        request_version: Set(request_version),
        action: Set(action.to_owned()),
        due_at: Set(due_at),
        status: Set(Status::Pending),
        fired_at: Set(None),
        scope: Set(scope),
    })
    .exec_without_returning(tx.conn())
    .await?;
    Ok(())
}

/// Cancels the pending timers of `scope` of a request: those of its state when it moved on, those of the
/// whole request when it was answered.
pub(crate) async fn cancel_pending(tx: &TenantTx, request_id: RequestId, scope: Scope) -> Result<(), Error> {
    timer::Entity::update_many()
        .col_expr(timer::Column::Status, Expr::value(Status::Cancelled))
        .filter(timer::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(timer::Column::RequestId.eq(request_id.as_uuid()))
        .filter(timer::Column::Status.eq(Status::Pending))
        .filter(timer::Column::Scope.eq(scope))
        .exec(tx.conn())
        .await?;
    Ok(())
}

/// The pending timers of `scope` of a request: their action and due time.
pub(crate) async fn pending_of(
    tx: &TenantTx,
    request_id: RequestId,
    scope: Scope,
) -> Result<Vec<(String, DateTime<Utc>)>, Error> {
    Ok(timer::Entity::find()
        .select_only()
        .column(timer::Column::Action)
        .column(timer::Column::DueAt)
        .filter(timer::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(timer::Column::RequestId.eq(request_id.as_uuid()))
        .filter(timer::Column::Status.eq(Status::Pending))
        .filter(timer::Column::Scope.eq(scope))
        .into_tuple::<(String, DateTime<Utc>)>()
        .all(tx.conn())
        .await?)
}

/// The communes that have timers due at `now`. On PostgreSQL this goes through a function that reveals
/// the commune ids and nothing else, since no tenant is set yet.
pub(crate) async fn tenants_with_due_timers(store: &Store, now: DateTime<Utc>) -> Result<Vec<TenantId>, Error> {
    let due =
        timer::Entity::find().filter(timer::Column::Status.eq(Status::Pending)).filter(timer::Column::DueAt.lte(now));
    store.tenants_with_due("jamaa_tenants_with_due_timers", now, due, timer::Column::TenantId).await
}

/// Claims up to `limit` due timers of the commune, each with its request, both locked until the transaction
/// ends. On PostgreSQL, a timer is skipped when another transaction holds it or its request
/// (`FOR UPDATE SKIP LOCKED` over the join): a change of a request locks the request's row before its timers
/// (it cancels them), so the scheduler, which must not wait for a request while it holds timers, takes both at
/// once or neither, and takes the skipped timer at a later run.
pub(crate) async fn claim_due(tx: &TenantTx, now: DateTime<Utc>, limit: u64) -> Result<Vec<DueTimer>, Error> {
    let of_request = timer::Entity::belongs_to(request::Entity)
        .from((timer::Column::TenantId, timer::Column::RequestId))
        .to((request::Column::TenantId, request::Column::Id));
    let query = timer::Entity::find()
        .join(JoinType::InnerJoin, of_request.into())
        .filter(timer::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(timer::Column::Status.eq(Status::Pending))
        .filter(timer::Column::DueAt.lte(now))
        .order_by_asc(timer::Column::DueAt)
        .limit(limit);
    let rows = tx.claim(query).all(tx.conn()).await?;
    Ok(rows
        .into_iter()
        .map(|row| DueTimer {
            id: JobId::from_uuid(row.id),
            request_id: RequestId::from_uuid(row.request_id),
            request_version: row.request_version,
            action: row.action,
            due_at: row.due_at,
            scope: row.scope,
        })
        .collect())
}

/// Marks a claimed timer as fired (or as cancelled, when the request had moved on).
pub(crate) async fn finish(tx: &TenantTx, id: JobId, fired: bool, now: DateTime<Utc>) -> Result<(), Error> {
    timer::Entity::update_many()
        .col_expr(timer::Column::Status, Expr::value(if fired { Status::Fired } else { Status::Cancelled }))
        .col_expr(timer::Column::FiredAt, Expr::value(fired.then_some(now)))
        .filter(timer::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(timer::Column::Id.eq(id.as_uuid()))
        .exec(tx.conn())
        .await?;
    Ok(())
}

/// Carries the pending timers of a request whose decision date moved over to its new version: those of its
/// state that ended with the old decision date (`old_due_at`) end with the new one (`new_due_at`), the others
/// keep their time; those of the whole request (counted back from the decision date) move by as much.
pub(crate) async fn follow_decision_date(
    tx: &TenantTx,
    request_id: RequestId,
    versions: (i64, i64),
    old_due_at: DateTime<Utc>,
    new_due_at: DateTime<Utc>,
) -> Result<(), Error> {
    let pending = || {
        timer::Entity::update_many()
            .filter(timer::Column::TenantId.eq(tx.tenant_uuid()))
            .filter(timer::Column::RequestId.eq(request_id.as_uuid()))
            .filter(timer::Column::RequestVersion.eq(versions.0))
            .filter(timer::Column::Status.eq(Status::Pending))
            .filter(timer::Column::Scope.eq(Scope::State))
    };
    pending()
        .col_expr(timer::Column::DueAt, Expr::value(new_due_at))
        .filter(timer::Column::DueAt.eq(old_due_at))
        .exec(tx.conn())
        .await?;
    pending().col_expr(timer::Column::RequestVersion, Expr::value(versions.1)).exec(tx.conn()).await?;
    // The reminder and escalation of the step the request is in keep their time (the step's due date does not
    // follow the decision date) and follow the request's version.
    timer::Entity::update_many()
        .col_expr(timer::Column::RequestVersion, Expr::value(versions.1))
        .filter(timer::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(timer::Column::RequestId.eq(request_id.as_uuid()))
        .filter(timer::Column::RequestVersion.eq(versions.0))
        .filter(timer::Column::Status.eq(Status::Pending))
        .filter(timer::Column::Scope.eq(Scope::Step))
        .exec(tx.conn())
        .await?;
    let of_request = timer::Entity::find()
        .filter(timer::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(timer::Column::RequestId.eq(request_id.as_uuid()))
        .filter(timer::Column::Status.eq(Status::Pending))
        .filter(timer::Column::Scope.eq(Scope::Request))
        .all(tx.conn())
        .await?;
    let shift = new_due_at - old_due_at;
    for row in of_request {
        timer::Entity::update_many()
            .col_expr(timer::Column::DueAt, Expr::value(row.due_at + shift))
            .filter(timer::Column::TenantId.eq(tx.tenant_uuid()))
            .filter(timer::Column::Id.eq(row.id))
            .exec(tx.conn())
            .await?;
    }
    Ok(())
}
