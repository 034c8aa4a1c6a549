//! Notifications: the commune admin's webhook endpoints, SMTP relay and dead letters; what the dispatcher
//! claims and reports; and who may subscribe to which changes. The outbox itself is written with each recorded
//! step of a request (`lifecycle::record_step` writes it through `store::notifications::record_transition`).

use std::time::Duration;

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;

use crate::auth::{self, Permission, Principal};
use crate::crypto;
use crate::error::{Error, FieldError, FieldErrorCode};
use crate::model::audit::{AuditKind, AuditSubject, NewEvent};
use crate::model::commune::Commune;
use crate::model::form::{FieldKind, messages};
use crate::model::i18n::{Locale, LocalizedText};
use crate::model::ids::{RequestId, TenantId};
use crate::model::notifications::{DeliveryChannel, DeliveryStatus, EventKind, RetryPolicy};
use crate::model::request::TrackingCode;
use crate::store::notifications::{self as outbox, Attempt, DeliveryRecord, SmtpRecord, WebhookEndpointRecord};
use crate::store::{TenantScope, TenantTx, audit, catalog, communes, keys, requests};

use super::{CountedPage, Jamaa, MAX_PAGE_SIZE, personal};

pub use crate::model::notifications::SmtpTls;
pub use crate::store::notifications::Notice;

/// The SMTP settings an admin gives.
#[derive(Clone, Debug)]
pub struct SmtpInput {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    pub username: Option<String>,
    /// `None` keeps the password already stored.
    pub password: Option<SecretString>,
    pub from_address: String,
}

/// The SMTP settings as the admin sees them: never the password.
#[derive(Clone, Debug, PartialEq)]
pub struct SmtpView {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    pub username: Option<String>,
    pub has_password: bool,
    pub from_address: String,
    pub updated_at: DateTime<Utc>,
}

/// How much a webhook endpoint takes: deliveries in flight at once and the time to answer each. Unset parts
/// take their defaults.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EndpointLimits {
    /// 1 to [`MAX_IN_FLIGHT`]; [`DEFAULT_IN_FLIGHT`] unset.
    pub max_in_flight: Option<i32>,
    /// 1 to [`MAX_TIMEOUT_SECONDS`]; [`DEFAULT_TIMEOUT_SECONDS`] unset.
    pub timeout_seconds: Option<i32>,
}

/// Deliveries in flight to one endpoint at once unless its commune sets another number (a commune setting).
pub const DEFAULT_IN_FLIGHT: u32 = 4;
/// The most a commune may set.
pub const MAX_IN_FLIGHT: u32 = 16;
/// The seconds an endpoint has to answer unless its commune sets another (a commune setting).
pub const DEFAULT_TIMEOUT_SECONDS: u32 = 10;
/// The most a commune may set.
pub const MAX_TIMEOUT_SECONDS: u32 = 30;

impl EndpointLimits {
    /// The limits, checked (each failure at `input.<field>`), defaults filled in.
    fn check(self, problems: &mut Vec<FieldError>) -> (u32, u32) {
        let mut bounded = |value: Option<i32>, default: u32, max: u32, path: &str| match value {
            None => default,
            Some(v) if v >= 1 && u32::try_from(v).is_ok_and(|v| v <= max) => u32::try_from(v).unwrap_or(default),
            Some(_) => {
                problems
                    .push(invalid(format!("input.{path}"), messages::out_of_range(Some(1.0), Some(f64::from(max)))));
                default
            }
        };
        let in_flight = bounded(self.max_in_flight, DEFAULT_IN_FLIGHT, MAX_IN_FLIGHT, "maxInFlight");
        let timeout = bounded(self.timeout_seconds, DEFAULT_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS, "timeoutSeconds");
        (in_flight, timeout)
    }
}

/// A webhook endpoint and its signing secret, shown this once.
#[derive(Debug)]
pub struct CreatedEndpoint {
    pub endpoint: WebhookEndpointRecord,
    pub secret: SecretString,
}

