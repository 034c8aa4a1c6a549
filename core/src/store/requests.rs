//! Requests, their history, and the per-commune counters that number them.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::entity::{counter, request, request_lookup, transition};
use super::{TenantTx, db_error};
use crate::error::Error;
use crate::model::ids::{RequestId, ServiceId, WorkflowId};
use crate::model::request::{SubmittedDocument, TrackingCode};
use crate::model::workflow::Outcome;

/// A request as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestRecord {
    pub id: RequestId,
    pub service_id: ServiceId,
    pub workflow_id: WorkflowId,
    pub tracking_code: TrackingCode,
    pub state: String,
    pub outcome: Option<Outcome>,
    pub version: i64,
    pub data: serde_json::Value,
    pub documents: Vec<SubmittedDocument>,
    pub submitted_at: DateTime<Utc>,
    pub decision_due: NaiveDate,
    pub updated_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub(crate) secret_hash: String,
    /// The personal fields, sealed, and the data key they are sealed under.
    pub(crate) personal: Option<String>,
    pub(crate) data_key_id: Option<uuid::Uuid>,
}

/// One step of a request's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransitionRecord {
    pub from_state: Option<String>,
    pub to_state: String,
    pub action: String,
    pub actor: String,
    pub comment: Option<String>,
    pub occurred_at: DateTime<Utc>,
}

/// Takes the next number of a per-commune sequence (`tracking:2026`), starting at 1.
pub(crate) async fn next_in_sequence(tx: &TenantTx, name: &str) -> Result<i64, Error> {
    let mut insert = Query::insert();
    insert
        .into_table(counter::Entity)
        .columns([counter::Column::TenantId, counter::Column::Name, counter::Column::Value])
        .values([tx.tenant_uuid().into(), name.into(), 1i64.into()])
        .map_err(Error::internal)?
        .on_conflict(
            OnConflict::columns([counter::Column::TenantId, counter::Column::Name])
                .value(counter::Column::Value, Expr::col((counter::Entity, counter::Column::Value)).add(1))
                .to_owned(),
        )
        .returning_col(counter::Column::Value);
    let row = tx
        .conn()
        .query_one(&insert)
        .await
        .map_err(db_error)?
        .ok_or_else(|| Error::internal("the counter upsert returned no row"))?;
    row.try_get::<i64>("", "value").map_err(db_error)
}

pub(crate) async fn insert(tx: &TenantTx, record: &RequestRecord) -> Result<(), Error> {
    request::Entity::insert(request::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        id: Set(record.id.as_uuid()),
        service_id: Set(record.service_id.as_uuid()),
        workflow_id: Set(record.workflow_id.as_uuid()),
        tracking_code: Set(record.tracking_code.to_string()),
        state: Set(record.state.clone()),
        outcome: Set(record.outcome.map(|o| o.as_str().to_owned())),
        version: Set(record.version),
        data: Set(record.data.clone()),
        personal: Set(record.personal.clone()),
        data_key_id: Set(record.data_key_id),
        documents: Set(serde_json::to_value(&record.documents).map_err(Error::internal)?),
        secret_hash: Set(record.secret_hash.clone()),
        submitted_at: Set(record.submitted_at),
        decision_due: Set(record.decision_due),
        updated_at: Set(record.updated_at),
        closed_at: Set(record.closed_at),
    })
    .exec_without_returning(tx.conn())
    .await
    .map_err(db_error)?;
    Ok(())
}

pub(crate) async fn by_id(tx: &TenantTx, id: RequestId) -> Result<Option<RequestRecord>, Error> {
    let row = request::Entity::find_by_id((tx.tenant_uuid(), id.as_uuid())).one(tx.conn()).await.map_err(db_error)?;
    row.map(from_model).transpose()
}

