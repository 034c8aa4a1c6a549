//! `/verify/{code}`: whether a document is authentic (issued by a commune under that code) and, when its text is
//! pasted, unchanged; and `/verify/{code}/qr.svg`, the QR code printed on documents. Nothing of the document's
//! content is shown. A document another withdrew (a quittance its notice of cancellation withdrew) says so, with
//! the withdrawing document's code. `POST /verify/{code}/pdf` takes a PDF (multipart part `pdf`, within the
//! server's body limit, `crate::app::MAX_BODY_BYTES`: an issued PDF is a few tens of kilobytes) and says whether it is the PDF issued under the code, byte for byte (its SHA-256); the page links
//! to the PDF issued (`/documents/{commune}/{code}.pdf`), since whoever holds the code may download it.

use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use jamaa_core::model::verification::{VerificationCode, short_fingerprint};
use jamaa_core::service::{DocumentVerification, Presented};
use maud::{Markup, html};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use jamaa_core::model::i18n::Locale;

use super::{PageLang, base_url, language_links, layout, offered, page_response, qr_svg, training_mark};
use crate::app::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/verify/{code}", get(show).post(check))
        .route("/verify/{code}/pdf", post(check_pdf))
        .route("/verify/{code}/qr.svg", get(qr))
}

#[derive(Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

#[derive(Deserialize)]
struct TextForm {
    text: String,
}

async fn show(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(query): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    render(&state, &code, Presented::default(), query.lang.as_deref(), &headers).await
}

/// A PDF sent to be checked: the SHA-256 of the part `pdf` (or of nothing, when it is missing or unreadable,
/// which matches no document).
async fn check_pdf(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(query): Query<LangQuery>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let mut digest = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("pdf") {
            digest = field.bytes().await.ok().map(|bytes| format!("{:x}", Sha256::digest(&bytes)));
            break;
        }
    }
    let fingerprint = digest.unwrap_or_default();
    let presented = Presented { text: None, pdf_fingerprint: Some(&fingerprint) };
    render(&state, &code, presented, query.lang.as_deref(), &headers).await
}

async fn check(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(query): Query<LangQuery>,
    headers: HeaderMap,
    Form(form): Form<TextForm>,
) -> Response {
    render(&state, &code, Presented { text: Some(&form.text), pdf_fingerprint: None }, query.lang.as_deref(), &headers)
        .await
}

async fn render(
    state: &AppState,
    code: &str,
    presented: Presented<'_>,
    query: Option<&str>,
    headers: &HeaderMap,
) -> Response {
    let commune = match VerificationCode::parse(code) {
        Ok(parsed) => state.jamaa.commune_by_tracking_prefix(parsed.prefix()).await.ok().flatten(),
        Err(_) => None,
    };
    let lang = PageLang::pick(query, headers, commune.as_ref());
    let languages = offered(commune.as_ref());
    let title = lang.t("verify-title");
    match state.jamaa.verify_presented(code, presented).await {
        Ok(verification) => page_response(StatusCode::OK, authentic(&verification, lang, &languages, &title)),
        Err(error) => {
            let (status, message) = match error.code() {
                "NOT_FOUND" => (StatusCode::NOT_FOUND, lang.t("verify-not-found")),
                "VALIDATION_FAILED" => (StatusCode::BAD_REQUEST, lang.t("verify-not-a-code")),
                _ => {
                    tracing::error!(%error, "verifying a document");
                    (StatusCode::INTERNAL_SERVER_ERROR, lang.t("internal-error"))
                }
            };
            let body = html! { (language_links(lang, &languages)) h1 { (title) } p.bad { (message) } };
            page_response(status, layout(lang, &title, body))
        }
    }
}

fn authentic(v: &DocumentVerification, lang: PageLang, languages: &[Locale], title: &str) -> Markup {
    let fallbacks = v.commune.fallbacks();
    let text = |t: &jamaa_core::model::i18n::LocalizedText| {
        let (locale, text) = t.resolve(lang.locale(), &fallbacks).unwrap_or((lang.locale(), ""));
        html! { span lang=(locale.as_str()) { (text) } }
    };
    let issued_on = lang.time_in_zone(v.issued_at, v.commune.time_zone());
    let body = html! {
        (language_links(lang, languages))
        (training_mark(lang, Some(&v.commune)))
        h1 { (title) }
        @if v.withdrawn.is_some() {
            p.bad #withdrawn { (lang.t("verify-withdrawn")) }
        } @else {
            p.ok { (lang.t("verify-authentic")) }
        }
        dl {
            dt { (lang.t("verify-code")) } dd.code { (v.code.to_string()) }
            dt { (lang.t("verify-commune")) } dd { (text(&v.commune.spec.name)) }
            dt { (lang.t("verify-document")) } dd { (text(&v.title)) }
            dt { (lang.t("verify-issued-on")) } dd { (issued_on) }
            dt { (lang.t("verify-fingerprint")) } dd.code { (short_fingerprint(&v.fingerprint)) }
            @if let Some(pdf) = &v.pdf_fingerprint {
                dt { (lang.t("verify-pdf-fingerprint")) } dd.code #pdf-fingerprint { (pdf) }
                dt { (lang.t("verify-pdf")) }
                dd { a #pdf-link href=(crate::document_pdfs::pdf_path(v.commune.spec.slug.as_str(), &v.code.to_string())) download { (lang.t("verify-pdf-download")) } }
            }
            @if let Some(withdrawal) = &v.withdrawn {
                dt { (lang.t("verify-withdrawn-by")) }
                dd {
                    (text(&withdrawal.title)) " "
                    a.code href={ "/verify/" (withdrawal.code.to_string()) "?lang=" (lang.code()) } { (withdrawal.code.to_string()) }
                }
                dt { (lang.t("verify-withdrawn-on")) }
                dd { (lang.time_in_zone(withdrawal.issued_at, v.commune.time_zone())) }
            }
        }
        @match v.text_matches {
            Some(true) => p.ok #text-result { (lang.t("verify-text-same")) },
            Some(false) => p.bad #text-result { (lang.t("verify-text-differs")) },
            None => {},
        }
        @match v.pdf_matches {
            Some(true) => p.ok #pdf-result { (lang.t("verify-pdf-same")) },
            Some(false) => p.bad #pdf-result { (lang.t("verify-pdf-differs")) },
            None => {},
        }
        form.no-print method="post" action={ "/verify/" (v.code.to_string()) "/pdf?lang=" (lang.code()) } enctype="multipart/form-data" {
            label for="pdf" { (lang.t("verify-pdf-upload")) }
            input #pdf type="file" name="pdf" accept="application/pdf";
            button type="submit" { (lang.t("verify-pdf-button")) }
        }
        form.no-print method="post" {
            label for="text" { (lang.t("verify-paste")) }
            textarea #text name="text" {}
            button type="submit" { (lang.t("verify-button")) }
        }
    };
    layout(lang, title, body)
}

async fn qr(Path(code): Path<String>, headers: HeaderMap) -> Response {
    let Ok(code) = VerificationCode::parse(&code) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    match qr_svg(&format!("{}/verify/{code}", base_url(&headers))) {
        Some(svg) => ([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response(),
        None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