/// A delivery the dispatcher holds the lease of, with everything needed to make it.
#[derive(Debug)]
pub struct ClaimedDelivery {
    pub tenant: TenantId,
    pub id: uuid::Uuid,
    pub event_id: uuid::Uuid,
    pub request_id: RequestId,
    pub sequence: i64,
    pub attempts: i32,
    pub target: DeliveryTarget,
}

/// Where a delivery goes.
#[derive(Debug)]
pub enum DeliveryTarget {
    /// POST `body` to `url`, signed with `secret`.
    Webhook {
        url: String,
        secret: SecretString,
        kind: EventKind,
        body: Vec<u8>,
        /// The endpoint's: deliveries to one endpoint are limited apart from the others'.
        endpoint: uuid::Uuid,
        /// How long the endpoint may take to answer.
        timeout: Duration,
    },
    Email(EmailMessage),
    /// Nothing to send: the form had no e-mail address, or the endpoint is gone.
    Nothing,
}

/// An e-mail to send through the commune's relay. The recipient is personal data: never logged.
#[derive(Debug)]
pub struct EmailMessage {
    pub smtp: SmtpConfig,
    pub to: SecretString,
    pub subject: String,
    pub body: String,
}

/// The commune's relay, its password opened.
#[derive(Debug)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    pub username: Option<String>,
    pub password: Option<SecretString>,
    pub from_address: String,
}

/// The header a webhook carries its signature in.
pub const SIGNATURE_HEADER: &str = "Jamaa-Signature";

/// `t=<unix seconds>,v1=<hex of HMAC-SHA256(secret, "<t>.<body>")>`: the value of [`SIGNATURE_HEADER`].
pub fn sign_webhook(secret: &SecretString, timestamp: i64, body: &[u8]) -> Result<String, Error> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.expose_secret().as_bytes())
        .map_err(|_| Error::internal("bad webhook secret"))?;
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    Ok(format!("t={timestamp},v1={}", hex::encode(mac.finalize().into_bytes())))
}

/// A refused setting of webhooks or e-mail, for the commune's administrators.
fn invalid(path: impl Into<String>, message: LocalizedText) -> FieldError {
    FieldError::new(path, FieldErrorCode::InvalidValue, message)
}

