//! The outbox and what delivers it: events recorded with each step of a request (by the lifecycle's
//! `record_step`, beside the step's row), the deliveries they fan out to (one per webhook endpoint whose filter
//! takes the event, one e-mail when the commune has an SMTP relay and the form an e-mail field), the endpoints
//! and SMTP settings, and the dispatcher's claims (leases) on deliveries.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Statement,
};

use super::entity::{notification_delivery as delivery, outbox_event, request, smtp_setting, webhook_endpoint};
use super::requests::TransitionRecord;
use super::{Store, TenantTx};
use crate::error::Error;
use crate::model::form::FieldKind;
use crate::model::ids::{RequestId, TenantId};
use crate::model::notifications::{DeliveryChannel, DeliveryStatus, EventKind, SmtpTls};

/// A change of a request, announced to the subscribers of this server after its transaction committed.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub tenant: TenantId,
    pub request_id: RequestId,
    pub tracking_code: String,
    pub sequence: i64,
    pub kind: EventKind,
    pub state: String,
    pub version: i64,
    pub occurred_at: DateTime<Utc>,
}

/// An event of the outbox.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct OutboxEvent {
    pub id: uuid::Uuid,
    pub request_id: RequestId,
    pub sequence: i64,
    pub kind: EventKind,
    pub payload: serde_json::Value,
}

/// A webhook endpoint as stored (the secret sealed).
#[derive(Clone, Debug, PartialEq)]
pub struct WebhookEndpointRecord {
    pub id: uuid::Uuid,
    pub url: String,
    /// Event kinds sent to it; empty for all.
    pub events: Vec<String>,
    pub active: bool,
    /// The most deliveries in flight to it at once, across every server.
    pub max_in_flight: u32,
    /// How long it may take to answer a delivery, in seconds.
    pub timeout_seconds: u32,
    pub created_at: DateTime<Utc>,
    pub(crate) secret: String,
    pub(crate) data_key_id: uuid::Uuid,
}

/// The commune's SMTP relay as stored (the password sealed).
#[derive(Clone, Debug, PartialEq)]
pub struct SmtpRecord {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    pub username: Option<String>,
    pub from_address: String,
    pub updated_at: DateTime<Utc>,
    pub(crate) password: Option<String>,
    pub(crate) data_key_id: Option<uuid::Uuid>,
}

/// A delivery as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct DeliveryRecord {
    pub id: uuid::Uuid,
    pub event_id: uuid::Uuid,
    pub request_id: RequestId,
    pub sequence: i64,
    pub channel: DeliveryChannel,
    pub endpoint_id: Option<uuid::Uuid>,
    pub status: DeliveryStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub(crate) lease_owner: Option<String>,
    pub(crate) lease_until: Option<DateTime<Utc>>,
}

