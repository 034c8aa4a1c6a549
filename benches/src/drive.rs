//! The scenarios, and the workers that run one for a fixed time: over HTTP (the GraphQL API) or directly on the
//! use cases.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use hdrhistogram::Histogram;
use jamaa_core::auth::Principal;
use jamaa_core::model::request::SubmittedDocument;
use jamaa_core::service::{Jamaa, SubmitRequest};
use rand::Rng as _;
use secrecy::SecretString;
use serde_json::{Value, json};

use crate::COMMUNE;
use crate::server::Server;

/// One kind of request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scenario {
    /// The public catalog of Oujda, in French.
    Catalog,
    /// A légalisation de signature submitted to Oujda.
    Submit,
    /// A seeded request, chosen at random, tracked by code and secret.
    Track,
}

impl Scenario {
    pub const ALL: [Scenario; 3] = [Scenario::Catalog, Scenario::Submit, Scenario::Track];

    pub fn name(self) -> &'static str {
        match self {
            Scenario::Catalog => "catalog",
            Scenario::Submit => "submitRequest",
            Scenario::Track => "trackRequest",
        }
    }
}

/// A seeded request: what its applicant holds.
#[derive(Clone, Debug)]
pub(crate) struct Seed {
    pub(crate) code: String,
    pub(crate) secret: String,
}

const CATALOG: &str = r#"
query($commune: String!, $locale: String) {
  services(commune: $commune, locale: $locale, first: 50) {
    edges { node { code name category deadline { days } silence fees { amountMinor currency } } }
  }
}"#;

const SUBMIT: &str = r#"
mutation($commune: String!, $input: SubmitRequestInput!) {
  submitRequest(commune: $commune, input: $input, locale: "fr") {
    secret
    request { id trackingCode state version decisionDue }
    receipt { trackingCode serviceName decisionDue silence fees { amountMinor currency } }
  }
}"#;

const TRACK: &str = r#"
query($code: String!, $secret: String!) {
  trackRequest(trackingCode: $code, secret: $secret, locale: "fr") {
    trackingCode state stateLabel outcome version decisionDue
    history { action toState actor }
    availableActions { key }
  }
}"#;

/// A Moroccan CNIE number that varies with `n`: `AB000042`.
fn cin(n: u64) -> String {
    format!("AB{:06}", n % 1_000_000)
}

/// The légalisation de signature form, as the API takes it.
fn legalisation_input(n: u64) -> Value {
    json!({
        "serviceCode": "legalisation-signature",
        "data": {
            "signatory_name": "Fatima Zahra El Idrissi",
            "cin": cin(n),
            "phone": "0612345678",
            "document_title": "Contrat de bail",
            "copies": 2
        },
        "documents": [
            { "code": "document_to_sign", "fileName": "bail.pdf", "mediaType": "application/pdf", "sizeBytes": 120000 }
        ]
    })
}

/// The same form, as the use case takes it.
fn legalisation_request(n: u64) -> SubmitRequest {
    SubmitRequest {
        service_code: "legalisation-signature".into(),
        data: json!({
            "signatory_name": "Fatima Zahra El Idrissi",
            "cin": cin(n),
            "phone": "0612345678",
            "document_title": "Contrat de bail",
            "copies": 2
        }),
        documents: vec![SubmittedDocument {
            code: "document_to_sign".into(),
            file_name: "bail.pdf".into(),
            media_type: "application/pdf".into(),
            size_bytes: 120_000,
            sha256: None,
        }],
    }
}

/// A GraphQL client of the server: one connection pool (HTTP/1.1, keep-alive) shared by every worker.
#[derive(Clone)]
pub(crate) struct Http {
    client: reqwest::Client,
    url: Arc<str>,
    catalog: Arc<[u8]>,
}

impl Http {
    pub(crate) fn new(server: &Server, concurrency: usize) -> Result<Self> {
        let client = reqwest::Client::builder()
            // The traffic stays on 127.0.0.1, whatever the environment's proxies.
            .no_proxy()
            .pool_max_idle_per_host(concurrency)
            .timeout(Duration::from_secs(30))
            .build()?;
        let catalog =
            serde_json::to_vec(&json!({ "query": CATALOG, "variables": { "commune": COMMUNE, "locale": "fr" } }))?;
        Ok(Self { client, url: format!("http://{}/graphql", server.address).into(), catalog: catalog.into() })
    }

