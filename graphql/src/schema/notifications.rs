//! Notifications over GraphQL: a commune admin's webhook endpoints, SMTP relay and dead letters; and the
//! subscriptions `requestUpdated` (the citizen with the tracking code and secret, or staff by id) and
//! `inboxChanged` (staff), fed by the changes this server commits.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject, Subscription};
use chrono::{DateTime, Utc};
use futures_util::Stream;
use jamaa_core::model::ids::{RequestId, TenantId};
use jamaa_core::service::{DeliveryRecord, EndpointLimits, Notice, SmtpInput, SmtpView, WebhookEndpointRecord};
use secrecy::{ExposeSecret, SecretString};
use tokio_stream::StreamExt as _;
use tokio_stream::wrappers::BroadcastStream;

use super::call::{Call, InCommune, InLang, subject_id};
use super::jamaa;
use super::page::page_size;
use super::page::{Listing, after_key, connection, in_memory};

#[derive(SimpleObject)]
pub struct WebhookEndpoint {
    pub id: ID,
    pub url: String,
    /// The event kinds sent there; empty for all.
    pub events: Vec<String>,
    pub active: bool,
    /// The most deliveries in flight to it at once.
    pub max_in_flight: i32,
    /// How long it may take to answer a delivery, in seconds.
    pub timeout_seconds: i32,
    pub created_at: DateTime<Utc>,
}

impl From<WebhookEndpointRecord> for WebhookEndpoint {
    fn from(record: WebhookEndpointRecord) -> Self {
        Self {
            id: ID(record.id.to_string()),
            url: record.url,
            events: record.events,
            active: record.active,
            max_in_flight: i32::try_from(record.max_in_flight).unwrap_or(i32::MAX),
            timeout_seconds: i32::try_from(record.timeout_seconds).unwrap_or(i32::MAX),
            created_at: record.created_at,
        }
    }
}

/// A new endpoint and its signing secret, shown this once.
#[derive(SimpleObject)]
pub struct CreatedWebhookEndpoint {
    pub endpoint: WebhookEndpoint,
    pub secret: String,
}

#[derive(InputObject)]
pub struct WebhookEndpointInput {
    /// Where events are POSTed (http:// or https://).
    pub url: String,
    /// `request.submitted`, `request.state_changed`, `request.message`, `request.assigned`, `request.deadline`;
    /// none for all.
    #[graphql(default)]
    pub events: Vec<String>,
    /// The most deliveries in flight to it at once, 1–16 (4 unset).
    pub max_in_flight: Option<i32>,
    /// How long it may take to answer a delivery, 1–30 seconds (10 unset); past it the delivery is retried.
    pub timeout_seconds: Option<i32>,
}