/// Records the outbox event of a transition just written, fans it out to the deliveries it needs, and queues
/// its notice for after the commit. The request row must already be in its new state; `commune` and `service`
/// (the version the request runs on) are the caller's, not read again.
pub(crate) async fn record_transition(
    tx: &TenantTx,
    commune: &crate::model::commune::Commune,
    service: &super::catalog::PublishedService,
    request_id: RequestId,
    transition: &TransitionRecord,
) -> Result<(), Error> {
    let row = request::Entity::find_by_id((tx.tenant_uuid(), request_id.as_uuid()))
        .one(tx.conn())
        .await?
        .ok_or_else(|| Error::internal("a transition of a request that is not there"))?;
    let last: Option<i64> = outbox_event::Entity::find()
        .select_only()
        .column_as(outbox_event::Column::Sequence.max(), "max")
        .filter(outbox_event::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(outbox_event::Column::RequestId.eq(request_id.as_uuid()))
        .into_tuple::<Option<i64>>()
        .one(tx.conn())
        .await?
        .flatten();
    let sequence = last.unwrap_or(0) + 1;
    let kind = EventKind::of(transition.from_state.as_deref(), &transition.to_state, &transition.action);
    let id = uuid::Uuid::now_v7();
    let by = transition.actor.split(':').next().unwrap_or("system");
    let payload = serde_json::json!({
        "id": id,
        "type": kind.as_str(),
        "sequence": sequence,
        "occurredAt": transition.occurred_at,
        "commune": commune.spec.slug.to_string(),
        "request": {
            "id": row.id,
            "trackingCode": row.tracking_code,
            "service": service.definition.code,
            "state": row.state,
            "outcome": row.outcome,
            "version": row.version,
        },
        "transition": {
            "action": transition.action,
            "from": transition.from_state,
            "to": transition.to_state,
            "by": by,
        },
        "message": transition.comment,
    });
    // The escalation of a step names the role it is addressed to, as its state says.
    let escalated_to = (transition.action == crate::model::workflow::STEP_ESCALATED)
        .then(|| service.definition.workflow.state(&transition.to_state))
        .flatten()
        .and_then(|state| state.escalate_to.clone());
    let mut payload = payload;
    if let (Some(role), Some(fields)) = (escalated_to, payload.get_mut("transition").and_then(|t| t.as_object_mut())) {
        fields.insert("escalatedTo".to_owned(), serde_json::Value::String(role.into_string()));
    }
    outbox_event::Entity::insert(outbox_event::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        id: Set(id),
        request_id: Set(row.id),
        sequence: Set(sequence),
        kind: Set(kind),
        payload: Set(payload),
        created_at: Set(transition.occurred_at),
    })
    .exec_without_returning(tx.conn())
    .await?;

    let new_delivery = |channel: DeliveryChannel, endpoint_id: Option<uuid::Uuid>| delivery::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        id: Set(uuid::Uuid::now_v7()),
        event_id: Set(id),
        request_id: Set(row.id),
        sequence: Set(sequence),
        channel: Set(channel),
        endpoint_id: Set(endpoint_id),
        status: Set(DeliveryStatus::Pending),
        attempts: Set(0),
        next_attempt_at: Set(transition.occurred_at),
        lease_owner: Set(None),
        lease_until: Set(None),
        last_error: Set(None),
        delivered_at: Set(None),
        created_at: Set(transition.occurred_at),
    };
    for endpoint in endpoints(tx).await? {
        if endpoint.active && (endpoint.events.is_empty() || endpoint.events.iter().any(|e| e == kind.as_str())) {
            delivery::Entity::insert(new_delivery(DeliveryChannel::Webhook, Some(endpoint.id)))
                .exec_without_returning(tx.conn())
                .await?;
        }
    }
    let has_email = service.definition.form.fields.iter().any(|f| f.personal && f.kind == FieldKind::Email);
    if has_email
        && !matches!(kind, EventKind::Assigned | EventKind::Deadline)
        && row.personal.is_some()
        && smtp(tx).await?.is_some()
    {
        delivery::Entity::insert(new_delivery(DeliveryChannel::Email, None)).exec_without_returning(tx.conn()).await?;
    }
    tx.announce(Notice {
        tenant: TenantId::from_uuid(tx.tenant_uuid()),
        request_id,
        tracking_code: row.tracking_code,
        sequence,
        kind,
        state: row.state,
        version: row.version,
        occurred_at: transition.occurred_at,
    });
    Ok(())
}

/// Records the language a request was submitted in.
pub(crate) async fn set_locale(tx: &TenantTx, request_id: RequestId, locale: &str) -> Result<(), Error> {
    let backend = tx.backend();
    let sql = match backend {
        DbBackend::Postgres => "UPDATE requests SET locale = $1 WHERE tenant_id = $2 AND id = $3",
        _ => "UPDATE requests SET locale = ? WHERE tenant_id = ? AND id = ?",
    };
    tx.conn()
        .execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [locale.into(), tx.tenant_uuid().into(), request_id.as_uuid().into()],
        ))
        .await?;
    Ok(())
}

/// The language a request was submitted in, if recorded.
pub(crate) async fn locale(tx: &TenantTx, request_id: RequestId) -> Result<Option<String>, Error> {
    let backend = tx.backend();
    let sql = match backend {
        DbBackend::Postgres => "SELECT locale FROM requests WHERE tenant_id = $1 AND id = $2",
        _ => "SELECT locale FROM requests WHERE tenant_id = ? AND id = ?",
    };
    let row = tx
        .conn()
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [tx.tenant_uuid().into(), request_id.as_uuid().into()],
        ))
        .await?;
    Ok(row.and_then(|r| r.try_get::<Option<String>>("", "locale").ok()).flatten())
}