    /// Posts a GraphQL body; the `data` of a response without errors, else what went wrong.
    async fn post(&self, body: Vec<u8>) -> Result<Value, String> {
        let response = self
            .client
            .post(&*self.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .map_err(|error| format!("HTTP: {error}"))?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(|error| format!("HTTP {status}: {error}"))?;
        let mut body: Value = serde_json::from_slice(&bytes)
            .map_err(|_| format!("HTTP {status}: not JSON: {}", String::from_utf8_lossy(&bytes)))?;
        if let Some(errors) = body.get("errors") {
            return Err(format!("HTTP {status}: GraphQL errors: {errors}"));
        }
        if !status.is_success() {
            return Err(format!("HTTP {status}: {body}"));
        }
        match body.get_mut("data").map(Value::take) {
            Some(data) if !data.is_null() => Ok(data),
            _ => Err(format!("HTTP {status}: no data")),
        }
    }

    /// Posts a GraphQL request (`query`, `variables`); the `data` of an answer without errors.
    pub(crate) async fn query(&self, body: &Value) -> Result<Value> {
        self.post(serde_json::to_vec(body)?).await.map_err(|error| anyhow::anyhow!(error))
    }

    /// Submits the `n`th légalisation to `commune`.
    pub(crate) async fn submit(&self, commune: &str, n: u64) -> Result<Value, String> {
        let body = json!({ "query": SUBMIT, "variables": { "commune": commune, "input": legalisation_input(n) } });
        self.post(serde_json::to_vec(&body).map_err(|error| error.to_string())?).await
    }

    async fn call(&self, scenario: Scenario, n: u64, seeds: &[Seed]) -> Result<(), String> {
        match scenario {
            Scenario::Catalog => {
                let data = self.post(self.catalog.to_vec()).await?;
                if data["services"]["edges"].as_array().is_none_or(Vec::is_empty) {
                    return Err(format!("an empty catalog: {data}"));
                }
            }
            Scenario::Submit => {
                let data = self.submit(COMMUNE, n).await?;
                if data["submitRequest"]["request"]["trackingCode"].as_str().is_none() {
                    return Err(format!("no tracking code: {data}"));
                }
            }
            Scenario::Track => {
                let seed = pick(seeds)?;
                let body = json!({ "query": TRACK, "variables": { "code": seed.code.as_str(), "secret": seed.secret.as_str() } });
                let data = self.post(serde_json::to_vec(&body).map_err(|error| error.to_string())?).await?;
                if data["trackRequest"]["trackingCode"].as_str() != Some(seed.code.as_str()) {
                    return Err(format!("another request came back: {data}"));
                }
            }
        }
        Ok(())
    }
}

/// A seeded request at random.
fn pick(seeds: &[Seed]) -> Result<&Seed, String> {
    if seeds.is_empty() {
        return Err("no seeded request".into());
    }
    let index = rand::rng().random_range(0..seeds.len());
    seeds.get(index).ok_or_else(|| "no seeded request".into())
}

/// Where the scenarios run.
#[derive(Clone)]
pub(crate) enum Target {
    /// The GraphQL API over HTTP.
    Http(Http),
    /// The use cases, on the database, without HTTP: each call is one transaction (after a lookup of the
    /// commune).
    Direct(Jamaa),
}

impl Target {
    async fn call(&self, scenario: Scenario, n: u64, seeds: &[Seed]) -> Result<(), String> {
        match self {
            Target::Http(http) => http.call(scenario, n, seeds).await,
            Target::Direct(jamaa) => call_directly(jamaa, scenario, n, seeds).await,
        }
    }
}

async fn call_directly(jamaa: &Jamaa, scenario: Scenario, n: u64, seeds: &[Seed]) -> Result<(), String> {
    match scenario {
        Scenario::Catalog => {
            let services = jamaa.services(&Principal::Anonymous, COMMUNE).await.map_err(|e| e.to_string())?;
            if services.is_empty() {
                return Err("an empty catalog".into());
            }
        }
        Scenario::Submit => {
            // The commune read once, as the API reads it for a submission.
            let commune = jamaa.commune(COMMUNE).await.map_err(|e| e.to_string())?;
            jamaa
                .submit_request(&Principal::Anonymous, &commune, legalisation_request(n))
                .await
                .map_err(|e| e.to_string())?;
        }
        Scenario::Track => {
            let seed = pick(seeds)?;
            let tracking = jamaa
                .track_request(&seed.code, &SecretString::from(seed.secret.clone()))
                .await
                .map_err(|e| e.to_string())?;
            if tracking.request.record.tracking_code.to_string() != seed.code {
                return Err(format!("another request came back: {}", tracking.request.record.tracking_code));
            }
        }
    }
    Ok(())
}

/// What one scenario did: successes (with their latencies) and failures, over the elapsed time.
#[derive(Clone, Debug)]
pub struct Measurement {
    pub ok: u64,
    pub errors: u64,
    /// From the start until the last worker finished its last call (calls started before the deadline end).
    pub elapsed: Duration,
    /// Latencies of the successful calls, in microseconds.
    pub latency_us: Histogram<u64>,
    /// The first failure, for the report.
    pub first_error: Option<String>,
}

impl Measurement {
    fn new() -> Result<Self> {
        Ok(Self {
            ok: 0,
            errors: 0,
            elapsed: Duration::ZERO,
            // 1 µs to 10 minutes, three significant digits.
            latency_us: Histogram::new_with_bounds(1, 600_000_000, 3)?,
            first_error: None,
        })
    }

