//! The notification dispatcher: a background task of `jamaa serve` that claims deliveries from the outbox
//! (with a lease in the database, so that several servers never send one twice), POSTs webhooks signed with
//! HMAC-SHA256 and sends e-mails through the commune's SMTP relay (lettre), and records each attempt: delivered,
//! retried with exponential back-off, or dead-lettered. It connects only where [`crate::outbound`] allows:
//! public addresses, checked when connecting, unless the operator allows a network.

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
    /// The longest a webhook receiver or an SMTP relay may take to answer.
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

/// Deliveries claimed at once.
const BATCH: usize = 50;

type HttpClient = hyper_util::client::legacy::Client<
    hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector<CheckedResolver>>,
    http_body_util::Full<axum::body::Bytes>,
>;

/// One dispatcher: its name in the leases it takes, and its HTTP client (https with the Web PKI roots, or
/// http; redirects are not followed).
pub struct Dispatcher {
    jamaa: Jamaa,
    settings: NotifySettings,
    owner: String,
    http: HttpClient,
}

impl Dispatcher {
    pub fn new(jamaa: Jamaa, settings: NotifySettings) -> anyhow::Result<Self> {
        // Names are resolved and checked by the policy; hyper connects to the addresses it returns.
        let resolver = CheckedResolver { policy: std::sync::Arc::new(settings.outbound.clone()) };
        let mut http = hyper_util::client::legacy::connect::HttpConnector::new_with_resolver(resolver);
        http.enforce_http(false);
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_webpki_roots(rustls::crypto::ring::default_provider())?
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        let http = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build(connector);
        Ok(Self { jamaa, settings, owner: format!("dispatcher:{}", uuid::Uuid::now_v7()), http })
    }

    /// Works until the task is dropped: whatever is due, then again after each interval.
    pub async fn run(self) {
        self.run_until(std::future::pending()).await;
    }

    /// Like [`Dispatcher::run`], until `stop` completes: a pass under way then is finished first.
    pub async fn run_until(self, stop: impl Future<Output = ()>) {
        let mut ticks = tokio::time::interval(self.settings.interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut stop = std::pin::pin!(stop);
        loop {
            tokio::select! {
                _ = ticks.tick() => {}
                () = &mut stop => return,
            }
            match self.run_once().await {
                Ok(attempts) => crate::metrics::dispatcher_pass(attempts),
                Err(error) => tracing::error!(error = %error, code = error.code(), "notification dispatch failed"),
            }
        }
    }

    /// Makes every delivery that may go now, the next events of a request as soon as the earlier went
    /// through; returns how many attempts were made.
    pub async fn run_once(&self) -> Result<usize, jamaa_core::Error> {
        let mut attempts = 0;
        loop {
            let claimed = self.jamaa.claim_deliveries(&self.owner, self.settings.lease, BATCH).await?;
            if claimed.is_empty() {
                return Ok(attempts);
            }
            attempts += claimed.len();
            let results = futures_util::future::join_all(claimed.iter().map(|d| self.deliver(d))).await;
            let mut progressed = false;
            for (delivery, result) in claimed.iter().zip(results) {
                progressed |= result.is_ok();
                if let Err(error) = &result {
                    tracing::info!(delivery.id = %delivery.id, request.id = %delivery.request_id, %error, "delivery failed");
                }
                self.jamaa.finish_delivery(&self.owner, delivery, result, &self.settings.retry).await?;
            }
            // Failures wait for their back-off: look again at the next tick.
            if !progressed {
                return Ok(attempts);
            }
        }
    }

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
            DeliveryTarget::Webhook { url, secret, kind, body } => {
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
                let response = tokio::time::timeout(self.settings.timeout, self.http.request(request))
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
