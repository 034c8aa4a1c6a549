//! A partner's program on the Jamaa GraphQL API, with nothing but HTTP and JSON: list a commune's services,
//! submit a « légalisation de signature » request, then track it as the citizen would.
//!
//! Every call is a `POST` of `{"query": ..., "variables": ...}` to the API. The answer is `{"data": ...}`, or
//! `{"errors": [...]}` where `extensions.code` is a stable code to act on (VALIDATION_FAILED, NOT_FOUND,
//! FORBIDDEN, CONFLICT, ...) and a VALIDATION_FAILED error lists every bad field in `extensions.fields`.

use anyhow::{Context as _, Result, bail};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

/// Where to connect, and what to submit.
#[derive(Debug, Clone, clap::Parser)]
#[command(about = "List a Jamaa commune's services, submit a request and track it")]
pub struct Options {
    /// The GraphQL endpoint.
    #[arg(long, env = "JAMAA_API", default_value = "http://127.0.0.1:8080/graphql")]
    pub api: String,
    /// The commune's slug.
    #[arg(long, default_value = "oujda")]
    pub commune: String,
    /// An API token, sent as `Authorization: Bearer` (citizens submit and track without one).
    #[arg(long, env = "JAMAA_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// The signatory's national identity card number (CIN).
    #[arg(long, default_value = "AB123456")]
    pub cin: String,
}

// The operations. Ask only for the fields you use; `locale` picks the language of names and messages.
const SERVICES: &str = r#"
query($commune: String!) {
  services(commune: $commune, locale: "fr", first: 50) { edges { node { code name } } }
}"#;

const SUBMIT: &str = r#"
mutation($commune: String!, $input: SubmitRequestInput!) {
  submitRequest(commune: $commune, input: $input, locale: "fr") {
    secret
    receipt { trackingCode serviceName decisionDue silence silenceMeans }
  }
}"#;

const TRACK: &str = r#"
query($code: String!, $secret: String!) {
  trackRequest(trackingCode: $code, secret: $secret, locale: "fr") {
    trackingCode state stateLabel
    history { at action toState stateLabel actor }
  }
}"#;

// The answers, typed with the fields asked for above (GraphQL names are camelCase).
#[derive(Debug, Deserialize)]
pub struct Service {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Deserialize)]
struct Connection<T> {
    edges: Vec<Edge<T>>,
}

#[derive(Debug, Deserialize)]
struct Edge<T> {
    node: T,
}

#[derive(Debug, Deserialize)]
pub struct Submission {
    /// Shown once: the citizen needs it, with the tracking code, to follow the request.
    pub secret: String,
    pub receipt: Receipt,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Receipt {
    pub tracking_code: String,
    pub service_name: String,
    /// The legal date of the decision (YYYY-MM-DD).
    pub decision_due: String,
    /// NOTHING, TACIT_APPROVAL or TACIT_REFUSAL: what the administration's silence at that date means.
    pub silence: String,
    pub silence_means: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tracked {
    pub tracking_code: String,
    pub state: String,
    pub state_label: String,
    pub history: Vec<Step>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    pub at: String,
    /// The workflow action's key (`submit`, `certify`, ...).
    pub action: String,
    pub to_state: String,
    pub state_label: String,
    /// Who acted: `applicant`, `staff`, `system`, ...
    pub actor: String,
}

/// Every GraphQL answer: `data`, or `errors`.
#[derive(Debug, Deserialize)]
struct Answer {
    data: Option<Map<String, Value>>,
    #[serde(default)]
    errors: Vec<GraphqlError>,
}

#[derive(Debug, Deserialize)]
struct GraphqlError {
    message: String,
    #[serde(default)]
    extensions: Extensions,
}

#[derive(Debug, Default, Deserialize)]
struct Extensions {
    code: Option<String>,
    #[serde(default)]
    fields: Vec<FieldError>,
}

#[derive(Debug, Deserialize)]
struct FieldError {
    path: String,
    code: String,
    message: String,
}

/// What a run did: the catalog, the submission and the request as tracked afterwards.
#[derive(Debug)]
pub struct Report {
    pub services: Vec<Service>,
    pub submission: Submission,
    pub tracked: Tracked,
}

/// Lists the services, submits a request and tracks it.
pub async fn run(options: &Options) -> Result<Report> {
    let api = Api { http: reqwest::Client::new(), options };
    let commune = &options.commune;

    let services: Connection<Service> = api.call("services", SERVICES, json!({ "commune": commune })).await?;
    let services = services.edges.into_iter().map(|edge| edge.node).collect();

    // The form's fields and the documents asked for are in `service(code:) { fields documents }`.
    let input = json!({
        "serviceCode": "legalisation-signature",
        "data": {
            "signatory_name": "Fatima Zahra El Idrissi",
            "cin": options.cin,
            "phone": "0612345678",
            "document_title": "Contrat de bail",
            "copies": 2
        },
        "documents": [
            { "code": "document_to_sign", "fileName": "bail.pdf", "mediaType": "application/pdf", "sizeBytes": 120000 }
        ]
    });
    let submission: Submission =
        api.call("submitRequest", SUBMIT, json!({ "commune": commune, "input": input })).await?;

    let code = &submission.receipt.tracking_code;
    let tracked = api.call("trackRequest", TRACK, json!({ "code": code, "secret": submission.secret })).await?;
    Ok(Report { services, submission, tracked })
}

struct Api<'a> {
    http: reqwest::Client,
    options: &'a Options,
}

impl Api<'_> {
    /// Runs one operation and decodes its root field `field`; a GraphQL error becomes an error listing the
    /// code and every field at fault.
    async fn call<T: DeserializeOwned>(&self, field: &str, query: &str, variables: Value) -> Result<T> {
        let mut request = self.http.post(&self.options.api).json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = &self.options.token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.with_context(|| format!("cannot reach {}", self.options.api))?;
        let status = response.status();
        let answer: Answer = response.json().await.with_context(|| format!("{field}: HTTP {status}, not GraphQL"))?;

        if !answer.errors.is_empty() {
            let mut text = format!("{field} failed");
            for error in &answer.errors {
                let code = error.extensions.code.as_deref().unwrap_or("UNKNOWN");
                text.push_str(&format!("\n  {code}: {}", error.message));
                for f in &error.extensions.fields {
                    text.push_str(&format!("\n    {} {}: {}", f.path, f.code, f.message));
                }
            }
            bail!(text);
        }
        let value = answer.data.and_then(|mut data| data.remove(field)).with_context(|| format!("{field}: no data"))?;
        serde_json::from_value(value).with_context(|| format!("{field}: unexpected answer"))
    }
}
