//! The Open311 GeoReport v2 facade at `/open311/v2/`, in JSON and XML: the commune's slug is the
//! `jurisdiction_id`, its online complaint procedures are the services, and their public complaints are the
//! service requests. Submissions go through the same use case as GraphQL's `submitRequest` (one
//! transaction, audit, personal data sealed), with `api_key` a partner token scoped to the commune; nothing
//! personal is ever answered. Errors are the spec's list of `{code, description}` with HTTP 400, 403 or 404.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use jamaa_core::Error;
use jamaa_core::model::calendar::end_of_day_utc;
use jamaa_core::model::commune::{Commune, CommuneStatus};
use jamaa_core::model::complaint::{ComplaintSettings, ComplaintStatus};
use jamaa_core::model::form::{FieldKind, FormSchema};
use jamaa_core::model::i18n::Locale;
use jamaa_core::model::ids::RequestId;
use jamaa_core::model::request::{INPUT_PATH_PREFIX, TrackingCode};
use jamaa_core::service::{PublicComplaint, PublicFilter, PublicQuery, PublishedService, SubmitRequest};
use secrecy::SecretString;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::app::AppState;
use crate::edge::AcceptLanguage;
use crate::schema::Lang;

/// The longest span of `start_date`..`end_date`, and the default window: the last 90 days.
pub const MAX_WINDOW_DAYS: i64 = 90;

/// The routes, to nest at `/open311/v2`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{file}", get(get_root).post(post_root))
        .route("/services/{file}", get(get_service))
        .route("/requests/{file}", get(get_request))
        .route("/tokens/{file}", get(get_token))
}

// ---------------------------------------------------------------------------------------------------------------
// Handlers.

async fn get_root(
    State(state): State<AppState>,
    language: AcceptLanguage,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let (name, format) = split_file(&file);
    let call = Call::new(language, format, query.as_deref());
    let result = match (name, call) {
        (_, Err(refusal)) => return refusal.into_response(),
        ("services", Ok(call)) => call.services(&state).await,
        ("requests", Ok(call)) => call.requests(&state).await,
        (_, Ok(call)) => Err(call.failure(StatusCode::NOT_FOUND, "no such resource")),
    };
    result.unwrap_or_else(IntoResponse::into_response)
}

async fn post_root(
    State(state): State<AppState>,
    language: AcceptLanguage,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let (name, format) = split_file(&file);
    let mut call = match Call::new(language, format, query.as_deref()) {
        Ok(call) => call,
        Err(refusal) => return refusal.into_response(),
    };
    if name != "requests" {
        return call.failure(StatusCode::NOT_FOUND, "no such resource").into_response();
    }
    match serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body) {
        Ok(form) => call.params.extend(form),
        Err(_) => {
            return call
                .failure(StatusCode::BAD_REQUEST, "the body is not application/x-www-form-urlencoded")
                .into_response();
        }
    }
    call.submit(&state).await.unwrap_or_else(IntoResponse::into_response)
}

async fn get_service(
    State(state): State<AppState>,
    language: AcceptLanguage,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let (code, format) = split_file(&file);
    match Call::new(language, format, query.as_deref()) {
        Ok(call) => call.service_definition(&state, code).await.unwrap_or_else(IntoResponse::into_response),
        Err(refusal) => refusal.into_response(),
    }
}

async fn get_request(
    State(state): State<AppState>,
    language: AcceptLanguage,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let (id, format) = split_file(&file);
    match Call::new(language, format, query.as_deref()) {
        Ok(call) => call.request(&state, id).await.unwrap_or_else(IntoResponse::into_response),
        Err(refusal) => refusal.into_response(),
    }
}

async fn get_token(
    State(state): State<AppState>,
    language: AcceptLanguage,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let (token, format) = split_file(&file);
    match Call::new(language, format, query.as_deref()) {
        Ok(call) => call.token(&state, token).await.unwrap_or_else(IntoResponse::into_response),
        Err(refusal) => refusal.into_response(),
    }
}

// ---------------------------------------------------------------------------------------------------------------
// One call: its format, parameters and language.

/// The format of an answer, from the file name's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

