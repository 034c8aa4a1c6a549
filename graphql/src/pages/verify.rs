//! `/verify/{code}`: whether a document is authentic (issued by a commune under that code) and, when its text is
//! pasted, unchanged; and `/verify/{code}/qr.svg`, the QR code printed on documents. Nothing of the document's
//! content is shown. A document another withdrew (a quittance its notice of cancellation withdrew) says so, with
//! the withdrawing document's code.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use jamaa_core::model::verification::{VerificationCode, short_fingerprint};
use jamaa_core::service::DocumentVerification;
use maud::{Markup, html};
use serde::Deserialize;

use jamaa_core::model::i18n::Locale;

use super::{PageLang, base_url, language_links, layout, offered, page_response, qr_svg, training_mark};
use crate::app::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/verify/{code}", get(show).post(check)).route("/verify/{code}/qr.svg", get(qr))
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
    render(&state, &code, None, query.lang.as_deref(), &headers).await
}

async fn check(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(query): Query<LangQuery>,
    headers: HeaderMap,
    Form(form): Form<TextForm>,
) -> Response {
    render(&state, &code, Some(&form.text), query.lang.as_deref(), &headers).await
}

async fn render(
    state: &AppState,
    code: &str,
    text: Option<&str>,
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
    match state.jamaa.verify_document(code, text).await {
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
