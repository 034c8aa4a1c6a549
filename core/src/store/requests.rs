//! Requests, their history, and the per-commune counters that number them.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, UpdateMany,
};

use super::TenantTx;
use super::entity::{counter, request, request_lookup, service, transition};
use crate::error::Error;
use crate::model::ids::{RequestId, ServiceId, UserId, WorkflowId};
use crate::model::keys::ServiceCode;
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
    /// The person of the staff holding the request, if it is assigned.
    pub assignee: Option<UserId>,
    /// When its answer period ended without an answer (a complaint's lapse), if it did.
    pub lapsed_at: Option<DateTime<Utc>>,
    /// The local day by the end of which the step it is in is due (its state's SLA), if that state has one.
    pub step_due: Option<NaiveDate>,
    /// The non-personal fields of the latest staff form of each action (`{"site_visit": {...}}`, null when
    /// none), which guards read as `action.field`.
    pub staff_data: serde_json::Value,
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
    /// For an assignment step: whom the request was given to (none when released).
    pub assignee: Option<UserId>,
    /// The due date of the step this one began in a state with an SLA.
    pub step_due: Option<NaiveDate>,
    /// The due date of the step this one ended, when the state left had an SLA.
    pub ended_step_due: Option<NaiveDate>,
    /// The staff form filled in with the action, if it asks for one.
    pub form: Option<StepForm>,
}

/// The staff form of a step: its fields in clear, and its personal fields sealed under the commune's data key
/// (bound to the request and the action), opened only for the staff of the request's workflow.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StepForm {
    /// The non-personal fields.
    pub values: serde_json::Map<String, serde_json::Value>,
    /// The personal fields, once opened for the reader.
    pub personal: Option<serde_json::Map<String, serde_json::Value>>,
    /// The keys of the personal fields left sealed for the reader.
    pub sealed_fields: Vec<String>,
    pub(crate) sealed: Option<String>,
    pub(crate) key_id: Option<uuid::Uuid>,
}

impl RequestRecord {
    /// The data guards read: the form data with the staff forms' non-personal fields as `action.field`.
    pub fn guard_data(&self) -> serde_json::Value {
        crate::model::workflow::guard_data(&self.data, &self.staff_data)
    }
}

impl TransitionRecord {
    /// A step the server records by itself (a reminder, a lapse, an escalation): the request stays in `state`.
    pub(crate) fn system_step(state: &str, step: &str, now: DateTime<Utc>) -> Self {
        Self {
            from_state: Some(state.to_owned()),
            to_state: state.to_owned(),
            action: step.to_owned(),
            actor: "system".to_owned(),
            comment: None,
            occurred_at: now,
            assignee: None,
            step_due: None,
            ended_step_due: None,
            form: None,
        }
    }
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
    let row =
        tx.conn().query_one(&insert).await?.ok_or_else(|| Error::internal("the counter upsert returned no row"))?;
    row.try_get::<i64>("", "value").map_err(Into::into)
}

pub(crate) async fn insert(tx: &TenantTx, record: &RequestRecord) -> Result<(), Error> {
    request::Entity::insert(request::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        id: Set(record.id.as_uuid()),
        service_id: Set(record.service_id.as_uuid()),
        workflow_id: Set(record.workflow_id.as_uuid()),
        tracking_code: Set(record.tracking_code.to_string()),
        state: Set(record.state.clone()),
        outcome: Set(record.outcome),
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
        assignee_id: Set(record.assignee.map(|u| u.as_uuid())),
        lapsed_at: Set(record.lapsed_at),
        step_due: Set(record.step_due),
        staff_data: Set((!serde_json::Value::is_null(&record.staff_data)).then(|| record.staff_data.clone())),
    })
    .exec_without_returning(tx.conn())
    .await?;
    Ok(())
}

