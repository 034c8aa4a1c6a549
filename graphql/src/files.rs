//! `GET /files/{commune}/{requestId}/{fileId}`: a file uploaded with a request, for the commune's staff holding a
//! role of the request's workflow (`Authorization: Bearer …`), counted by the rate limits of `crate::limits`. Each download is an audit event; a file of
//! another commune or request is NOT_FOUND. The answer is the bytes with the type detected at upload, as an
//! attachment, never cached; errors are shaped like the GraphQL API's.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use jamaa_core::model::ids::RequestId;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

use crate::app::{AppState, Caller, resolve_caller};
use crate::edge::{PathCommune, Rejection};
use crate::schema::subject_id;
use crate::uploads::failure;

/// `attachment` with the file name: an ASCII fallback and the UTF-8 name (RFC 6266, RFC 8187).
pub fn disposition(file_name: &str) -> HeaderValue {
    let fallback: String = file_name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' })
        .collect();
    let encoded = utf8_percent_encode(file_name, NON_ALPHANUMERIC);
    HeaderValue::from_str(&format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

/// A file's bytes as an attachment of its type (or `application/octet-stream`), never cached nor sniffed.
pub fn attachment(media_type: &str, file_name: &str, bytes: Vec<u8>) -> Response {
    let media_type =
        HeaderValue::from_str(media_type).unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    let headers = [
        (header::CONTENT_TYPE, media_type),
        (header::CONTENT_DISPOSITION, disposition(file_name)),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
    ];
    (headers, bytes).into_response()
}

pub(crate) async fn download(
    State(state): State<AppState>,
    headers: HeaderMap,
    at: Result<PathCommune, Rejection>,
    Path((_, request, file)): Path<(String, String, String)>,
) -> Response {
    let Caller { principal, .. } = match resolve_caller(&state, &headers).await {
        Ok(caller) => caller,
        Err(response) => return response,
    };
    let locale = match &at {
        Ok(at) => at.lang.locale,
        Err(rejection) => rejection.locale,
    };
    // Ids that do not parse are as unknown as those of another commune; a request's id may carry the locale
    // of the view it came from (`…@fr`), as the API's ids do.
    let ids = (subject_id::<RequestId>(&request, "file"), subject_id::<uuid::Uuid>(&file, "file"));
    let ((Ok(request), Ok(file)), Ok(at)) = (ids, at) else {
        return failure(jamaa_core::Error::NotFound("file"), locale);
    };
    match state.jamaa.download_file(&principal, &at.commune, request, file).await {
        Ok(found) => attachment(&found.media_type, &found.file_name, found.bytes),
        Err(error) => failure(error, locale),
    }
}