#[derive(InputObject)]
pub struct WebhookEndpointLimitsInput {
    /// The most deliveries in flight to it at once, 1–16 (4 unset).
    pub max_in_flight: Option<i32>,
    /// How long it may take to answer a delivery, 1–30 seconds (10 unset); past it the delivery is retried.
    pub timeout_seconds: Option<i32>,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jamaa_core::service::SmtpTls")]
pub enum SmtpTlsMode {
    /// Plain SMTP, for a relay on the same host or network.
    None,
    #[graphql(name = "STARTTLS")]
    StartTls,
    Tls,
}

#[derive(SimpleObject)]
pub struct SmtpSettings {
    pub host: String,
    pub port: i32,
    pub tls: SmtpTlsMode,
    pub username: Option<String>,
    pub has_password: bool,
    pub from_address: String,
    pub updated_at: DateTime<Utc>,
}

impl From<SmtpView> for SmtpSettings {
    fn from(view: SmtpView) -> Self {
        Self {
            host: view.host,
            port: i32::from(view.port),
            tls: view.tls.into(),
            username: view.username,
            has_password: view.has_password,
            from_address: view.from_address,
            updated_at: view.updated_at,
        }
    }
}

#[derive(InputObject)]
pub struct SmtpSettingsInput {
    pub host: String,
    pub port: i32,
    pub tls: SmtpTlsMode,
    pub username: Option<String>,
    /// Left out, the stored password is kept; empty, it is removed.
    pub password: Option<String>,
    pub from_address: String,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jamaa_core::model::notifications::DeliveryStatus")]
pub enum DeliveryStatus {
    Pending,
    Delivered,
    Skipped,
    Dead,
}

/// One event to deliver on one channel.
#[derive(SimpleObject)]
pub struct NotificationDelivery {
    pub id: ID,
    pub event_id: ID,
    pub request_id: ID,
    pub sequence: i64,
    /// `webhook` or `email`.
    pub channel: String,
    pub endpoint_id: Option<ID>,
    pub status: DeliveryStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub delivered_at: Option<DateTime<Utc>>,
}

impl From<DeliveryRecord> for NotificationDelivery {
    fn from(record: DeliveryRecord) -> Self {
        Self {
            id: ID(record.id.to_string()),
            event_id: ID(record.event_id.to_string()),
            request_id: ID(record.request_id.to_string()),
            sequence: record.sequence,
            channel: record.channel.as_str().to_owned(),
            endpoint_id: record.endpoint_id.map(|id| ID(id.to_string())),
            status: record.status.into(),
            attempts: record.attempts,
            next_attempt_at: record.next_attempt_at,
            last_error: record.last_error,
            delivered_at: record.delivered_at,
        }
    }
}

/// A change of a request, as subscribers get it.
#[derive(SimpleObject, Clone)]
pub struct RequestUpdate {
    pub request_id: ID,
    pub tracking_code: String,
    /// The event's number among the request's events: 1 for the submission.
    pub sequence: i64,
    /// `request.submitted`, `request.state_changed`, `request.message`, `request.assigned` or
    /// `request.deadline`.
    pub event: String,
    pub state: String,
    pub version: i64,
    pub occurred_at: DateTime<Utc>,
}

impl From<Notice> for RequestUpdate {
    fn from(notice: Notice) -> Self {
        Self {
            request_id: ID(notice.request_id.to_string()),
            tracking_code: notice.tracking_code,
            sequence: notice.sequence,
            event: notice.kind.as_str().to_owned(),
            state: notice.state,
            version: notice.version,
            occurred_at: notice.occurred_at,
        }
    }
}

#[derive(Default)]
pub struct NotificationQuery;

#[Object]
impl NotificationQuery {
    /// The commune's webhook endpoints (its administrators).
    async fn webhook_endpoints(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Listing<WebhookEndpoint>> {
        let call = InCommune::new(ctx, commune, None).await?;
        let list = call.jamaa.webhook_endpoints(call.principal, &call.commune).await.in_lang(&call)?;
        in_memory(list, first, after, call.locale(), |endpoint| endpoint.id.to_string(), Into::into)
    }

    /// The commune's SMTP relay for e-mail notifications, if set (its administrators).
    async fn smtp_settings(&self, ctx: &Context<'_>, commune: Option<String>) -> Result<Option<SmtpSettings>> {
        let call = InCommune::new(ctx, commune, None).await?;
        let view = call.jamaa.smtp_settings(call.principal, &call.commune).await.in_lang(&call)?;
        Ok(view.map(Into::into))
    }

    /// The commune's notification deliveries, newest first; `status: DEAD` lists the dead letters.
    async fn notification_deliveries(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        status: Option<DeliveryStatus>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Listing<NotificationDelivery>> {
        let call = InCommune::new(ctx, commune, None).await?;
        let after = after_key(after, |c| c.parse::<uuid::Uuid>().ok())?;
        let page = call
            .jamaa
            .notification_deliveries(
                call.principal,
                &call.commune,
                status.map(Into::into),
                after,
                page_size(first, call.locale())?,
            )
            .await
            .in_lang(&call)?;
        Ok(connection(after.is_some(), page, |delivery| (delivery.id.to_string(), delivery.into())))
    }
}

#[derive(Default)]
pub struct NotificationMutation;

#[Object]
impl NotificationMutation {
    /// Adds a webhook endpoint (the commune's administrators). The signing secret is in the answer, once.
    async fn create_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: Option<String>,
        input: WebhookEndpointInput,
    ) -> Result<CreatedWebhookEndpoint> {
        let call = InCommune::new(ctx, commune, None).await?;
        let created = call
            .jamaa
            .create_webhook_endpoint(
                call.principal,
                &call.commune,
                &input.url,
                &input.events,
                EndpointLimits { max_in_flight: input.max_in_flight, timeout_seconds: input.timeout_seconds },
            )
            .await
            .in_lang(&call)?;
        Ok(CreatedWebhookEndpoint {
            endpoint: created.endpoint.into(),
            secret: created.secret.expose_secret().to_owned(),
        })
    }

    /// Sets how many deliveries may be in flight to a webhook endpoint and how long it may take to answer (the
    /// commune's administrators); unset parts go back to their defaults.
    async fn update_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        id: ID,
        input: WebhookEndpointLimitsInput,
    ) -> Result<WebhookEndpoint> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id: uuid::Uuid = subject_id(&id, "webhook endpoint").in_lang(&call)?;
        let limits = EndpointLimits { max_in_flight: input.max_in_flight, timeout_seconds: input.timeout_seconds };
        let endpoint =
            call.jamaa.set_webhook_endpoint_limits(call.principal, &call.commune, id, limits).await.in_lang(&call)?;
        Ok(endpoint.into())
    }

