//! The notification dispatcher: a background task of `jamaa serve` that claims deliveries from the outbox
//! (with a lease in the database, so that two dispatchers never make one attempt at once; an attempt whose
//! answer comes too late is made again: at least once), each webhook endpoint at most as many at once as it
//! takes, makes each attempt on its own task (a slow endpoint holds back only its own), POSTs webhooks signed with
//! HMAC-SHA256 and sends e-mails through the commune's SMTP relay (lettre), and records each attempt: delivered,
//! retried with exponential back-off, or dead-lettered. It connects only where [`crate::outbound`] allows:
//! public addresses, checked when connecting, unless the operator allows a network.

use std::sync::Arc;
use std::time::Duration;

use jamaa_core::model::notifications::RetryPolicy;
use jamaa_core::service::{
    ClaimedDelivery, DeliveryTarget, EmailMessage, Jamaa, SIGNATURE_HEADER, SmtpTls, sign_webhook,
};
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;

use crate::outbound::{CheckedResolver, NOT_ALLOWED, NOT_DELIVERED, OutboundPolicy, Refused};

/// How the dispatcher works.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotifySettings {
    /// How often it looks for deliveries when idle.
    pub interval: Duration,
    pub retry: RetryPolicy,
    /// How long a claimed delivery is reserved for this server: longer than any attempt may take.
    pub lease: Duration,
    /// The longest an SMTP relay may take to answer, and a webhook endpoint at most (each endpoint has its own
    /// time, 10 s unless its commune sets another).
    pub timeout: Duration,
    /// Which addresses webhooks and SMTP relays may have: public ones, and the networks allowed here.
    pub outbound: OutboundPolicy,
}

impl Default for NotifySettings {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(2),
            retry: RetryPolicy::default(),
            lease: Duration::from_secs(300),
            timeout: Duration::from_secs(30),
            outbound: OutboundPolicy::default(),
        }
    }
}

/// Deliveries claimed at once, and the most one server has in flight.
const BATCH: usize = 50;

type HttpClient = hyper_util::client::legacy::Client<
    hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector<CheckedResolver>>,
    http_body_util::Full<axum::body::Bytes>,
>;

/// One dispatcher: its name in the leases it takes, and its HTTP client (https with the Web PKI roots, or
/// http; redirects are not followed).
pub struct Dispatcher {
    inner: Arc<Inner>,
}

struct Inner {
    jamaa: Jamaa,
    settings: NotifySettings,
    owner: String,
    http: HttpClient,
}

/// The attempts in flight: each delivery is made and recorded on its own task, so that a slow endpoint holds
/// back only its own deliveries.
type InFlight = tokio::task::JoinSet<Result<(), jamaa_core::Error>>;

impl Dispatcher {
    pub fn new(jamaa: Jamaa, settings: NotifySettings) -> anyhow::Result<Self> {
        // Names are resolved and checked by the policy; hyper connects to the addresses it returns.
        let resolver = CheckedResolver { policy: Arc::new(settings.outbound.clone()) };
        let mut http = hyper_util::client::legacy::connect::HttpConnector::new_with_resolver(resolver);
        http.enforce_http(false);
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_webpki_roots(rustls::crypto::ring::default_provider())?
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        let http = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build(connector);
        let owner = format!("dispatcher:{}", uuid::Uuid::now_v7());
        Ok(Self { inner: Arc::new(Inner { jamaa, settings, owner, http }) })
    }

    /// Works until the task is dropped: claims what may go at each interval and whenever an attempt ends, and
    /// makes each attempt on its own task (dropping the dispatcher drops them: their leases run out).
    pub async fn run(self) {
        self.run_until(std::future::pending()).await;
    }

