//! The notification dispatcher: a background task of `jamaa serve` that claims deliveries from the outbox
//! (with a lease in the database, so that several servers never send one twice), POSTs webhooks signed with
//! HMAC-SHA256 and sends e-mails through the commune's SMTP relay (lettre), and records each attempt: delivered,
//! retried with exponential back-off, or dead-lettered.

use std::time::Duration;

use jamaa_core::model::notifications::RetryPolicy;
use jamaa_core::service::{
    ClaimedDelivery, DeliveryTarget, EmailMessage, Jamaa, SIGNATURE_HEADER, SmtpTls, sign_webhook,
};
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;

/// How the dispatcher works.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotifySettings {
    /// How often it looks for deliveries when idle.
    pub interval: Duration,
    pub retry: RetryPolicy,
    /// How long a claimed delivery is reserved for this server: longer than any attempt may take.
    pub lease: Duration,
    /// The longest a webhook receiver or an SMTP relay may take to answer.
    pub timeout: Duration,
}

impl Default for NotifySettings {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(2),
            retry: RetryPolicy::default(),
            lease: Duration::from_secs(300),
            timeout: Duration::from_secs(30),
        }
    }
}

/// Deliveries claimed at once.
const BATCH: usize = 50;

type HttpClient = hyper_util::client::legacy::Client<
    hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
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
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_webpki_roots(rustls::crypto::ring::default_provider())?
            .https_or_http()
            .enable_http1()
            .build();
        let http = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build(connector);
        Ok(Self { jamaa, settings, owner: format!("dispatcher:{}", uuid::Uuid::now_v7()), http })
    }

    /// Works until the task is dropped: whatever is due, then again after each interval.
    pub async fn run(self) {
        let mut ticks = tokio::time::interval(self.settings.interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
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

    async fn deliver(&self, delivery: &ClaimedDelivery) -> Result<(), String> {
        match &delivery.target {
            DeliveryTarget::Webhook { url, secret, kind, body } => {
                let timestamp = chrono::Utc::now().timestamp();
                let signature = sign_webhook(secret, timestamp, body).map_err(|e| e.to_string())?;
                let request = axum::http::Request::post(url.as_str())
                    .header(axum::http::header::CONTENT_TYPE, "application/json")
                    .header(axum::http::header::USER_AGENT, concat!("jamaa/", env!("CARGO_PKG_VERSION")))
                    .header(SIGNATURE_HEADER, signature)
                    .header("Jamaa-Event", kind.as_str())
                    .header("Jamaa-Event-Id", delivery.event_id.to_string())
                    .header("Jamaa-Delivery", delivery.id.to_string())
                    .body(http_body_util::Full::new(axum::body::Bytes::from(body.clone())))
                    .map_err(|_| "the webhook URL is not valid".to_owned())?;
                let response = tokio::time::timeout(self.settings.timeout, self.http.request(request))
                    .await
                    .map_err(|_| "timed out".to_owned())?
                    .map_err(
                        |e| if e.is_connect() { "connection failed".to_owned() } else { "no answer".to_owned() },
                    )?;
                let status = response.status();
                if status.is_success() { Ok(()) } else { Err(format!("HTTP {}", status.as_u16())) }
            }
            DeliveryTarget::Email(message) => self.send_email(message).await,
            DeliveryTarget::Nothing => Ok(()),
        }
    }

    /// Sends an e-mail. Failures are described without the server's words, which may quote the address.
    async fn send_email(&self, email: &EmailMessage) -> Result<(), String> {
        let smtp = &email.smtp;
        let builder = match smtp.tls {
            SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host),
            SmtpTls::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host)
                .map_err(|_| "the SMTP host is not a valid name".to_owned())?,
            SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host)
                .map_err(|_| "the SMTP host is not a valid name".to_owned())?,
        };
        let mut builder = builder.port(smtp.port).timeout(Some(self.settings.timeout));
        if let (Some(user), Some(password)) = (&smtp.username, &smtp.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.expose_secret().to_owned()));
        }
        let transport = builder.build();
        let from = smtp.from_address.parse().map_err(|_| "the sender address is not valid".to_owned())?;
        let to = email.to.expose_secret().parse().map_err(|_| "the recipient address is not valid".to_owned())?;
        let message = Message::builder()
            .from(from)
            .to(to)
            .subject(email.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(email.body.clone())
            .map_err(|_| "the message could not be built".to_owned())?;
        transport.send(message).await.map(|_| ()).map_err(|e| {
            let code = e.status().map(|c| format!(" ({c})")).unwrap_or_default();
            if e.is_permanent() {
                format!("the SMTP relay refused the message{code}")
            } else if e.is_transient() {
                format!("the SMTP relay deferred the message{code}")
            } else {
                "the SMTP relay could not be reached".to_owned()
            }
        })
    }
}