/// A webhook URL: http or https, a host, no spaces, not too long.
fn check_url(url: &str) -> bool {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/'))
        && url.len() <= 2000
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

impl Jamaa {
    async fn admin_tx(&self, principal: &Principal, commune: &Commune) -> Result<TenantTx, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageNotifications)?;
        self.store.tenant_tx(scope).await
    }

    /// Adds a webhook endpoint to the commune (its admin): events of the kinds listed (all when none) are
    /// POSTed there, signed with a new secret shown this once and stored sealed.
    pub async fn create_webhook_endpoint(
        &self,
        principal: &Principal,
        commune: &Commune,
        url: &str,
        events: &[String],
        limits: EndpointLimits,
    ) -> Result<CreatedEndpoint, Error> {
        let tx = self.admin_tx(principal, commune).await?;
        let url = url.trim();
        let mut problems = Vec::new();
        let (max_in_flight, timeout_seconds) = limits.check(&mut problems);
        if !check_url(url) {
            problems.push(invalid("input.url", messages::webhook_url()));
        }
        for (i, event) in events.iter().enumerate() {
            if event.parse::<EventKind>().is_err() {
                let kinds: Vec<&str> = EventKind::ALL.iter().map(|kind| kind.as_str()).collect();
                problems.push(invalid(format!("input.events.{i}"), messages::unknown_webhook_event(&kinds)));
            }
        }
        if !problems.is_empty() {
            return Err(Error::Validation(problems));
        }
        let now = self.now();
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let secret = SecretString::from(format!("whsec_{}", hex::encode(bytes)));
        let id = uuid::Uuid::now_v7();
        let (key_id, key) = keys::current(&tx, &self.keyring, now).await?;
        let sealed = crypto::seal(&key, secret.expose_secret().as_bytes(), id.as_bytes())?;
        let mut kinds: Vec<String> = events.to_vec();
        kinds.sort();
        kinds.dedup();
        let endpoint = WebhookEndpointRecord {
            id,
            url: url.to_owned(),
            events: kinds,
            active: true,
            max_in_flight,
            timeout_seconds,
            created_at: now,
            secret: sealed,
            data_key_id: key_id,
        };
        outbox::insert_endpoint(&tx, &endpoint).await?;
        audit::append(
            &tx,
            NewEvent::new(
                principal.actor(),
                AuditKind::WebhookCreated,
                AuditSubject::Webhook(id),
                serde_json::json!({
                    "url": endpoint.url,
                    "events": endpoint.events,
                    "maxInFlight": max_in_flight,
                    "timeoutSeconds": timeout_seconds,
                }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(CreatedEndpoint { endpoint, secret })
    }

    /// The commune's webhook endpoints (its admin).
    pub async fn webhook_endpoints(
        &self,
        principal: &Principal,
        commune: &Commune,
    ) -> Result<Vec<WebhookEndpointRecord>, Error> {
        let tx = self.admin_tx(principal, commune).await?;
        let endpoints = outbox::endpoints(&tx).await?;
        tx.commit().await?;
        Ok(endpoints)
    }

    /// Sets how many deliveries may be in flight to an endpoint and how long it may take to answer (its admin);
    /// unset parts go back to their defaults.
    pub async fn set_webhook_endpoint_limits(
        &self,
        principal: &Principal,
        commune: &Commune,
        id: uuid::Uuid,
        limits: EndpointLimits,
    ) -> Result<WebhookEndpointRecord, Error> {
        let tx = self.admin_tx(principal, commune).await?;
        let mut problems = Vec::new();
        let (max_in_flight, timeout_seconds) = limits.check(&mut problems);
        if !problems.is_empty() {
            return Err(Error::Validation(problems));
        }
        if !outbox::set_endpoint_limits(&tx, id, max_in_flight, timeout_seconds).await? {
            return Err(Error::NotFound("webhook endpoint"));
        }
        let now = self.now();
        audit::append(
            &tx,
            NewEvent::new(
                principal.actor(),
                AuditKind::WebhookUpdated,
                AuditSubject::Webhook(id),
                serde_json::json!({ "maxInFlight": max_in_flight, "timeoutSeconds": timeout_seconds }),
            ),
            now,
        )
        .await?;
        let endpoint = outbox::endpoint(&tx, id).await?.ok_or(Error::NotFound("webhook endpoint"))?;
        tx.commit().await?;
        Ok(endpoint)
    }

    /// Turns a webhook endpoint off (its admin): nothing more goes there.
    pub async fn delete_webhook_endpoint(
        &self,
        principal: &Principal,
        commune: &Commune,
        id: uuid::Uuid,
    ) -> Result<(), Error> {
        let tx = self.admin_tx(principal, commune).await?;
        if !outbox::deactivate_endpoint(&tx, id).await? {
            return Err(Error::NotFound("webhook endpoint"));
        }
        let now = self.now();
        audit::append(
            &tx,
            NewEvent::new(
                principal.actor(),
                AuditKind::WebhookDeleted,
                AuditSubject::Webhook(id),
                serde_json::json!({}),
            ),
            now,
        )
        .await?;
        tx.commit().await
    }

    /// Sets the commune's SMTP relay for e-mail notifications (its admin); the password is stored sealed.
    pub async fn set_smtp_settings(
        &self,
        principal: &Principal,
        commune: &Commune,
        input: SmtpInput,
    ) -> Result<SmtpView, Error> {
        let tx = self.admin_tx(principal, commune).await?;
        let mut problems = Vec::new();
        let host = input.host.trim();
        if host.is_empty() || host.len() > 255 || host.chars().any(|c| c.is_whitespace() || c == '/') {
            problems.push(invalid("input.host", messages::smtp_host()));
        }
        if input.port == 0 {
            problems.push(invalid("input.port", messages::smtp_port()));
        }
        let from = input.from_address.trim();
        if from.parse::<lettre_free::Address>().is_err() {
            problems.push(invalid("input.fromAddress", messages::invalid_email()));
        }
        if !problems.is_empty() {
            return Err(Error::Validation(problems));
        }
        let now = self.now();
        let previous = outbox::smtp(&tx).await?;
        let (password, data_key_id) = match &input.password {
            Some(password) if !password.expose_secret().is_empty() => {
                let (key_id, key) = keys::current(&tx, &self.keyring, now).await?;
                let context = smtp_context(tx.tenant_uuid());
                (Some(crypto::seal(&key, password.expose_secret().as_bytes(), &context)?), Some(key_id))
            }
            Some(_) => (None, None),
            None => previous.map(|p| (p.password, p.data_key_id)).unwrap_or((None, None)),
        };
        let record = SmtpRecord {
            host: host.to_owned(),
            port: input.port,
            tls: input.tls,
            username: input.username.map(|u| u.trim().to_owned()).filter(|u| !u.is_empty()),
            from_address: from.to_owned(),
            updated_at: now,
            password,
            data_key_id,
        };
        outbox::put_smtp(&tx, &record).await?;
        audit::append(
            &tx,
            NewEvent::new(
                principal.actor(),
                AuditKind::SmtpUpdated,
                AuditSubject::Smtp,
                serde_json::json!({ "host": record.host, "port": record.port, "tls": record.tls.as_str() }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(smtp_view(record))
    }

    /// The commune's SMTP relay, if set (its admin); never the password.
    pub async fn smtp_settings(&self, principal: &Principal, commune: &Commune) -> Result<Option<SmtpView>, Error> {
        let tx = self.admin_tx(principal, commune).await?;
        let record = outbox::smtp(&tx).await?;
        tx.commit().await?;
        Ok(record.map(smtp_view))
    }

    /// A page of the commune's deliveries, newest first, optionally in one status (`dead` for the dead letters),
    /// after the delivery `after`, with their number in all.
    pub async fn notification_deliveries(
        &self,
        principal: &Principal,
        commune: &Commune,
        status: Option<DeliveryStatus>,
        after: Option<uuid::Uuid>,
        first: u64,
    ) -> Result<CountedPage<DeliveryRecord>, Error> {
        let first = first.clamp(1, MAX_PAGE_SIZE);
        let tx = self.admin_tx(principal, commune).await?;
        let mut items = outbox::deliveries(&tx, status, after, first + 1).await?;
        let total = outbox::delivery_count(&tx, status).await?;
        tx.commit().await?;
        let has_next = items.len() as u64 > first;
        items.truncate(usize::try_from(first).unwrap_or(usize::MAX));
        Ok(CountedPage { items, has_next, total })
    }

    /// Puts a dead delivery back in line (its admin): it is tried again from the first attempt, and the later
    /// events of its request follow it.
    pub async fn replay_delivery(
        &self,
        principal: &Principal,
        commune: &Commune,
        id: uuid::Uuid,
    ) -> Result<DeliveryRecord, Error> {
        let tx = self.admin_tx(principal, commune).await?;
        let now = self.now();
        if outbox::delivery(&tx, id).await?.is_none() {
            return Err(Error::NotFound("delivery"));
        }
        if !outbox::replay(&tx, id, now).await? {
            return Err(Error::Conflict("only a dead delivery is replayed".into()));
        }
        audit::append(
            &tx,
            NewEvent::new(
                principal.actor(),
                AuditKind::DeliveryReplayed,
                AuditSubject::Delivery(id),
                serde_json::json!({}),
            ),
            now,
        )
        .await?;
        let record = outbox::delivery(&tx, id).await?.ok_or(Error::NotFound("delivery"))?;
        tx.commit().await?;
        Ok(record)
    }

    /// Claims up to `limit` deliveries that may go now, for `lease` (the dispatcher `owner` must finish them
    /// before it runs out, or another may take them). Only the first undelivered event of each request and
    /// channel is ever claimed, so events go out in order; no more deliveries to a webhook endpoint are in
    /// flight at once, on every server together, than the endpoint takes.
    pub async fn claim_deliveries(
        &self,
        owner: &str,
        lease: Duration,
        limit: usize,
    ) -> Result<Vec<ClaimedDelivery>, Error> {
        let now = self.now();
        let until = now + chrono::Duration::from_std(lease).map_err(Error::internal)?;
        let mut claimed = Vec::new();
        for tenant in outbox::tenants_with_due_deliveries(&self.store, now).await? {
            if claimed.len() >= limit {
                break;
            }
            let tx = self.store.tenant_tx(TenantScope::new(tenant)).await?;
            let ready = outbox::ready(&tx, now, 500).await?;
            // The room of each endpoint, its row locked in the order of the ids (so that two servers never wait
            // on each other); an endpoint that is gone has room: its deliveries are skipped.
            let mut endpoints: Vec<uuid::Uuid> =
                ready.iter().filter(|r| r.channel == DeliveryChannel::Webhook).filter_map(|r| r.endpoint_id).collect();
            endpoints.sort();
            endpoints.dedup();
            let mut room = std::collections::HashMap::new();
            for endpoint in endpoints {
                room.insert(endpoint, outbox::endpoint_room(&tx, endpoint, now).await?.unwrap_or(u32::MAX));
            }
            for record in ready {
                if claimed.len() >= limit {
                    break;
                }
                let endpoint = record.endpoint_id.filter(|_| record.channel == DeliveryChannel::Webhook);
                if endpoint.and_then(|e| room.get(&e)) == Some(&0) {
                    continue;
                }
                if !outbox::claim(&tx, &record, owner, now, until).await? {
                    continue;
                }
                if let Some(left) = endpoint.and_then(|e| room.get_mut(&e)) {
                    *left = left.saturating_sub(1);
                }
                let target = self.target(&tx, &record, now).await?;
                claimed.push(ClaimedDelivery {
                    tenant,
                    id: record.id,
                    event_id: record.event_id,
                    request_id: record.request_id,
                    sequence: record.sequence,
                    attempts: record.attempts,
                    target,
                });
            }
            tx.commit().await?;
        }
        Ok(claimed)
    }

    /// Records what became of a claimed delivery: delivered, or failed (`error`, without personal data), then
    /// retried after the policy's back-off or given up.
    pub async fn finish_delivery(
        &self,
        owner: &str,
        delivery: &ClaimedDelivery,
        result: Result<(), String>,
        policy: &RetryPolicy,
    ) -> Result<(), Error> {
        let now = self.now();
        let attempt = match (&delivery.target, result) {
            (DeliveryTarget::Nothing, _) => Attempt::Skipped,
            (_, Ok(())) => Attempt::Delivered,
            (_, Err(error)) => {
                let attempts = u32::try_from(delivery.attempts).unwrap_or(0) + 1;
                let retry_at = policy
                    .after_failure(attempts)
                    .and_then(|wait| chrono::Duration::from_std(wait).ok())
                    .map(|wait| now + wait);
                let error: String = error.chars().take(300).collect();
                Attempt::Failed { error, retry_at }
            }
        };
        let tx = self.store.tenant_tx(TenantScope::new(delivery.tenant)).await?;
        let held = outbox::finish(&tx, delivery.id, owner, &attempt, now).await?;
        tx.commit().await?;
        if !held {
            tracing::warn!(delivery.id = %delivery.id, "the lease of a delivery ran out before it was finished");
        }
        Ok(())
    }

    /// What a claimed delivery sends, read in the claim's transaction.
    async fn target(
        &self,
        tx: &TenantTx,
        record: &DeliveryRecord,
        now: DateTime<Utc>,
    ) -> Result<DeliveryTarget, Error> {
        let event = outbox::event(tx, record.event_id).await?;
        match record.channel {
            DeliveryChannel::Webhook => {
                let Some(endpoint) = (match record.endpoint_id {
                    Some(id) => outbox::endpoint(tx, id).await?,
                    None => None,
                }) else {
                    return Ok(DeliveryTarget::Nothing);
                };
                if !endpoint.active {
                    return Ok(DeliveryTarget::Nothing);
                }
                let key = keys::by_id(tx, &self.keyring, endpoint.data_key_id).await?;
                let secret = crypto::open(&key, &endpoint.secret, endpoint.id.as_bytes())?;
                let secret = SecretString::from(String::from_utf8(secret).map_err(Error::internal)?);
                let body = serde_json::to_vec(&event.payload).map_err(Error::internal)?;
                Ok(DeliveryTarget::Webhook {
                    url: endpoint.url,
                    secret,
                    kind: event.kind,
                    body,
                    endpoint: endpoint.id,
                    timeout: Duration::from_secs(u64::from(endpoint.timeout_seconds)),
                })
            }
            DeliveryChannel::Email => self.email(tx, &event, now).await,
        }
    }

    /// The e-mail of an event to its requester, in the request's language; the address is opened from the
    /// sealed personal data (and the opening recorded), never logged.
    async fn email(
        &self,
        tx: &TenantTx,
        event: &outbox::OutboxEvent,
        now: DateTime<Utc>,
    ) -> Result<DeliveryTarget, Error> {
        let Some(smtp) = outbox::smtp(tx).await? else { return Ok(DeliveryTarget::Nothing) };
        let Some(record) = requests::by_id(tx, event.request_id).await? else { return Ok(DeliveryTarget::Nothing) };
        let service = catalog::service_version(tx, record.service_id, record.workflow_id).await?;
        let form = &service.definition.form;
        let Some(field) = form.fields.iter().find(|f| f.personal && f.kind == FieldKind::Email) else {
            return Ok(DeliveryTarget::Nothing);
        };
        let personal = personal::open(tx, &self.keyring, &record).await?;
        let Some(to) = personal.get(&field.key).and_then(|v| v.as_str()).filter(|v| !v.is_empty()) else {
            return Ok(DeliveryTarget::Nothing);
        };
        let to = SecretString::from(to.to_owned());
        audit::append(
            tx,
            NewEvent::new(
                "notifications",
                AuditKind::PersonalDataRead,
                AuditSubject::Request(record.id),
                serde_json::json!({ "trackingCode": record.tracking_code, "fields": [field.key], "for": "email" }),
            ),
            now,
        )
        .await?;
        let commune = communes::by_id(tx.conn(), tx.cache(), TenantId::from_uuid(tx.tenant_uuid()))
            .await?
            .ok_or(Error::NotFound("commune"))?;
        let locale = outbox::locale(tx, record.id)
            .await?
            .and_then(|l| l.parse::<Locale>().ok())
            .unwrap_or(commune.spec.default_locale);
        let fallbacks = commune.fallbacks();
        let text = |t: &LocalizedText| t.get(locale, &fallbacks).to_owned();
        let state = service.definition.workflow.state(&record.state).map(|s| text(&s.label)).unwrap_or_default();
        let code = record.tracking_code.to_string();
        let service_name = text(&service.definition.name);
        let commune_name = text(&commune.spec.name);
        let kind = event.kind;
        let (subject, lead) = email_texts(kind, locale, &fallbacks, &code, &service_name, &state);
        let mut body = format!("{lead}\n");
        if let Some(message) = event.payload["message"].as_str() {
            body.push_str(&format!("\n{message}\n"));
        }
        body.push_str(&format!("\n— {commune_name}\n"));
        let password = match (&smtp.password, smtp.data_key_id) {
            (Some(sealed), Some(key_id)) => {
                let key = keys::by_id(tx, &self.keyring, key_id).await?;
                let bytes = crypto::open(&key, sealed, &smtp_context(tx.tenant_uuid()))?;
                Some(SecretString::from(String::from_utf8(bytes).map_err(Error::internal)?))
            }
            _ => None,
        };
        Ok(DeliveryTarget::Email(EmailMessage {
            smtp: SmtpConfig {
                host: smtp.host,
                port: smtp.port,
                tls: smtp.tls,
                username: smtp.username,
                password,
                from_address: smtp.from_address,
            },
            to,
            subject: format!("{commune_name} — {subject}"),
            body,
        }))
    }

    /// The changes of requests committed from now on, on this server.
    pub fn notices(&self) -> tokio::sync::broadcast::Receiver<Notice> {
        self.store.notices()
    }

    /// Hears the changes the other servers sharing the database commit, for as long as it runs (a server runs it
    /// beside its work): on PostgreSQL the changes of requests go to this server's subscribers, a change of a
    /// commune's website origins re-reads them, and a change of a commune's row drops what this server holds of
    /// the communes; on SQLite it watches the file for other processes' commits. While it runs, catalog reads take
    /// the communes from memory ([`crate::store::fanout`]).
    pub async fn follow_other_servers(&self) {
        let Some(mut listener) = self.store.listener() else { return self.store.watch_file().await };
        loop {
            if let crate::store::fanout::Heard::SiteOrigins(_) = listener.next().await
                && let Err(error) = self.refresh_site_origins().await
            {
                tracing::error!(error = %error, code = error.code(), "the communes' site origins were not re-read");
            }
        }
    }

    /// The request a citizen may follow, by its tracking code and secret, and its latest event; a wrong
    /// secret and an unknown code are the same NOT_FOUND.
    pub async fn follow_request_as_applicant(
        &self,
        tracking_code: &str,
        secret: &SecretString,
    ) -> Result<(TenantId, RequestId, Option<Notice>), Error> {
        let code = TrackingCode::parse(tracking_code).map_err(|_| Error::NotFound("request"))?;
        let commune = communes::by_tracking_prefix(self.store.conn(), self.store.cache(), code.prefix())
            .await?
            .ok_or(Error::NotFound("request"))?;
        let scope = Principal::Anonymous.authorize(commune.id, Permission::ReadCatalog)?;
        let tx = self.store.tenant_tx(scope).await?;
        let record = match requests::by_tracking_code(&tx, &code).await? {
            Some(record) if auth::secret_matches(&super::lifecycle::normalize_secret(secret), &record.secret_hash) => {
                record
            }
            _ => return Err(Error::NotFound("request")),
        };
        let latest = outbox::latest_notice(&tx, record.id).await?;
        tx.commit().await?;
        Ok((commune.id, record.id, latest))
    }

    /// A request of the commune its staff may follow, and its latest event.
    pub async fn follow_request(
        &self,
        principal: &Principal,
        commune: &Commune,
        id: RequestId,
    ) -> Result<(TenantId, RequestId, Option<Notice>), Error> {
        let scope = principal.authorize(commune.id, Permission::ReadRequests)?;
        let tx = self.store.tenant_tx(scope).await?;
        let record = requests::by_id(&tx, id).await?.ok_or(Error::NotFound("request"))?;
        let latest = outbox::latest_notice(&tx, record.id).await?;
        tx.commit().await?;
        Ok((commune.id, record.id, latest))
    }

    /// The commune whose inbox its staff may follow.
    pub async fn follow_inbox(&self, principal: &Principal, commune: &Commune) -> Result<TenantId, Error> {
        principal.authorize(commune.id, Permission::ReadRequests)?;
        Ok(commune.id)
    }
}

/// What the SMTP password is sealed to: the commune's relay.
fn smtp_context(tenant: uuid::Uuid) -> Vec<u8> {
    let mut context = b"smtp:".to_vec();
    context.extend_from_slice(tenant.as_bytes());
    context
}

fn smtp_view(record: SmtpRecord) -> SmtpView {
    SmtpView {
        host: record.host,
        port: record.port,
        tls: record.tls,
        username: record.username,
        has_password: record.password.is_some(),
        from_address: record.from_address,
        updated_at: record.updated_at,
    }
}

/// The subject and first line of an e-mail, in `locale`.
fn email_texts(
    kind: EventKind,
    locale: Locale,
    fallbacks: &[Locale],
    code: &str,
    service: &str,
    state: &str,
) -> (String, String) {
    let subject = match kind {
        EventKind::Submitted => {
            LocalizedText::ar_fr(format!("تم استلام طلبكم {code}"), format!("Votre demande {code} est reçue"))
                .with(Locale::En, format!("Your request {code} was received"))
                .with(Locale::Tzm, format!("ⵜⵜⵓⵔⵎⵙ ⵜⵓⵜⵔⴰ ⵏⵏⵓⵏ {code}"))
        }
        EventKind::StateChanged => {
            LocalizedText::ar_fr(format!("طلبكم {code}: {state}"), format!("Votre demande {code} : {state}"))
                .with(Locale::En, format!("Your request {code}: {state}"))
                .with(Locale::Tzm, format!("ⵜⵓⵜⵔⴰ ⵏⵏⵓⵏ {code}: {state}"))
        }
        // Assignment and deadline steps make no e-mail; should one be sent, it reads like a message.
        EventKind::Message | EventKind::Assigned | EventKind::Deadline => {
            LocalizedText::ar_fr(format!("رسالة بخصوص طلبكم {code}"), format!("Un message sur votre demande {code}"))
                .with(Locale::En, format!("A message about your request {code}"))
                .with(Locale::Tzm, format!("ⵜⵓⵣⵉⵏⵜ ⵅⴼ ⵜⵓⵜⵔⴰ ⵏⵏⵓⵏ {code}"))
        }
    };
    let lead = LocalizedText::ar_fr(
        format!("طلبكم {code} ({service}) في المرحلة: {state}."),
        format!("Votre demande {code} ({service}) en est à l'étape : {state}."),
    )
    .with(Locale::En, format!("Your request {code} ({service}) is now at: {state}."))
    .with(Locale::Tzm, format!("ⵜⵓⵜⵔⴰ ⵏⵏⵓⵏ {code} ({service}) ⵜⵍⵍⴰ ⴷⵉ ⵜⴼⵍⵡⵉⵜ: {state}."));
    (subject.get(locale, fallbacks).to_owned(), lead.get(locale, fallbacks).to_owned())
}

/// A minimal e-mail address check (the validation of forms is stricter).
mod lettre_free {
    #[derive(Debug)]
    pub struct Address;

    impl std::str::FromStr for Address {
        type Err = ();

        fn from_str(text: &str) -> Result<Self, ()> {
            let (local, domain) = text.split_once('@').ok_or(())?;
            let ok = !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !text.chars().any(|c| c.is_whitespace() || c == '<' || c == '>');
            if ok { Ok(Address) } else { Err(()) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_cover_the_timestamp_and_the_body() {
        let secret = SecretString::from("whsec_test");
        let signature = sign_webhook(&secret, 1_700_000_000, b"{\"a\":1}").unwrap();
        assert!(signature.starts_with("t=1700000000,v1="));
        assert_eq!(signature, sign_webhook(&secret, 1_700_000_000, b"{\"a\":1}").unwrap());
        assert_ne!(signature, sign_webhook(&secret, 1_700_000_001, b"{\"a\":1}").unwrap());
        assert_ne!(signature, sign_webhook(&secret, 1_700_000_000, b"{\"a\":2}").unwrap());
        assert_ne!(signature, sign_webhook(&SecretString::from("other"), 1_700_000_000, b"{\"a\":1}").unwrap());
    }

    #[test]
    fn webhook_urls() {
        assert!(check_url("https://hooks.example.ma/jamaa"));
        assert!(check_url("http://127.0.0.1:8081/"));
        assert!(!check_url("ftp://example.ma"));
        assert!(!check_url("https://"));
        assert!(!check_url("https:///path"));
        assert!(!check_url("https://exa mple.ma"));
    }
}