    /// Like [`Dispatcher::run`], until `stop` completes: it then claims nothing more, and lets the attempts under
    /// way end (each within its endpoint's time) and be recorded.
    pub async fn run_until(self, stop: impl Future<Output = ()>) {
        let mut ticks = tokio::time::interval(self.inner.settings.interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut in_flight = InFlight::new();
        let mut stop = std::pin::pin!(stop);
        loop {
            tokio::select! {
                _ = ticks.tick() => {}
                Some(ended) = in_flight.join_next(), if !in_flight.is_empty() => log_ended(ended),
                () = &mut stop => break,
            }
            match self.claim_into(&mut in_flight).await {
                Ok(attempts) => crate::metrics::dispatcher_pass(attempts),
                Err(error) => tracing::error!(error = %error, code = error.code(), "notification dispatch failed"),
            }
        }
        while let Some(ended) = in_flight.join_next().await {
            log_ended(ended);
        }
    }

    /// Makes every delivery that may go now, the next events of a request as soon as the earlier went
    /// through, and returns when none is left to make now; returns how many attempts were made.
    pub async fn run_once(&self) -> Result<usize, jamaa_core::Error> {
        let mut in_flight = InFlight::new();
        let mut attempts = 0;
        let mut failed = None;
        loop {
            match self.claim_into(&mut in_flight).await {
                Ok(claimed) => attempts += claimed,
                Err(error) => {
                    failed = Some(error);
                    break;
                }
            }
            // Failures wait for their back-off: only a finished attempt may let another go now.
            match in_flight.join_next().await {
                None => break,
                Some(Ok(Err(error))) => {
                    failed = Some(error);
                    break;
                }
                Some(ended) => log_ended(ended),
            }
        }
        while let Some(ended) = in_flight.join_next().await {
            log_ended(ended);
        }
        match failed {
            Some(error) => Err(error),
            None => Ok(attempts),
        }
    }

    /// Claims what may go now (as much as this server has room for) and starts each attempt; returns how many.
    async fn claim_into(&self, in_flight: &mut InFlight) -> Result<usize, jamaa_core::Error> {
        let room = BATCH.saturating_sub(in_flight.len());
        if room == 0 {
            return Ok(0);
        }
        let inner = &self.inner;
        let claimed = inner.jamaa.claim_deliveries(&inner.owner, inner.settings.lease, room).await?;
        let count = claimed.len();
        for delivery in claimed {
            let inner = self.inner.clone();
            in_flight.spawn(async move {
                let result = inner.deliver(&delivery).await;
                if let Err(error) = &result {
                    tracing::info!(delivery.id = %delivery.id, request.id = %delivery.request_id, %error, "delivery failed");
                }
                inner.jamaa.finish_delivery(&inner.owner, &delivery, result, &inner.settings.retry).await
            });
        }
        Ok(count)
    }
}

/// Logs an attempt that could not be recorded (it is made again when its lease runs out).
fn log_ended(ended: Result<Result<(), jamaa_core::Error>, tokio::task::JoinError>) {
    match ended {
        Ok(Ok(())) => {}
        Ok(Err(error)) => tracing::error!(error = %error, code = error.code(), "a delivery could not be recorded"),
        Err(error) => tracing::error!(%error, "a delivery's task ended abnormally"),
    }
}

impl Inner {
    /// Makes one attempt. The error recorded for the commune is [`NOT_ALLOWED`] or [`NOT_DELIVERED`]: what
    /// answered (a status, a refused port, a timeout) is logged for the operator, never told to the tenant,
    /// for it would map the platform's network.
    async fn deliver(&self, delivery: &ClaimedDelivery) -> Result<(), String> {
        self.attempt(delivery).await.map_err(|failure| {
            tracing::info!(delivery.id = %delivery.id, detail = %failure.detail, "delivery attempt failed");
            if failure.refused { NOT_ALLOWED.to_owned() } else { NOT_DELIVERED.to_owned() }
        })
    }