/// `services.json` → (`services`, JSON); an unknown extension has no format (answered in JSON, 404).
pub fn split_file(file: &str) -> (&str, Option<Format>) {
    match file.rsplit_once('.') {
        Some((name, "json")) => (name, Some(Format::Json)),
        Some((name, "xml")) => (name, Some(Format::Xml)),
        Some((name, _)) => (name, None),
        None => (file, None),
    }
}

type Answer = Result<Response, Refusal>;

/// An error answer, already rendered (boxed: a response is large).
struct Refusal(Box<Response>);

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        *self.0
    }
}

struct Call {
    format: Format,
    params: Vec<(String, String)>,
    accept_language: Option<Locale>,
}

impl Call {
    fn new(language: AcceptLanguage, format: Option<Format>, query: Option<&str>) -> Result<Self, Refusal> {
        let AcceptLanguage(accept_language) = language;
        let Some(format) = format else {
            let list = [(404, "the format is json or xml".to_owned())];
            return Err(Refusal(Box::new(errors(Format::Json, StatusCode::NOT_FOUND, &list))));
        };
        let Ok(params) = serde_urlencoded::from_str::<Vec<(String, String)>>(query.unwrap_or("")) else {
            let list = [(400, "the query string is malformed".to_owned())];
            return Err(Refusal(Box::new(errors(format, StatusCode::BAD_REQUEST, &list))));
        };
        let call = Self { format, params, accept_language };
        Ok(call)
    }

    /// A parameter's value, trimmed; empty counts as absent.
    fn param(&self, name: &str) -> Option<String> {
        self.params.iter().find(|(key, _)| key == name).map(|(_, v)| v.trim().to_owned()).filter(|v| !v.is_empty())
    }

    fn failure(&self, status: StatusCode, description: &str) -> Refusal {
        Refusal(Box::new(errors(self.format, status, &[(status.as_u16(), description.to_owned())])))
    }