pub(crate) async fn by_tracking_code(tx: &TenantTx, code: &TrackingCode) -> Result<Option<RequestRecord>, Error> {
    let row = request::Entity::find()
        .filter(request::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(request::Column::TrackingCode.eq(code.to_string()))
        .one(tx.conn())
        .await
        .map_err(db_error)?;
    row.map(from_model).transpose()
}

/// Moves a request to a new state (and decision date) if it is still at `expected_version`; false when another
/// action won.
pub(crate) async fn advance(
    tx: &TenantTx,
    id: RequestId,
    expected_version: i64,
    state: &str,
    outcome: Option<Outcome>,
    decision_due: NaiveDate,
    now: DateTime<Utc>,
) -> Result<bool, Error> {
    let mut update = request::Entity::update_many()
        .col_expr(request::Column::State, Expr::value(state))
        .col_expr(request::Column::DecisionDue, Expr::value(decision_due))
        .col_expr(request::Column::Outcome, Expr::value(outcome.map(|o| o.as_str().to_owned())))
        .col_expr(request::Column::Version, Expr::col(request::Column::Version).add(1))
        .col_expr(request::Column::UpdatedAt, Expr::value(now));
    if outcome.is_some() {
        update = update.col_expr(request::Column::ClosedAt, Expr::value(Some(now)));
    }
    let result = update
        .filter(request::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(request::Column::Id.eq(id.as_uuid()))
        .filter(request::Column::Version.eq(expected_version))
        .exec(tx.conn())
        .await
        .map_err(db_error)?;
    Ok(result.rows_affected == 1)
}

/// Records a step of a request of `service` (the version the request runs on), in `commune`.
pub(crate) async fn insert_transition(
    tx: &TenantTx,
    commune: &crate::model::commune::Commune,
    service: &super::catalog::PublishedService,
    request_id: RequestId,
    record: &TransitionRecord,
) -> Result<(), Error> {
    transition::Entity::insert(transition::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        id: Set(uuid::Uuid::now_v7()),
        request_id: Set(request_id.as_uuid()),
        from_state: Set(record.from_state.clone()),
        to_state: Set(record.to_state.clone()),
        action: Set(record.action.clone()),
        actor: Set(record.actor.clone()),
        comment: Set(record.comment.clone()),
        occurred_at: Set(record.occurred_at),
    })
    .exec_without_returning(tx.conn())
    .await
    .map_err(db_error)?;
    // Every recorded step of a request is also an event of the outbox, in the same transaction.
    super::notifications::record_transition(tx, commune, service, request_id, record).await
}

pub(crate) async fn history(tx: &TenantTx, request_id: RequestId) -> Result<Vec<TransitionRecord>, Error> {
    let rows = transition::Entity::find()
        .filter(transition::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(transition::Column::RequestId.eq(request_id.as_uuid()))
        .order_by_asc(transition::Column::Id)
        .all(tx.conn())
        .await
        .map_err(db_error)?;
    Ok(rows
        .into_iter()
        .map(|row| TransitionRecord {
            from_state: row.from_state,
            to_state: row.to_state,
            action: row.action,
            actor: row.actor,
            comment: row.comment,
            occurred_at: row.occurred_at,
        })
        .collect())
}

/// Records the blind indexes of a request's personal fields.
pub(crate) async fn insert_lookups(
    tx: &TenantTx,
    request_id: RequestId,
    digests: &[(String, String)],
) -> Result<(), Error> {
    for (field, digest) in digests {
        request_lookup::Entity::insert(request_lookup::ActiveModel {
            tenant_id: Set(tx.tenant_uuid()),
            id: Set(uuid::Uuid::now_v7()),
            request_id: Set(request_id.as_uuid()),
            field: Set(field.clone()),
            digest: Set(digest.clone()),
        })
        .exec_without_returning(tx.conn())
        .await
        .map_err(db_error)?;
    }
    Ok(())
}

/// The requests whose `field` has the blind index `digest`, oldest first.
pub(crate) async fn by_lookup(
    tx: &TenantTx,
    field: &str,
    digest: &str,
    limit: u64,
) -> Result<Vec<RequestRecord>, Error> {
    let ids: Vec<uuid::Uuid> = request_lookup::Entity::find()
        .select_only()
        .column(request_lookup::Column::RequestId)
        .filter(request_lookup::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(request_lookup::Column::Field.eq(field))
        .filter(request_lookup::Column::Digest.eq(digest))
        .limit(limit)
        .into_tuple::<uuid::Uuid>()
        .all(tx.conn())
        .await
        .map_err(db_error)?;
    let rows = request::Entity::find()
        .filter(request::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(request::Column::Id.is_in(ids))
        .order_by_asc(request::Column::Id)
        .all(tx.conn())
        .await
        .map_err(db_error)?;
    rows.into_iter().map(from_model).collect()
}

/// A page of the inbox: requests in submission order (ids are time-ordered), optionally in one state.
pub(crate) async fn page(
    tx: &TenantTx,
    state: Option<&str>,
    after: Option<RequestId>,
    limit: u64,
) -> Result<Vec<RequestRecord>, Error> {
    let mut query = request::Entity::find()
        .filter(request::Column::TenantId.eq(tx.tenant_uuid()))
        .order_by_asc(request::Column::Id)
        .limit(limit);
    if let Some(state) = state {
        query = query.filter(request::Column::State.eq(state));
    }
    if let Some(after) = after {
        query = query.filter(request::Column::Id.gt(after.as_uuid()));
    }
    query.all(tx.conn()).await.map_err(db_error)?.into_iter().map(from_model).collect()
}

pub(super) fn from_model(row: request::Model) -> Result<RequestRecord, Error> {
    let corrupt = |what: &str| Error::internal(format!("request {} has an invalid {what} in storage", row.id));
    Ok(RequestRecord {
        id: RequestId::from_uuid(row.id),
        service_id: ServiceId::from_uuid(row.service_id),
        workflow_id: WorkflowId::from_uuid(row.workflow_id),
        tracking_code: TrackingCode::parse(&row.tracking_code).map_err(|_| corrupt("tracking code"))?,
        state: row.state.clone(),
        outcome: row
            .outcome
            .as_deref()
            .map(|o| serde_json::from_value(serde_json::Value::String(o.to_owned())))
            .transpose()
            .map_err(|_| corrupt("outcome"))?,
        version: row.version,
        data: row.data.clone(),
        documents: serde_json::from_value(row.documents.clone()).map_err(|_| corrupt("documents"))?,
        submitted_at: row.submitted_at,
        decision_due: row.decision_due,
        updated_at: row.updated_at,
        closed_at: row.closed_at,
        secret_hash: row.secret_hash,
        personal: row.personal,
        data_key_id: row.data_key_id,
    })
}

/// The open requests (no outcome yet) whose decision date is on or after `from`, oldest first.
pub(crate) async fn open_due_from(tx: &TenantTx, from: NaiveDate) -> Result<Vec<RequestRecord>, Error> {
    request::Entity::find()
        .filter(request::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(request::Column::Outcome.is_null())
        .filter(request::Column::DecisionDue.gte(from))
        .order_by_asc(request::Column::Id)
        .all(tx.conn())
        .await
        .map_err(db_error)?
        .into_iter()
        .map(from_model)
        .collect()
}

/// Moves a request's decision date (its state unchanged) if it is still at `expected_version`, which it
/// leaves behind like an action does; false when another action won.
pub(crate) async fn move_decision_due(
    tx: &TenantTx,
    id: RequestId,
    expected_version: i64,
    decision_due: NaiveDate,
    now: DateTime<Utc>,
) -> Result<bool, Error> {
    let result = request::Entity::update_many()
        .col_expr(request::Column::DecisionDue, Expr::value(decision_due))
        .col_expr(request::Column::Version, Expr::col(request::Column::Version).add(1))
        .col_expr(request::Column::UpdatedAt, Expr::value(now))
        .filter(request::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(request::Column::Id.eq(id.as_uuid()))
        .filter(request::Column::Version.eq(expected_version))
        .exec(tx.conn())
        .await
        .map_err(db_error)?;
    Ok(result.rows_affected == 1)
}
