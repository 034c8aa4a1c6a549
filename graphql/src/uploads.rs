//! `POST /submissions`: a submission with the contents of its documents, as `multipart/form-data`. The part
//! `submission` is JSON (`commune`, `serviceCode`, `data`, and `documents` given without content); every
//! other part is a file, named by its document type (`name="cnie"; filename="cnie.pdf"`). What each file is
//! comes from its bytes; the answer is JSON, its errors shaped like the GraphQL API's. An `Idempotency-Key`
//! header makes a retry of the same submission (same JSON part, same files) answer as the first did.

use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use jamaa_core::error::FieldErrorCode;
use jamaa_core::model::form::messages::{self, MultipartProblem, multipart_problem};
use jamaa_core::model::i18n::Locale;
use jamaa_core::model::idempotency::{Idempotency, IdempotencyKey};
use jamaa_core::model::request::SubmittedDocument;
use jamaa_core::service::{DocumentFile, SubmitRequest};
use secrecy::ExposeSecret;
use serde::Deserialize;
use serde_json::json;

use crate::app::{AppState, Caller, resolve_caller};
use crate::schema::PLATFORM_LOCALE;
use crate::schema::error::request_error;

/// Largest body of a submission with files.
pub const MAX_UPLOAD_BODY_BYTES: usize = 25 * 1024 * 1024;
/// Most files in one submission.
pub const MAX_FILES: usize = 20;

/// The JSON part of a multipart submission: what `submitRequest` takes, without the files.
#[derive(Deserialize, serde::Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SubmissionPart {
    commune: String,
    service_code: String,
    #[serde(default)]
    data: serde_json::Value,
    #[serde(default)]
    documents: Vec<SubmittedDocument>,
}

pub(crate) fn invalid(path: &str, problem: MultipartProblem) -> jamaa_core::Error {
    jamaa_core::Error::field(path, FieldErrorCode::InvalidValue, multipart_problem(problem))
}

/// One part of a multipart body, read whole.
pub(crate) struct Part {
    pub name: String,
    /// Where errors about the part are: at its name, or at `body` for a part without one.
    pub path: String,
    pub file_name: Option<String>,
    pub bytes: axum::body::Bytes,
}

/// The body's next part, none after the last.
pub(crate) async fn next_part(multipart: &mut Multipart) -> Result<Option<Part>, jamaa_core::Error> {
    let field = match multipart.next_field().await {
        Ok(Some(field)) => field,
        Ok(None) => return Ok(None),
        Err(_) => return Err(invalid("body", MultipartProblem::UnreadableBody)),
    };
    let name = field.name().unwrap_or_default().to_owned();
    let path = if name.is_empty() { "body".to_owned() } else { name.clone() };
    let file_name = field.file_name().map(str::to_owned);
    let bytes = field.bytes().await.map_err(|_| invalid(&path, MultipartProblem::UnreadablePart))?;
    Ok(Some(Part { name, path, file_name, bytes }))
}

pub(crate) async fn submit(State(state): State<AppState>, headers: HeaderMap, multipart: Multipart) -> Response {
    let Caller { principal, locale } = match resolve_caller(&state, &headers).await {
        Ok(caller) => caller,
        Err(response) => return response,
    };
    let (submission, files) = match read(multipart).await {
        Ok(read) => read,
        Err(error) => return failure(error, locale.unwrap_or(PLATFORM_LOCALE)),
    };
    // The caller's language, else the commune's.
    let commune = match state.jamaa.commune(&submission.commune).await {
        Ok(commune) => commune,
        Err(error) => return failure(error, locale.unwrap_or(PLATFORM_LOCALE)),
    };
    let locale = locale.unwrap_or(commune.spec.default_locale);
    let idempotency = match idempotency(&headers, &submission, &files) {
        Ok(idempotency) => idempotency,
        Err(error) => return failure(error, locale),
    };
    let input = SubmitRequest {
        service_code: submission.service_code.into(),
        data: submission.data,
        documents: submission.documents,
    };
    match state.jamaa.submit_with_files(&principal, &commune, input, files, None, idempotency.as_ref()).await {
        Ok(done) => Json(json!({
            "id": done.request.record.id.to_string(),
            "trackingCode": done.request.record.tracking_code.to_string(),
            "secret": done.secret.expose_secret(),
            "documents": done.request.record.documents,
        }))
        .into_response(),
        Err(error) => failure(error, locale),
    }
}

/// The submission's `Idempotency-Key`, with the hash of what it sends: the JSON part and each file's
/// document type, name and SHA-256.
fn idempotency(
    headers: &HeaderMap,
    submission: &SubmissionPart,
    files: &[DocumentFile],
) -> Result<Option<Idempotency>, jamaa_core::Error> {
    use base64::Engine as _;
    use sha2::Digest as _;
    let Some(raw) = headers.get("idempotency-key") else { return Ok(None) };
    let key = IdempotencyKey::parse("Idempotency-Key", raw.to_str().unwrap_or_default())?;
    let files: Vec<_> = files
        .iter()
        .map(|f| json!({ "code": f.code, "fileName": f.file_name, "sha256": base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(&f.bytes)) }))
        .collect();
    let arguments = json!({ "submission": submission, "files": files });
    Ok(Some(Idempotency::new(key, "POST /submissions", &arguments)))
}

/// The JSON part and the files, in order.
pub async fn read(mut multipart: Multipart) -> Result<(SubmissionPart, Vec<DocumentFile>), jamaa_core::Error> {
    let mut submission = None;
    let mut files = Vec::new();
    while let Some(Part { name, path, file_name, bytes }) = next_part(&mut multipart).await? {
        match file_name {
            None if name == "submission" => {
                let part: SubmissionPart = serde_json::from_slice(&bytes).map_err(|e| {
                    let message = messages::not_a_submission(&e.to_string());
                    jamaa_core::Error::field("submission", FieldErrorCode::InvalidValue, message)
                })?;
                submission = Some(part);
            }
            None => {
                return Err(invalid(&path, MultipartProblem::FileWithoutName));
            }
            Some(file_name) => {
                if files.len() == MAX_FILES {
                    return Err(invalid("documents", MultipartProblem::TooManyFiles));
                }
                files.push(DocumentFile { code: name, file_name, bytes: bytes.to_vec() });
            }
        }
    }
    let submission = submission.ok_or_else(|| invalid("submission", MultipartProblem::NoSubmission))?;
    Ok((submission, files))
}

/// An error as the GraphQL API shapes it, with the HTTP status that fits.
pub(crate) fn failure(error: jamaa_core::Error, locale: Locale) -> Response {
    let status = match error.code() {
        "VALIDATION_FAILED" => StatusCode::UNPROCESSABLE_ENTITY,
        "UNAUTHENTICATED" => StatusCode::UNAUTHORIZED,
        "FORBIDDEN" => StatusCode::FORBIDDEN,
        "NOT_FOUND" => StatusCode::NOT_FOUND,
        "CONFLICT" => StatusCode::CONFLICT,
        "IDEMPOTENCY_KEY_REUSED" => StatusCode::UNPROCESSABLE_ENTITY,
        "IDEMPOTENCY_KEY_DONE" => StatusCode::CONFLICT,
        "UNAVAILABLE" => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let retry = error.is_retryable();
    let response = async_graphql::Response::from_errors(vec![request_error(error, locale)]);
    let mut response = (status, Json(response)).into_response();
    if retry {
        response.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from_static("1"));
    }
    response
}