/// Records that the request's answer period ended without an answer, unless that is already recorded; false
/// then (the lapse is recorded once).
pub(crate) async fn mark_lapsed(tx: &TenantTx, id: RequestId, at: DateTime<Utc>) -> Result<bool, Error> {
    let result = request::Entity::update_many()
        .col_expr(request::Column::LapsedAt, Expr::value(Some(at)))
        .filter(request::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(request::Column::Id.eq(id.as_uuid()))
        .filter(request::Column::LapsedAt.is_null())
        .exec(tx.conn())
        .await?;
    Ok(result.rows_affected == 1)
}

pub(crate) async fn by_id(tx: &TenantTx, id: RequestId) -> Result<Option<RequestRecord>, Error> {
    let row = request::Entity::find_by_id((tx.tenant_uuid(), id.as_uuid())).one(tx.conn()).await?;
    row.map(from_model).transpose()
}

/// The request of this id, its row locked until the transaction ends on PostgreSQL (SQLite serializes writers
/// anyway): for a change that reads what others may be writing at once (the opinions of a commission).
pub(crate) async fn by_id_locked(tx: &TenantTx, id: RequestId) -> Result<Option<RequestRecord>, Error> {
    let mut query = request::Entity::find_by_id((tx.tenant_uuid(), id.as_uuid()));
    if tx.backend() == sea_orm::DbBackend::Postgres {
        query = query.lock_exclusive();
    }
    query.one(tx.conn()).await?.map(from_model).transpose()
}

/// The requests of these ids (in id order), read a thousand at a time.
pub(crate) async fn by_ids(tx: &TenantTx, ids: &[RequestId]) -> Result<Vec<RequestRecord>, Error> {
    let mut found = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(1000) {
        let rows = request::Entity::find()
            .filter(request::Column::TenantId.eq(tx.tenant_uuid()))
            .filter(request::Column::Id.is_in(chunk.iter().map(|id| id.as_uuid())))
            .order_by_asc(request::Column::Id)
            .all(tx.conn())
            .await?;
        for row in rows {
            found.push(from_model(row)?);
        }
    }
    Ok(found)
}

pub(crate) async fn by_tracking_code(tx: &TenantTx, code: &TrackingCode) -> Result<Option<RequestRecord>, Error> {
    let row = request::Entity::find()
        .filter(request::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(request::Column::TrackingCode.eq(code.to_string()))
        .one(tx.conn())
        .await?;
    row.map(from_model).transpose()
}

/// Moves a request to a new state (with its decision date, and the due date of the step it begins there) if it
/// is still at `expected_version`; false when another action won.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn advance(
    tx: &TenantTx,
    id: RequestId,
    expected_version: i64,
    state: &str,
    outcome: Option<Outcome>,
    decision_due: NaiveDate,
    step_due: Option<NaiveDate>,
    staff_data: Option<&serde_json::Value>,
    now: DateTime<Utc>,
) -> Result<bool, Error> {
    let mut update = request::Entity::update_many()
        .col_expr(request::Column::State, Expr::value(state))
        .col_expr(request::Column::DecisionDue, Expr::value(decision_due))
        .col_expr(request::Column::StepDue, Expr::value(step_due))
        .col_expr(request::Column::Outcome, Expr::value(outcome));
    if outcome.is_some() {
        update = update.col_expr(request::Column::ClosedAt, Expr::value(Some(now)));
    }
    if let Some(staff_data) = staff_data {
        update = update.col_expr(request::Column::StaffData, Expr::value(Some(staff_data.clone())));
    }
    update_at_version(tx, update, id, expected_version, now).await
}

/// Writes `update` to the request, moving its version on and dating it `now`, if it is still at
/// `expected_version`; false when another change came first.
async fn update_at_version(
    tx: &TenantTx,
    update: UpdateMany<request::Entity>,
    id: RequestId,
    expected_version: i64,
    now: DateTime<Utc>,
) -> Result<bool, Error> {
    let result = update
        .col_expr(request::Column::Version, Expr::col(request::Column::Version).add(1))
        .col_expr(request::Column::UpdatedAt, Expr::value(now))
        .filter(request::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(request::Column::Id.eq(id.as_uuid()))
        .filter(request::Column::Version.eq(expected_version))
        .exec(tx.conn())
        .await?;
    Ok(result.rows_affected == 1)
}

/// Writes a step of a request in its history (the lifecycle records the rest of the step: `service::lifecycle`).
pub(crate) async fn insert_transition(
    tx: &TenantTx,
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
        assignee_id: Set(record.assignee.map(|u| u.as_uuid())),
        step_due: Set(record.step_due),
        ended_step_due: Set(record.ended_step_due),
        form: Set(record.form.as_ref().map(|form| serde_json::Value::Object(form.values.clone()))),
        form_sealed: Set(record.form.as_ref().and_then(|form| form.sealed.clone())),
        form_key_id: Set(record.form.as_ref().and_then(|form| form.key_id)),
    })
    .exec_without_returning(tx.conn())
    .await?;
    Ok(())
}

