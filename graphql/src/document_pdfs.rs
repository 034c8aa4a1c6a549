//! `GET /documents/{commune}/{code}.pdf`: the PDF of a document the commune issued, for whoever holds its
//! verification code — the code is the secret printed on the document, as `/verify` takes it (about 59 random
//! bits, the commune's prefix before them). A code of another commune, unknown or malformed, is NOT_FOUND, like a
//! document issued before PDFs were. Counted by the rate limits of `crate::limits`; each download is an audit
//! event. The answer is the bytes issued (their SHA-256 is what `/verify` checks), never cached.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::app::AppState;
use crate::edge::{PathCommune, Rejection};
use crate::files::disposition;
use crate::uploads::failure;

/// The path of a document's PDF, relative to the server.
pub fn pdf_path(commune: &str, code: &str) -> String {
    format!("/documents/{commune}/{code}.pdf")
}

pub(crate) async fn download(
    State(state): State<AppState>,
    at: Result<PathCommune, Rejection>,
    Path((_, file)): Path<(String, String)>,
) -> Response {
    let at = match at {
        Ok(at) => at,
        Err(rejection) => return failure(rejection.error, rejection.locale),
    };
    let locale = at.lang.locale;
    let Some(code) = file.strip_suffix(".pdf") else {
        return failure(jamaa_core::Error::NotFound("document"), locale);
    };
    match state.jamaa.document_pdf(&at.commune, code).await {
        Ok(pdf) => {
            let headers = [
                (header::CONTENT_TYPE, HeaderValue::from_static("application/pdf")),
                (header::CONTENT_DISPOSITION, disposition(&format!("{}.pdf", pdf.code))),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
                (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
            ];
            (headers, pdf.bytes).into_response()
        }
        Err(error) => failure(error, locale),
    }
}
