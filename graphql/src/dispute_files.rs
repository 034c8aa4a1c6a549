//! The documents of a case file over HTTP, as the files of requests are (`crate::uploads`, `crate::files`):
//! - `POST /disputes/{commune}/{caseId}/documents`, `multipart/form-data`: a part `document` (JSON: `title`,
//!   `kind`: `pleading`, `judgment`, `expert_report`, `correspondence` or `other`) and one file part `file`.
//!   What the file is comes from its bytes; its content is sealed. The answer is the document as JSON. An
//!   `Idempotency-Key` makes it safe to retry: the same key and upload answer the document first attached.
//! - `GET /disputes/{commune}/{caseId}/documents/{documentId}`: its content, as an attachment, never cached;
//!   each opening is an audit event.
//!
//! Both for those who manage the commune's disputes (`Authorization: Bearer …`); a case or document of another
//! commune is NOT_FOUND. Errors are shaped like the GraphQL API's.

use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use jamaa_core::error::FieldErrorCode;
use jamaa_core::model::form::messages::{self, MultipartProblem};
use jamaa_core::model::idempotency::{Idempotency, IdempotencyKey};
use jamaa_core::model::ids::{DisputeDocumentId, DisputeId};
use jamaa_core::service::CaseDocumentUpload;
use serde::Deserialize;

use crate::app::{AppState, Caller, resolve_caller};
use crate::edge::{PathCommune, Rejection};
use crate::files::attachment;
use crate::schema::subject_id;
use crate::uploads::{Part, failure, invalid, next_part};

/// What the `document` part says of the file.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct DocumentPart {
    title: String,
    kind: String,
}

/// The caller, else the refusal of its token with an HTTP status that says so (401, not the 200 of a GraphQL
/// answer).
async fn caller(state: &AppState, headers: &HeaderMap) -> Result<Caller, Response> {
    resolve_caller(state, headers).await.map_err(|mut response| {
        if response.status() == StatusCode::OK {
            *response.status_mut() = StatusCode::UNAUTHORIZED;
        }
        response
    })
}

fn required(path: &str) -> jamaa_core::Error {
    jamaa_core::Error::field(path, FieldErrorCode::Required, messages::register_required())
}

/// The `document` part and the file (its name and bytes).
async fn read(mut multipart: Multipart) -> Result<(DocumentPart, String, Vec<u8>), jamaa_core::Error> {
    let mut document = None;
    let mut file = None;
    while let Some(Part { name, path, file_name, bytes }) = next_part(&mut multipart).await? {
        match (name.as_str(), file_name) {
            ("document", None) => {
                let part: DocumentPart = serde_json::from_slice(&bytes).map_err(|e| {
                    let message = messages::not_a_case_document(&e.to_string());
                    jamaa_core::Error::field("document", FieldErrorCode::InvalidValue, message)
                })?;
                document = Some(part);
            }
            ("file", Some(file_name)) if file.is_none() => file = Some((file_name, bytes.to_vec())),
            ("file", Some(_)) => return Err(invalid("file", MultipartProblem::TooManyFiles)),
            ("file", None) => return Err(invalid("file", MultipartProblem::FileWithoutName)),
            _ => return Err(jamaa_core::Error::field(&path, FieldErrorCode::UnknownField, messages::unknown_field())),
        }
    }
    let document = document.ok_or_else(|| required("document"))?;
    let (file_name, bytes) = file.ok_or_else(|| required("file"))?;
    Ok((document, file_name, bytes))
}

/// The upload's `Idempotency-Key`, with the hash of what it sends: the case, the `document` part, the file's
/// name and SHA-256.
fn idempotency(
    headers: &HeaderMap,
    case: DisputeId,
    part: &DocumentPart,
    file_name: &str,
    bytes: &[u8],
) -> Result<Option<Idempotency>, jamaa_core::Error> {
    use sha2::Digest as _;
    let Some(raw) = headers.get("idempotency-key") else { return Ok(None) };
    let key = IdempotencyKey::parse("Idempotency-Key", raw.to_str().unwrap_or_default())?;
    let sha256: String = sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect();
    let arguments = serde_json::json!({
        "case": case.to_string(), "title": part.title, "kind": part.kind, "fileName": file_name, "sha256": sha256,
    });
    Ok(Some(Idempotency::new(key, "POST /disputes/documents", &arguments)))
}

pub(crate) async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    at: Result<PathCommune, Rejection>,
    Path((_, case)): Path<(String, String)>,
    multipart: Multipart,
) -> Response {
    let Caller { principal, .. } = match caller(&state, &headers).await {
        Ok(caller) => caller,
        Err(response) => return response,
    };
    let at = match at {
        Ok(at) => at,
        Err(rejection) => return failure(rejection.error, rejection.locale),
    };
    let locale = at.lang.locale;
    let Ok(case) = subject_id::<DisputeId>(&case, "case") else {
        return failure(jamaa_core::Error::NotFound("case"), locale);
    };
    let (part, file_name, bytes) = match read(multipart).await {
        Ok(read) => read,
        Err(error) => return failure(error, locale),
    };
    let idempotency = match idempotency(&headers, case, &part, &file_name, &bytes) {
        Ok(idempotency) => idempotency,
        Err(error) => return failure(error, locale),
    };
    let upload = CaseDocumentUpload { title: part.title, kind: part.kind, file_name, bytes };
    match state.jamaa.attach_case_document(&principal, &at.commune, case, upload, idempotency.as_ref()).await {
        Ok(document) => {
            let kind: &'static str = document.kind.into();
            Json(serde_json::json!({
                "id": document.id.to_string(),
                "caseId": document.case.to_string(),
                "title": document.title,
                "kind": kind,
                "fileName": document.file_name,
                "mediaType": document.media_type,
                "sizeBytes": document.size_bytes,
                "sha256": document.sha256,
                "addedAt": document.added_at.to_rfc3339(),
            }))
            .into_response()
        }
        Err(error) => failure(error, locale),
    }
}

pub(crate) async fn download(
    State(state): State<AppState>,
    headers: HeaderMap,
    at: Result<PathCommune, Rejection>,
    Path((_, case, document)): Path<(String, String, String)>,
) -> Response {
    let Caller { principal, .. } = match caller(&state, &headers).await {
        Ok(caller) => caller,
        Err(response) => return response,
    };
    let locale = match &at {
        Ok(at) => at.lang.locale,
        Err(rejection) => rejection.locale,
    };
    // Ids that do not parse are as unknown as those of another commune.
    let ids = (subject_id::<DisputeId>(&case, "document"), subject_id::<DisputeDocumentId>(&document, "document"));
    let ((Ok(case), Ok(document)), Ok(at)) = (ids, at) else {
        return failure(jamaa_core::Error::NotFound("document"), locale);
    };
    match state.jamaa.case_document(&principal, &at.commune, case, document).await {
        Ok(found) => attachment(&found.media_type, &found.file_name, found.bytes),
        Err(error) => failure(error, locale),
    }
}