pub(crate) async fn history(tx: &TenantTx, request_id: RequestId) -> Result<Vec<TransitionRecord>, Error> {
    let rows = transition::Entity::find()
        .filter(transition::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(transition::Column::RequestId.eq(request_id.as_uuid()))
        .order_by_asc(transition::Column::Id)
        .all(tx.conn())
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| TransitionRecord {
            from_state: row.from_state,
            to_state: row.to_state,
            action: row.action,
            actor: row.actor,
            comment: row.comment,
            occurred_at: row.occurred_at,
            assignee: row.assignee_id.map(UserId::from_uuid),
            step_due: row.step_due,
            ended_step_due: row.ended_step_due,
            form: match (row.form, row.form_sealed) {
                (None, None) => None,
                (values, sealed) => Some(StepForm {
                    values: match values {
                        Some(serde_json::Value::Object(values)) => values,
                        _ => serde_json::Map::new(),
                    },
                    personal: None,
                    sealed_fields: Vec::new(),
                    sealed,
                    key_id: row.form_key_id,
                }),
            },
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
        .await?;
    }
    Ok(())
}

/// The blind index a request recorded for `field`, if any.
pub(crate) async fn lookup_of(tx: &TenantTx, request_id: RequestId, field: &str) -> Result<Option<String>, Error> {
    Ok(request_lookup::Entity::find()
        .select_only()
        .column(request_lookup::Column::Digest)
        .filter(request_lookup::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(request_lookup::Column::RequestId.eq(request_id.as_uuid()))
        .filter(request_lookup::Column::Field.eq(field))
        .into_tuple::<String>()
        .one(tx.conn())
        .await?)
}

/// The requests whose `field` has the blind index `digest`, oldest first.
pub(crate) async fn by_lookup(tx: &TenantTx, field: &str, digest: &str) -> Result<Vec<RequestRecord>, Error> {
    let ids: Vec<uuid::Uuid> = request_lookup::Entity::find()
        .select_only()
        .column(request_lookup::Column::RequestId)
        .filter(request_lookup::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(request_lookup::Column::Field.eq(field))
        .filter(request_lookup::Column::Digest.eq(digest))
        .into_tuple::<uuid::Uuid>()
        .all(tx.conn())
        .await?;
    let rows = request::Entity::find()
        .filter(request::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(request::Column::Id.is_in(ids))
        .order_by_asc(request::Column::Id)
        .all(tx.conn())
        .await?;
    rows.into_iter().map(from_model).collect()
}

pub(super) fn from_model(row: request::Model) -> Result<RequestRecord, Error> {
    let corrupt = |what: &str| Error::internal(format!("request {} has an invalid {what} in storage", row.id));
    Ok(RequestRecord {
        id: RequestId::from_uuid(row.id),
        service_id: ServiceId::from_uuid(row.service_id),
        workflow_id: WorkflowId::from_uuid(row.workflow_id),
        tracking_code: TrackingCode::parse(&row.tracking_code).map_err(|_| corrupt("tracking code"))?,
        state: row.state.clone(),
        outcome: row.outcome,
        version: row.version,
        data: row.data.clone(),
        documents: serde_json::from_value(row.documents.clone()).map_err(|_| corrupt("documents"))?,
        submitted_at: row.submitted_at,
        decision_due: row.decision_due,
        updated_at: row.updated_at,
        closed_at: row.closed_at,
        assignee: row.assignee_id.map(UserId::from_uuid),
        lapsed_at: row.lapsed_at,
        step_due: row.step_due,
        staff_data: row.staff_data.clone().unwrap_or(serde_json::Value::Null),
        secret_hash: row.secret_hash,
        personal: row.personal,
        data_key_id: row.data_key_id,
    })
}

/// Gives a request to `assignee` (or to no one) if it is still held by `current`; false when someone else
/// changed its holder first. The request's version (what actions are conditional on) does not move.
pub(crate) async fn set_assignee(
    tx: &TenantTx,
    id: RequestId,
    current: Option<UserId>,
    assignee: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<bool, Error> {
    let held = match current {
        Some(user) => request::Column::AssigneeId.eq(user.as_uuid()),
        None => request::Column::AssigneeId.is_null(),
    };
    let result = request::Entity::update_many()
        .col_expr(request::Column::AssigneeId, Expr::value(assignee.map(|u| u.as_uuid())))
        .col_expr(request::Column::UpdatedAt, Expr::value(now))
        .filter(request::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(request::Column::Id.eq(id.as_uuid()))
        .filter(held)
        .exec(tx.conn())
        .await?;
    Ok(result.rows_affected == 1)
}

/// Who holds the inbox's requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Holder {
    Anyone,
    NoOne,
    Person(UserId),
}

/// The filters of the inbox, already resolved (service code to its versions' ids, search to a tracking code
/// or blind indexes).
#[derive(Clone, Debug)]
pub(crate) struct InboxQuery {
    pub state: Option<String>,
    pub service_code: Option<ServiceCode>,
    /// `Some((true, today))`: open requests whose decision date has passed; `Some((false, today))`: the others.
    pub overdue: Option<(bool, NaiveDate)>,
    /// Decision date strictly before.
    pub due_before: Option<NaiveDate>,
    /// `Some((true, today))`: open requests whose step's due date has passed; `Some((false, today))`: the others.
    pub step_overdue: Option<(bool, NaiveDate)>,
    pub holder: Holder,
    pub tracking_code: Option<String>,
    /// `(field, digest)` pairs of the blind indexes searched.
    pub lookups: Option<Vec<(String, String)>>,
}

fn overdue_condition(today: NaiveDate) -> Condition {
    Condition::all().add(request::Column::ClosedAt.is_null()).add(request::Column::DecisionDue.lt(today))
}

/// Open requests whose step was due before `today` (a step's due date is cleared when it ends).
fn step_overdue_condition(today: NaiveDate) -> Condition {
    Condition::all()
        .add(request::Column::ClosedAt.is_null())
        .add(request::Column::StepDue.is_not_null())
        .add(request::Column::StepDue.lt(today))
}

impl InboxQuery {
    fn condition(&self, tx: &TenantTx) -> Condition {
        let tenant = tx.tenant_uuid();
        let mut condition = Condition::all().add(request::Column::TenantId.eq(tenant));
        if let Some(state) = &self.state {
            condition = condition.add(request::Column::State.eq(state.clone()));
        }
        if let Some(code) = &self.service_code {
            let versions = Query::select()
                .column(service::Column::Id)
                .from(service::Entity)
                .and_where(service::Column::TenantId.eq(tenant))
                .and_where(service::Column::Code.eq(code.clone()))
                .to_owned();
            condition = condition.add(request::Column::ServiceId.in_subquery(versions));
        }
        match self.overdue {
            Some((true, today)) => condition = condition.add(overdue_condition(today)),
            Some((false, today)) => condition = condition.add(overdue_condition(today).not()),
            None => {}
        }
        if let Some(date) = self.due_before {
            condition = condition.add(request::Column::DecisionDue.lt(date));
        }
        match self.step_overdue {
            Some((true, today)) => condition = condition.add(step_overdue_condition(today)),
            Some((false, today)) => condition = condition.add(step_overdue_condition(today).not()),
            None => {}
        }
        match self.holder {
            Holder::Anyone => {}
            Holder::NoOne => condition = condition.add(request::Column::AssigneeId.is_null()),
            Holder::Person(user) => condition = condition.add(request::Column::AssigneeId.eq(user.as_uuid())),
        }
        if let Some(code) = &self.tracking_code {
            condition = condition.add(request::Column::TrackingCode.eq(code.clone()));
        }
        if let Some(lookups) = &self.lookups {
            let mut any = Condition::any();
            for (field, digest) in lookups {
                any = any.add(
                    Condition::all()
                        .add(request_lookup::Column::Field.eq(field.clone()))
                        .add(request_lookup::Column::Digest.eq(digest.clone())),
                );
            }
            let found = Query::select()
                .column(request_lookup::Column::RequestId)
                .from(request_lookup::Entity)
                .and_where(request_lookup::Column::TenantId.eq(tenant))
                .cond_where(any)
                .to_owned();
            condition = condition.add(request::Column::Id.in_subquery(found));
        }
        condition
    }
}

/// A page of the inbox, by legal decision date, then submission (ids are time-ordered), after the cursor.
pub(crate) async fn inbox_page(
    tx: &TenantTx,
    query: &InboxQuery,
    after: Option<(NaiveDate, RequestId)>,
    limit: u64,
) -> Result<Vec<RequestRecord>, Error> {
    let mut condition = query.condition(tx);
    if let Some((due, id)) = after {
        condition =
            condition.add(Condition::any().add(request::Column::DecisionDue.gt(due)).add(
                Condition::all().add(request::Column::DecisionDue.eq(due)).add(request::Column::Id.gt(id.as_uuid())),
            ));
    }
    request::Entity::find()
        .filter(condition)
        .order_by_asc(request::Column::DecisionDue)
        .order_by_asc(request::Column::Id)
        .limit(limit)
        .all(tx.conn())
        .await?
        .into_iter()
        .map(from_model)
        .collect()
}

/// The open requests (no outcome yet) whose decision date is on or after `from`, oldest first.
pub(crate) async fn open_due_from(tx: &TenantTx, from: NaiveDate) -> Result<Vec<RequestRecord>, Error> {
    open_with_date_from(tx, request::Column::DecisionDue, from).await
}

/// The open requests whose step (their state's SLA) is due on or after `from`, oldest first.
pub(crate) async fn open_steps_due_from(tx: &TenantTx, from: NaiveDate) -> Result<Vec<RequestRecord>, Error> {
    open_with_date_from(tx, request::Column::StepDue, from).await
}

/// The open requests whose date in `column` is on or after `from`, oldest first.
async fn open_with_date_from(
    tx: &TenantTx,
    column: request::Column,
    from: NaiveDate,
) -> Result<Vec<RequestRecord>, Error> {
    request::Entity::find()
        .filter(request::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(request::Column::Outcome.is_null())
        .filter(column.gte(from))
        .order_by_asc(request::Column::Id)
        .all(tx.conn())
        .await?
        .into_iter()
        .map(from_model)
        .collect()
}

/// When the step a request is in began: the last step of its history that dated one.
pub(crate) async fn step_began_at(tx: &TenantTx, id: RequestId) -> Result<Option<DateTime<Utc>>, Error> {
    Ok(transition::Entity::find()
        .select_only()
        .column(transition::Column::OccurredAt)
        .filter(transition::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(transition::Column::RequestId.eq(id.as_uuid()))
        .filter(transition::Column::StepDue.is_not_null())
        .order_by_desc(transition::Column::Id)
        .into_tuple::<DateTime<Utc>>()
        .one(tx.conn())
        .await?)
}

/// Moves the due date of the step a request is in, if it is still `old`; false when it is not (the request
/// moved on). The request's version does not move: the step's timers follow by themselves.
pub(crate) async fn move_step_due(tx: &TenantTx, id: RequestId, old: NaiveDate, new: NaiveDate) -> Result<bool, Error> {
    let result = request::Entity::update_many()
        .col_expr(request::Column::StepDue, Expr::value(Some(new)))
        .filter(request::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(request::Column::Id.eq(id.as_uuid()))
        .filter(request::Column::StepDue.eq(old))
        .exec(tx.conn())
        .await?;
    Ok(result.rows_affected == 1)
}

/// How many requests the inbox query finds.
pub(crate) async fn inbox_count(tx: &TenantTx, query: &InboxQuery) -> Result<u64, Error> {
    request::Entity::find().filter(query.condition(tx)).count(tx.conn()).await.map_err(Into::into)
}

/// How many requests the inbox query finds in each state.
pub(crate) async fn inbox_count_by_state(tx: &TenantTx, query: &InboxQuery) -> Result<Vec<(String, i64)>, Error> {
    request::Entity::find()
        .select_only()
        .column(request::Column::State)
        .column_as(request::Column::Id.count(), "count")
        .filter(query.condition(tx))
        .group_by(request::Column::State)
        .order_by_asc(request::Column::State)
        .into_tuple::<(String, i64)>()
        .all(tx.conn())
        .await
        .map_err(Into::into)
}

/// Open requests (not closed) by holder: `(holder, open, overdue)` for each person holding some.
pub(crate) async fn workload(tx: &TenantTx, today: NaiveDate) -> Result<Vec<(UserId, i64, i64)>, Error> {
    let open = Condition::all()
        .add(request::Column::TenantId.eq(tx.tenant_uuid()))
        .add(request::Column::ClosedAt.is_null())
        .add(request::Column::AssigneeId.is_not_null());
    let count = |condition: Condition| {
        request::Entity::find()
            .select_only()
            .column(request::Column::AssigneeId)
            .column_as(request::Column::Id.count(), "count")
            .filter(condition)
            .group_by(request::Column::AssigneeId)
            .into_tuple::<(uuid::Uuid, i64)>()
            .all(tx.conn())
    };
    let all = count(open.clone()).await?;
    let late = count(open.add(request::Column::DecisionDue.lt(today))).await?;
    Ok(all
        .into_iter()
        .map(|(user, open)| {
            let overdue = late.iter().find(|(u, _)| *u == user).map_or(0, |(_, n)| *n);
            (UserId::from_uuid(user), open, overdue)
        })
        .collect())
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
    let update = request::Entity::update_many().col_expr(request::Column::DecisionDue, Expr::value(decision_due));
    update_at_version(tx, update, id, expected_version, now).await
}

/// The requests of every version of the service `code` that are in one of `states`, in submission order.
pub(crate) async fn requests_of_service(
    tx: &TenantTx,
    code: &str,
    states: &[&str],
    limit: Option<u64>,
) -> Result<Vec<RequestRecord>, Error> {
    let service_ids: Vec<uuid::Uuid> = service::Entity::find()
        .select_only()
        .column(service::Column::Id)
        .filter(service::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(service::Column::Code.eq(code))
        .into_tuple::<uuid::Uuid>()
        .all(tx.conn())
        .await?;
    let rows = request::Entity::find()
        .filter(request::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(request::Column::ServiceId.is_in(service_ids))
        .filter(request::Column::State.is_in(states.iter().copied()))
        .order_by_asc(request::Column::Id)
        .limit(limit)
        .all(tx.conn())
        .await?;
    rows.into_iter().map(from_model).collect()
}