    fn merge(&mut self, other: Measurement) -> Result<()> {
        self.ok += other.ok;
        self.errors += other.errors;
        self.latency_us.add(&other.latency_us).context("latency histograms do not merge")?;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
        Ok(())
    }

    /// Successful calls per second.
    pub fn rate(&self) -> f64 {
        let seconds = self.elapsed.as_secs_f64();
        if seconds > 0.0 { self.ok as f64 / seconds } else { 0.0 }
    }

    /// A latency quantile (0.5, 0.99, 1.0) in milliseconds; 0 without successes.
    pub fn quantile_ms(&self, quantile: f64) -> f64 {
        if self.latency_us.is_empty() { 0.0 } else { self.latency_us.value_at_quantile(quantile) as f64 / 1000.0 }
    }

    pub fn max_ms(&self) -> f64 {
        if self.latency_us.is_empty() { 0.0 } else { self.latency_us.max() as f64 / 1000.0 }
    }

    /// One line for the progress log.
    pub fn summary(&self) -> String {
        format!(
            "{} ok, {} errors in {:.1} s: {:.0}/s, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            self.ok,
            self.errors,
            self.elapsed.as_secs_f64(),
            self.rate(),
            self.quantile_ms(0.5),
            self.quantile_ms(0.99),
            self.max_ms()
        )
    }
}

/// Runs `scenario` on `target` with `concurrency` workers, each calling in a loop until `duration` has passed.
pub(crate) async fn drive(
    target: Target,
    scenario: Scenario,
    seeds: Arc<Vec<Seed>>,
    concurrency: usize,
    duration: Duration,
) -> Result<Measurement> {
    // Numbers the submissions across workers, so that each carries another CNIE.
    let counter = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + duration;
    let mut workers = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        let (target, seeds, counter) = (target.clone(), seeds.clone(), counter.clone());
        workers.push(tokio::spawn(async move {
            let mut measurement = Measurement::new()?;
            while Instant::now() < deadline {
                let n = counter.fetch_add(1, Ordering::Relaxed);
                let call = Instant::now();
                match target.call(scenario, n, &seeds).await {
                    Ok(()) => {
                        measurement.ok += 1;
                        let micros = u64::try_from(call.elapsed().as_micros()).unwrap_or(u64::MAX);
                        measurement.latency_us.saturating_record(micros.max(1));
                    }
                    Err(error) => {
                        measurement.errors += 1;
                        measurement.first_error.get_or_insert(error);
                    }
                }
            }
            Ok::<_, anyhow::Error>(measurement)
        }));
    }
    let mut total = Measurement::new()?;
    for worker in workers {
        total.merge(worker.await??)?;
    }
    total.elapsed = started.elapsed();
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cnie_numbers_are_valid_and_vary() {
        let context =
            jamaa_core::model::form::ValidationContext { country: jamaa_core::model::commune::Country::Morocco };
        let services = jamaa_core::model::standard::moroccan_services().unwrap();
        let form = &services.iter().find(|s| s.code == "legalisation-signature").unwrap().form;
        for n in [0, 1, 999_999, 1_000_000, 123_456_789] {
            let request = legalisation_request(n);
            assert!(form.validate(&request.data, &context).is_ok(), "{n}");
            assert_eq!(request.data, legalisation_input(n)["data"]);
        }
        assert_ne!(cin(1), cin(2));
    }

    #[test]
    fn an_empty_measurement_reports_zeros() {
        let measurement = Measurement::new().unwrap();
        assert_eq!((measurement.rate(), measurement.quantile_ms(0.99), measurement.max_ms()), (0.0, 0.0, 0.0));
    }
}