    /// A core error: validation failures one by one at the Open311 parameter they came from.
    fn core_failure(&self, error: Error, locale: Locale, form: Option<(&FormSchema, &ComplaintSettings)>) -> Refusal {
        match error {
            Error::Validation(fields) => {
                let list: Vec<(u16, String)> = fields
                    .iter()
                    .map(|field| {
                        let parameter = form.map_or_else(|| field.path.clone(), |(_, s)| parameter_of(&field.path, s));
                        (400, format!("{parameter}: {} ({})", field.message_in(locale), field.code.as_str()))
                    })
                    .collect();
                Refusal(Box::new(errors(self.format, StatusCode::BAD_REQUEST, &list)))
            }
            Error::NotFound(what) => self.failure(StatusCode::NOT_FOUND, &format!("{what} not found")),
            Error::Unauthenticated => self.failure(StatusCode::FORBIDDEN, "api_key is invalid, expired or revoked"),
            Error::Forbidden(message) => self.failure(StatusCode::FORBIDDEN, &message),
            Error::Conflict(message) => self.failure(StatusCode::BAD_REQUEST, &message),
            other => {
                tracing::error!(error = %crate::schema::error::error_chain(&other), "internal error");
                self.failure(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
            }
        }
    }

    /// The commune named by `jurisdiction_id`, and the language to answer in.
    async fn commune(&self, state: &AppState) -> Result<(Commune, Lang), Refusal> {
        let Some(slug) = self.param("jurisdiction_id") else {
            return Err(self.failure(StatusCode::BAD_REQUEST, "jurisdiction_id is required (the commune's slug)"));
        };
        let commune = state
            .jamaa
            .commune(&slug)
            .await
            .map_err(|_| self.failure(StatusCode::NOT_FOUND, "jurisdiction_id not found"))?;
        // A training commune is no jurisdiction: its fictitious complaints are listed nowhere public.
        if commune.status == CommuneStatus::Training {
            return Err(self.failure(StatusCode::NOT_FOUND, "jurisdiction_id not found"));
        }
        let locale = self.accept_language.unwrap_or(commune.spec.default_locale);
        let lang = Lang::new(locale, Some(&commune));
        Ok((commune, lang))
    }

    async fn offered(
        &self,
        state: &AppState,
        commune: &Commune,
        lang: &Lang,
    ) -> Result<Vec<PublishedService>, Refusal> {
        let services =
            state.jamaa.complaint_services(commune).await.map_err(|e| self.core_failure(e, lang.locale, None))?;
        Ok(services)
    }

    /// `GET services.{fmt}`.
    async fn services(&self, state: &AppState) -> Answer {
        let (commune, lang) = self.commune(state).await?;
        let services = self.offered(state, &commune, &lang).await?;
        let list: Vec<ServiceOut> = services.iter().map(|s| service_out(s, &lang)).collect();
        Ok(render_list(self.format, "services", "service", &list))
    }

    /// `GET services/{code}.{fmt}`: the attributes, from the form.
    async fn service_definition(&self, state: &AppState, code: &str) -> Answer {
        let (commune, lang) = self.commune(state).await?;
        let services = self.offered(state, &commune, &lang).await?;
        let Some(service) = services.iter().find(|s| s.definition.code == *code) else {
            return Err(self.failure(StatusCode::NOT_FOUND, "service_code not found"));
        };
        let attributes = attributes(service, &lang);
        Ok(match self.format {
            Format::Json => {
                let body = ServiceDefinitionOut { service_code: code.to_owned(), attributes };
                json_response(StatusCode::OK, &body)
            }
            Format::Xml => {
                let attribute = attributes
                    .into_iter()
                    .map(|a| AttributeOut {
                        variable: a.variable,
                        code: a.code,
                        datatype: a.datatype,
                        required: a.required,
                        datatype_description: a.datatype_description,
                        order: a.order,
                        description: a.description,
                        values: XmlValues { value: a.values },
                    })
                    .collect();
                let body =
                    ServiceDefinitionOut { service_code: code.to_owned(), attributes: XmlAttributes { attribute } };
                xml_response(StatusCode::OK, "service_definition", &body)
            }
        })
    }

    /// `GET requests.{fmt}`: public complaints, by ids or in a window of at most 90 days.
    async fn requests(&self, state: &AppState) -> Answer {
        let (commune, lang) = self.commune(state).await?;
        let services = self.offered(state, &commune, &lang).await?;
        let offered: Vec<String> = services.iter().map(|s| s.definition.code.to_string()).collect();
        let mut query = PublicQuery { limit: jamaa_core::service::MAX_LISTING, ..PublicQuery::default() };
        if let Some(ids) = self.param("service_request_id") {
            // The ids override every other filter.
            query.filter.tracking_codes = ids.split(',').filter_map(|id| TrackingCode::parse(id).ok()).collect();
            if query.filter.tracking_codes.is_empty() {
                return Ok(render_list::<RequestOut>(self.format, "service_requests", "request", &[]));
            }
            query.filter.service_codes = offered;
        } else {
            let (from, to) = self.window(Utc::now())?;
            query.filter.submitted_from = Some(from);
            query.filter.submitted_to = Some(to);
            query.filter.service_codes = match self.param("service_code") {
                Some(codes) => codes
                    .split(',')
                    .map(str::trim)
                    .filter(|c| offered.iter().any(|o| o == c))
                    .map(str::to_owned)
                    .collect(),
                None => offered,
            };
            if query.filter.service_codes.is_empty() {
                return Ok(render_list::<RequestOut>(self.format, "service_requests", "request", &[]));
            }
            query.status = self.status()?;
        }
        let page = state
            .jamaa
            .public_complaints(&commune, &query)
            .await
            .map_err(|e| self.core_failure(e, lang.locale, None))?;
        let list: Vec<RequestOut> = page.items.iter().map(|c| request_out(c, &commune, &lang)).collect();
        Ok(render_list(self.format, "service_requests", "request", &list))
    }

    /// `status=open`, `closed`, or both (comma-separated): both is no filter.
    fn status(&self) -> Result<Option<ComplaintStatus>, Refusal> {
        let Some(value) = self.param("status") else { return Ok(None) };
        let mut wanted = Vec::new();
        for part in value.split(',') {
            match ComplaintStatus::parse(part) {
                Some(status) => wanted.push(status),
                None => return Err(self.failure(StatusCode::BAD_REQUEST, "status is open or closed")),
            }
        }
        wanted.dedup();
        Ok(if wanted.len() == 1 { wanted.first().copied() } else { None })
    }

    /// `start_date` and `end_date` (W3C date-times), at most 90 days apart. Without them, the last 90 days;
    /// with one, the 90 days after or before it.
    fn window(&self, now: DateTime<Utc>) -> Result<(DateTime<Utc>, DateTime<Utc>), Refusal> {
        let parse = |name: &str| -> Result<Option<DateTime<Utc>>, Refusal> {
            self.param(name)
                .map(|value| {
                    DateTime::parse_from_rfc3339(&value).map(|d| d.with_timezone(&Utc)).map_err(|_| {
                        self.failure(
                            StatusCode::BAD_REQUEST,
                            &format!("{name} must be a W3C date-time, e.g. 2026-01-01T00:00:00Z"),
                        )
                    })
                })
                .transpose()
        };
        let span = Duration::days(MAX_WINDOW_DAYS);
        let (from, to) = match (parse("start_date")?, parse("end_date")?) {
            (Some(from), Some(to)) => (from, to),
            (Some(from), None) => (from, from + span),
            (None, Some(to)) => (to - span, to),
            (None, None) => (now - span, now),
        };
        if to < from {
            return Err(self.failure(StatusCode::BAD_REQUEST, "end_date is before start_date"));
        }
        if to - from > span {
            return Err(self.failure(StatusCode::BAD_REQUEST, "start_date and end_date may not span more than 90 days"));
        }
        Ok((from, to))
    }

    /// `GET requests/{id}.{fmt}`: one public complaint.
    async fn request(&self, state: &AppState, id: &str) -> Answer {
        let (commune, lang) = self.commune(state).await?;
        let not_found = || self.failure(StatusCode::NOT_FOUND, "service_request_id not found");
        let code = TrackingCode::parse(id).map_err(|_| not_found())?;
        let services = self.offered(state, &commune, &lang).await?;
        let filter = PublicFilter {
            tracking_codes: vec![code],
            service_codes: services.iter().map(|s| s.definition.code.to_string()).collect(),
            ..PublicFilter::default()
        };
        let query = PublicQuery { filter, limit: 1, ..PublicQuery::default() };
        let page = state
            .jamaa
            .public_complaints(&commune, &query)
            .await
            .map_err(|e| self.core_failure(e, lang.locale, None))?;
        if page.items.is_empty() {
            return Err(not_found());
        }
        let list: Vec<RequestOut> = page.items.iter().map(|c| request_out(c, &commune, &lang)).collect();
        Ok(render_list(self.format, "service_requests", "request", &list))
    }

    /// `GET tokens/{token}.{fmt}`: the service request a submission's token stands for.
    async fn token(&self, state: &AppState, token: &str) -> Answer {
        let (commune, lang) = self.commune(state).await?;
        let not_found = || self.failure(StatusCode::NOT_FOUND, "token not found");
        let id = token.parse::<RequestId>().map_err(|_| not_found())?;
        let code = match state.jamaa.complaint_by_token(&commune, id).await {
            Ok(code) => code,
            Err(Error::NotFound(_)) => return Err(not_found()),
            Err(error) => return Err(self.core_failure(error, lang.locale, None)),
        };
        let list = [TokenOut { service_request_id: code.to_string(), token: token.to_owned() }];
        Ok(render_list(self.format, "service_requests", "request", &list))
    }

    /// `POST requests.{fmt}`: a complaint, submitted as GraphQL's `submitRequest` does.
    async fn submit(&self, state: &AppState) -> Answer {
        let (commune, lang) = self.commune(state).await?;
        let Some(api_key) = self.param("api_key") else {
            return Err(self.failure(StatusCode::FORBIDDEN, "api_key is required"));
        };
        let principal = state
            .jamaa
            .authenticate(&SecretString::from(api_key))
            .await
            .map_err(|e| self.core_failure(e, lang.locale, None))?;
        let Some(code) = self.param("service_code") else {
            return Err(self.failure(StatusCode::BAD_REQUEST, "service_code is required"));
        };
        let services = self.offered(state, &commune, &lang).await?;
        let Some(service) = services.iter().find(|s| s.definition.code == *code) else {
            return Err(self.failure(StatusCode::BAD_REQUEST, "service_code is not a service of this jurisdiction"));
        };
        let Some(settings) = &service.definition.complaint else {
            return Err(self.failure(StatusCode::BAD_REQUEST, "service_code is not a service of this jurisdiction"));
        };
        let data = form_data(&self.params, &service.definition.form, settings);
        let input = SubmitRequest { service_code: code.into(), data, documents: Vec::new() };
        let submission = state
            .jamaa
            .submit_request(&principal, &commune, input)
            .await
            .map_err(|e| self.core_failure(e, lang.locale, Some((&service.definition.form, settings))))?;
        let request = &submission.request.record;
        let notice = format!(
            "{} {}",
            lang.text(&submission.receipt.service_name),
            submission.receipt.decision_due.format("%Y-%m-%d")
        );
        let list = [SubmittedOut {
            service_request_id: request.tracking_code.to_string(),
            token: request.id.to_string(),
            service_notice: notice,
            account_id: None,
        }];
        Ok(render_list(self.format, "service_requests", "request", &list))
    }
}

// ---------------------------------------------------------------------------------------------------------------
// From core to the spec's shapes.

#[derive(Serialize)]
struct ServiceOut {
    service_code: String,
    service_name: String,
    description: String,
    metadata: bool,
    #[serde(rename = "type")]
    kind: &'static str,
    keywords: String,
    group: String,
}

#[derive(Serialize)]
struct ServiceDefinitionOut<A> {
    service_code: String,
    attributes: A,
}

#[derive(Serialize)]
struct AttributeOut<V> {
    variable: bool,
    code: String,
    datatype: &'static str,
    required: bool,
    datatype_description: String,
    order: usize,
    description: String,
    values: V,
}

#[derive(Serialize)]
struct ValueOut {
    key: String,
    name: String,
}

/// XML nests lists in an element of their own: `<attributes><attribute>…`, `<values><value>…`.
#[derive(Serialize)]
struct XmlAttributes {
    attribute: Vec<AttributeOut<XmlValues>>,
}

#[derive(Serialize)]
struct XmlValues {
    value: Vec<ValueOut>,
}

#[derive(Serialize)]
struct RequestOut {
    service_request_id: String,
    status: &'static str,
    status_notes: String,
    service_name: String,
    service_code: String,
    description: Option<String>,
    agency_responsible: String,
    service_notice: Option<String>,
    requested_datetime: String,
    updated_datetime: String,
    expected_datetime: String,
    address: Option<String>,
    address_id: Option<String>,
    zipcode: Option<String>,
    lat: Option<f64>,
    long: Option<f64>,
    media_url: Option<String>,
}

/// The answer to a submission (GeoReport v2 `POST requests`).
#[derive(Serialize)]
pub struct SubmittedOut {
    pub service_request_id: String,
    pub token: String,
    pub service_notice: String,
    pub account_id: Option<String>,
}

#[derive(Serialize)]
struct TokenOut {
    service_request_id: String,
    token: String,
}

/// One error of an answer (GeoReport v2 `errors`).
#[derive(Serialize)]
pub struct ErrorOut {
    pub code: u16,
    pub description: String,
}

fn w3c(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn service_out(service: &PublishedService, lang: &Lang) -> ServiceOut {
    let definition = &service.definition;
    ServiceOut {
        service_code: definition.code.to_string(),
        service_name: lang.text(&definition.name),
        description: lang.text(&definition.description),
        metadata: !attributes(service, lang).is_empty(),
        kind: "realtime",
        keywords: String::new(),
        group: definition.category.to_string(),
    }
}

/// The form's fields as Open311 attributes, in form order, but those the standard parameters fill
/// (description, place, contact, photo).
fn attributes(service: &PublishedService, lang: &Lang) -> Vec<AttributeOut<Vec<ValueOut>>> {
    let definition = &service.definition;
    let standard = definition.complaint.as_ref().map(ComplaintSettings::standard_fields).unwrap_or_default();
    let options = |options: &[jamaa_core::model::form::ChoiceOption]| -> Vec<ValueOut> {
        options.iter().map(|o| ValueOut { key: o.value.clone(), name: lang.text(&o.label) }).collect()
    };
    definition
        .form
        .fields
        .iter()
        .filter(|field| !standard.contains(&field.key.as_str()))
        .filter_map(|field| {
            let (datatype, values) = match &field.kind {
                FieldKind::Text | FieldKind::NationalId | FieldKind::Phone | FieldKind::Email => ("string", vec![]),
                FieldKind::LongText => ("text", vec![]),
                FieldKind::Number | FieldKind::Money => ("number", vec![]),
                FieldKind::Date => ("datetime", vec![]),
                FieldKind::Choice { options: list } => ("singlevaluelist", options(list)),
                FieldKind::MultiChoice { options: list } => ("multivaluelist", options(list)),
                FieldKind::Boolean => (
                    "singlevaluelist",
                    vec![
                        ValueOut { key: "true".into(), name: yes_no(lang.locale, true).into() },
                        ValueOut { key: "false".into(), name: yes_no(lang.locale, false).into() },
                    ],
                ),
                FieldKind::Location | FieldKind::DocumentRef => return None,
            };
            Some((field, datatype, values))
        })
        .enumerate()
        .map(|(i, (field, datatype, values))| AttributeOut {
            variable: true,
            code: field.key.clone(),
            datatype,
            required: field.required,
            datatype_description: field.help.as_ref().map(|h| lang.text(h)).unwrap_or_default(),
            order: i + 1,
            description: lang.text(&field.label),
            values,
        })
        .collect()
}

fn yes_no(locale: Locale, yes: bool) -> &'static str {
    match (locale, yes) {
        (Locale::Ar, true) => "نعم",
        (Locale::Ar, false) => "لا",
        (Locale::Fr, true) => "Oui",
        (Locale::Fr, false) => "Non",
        (Locale::Es, true) => "Sí",
        (Locale::Es, false) => "No",
        (_, true) => "Yes",
        (_, false) => "No",
    }
}

fn request_out(complaint: &PublicComplaint, commune: &Commune, lang: &Lang) -> RequestOut {
    let request = &complaint.request;
    let facts = &complaint.complaint.facts;
    RequestOut {
        service_request_id: request.tracking_code.to_string(),
        status: complaint.status.as_str(),
        status_notes: lang.text(&complaint.state_label()),
        service_name: lang.text(&complaint.service.definition.name),
        service_code: complaint.service.definition.code.to_string(),
        description: complaint.description().map(str::to_owned),
        agency_responsible: lang.text(&commune.spec.name),
        service_notice: None,
        requested_datetime: w3c(request.submitted_at),
        updated_datetime: w3c(request.updated_at),
        expected_datetime: w3c(end_of_day_utc(request.decision_due, commune.time_zone())),
        address: facts.address.clone(),
        address_id: None,
        zipcode: None,
        lat: facts.latitude,
        long: facts.longitude,
        media_url: complaint.media_url().map(str::to_owned),
    }
}

/// The submitted parameters as the procedure's form data: `attribute[code]` (`attribute[code][]` for several
/// values) for the form's own fields, the standard ones for the fields the complaint settings name.
fn form_data(params: &[(String, String)], form: &FormSchema, settings: &ComplaintSettings) -> Value {
    let mut data = Map::new();
    let get =
        |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_owned()).filter(|v| !v.is_empty());
    for (key, value) in params {
        let Some(code) = key.strip_prefix("attribute[").and_then(|rest| rest.split(']').next()) else { continue };
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        let field = form.fields.iter().find(|f| f.key == code);
        let typed = match field.map(|f| &f.kind) {
            Some(FieldKind::Number | FieldKind::Money) => value
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map_or_else(|| Value::String(value.to_owned()), Value::Number),
            Some(FieldKind::Boolean) => match value.to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" => Value::Bool(true),
                "false" | "0" | "no" => Value::Bool(false),
                _ => Value::String(value.to_owned()),
            },
            Some(FieldKind::MultiChoice { .. }) => {
                let mut list = match data.remove(code) {
                    Some(Value::Array(list)) => list,
                    _ => Vec::new(),
                };
                list.extend(value.split(',').map(|v| Value::String(v.trim().to_owned())));
                Value::Array(list)
            }
            _ => Value::String(value.to_owned()),
        };
        data.insert(code.to_owned(), typed);
    }
    let mut put = |field: Option<&String>, value: Option<String>| {
        if let (Some(field), Some(value)) = (field, value) {
            data.insert(field.clone(), Value::String(value));
        }
    };
    put(Some(&settings.description_field), get("description"));
    put(settings.media_url_field.as_ref(), get("media_url"));
    put(settings.contact.email.as_ref(), get("email"));
    put(settings.contact.phone.as_ref(), get("phone"));
    let name = [get("first_name"), get("last_name")].into_iter().flatten().collect::<Vec<_>>().join(" ");
    put(settings.contact.name.as_ref(), Some(name).filter(|n| !n.is_empty()));
    if let Some(field) = &settings.location_field {
        let mut location = Map::new();
        let coordinate = |name: &str| {
            get(name).map(|v| {
                v.parse::<f64>().ok().and_then(serde_json::Number::from_f64).map_or(Value::String(v), Value::Number)
            })
        };
        if let Some(lat) = coordinate("lat") {
            location.insert("lat".into(), lat);
        }
        if let Some(lng) = coordinate("long") {
            location.insert("lng".into(), lng);
        }
        if let Some(address) = get("address_string") {
            location.insert("address".into(), Value::String(address));
        }
        if !location.is_empty() {
            data.insert(field.clone(), Value::Object(location));
        }
    }
    Value::Object(data)
}