    async fn attempt(&self, delivery: &ClaimedDelivery) -> Result<(), Failure> {
        match &delivery.target {
            DeliveryTarget::Webhook { url, secret, kind, body, timeout, .. } => {
                // Address literals never reach the resolver: they are checked here.
                let uri: axum::http::Uri = url.parse().map_err(|_| Failure::other("the webhook URL is not valid"))?;
                let host = uri.host().ok_or_else(|| Failure::other("the webhook URL has no host"))?;
                let bare = host.trim_start_matches('[').trim_end_matches(']');
                if let Ok(address) = bare.parse::<std::net::IpAddr>()
                    && !self.settings.outbound.permits(address)
                {
                    return Err(Failure::refused());
                }
                let timestamp = chrono::Utc::now().timestamp();
                let signature = sign_webhook(secret, timestamp, body).map_err(|e| Failure::other(e.to_string()))?;
                let request = axum::http::Request::post(url.as_str())
                    .header(axum::http::header::CONTENT_TYPE, "application/json")
                    .header(axum::http::header::USER_AGENT, concat!("jamaa/", env!("CARGO_PKG_VERSION")))
                    .header(SIGNATURE_HEADER, signature)
                    .header("Jamaa-Event", kind.as_str())
                    .header("Jamaa-Event-Id", delivery.event_id.to_string())
                    .header("Jamaa-Delivery", delivery.id.to_string())
                    .body(http_body_util::Full::new(axum::body::Bytes::from(body.clone())))
                    .map_err(|_| Failure::other("the webhook URL is not valid"))?;
                // The endpoint's own time to answer, never more than the server's bound.
                let timeout = (*timeout).min(self.settings.timeout.max(Duration::from_secs(1)));
                let response = tokio::time::timeout(timeout, self.http.request(request))
                    .await
                    .map_err(|_| Failure::other("timed out"))?
                    .map_err(|e| {
                        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&e);
                        let mut refused = false;
                        while let Some(error) = source {
                            refused |= error
                                .downcast_ref::<std::io::Error>()
                                .is_some_and(|io| io.kind() == std::io::ErrorKind::PermissionDenied);
                            source = error.source();
                        }
                        if refused { Failure::refused() } else { Failure::other(format!("{e:?}")) }
                    })?;
                let status = response.status();
                if status.is_success() { Ok(()) } else { Err(Failure::other(format!("HTTP {}", status.as_u16()))) }
            }
            DeliveryTarget::Email(message) => self.send_email(message).await,
            DeliveryTarget::Nothing => Ok(()),
        }
    }

    /// Sends an e-mail. Failures are described without the server's words, which may quote the address.
    /// The relay's name is resolved and checked here, and lettre connects to the checked address (TLS still
    /// verifies the certificate against the name).
    async fn send_email(&self, email: &EmailMessage) -> Result<(), Failure> {
        let smtp = &email.smtp;
        let address = match self.settings.outbound.resolve(&smtp.host, smtp.port).await {
            Ok(found) => found.first().copied().ok_or_else(|| Failure::other("no address"))?,
            Err(Refused::NotAllowed) => return Err(Failure::refused()),
            Err(Refused::Unresolved) => return Err(Failure::other("the SMTP host does not resolve")),
        };
        let tls = |name: &str| {
            TlsParameters::new(name.to_owned()).map_err(|_| Failure::other("the SMTP host is not a valid name"))
        };
        let builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(address.ip().to_string());
        let builder = match smtp.tls {
            SmtpTls::None => builder,
            SmtpTls::StartTls => builder.tls(Tls::Required(tls(&smtp.host)?)),
            SmtpTls::Tls => builder.tls(Tls::Wrapper(tls(&smtp.host)?)),
        };
        let mut builder = builder.port(smtp.port).timeout(Some(self.settings.timeout));
        if let (Some(user), Some(password)) = (&smtp.username, &smtp.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.expose_secret().to_owned()));
        }
        let transport = builder.build();
        let from = smtp.from_address.parse().map_err(|_| Failure::other("the sender address is not valid"))?;
        let to = email.to.expose_secret().parse().map_err(|_| Failure::other("the recipient address is not valid"))?;
        let message = Message::builder()
            .from(from)
            .to(to)
            .subject(email.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(email.body.clone())
            .map_err(|_| Failure::other("the message could not be built"))?;
        // The relay's words may quote the address: only its code is logged.
        transport.send(message).await.map(|_| ()).map_err(|e| {
            let code = e.status().map(|c| format!(" ({c})")).unwrap_or_default();
            if e.is_permanent() {
                Failure::other(format!("the SMTP relay refused the message{code}"))
            } else if e.is_transient() {
                Failure::other(format!("the SMTP relay deferred the message{code}"))
            } else {
                Failure::other("the SMTP relay could not be reached")
            }
        })
    }
}

/// A failed attempt: refused by the outbound policy, or anything else, with its detail for the log.
struct Failure {
    refused: bool,
    detail: String,
}

impl Failure {
    fn refused() -> Self {
        Self { refused: true, detail: "the address is not allowed by the outbound policy".to_owned() }
    }

    fn other(detail: impl Into<String>) -> Self {
        Self { refused: false, detail: detail.into() }
    }
}