    /// Turns a webhook endpoint off (the commune's administrators).
    async fn delete_webhook_endpoint(&self, ctx: &Context<'_>, commune: Option<String>, id: ID) -> Result<bool> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id: uuid::Uuid = subject_id(&id, "webhook endpoint").in_lang(&call)?;
        call.jamaa.delete_webhook_endpoint(call.principal, &call.commune, id).await.in_lang(&call)?;
        Ok(true)
    }

    /// Sets the SMTP relay e-mail notifications go through (the commune's administrators).
    async fn set_smtp_settings(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        input: SmtpSettingsInput,
    ) -> Result<SmtpSettings> {
        let call = InCommune::new(ctx, commune, None).await?;
        let input = SmtpInput {
            host: input.host,
            port: u16::try_from(input.port).unwrap_or(0),
            tls: input.tls.into(),
            username: input.username,
            password: input.password.map(SecretString::from),
            from_address: input.from_address,
        };
        let view = call.jamaa.set_smtp_settings(call.principal, &call.commune, input).await.in_lang(&call)?;
        Ok(view.into())
    }

    /// Puts a dead delivery back in line (the commune's administrators).
    async fn replay_delivery(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        id: ID,
    ) -> Result<NotificationDelivery> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id: uuid::Uuid = subject_id(&id, "delivery").in_lang(&call)?;
        let record = call.jamaa.replay_delivery(call.principal, &call.commune, id).await.in_lang(&call)?;
        Ok(record.into())
    }
}

#[derive(Default)]
pub struct SubscriptionRoot;

/// The notices of one commune, optionally of one request, as they come.
/// The notices of one commune, optionally of one request, as they come, after `latest` (the request's latest
/// event when subscribed: sent first, and what was committed before it is not sent again).
fn updates(
    receiver: tokio::sync::broadcast::Receiver<Notice>,
    tenant: TenantId,
    request: Option<RequestId>,
    latest: Option<Notice>,
) -> impl Stream<Item = RequestUpdate> + use<> {
    let after = latest.as_ref().map_or(0, |n| n.sequence);
    let first = tokio_stream::iter(latest.map(RequestUpdate::from));
    let next = BroadcastStream::new(receiver).filter_map(move |notice| match notice {
        Ok(notice)
            if notice.tenant == tenant
                && request.is_none_or(|id| notice.request_id == id)
                && (request.is_none() || notice.sequence > after) =>
        {
            Some(RequestUpdate::from(notice))
        }
        // Others' notices, and the gap of a subscriber that fell behind.
        _ => None,
    });
    first.chain(next)
}

#[Subscription]
impl SubscriptionRoot {
    /// The latest event of one request, then each of its changes: as its applicant, with `trackingCode` and `secret`; as the commune's staff,
    /// with `id` (and `commune`, else the staff's own).
    async fn request_updated(
        &self,
        ctx: &Context<'_>,
        tracking_code: Option<String>,
        secret: Option<String>,
        commune: Option<String>,
        id: Option<ID>,
    ) -> Result<impl Stream<Item = RequestUpdate> + use<>> {
        let jamaa = jamaa(ctx);
        // Subscribed first, so that nothing committed after the check is missed.
        let receiver = jamaa.notices();
        let (tenant, request, latest) = match (tracking_code, secret, id) {
            (Some(code), Some(secret), None) => {
                let call = Call::new(ctx);
                jamaa.follow_request_as_applicant(&code, &SecretString::from(secret)).await.in_lang(&call)?
            }
            (None, None, Some(id)) => {
                let call = InCommune::new(ctx, commune, None).await?;
                let id: RequestId = subject_id(&id, "request").in_lang(&call)?;
                jamaa.follow_request(call.principal, &call.commune, id).await.in_lang(&call)?
            }
            _ => {
                return Err(jamaa_core::Error::field(
                    "id",
                    jamaa_core::error::FieldErrorCode::Required,
                    jamaa_core::model::form::messages::tracking_code_and_secret_or_id(),
                ))
                .in_lang(&Call::new(ctx));
            }
        };
        Ok(updates(receiver, tenant, Some(request), latest))
    }

    /// The changes of every request of the commune (its staff).
    async fn inbox_changed(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
    ) -> Result<impl Stream<Item = RequestUpdate> + use<>> {
        let jamaa = jamaa(ctx);
        let receiver = jamaa.notices();
        let call = InCommune::new(ctx, commune, None).await?;
        let tenant = jamaa.follow_inbox(call.principal, &call.commune).await.in_lang(&call)?;
        Ok(updates(receiver, tenant, None, None))
    }
}