/// The Open311 parameter a form error's path (`input.data.location.lat`) came from.
fn parameter_of(path: &str, settings: &ComplaintSettings) -> String {
    let Some(rest) = path.strip_prefix(INPUT_PATH_PREFIX).and_then(|p| p.strip_prefix("data.")) else {
        return path.to_owned();
    };
    let (key, part) = rest.split_once('.').map_or((rest, None), |(k, p)| (k, Some(p)));
    let is = |field: Option<&String>| field.is_some_and(|f| f == key);
    if key == settings.description_field {
        "description".into()
    } else if is(settings.location_field.as_ref()) {
        match part {
            Some("lat") => "lat".into(),
            Some("lng") => "long".into(),
            Some("address") => "address_string".into(),
            _ => "lat, long or address_string".into(),
        }
    } else if is(settings.media_url_field.as_ref()) {
        "media_url".into()
    } else if is(settings.contact.email.as_ref()) {
        "email".into()
    } else if is(settings.contact.phone.as_ref()) {
        "phone".into()
    } else if is(settings.contact.name.as_ref()) {
        "first_name, last_name".into()
    } else {
        format!("attribute[{rest}]")
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering.

fn json_response<T: Serialize>(status: StatusCode, body: &T) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => (status, [(header::CONTENT_TYPE, "application/json; charset=utf-8")], bytes).into_response(),
        Err(error) => internal(&error),
    }
}