/// The notice of the latest event of a request, if it has any.
pub(crate) async fn latest_notice(tx: &TenantTx, request_id: RequestId) -> Result<Option<Notice>, Error> {
    let Some(row) = request::Entity::find_by_id((tx.tenant_uuid(), request_id.as_uuid())).one(tx.conn()).await? else {
        return Ok(None);
    };
    let event = outbox_event::Entity::find()
        .filter(outbox_event::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(outbox_event::Column::RequestId.eq(request_id.as_uuid()))
        .order_by_desc(outbox_event::Column::Sequence)
        .one(tx.conn())
        .await?;
    Ok(event.map(|event| Notice {
        tenant: TenantId::from_uuid(tx.tenant_uuid()),
        request_id,
        tracking_code: row.tracking_code,
        sequence: event.sequence,
        kind: event.kind,
        state: row.state,
        version: row.version,
        occurred_at: event.created_at,
    }))
}

pub(crate) async fn event(tx: &TenantTx, id: uuid::Uuid) -> Result<OutboxEvent, Error> {
    let row = outbox_event::Entity::find_by_id((tx.tenant_uuid(), id))
        .one(tx.conn())
        .await?
        .ok_or_else(|| Error::internal(format!("outbox event {id} is missing")))?;
    Ok(OutboxEvent {
        id: row.id,
        request_id: RequestId::from_uuid(row.request_id),
        sequence: row.sequence,
        kind: row.kind,
        payload: row.payload,
    })
}

// Webhook endpoints.

pub(crate) async fn insert_endpoint(tx: &TenantTx, record: &WebhookEndpointRecord) -> Result<(), Error> {
    webhook_endpoint::Entity::insert(webhook_endpoint::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        id: Set(record.id),
        url: Set(record.url.clone()),
        events: Set(serde_json::json!(record.events)),
        secret: Set(record.secret.clone()),
        data_key_id: Set(record.data_key_id),
        active: Set(record.active),
        max_in_flight: Set(i32::try_from(record.max_in_flight).map_err(Error::internal)?),
        timeout_seconds: Set(i32::try_from(record.timeout_seconds).map_err(Error::internal)?),
        created_at: Set(record.created_at),
    })
    .exec_without_returning(tx.conn())
    .await?;
    Ok(())
}

pub(crate) async fn endpoints(tx: &TenantTx) -> Result<Vec<WebhookEndpointRecord>, Error> {
    let rows = webhook_endpoint::Entity::find()
        .filter(webhook_endpoint::Column::TenantId.eq(tx.tenant_uuid()))
        .order_by_asc(webhook_endpoint::Column::Id)
        .all(tx.conn())
        .await?;
    rows.into_iter().map(endpoint_from_model).collect()
}

pub(crate) async fn endpoint(tx: &TenantTx, id: uuid::Uuid) -> Result<Option<WebhookEndpointRecord>, Error> {
    let row = webhook_endpoint::Entity::find_by_id((tx.tenant_uuid(), id)).one(tx.conn()).await?;
    row.map(endpoint_from_model).transpose()
}