fn xml_response<T: Serialize>(status: StatusCode, root: &str, body: &T) -> Response {
    match quick_xml::se::to_string_with_root(root, body) {
        Ok(xml) => {
            let text = format!("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n{}", xml_chars(&xml));
            (status, [(header::CONTENT_TYPE, "application/xml; charset=utf-8")], text).into_response()
        }
        Err(error) => internal(&error),
    }
}

/// The characters XML 1.0 forbids (controls other than tab and line ends, U+FFFE, U+FFFF) replaced by U+FFFD.
/// Markup never holds them, so this touches text only: one complaint's control characters cannot make the
/// feed unreadable for every XML client.
fn xml_chars(xml: &str) -> std::borrow::Cow<'_, str> {
    let allowed =
        |c: char| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..);
    if xml.chars().all(allowed) {
        std::borrow::Cow::Borrowed(xml)
    } else {
        std::borrow::Cow::Owned(xml.chars().map(|c| if allowed(c) { c } else { '\u{FFFD}' }).collect())
    }
}

/// A list: a JSON array, or `<root><item>…</item>…</root>`.
fn render_list<T: Serialize>(format: Format, root: &str, item: &str, list: &[T]) -> Response {
    match format {
        Format::Json => json_response(StatusCode::OK, &list),
        Format::Xml => {
            let mut wrapper = std::collections::BTreeMap::new();
            wrapper.insert(item, list);
            xml_response(StatusCode::OK, root, &wrapper)
        }
    }
}

/// The errors of a refused call, in the asked format.
pub fn errors(format: Format, status: StatusCode, list: &[(u16, String)]) -> Response {
    let list: Vec<ErrorOut> = list.iter().map(|(code, d)| ErrorOut { code: *code, description: d.clone() }).collect();
    let mut response = match format {
        Format::Json => json_response(status, &list),
        Format::Xml => {
            let mut wrapper = std::collections::BTreeMap::new();
            wrapper.insert("error", &list);
            xml_response(status, "errors", &wrapper)
        }
    };
    *response.status_mut() = status;
    response
}

fn internal(error: &dyn std::error::Error) -> Response {
    tracing::error!(%error, "could not render an Open311 answer");
    (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
}