/// Sets how many deliveries may be in flight to an active endpoint and how long it may take to answer; false
/// when there is no such active endpoint.
pub(crate) async fn set_endpoint_limits(
    tx: &TenantTx,
    id: uuid::Uuid,
    max_in_flight: u32,
    timeout_seconds: u32,
) -> Result<bool, Error> {
    let result = webhook_endpoint::Entity::update_many()
        .col_expr(
            webhook_endpoint::Column::MaxInFlight,
            Expr::value(i32::try_from(max_in_flight).map_err(Error::internal)?),
        )
        .col_expr(
            webhook_endpoint::Column::TimeoutSeconds,
            Expr::value(i32::try_from(timeout_seconds).map_err(Error::internal)?),
        )
        .filter(webhook_endpoint::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(webhook_endpoint::Column::Id.eq(id))
        .filter(webhook_endpoint::Column::Active.eq(true))
        .exec(tx.conn())
        .await?;
    Ok(result.rows_affected == 1)
}

/// How many more deliveries may go to an endpoint now: its limit less those in flight (leased and not run
/// out). On PostgreSQL the endpoint's row is locked until the claiming transaction ends, so that dispatchers
/// of several servers count one after the other; SQLite serializes writers anyway. None for an endpoint that
/// is gone.
pub(crate) async fn endpoint_room(tx: &TenantTx, id: uuid::Uuid, now: DateTime<Utc>) -> Result<Option<u32>, Error> {
    let mut query = webhook_endpoint::Entity::find_by_id((tx.tenant_uuid(), id));
    if tx.backend() == DbBackend::Postgres {
        query = query.lock_exclusive();
    }
    let Some(endpoint) = query.one(tx.conn()).await? else { return Ok(None) };
    let in_flight = delivery::Entity::find()
        .filter(delivery::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(delivery::Column::EndpointId.eq(id))
        .filter(delivery::Column::Status.eq(DeliveryStatus::Pending))
        .filter(delivery::Column::LeaseUntil.gt(now))
        .count(tx.conn())
        .await?;
    let limit = u64::try_from(endpoint.max_in_flight).unwrap_or(1);
    Ok(Some(u32::try_from(limit.saturating_sub(in_flight)).unwrap_or(0)))
}

/// Turns an endpoint off: nothing more is sent to it, and its pending deliveries are dropped.
pub(crate) async fn deactivate_endpoint(tx: &TenantTx, id: uuid::Uuid) -> Result<bool, Error> {
    let result = webhook_endpoint::Entity::update_many()
        .col_expr(webhook_endpoint::Column::Active, Expr::value(false))
        .filter(webhook_endpoint::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(webhook_endpoint::Column::Id.eq(id))
        .filter(webhook_endpoint::Column::Active.eq(true))
        .exec(tx.conn())
        .await?;
    delivery::Entity::update_many()
        .col_expr(delivery::Column::Status, Expr::value(DeliveryStatus::Skipped))
        .filter(delivery::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(delivery::Column::EndpointId.eq(id))
        .filter(delivery::Column::Status.is_in([DeliveryStatus::Pending, DeliveryStatus::Dead]))
        .exec(tx.conn())
        .await?;
    Ok(result.rows_affected == 1)
}

fn endpoint_from_model(row: webhook_endpoint::Model) -> Result<WebhookEndpointRecord, Error> {
    Ok(WebhookEndpointRecord {
        id: row.id,
        url: row.url,
        events: serde_json::from_value(row.events).map_err(Error::internal)?,
        active: row.active,
        max_in_flight: u32::try_from(row.max_in_flight).map_err(Error::internal)?,
        timeout_seconds: u32::try_from(row.timeout_seconds).map_err(Error::internal)?,
        created_at: row.created_at,
        secret: row.secret,
        data_key_id: row.data_key_id,
    })
}

// SMTP settings.

pub(crate) async fn smtp(tx: &TenantTx) -> Result<Option<SmtpRecord>, Error> {
    let row = smtp_setting::Entity::find_by_id(tx.tenant_uuid()).one(tx.conn()).await?;
    Ok(row.map(|row| SmtpRecord {
        host: row.host,
        port: u16::try_from(row.port).unwrap_or(25),
        tls: row.tls,
        username: row.username,
        from_address: row.from_address,
        updated_at: row.updated_at,
        password: row.password,
        data_key_id: row.data_key_id,
    }))
}

pub(crate) async fn put_smtp(tx: &TenantTx, record: &SmtpRecord) -> Result<(), Error> {
    let model = smtp_setting::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        host: Set(record.host.clone()),
        port: Set(i32::from(record.port)),
        tls: Set(record.tls),
        username: Set(record.username.clone()),
        password: Set(record.password.clone()),
        data_key_id: Set(record.data_key_id),
        from_address: Set(record.from_address.clone()),
        updated_at: Set(record.updated_at),
    };
    if smtp(tx).await?.is_some() {
        smtp_setting::Entity::update(model).exec(tx.conn()).await?;
    } else {
        smtp_setting::Entity::insert(model).exec_without_returning(tx.conn()).await?;
    }
    Ok(())
}

// Deliveries.

/// The communes with a delivery to make at `now`. On PostgreSQL through a function that reveals the commune
/// ids and nothing else, since no tenant is set yet.
pub(crate) async fn tenants_with_due_deliveries(store: &Store, now: DateTime<Utc>) -> Result<Vec<TenantId>, Error> {
    let due = delivery::Entity::find()
        .filter(delivery::Column::Status.eq(DeliveryStatus::Pending))
        .filter(delivery::Column::NextAttemptAt.lte(now))
        .filter(delivery::Column::LeaseUntil.is_null().or(delivery::Column::LeaseUntil.lte(now)));
    store.tenants_with_due("jamaa_tenants_with_due_deliveries", now, due, delivery::Column::TenantId).await
}

/// The deliveries that may go now: of each chain (one channel or endpoint, one request), the first that is
/// not done, if it is pending, due and not leased. An event is never sent before the earlier ones of its
/// request went through, so a dead delivery holds back the later ones of its chain until it is replayed.
/// Each channel or endpoint is read apart (at most `limit` rows each), so that an endpoint with a long queue
/// never hides the deliveries of another.
pub(crate) async fn ready(tx: &TenantTx, now: DateTime<Utc>, limit: u64) -> Result<Vec<DeliveryRecord>, Error> {
    let queues: Vec<(DeliveryChannel, Option<uuid::Uuid>)> = delivery::Entity::find()
        .select_only()
        .column(delivery::Column::Channel)
        .column(delivery::Column::EndpointId)
        .distinct()
        .filter(delivery::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(delivery::Column::Status.eq(DeliveryStatus::Pending))
        .into_tuple()
        .all(tx.conn())
        .await?;
    let mut ready = Vec::new();
    for (channel, endpoint) in queues {
        let mut query = delivery::Entity::find()
            .filter(delivery::Column::TenantId.eq(tx.tenant_uuid()))
            .filter(delivery::Column::Channel.eq(channel))
            .filter(delivery::Column::Status.is_in([DeliveryStatus::Pending, DeliveryStatus::Dead]))
            .order_by_asc(delivery::Column::Id)
            .limit(limit);
        query = match endpoint {
            Some(id) => query.filter(delivery::Column::EndpointId.eq(id)),
            None => query.filter(delivery::Column::EndpointId.is_null()),
        };
        let mut seen = std::collections::HashSet::new();
        for row in query.all(tx.conn()).await? {
            // Ids grow with time, so the first row of a chain is its earliest event that is not done.
            if !seen.insert(row.request_id) {
                continue;
            }
            let leased = row.lease_until.is_some_and(|until| until > now);
            if row.status == DeliveryStatus::Pending && row.next_attempt_at <= now && !leased {
                ready.push(delivery_from_model(row));
            }
        }
    }
    ready.sort_by_key(|d| d.id);
    Ok(ready)
}

/// Takes a lease on a delivery until `until`, unless another dispatcher holds one or made an attempt since it
/// was read (its `attempts` moved on: the delivery read as ready is no longer that one, and may wait for its
/// back-off): true when taken.
pub(crate) async fn claim(
    tx: &TenantTx,
    seen: &DeliveryRecord,
    owner: &str,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<bool, Error> {
    let result = delivery::Entity::update_many()
        .col_expr(delivery::Column::LeaseOwner, Expr::value(owner))
        .col_expr(delivery::Column::LeaseUntil, Expr::value(Some(until)))
        .filter(delivery::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(delivery::Column::Id.eq(seen.id))
        .filter(delivery::Column::Status.eq(DeliveryStatus::Pending))
        .filter(delivery::Column::Attempts.eq(seen.attempts))
        .filter(delivery::Column::NextAttemptAt.lte(now))
        .filter(delivery::Column::LeaseUntil.is_null().or(delivery::Column::LeaseUntil.lte(now)))
        .exec(tx.conn())
        .await?;
    Ok(result.rows_affected == 1)
}

/// What became of an attempt.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Attempt {
    Delivered,
    /// Nothing to send (no e-mail address in the form, an endpoint turned off).
    Skipped,
    /// Failed: try again at `retry_at`, or give up (`None`).
    Failed {
        error: String,
        retry_at: Option<DateTime<Utc>>,
    },
}

/// Records an attempt of a delivery this owner holds the lease of; false when the lease was lost.
pub(crate) async fn finish(
    tx: &TenantTx,
    id: uuid::Uuid,
    owner: &str,
    attempt: &Attempt,
    now: DateTime<Utc>,
) -> Result<bool, Error> {
    let mut update = delivery::Entity::update_many()
        .col_expr(delivery::Column::Attempts, Expr::col(delivery::Column::Attempts).add(1))
        .col_expr(delivery::Column::LeaseOwner, Expr::value(Option::<String>::None))
        .col_expr(delivery::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None));
    update = match attempt {
        Attempt::Delivered => update
            .col_expr(delivery::Column::Status, Expr::value(DeliveryStatus::Delivered))
            .col_expr(delivery::Column::DeliveredAt, Expr::value(Some(now)))
            .col_expr(delivery::Column::LastError, Expr::value(Option::<String>::None)),
        Attempt::Skipped => update.col_expr(delivery::Column::Status, Expr::value(DeliveryStatus::Skipped)),
        Attempt::Failed { error, retry_at: Some(at) } => update
            .col_expr(delivery::Column::NextAttemptAt, Expr::value(*at))
            .col_expr(delivery::Column::LastError, Expr::value(Some(error.clone()))),
        Attempt::Failed { error, retry_at: None } => update
            .col_expr(delivery::Column::Status, Expr::value(DeliveryStatus::Dead))
            .col_expr(delivery::Column::LastError, Expr::value(Some(error.clone()))),
    };
    let result = update
        .filter(delivery::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(delivery::Column::Id.eq(id))
        .filter(delivery::Column::LeaseOwner.eq(owner))
        .exec(tx.conn())
        .await?;
    Ok(result.rows_affected == 1)
}

/// Deliveries of the commune in a status, newest first (ids are time-ordered): at most `limit` after the
/// delivery `after`.
pub(crate) async fn deliveries(
    tx: &TenantTx,
    status: Option<DeliveryStatus>,
    after: Option<uuid::Uuid>,
    limit: u64,
) -> Result<Vec<DeliveryRecord>, Error> {
    let mut query = delivery::Entity::find()
        .filter(delivery::Column::TenantId.eq(tx.tenant_uuid()))
        .order_by_desc(delivery::Column::Id)
        .limit(limit);
    if let Some(status) = status {
        query = query.filter(delivery::Column::Status.eq(status));
    }
    if let Some(after) = after {
        query = query.filter(delivery::Column::Id.lt(after));
    }
    Ok(query.all(tx.conn()).await?.into_iter().map(delivery_from_model).collect())
}

/// How many deliveries of the commune are in a status (all of them without one).
pub(crate) async fn delivery_count(tx: &TenantTx, status: Option<DeliveryStatus>) -> Result<u64, Error> {
    let mut query = delivery::Entity::find().filter(delivery::Column::TenantId.eq(tx.tenant_uuid()));
    if let Some(status) = status {
        query = query.filter(delivery::Column::Status.eq(status));
    }
    query.count(tx.conn()).await.map_err(Into::into)
}

pub(crate) async fn delivery(tx: &TenantTx, id: uuid::Uuid) -> Result<Option<DeliveryRecord>, Error> {
    let row = delivery::Entity::find_by_id((tx.tenant_uuid(), id)).one(tx.conn()).await?;
    Ok(row.map(delivery_from_model))
}

/// Puts a dead delivery back in line, with its attempts counted from zero; false when it is not dead.
pub(crate) async fn replay(tx: &TenantTx, id: uuid::Uuid, now: DateTime<Utc>) -> Result<bool, Error> {
    let result = delivery::Entity::update_many()
        .col_expr(delivery::Column::Status, Expr::value(DeliveryStatus::Pending))
        .col_expr(delivery::Column::Attempts, Expr::value(0))
        .col_expr(delivery::Column::NextAttemptAt, Expr::value(now))
        .filter(delivery::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(delivery::Column::Id.eq(id))
        .filter(delivery::Column::Status.eq(DeliveryStatus::Dead))
        .exec(tx.conn())
        .await?;
    Ok(result.rows_affected == 1)
}

fn delivery_from_model(row: delivery::Model) -> DeliveryRecord {
    DeliveryRecord {
        id: row.id,
        event_id: row.event_id,
        request_id: RequestId::from_uuid(row.request_id),
        sequence: row.sequence,
        channel: row.channel,
        endpoint_id: row.endpoint_id,
        status: row.status,
        attempts: row.attempts,
        next_attempt_at: row.next_attempt_at,
        last_error: row.last_error,
        delivered_at: row.delivered_at,
        lease_owner: row.lease_owner,
        lease_until: row.lease_until,
    }
}
