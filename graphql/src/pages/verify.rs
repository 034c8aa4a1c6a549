//! `/verify/{code}`: whether a document is authentic (issued by a commune under that code) and, when its text is
//! pasted, unchanged; and `/verify/{code}/qr.svg`, the QR code printed on documents. Nothing of the document's
//! content is shown.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use jamaa_core::model::i18n::Locale;
use jamaa_core::model::verification::{VerificationCode, short_fingerprint};
use jamaa_core::service::DocumentVerification;
use maud::html;
use serde::Deserialize;

use super::{base_url, layout, page_locale, qr_svg, tr};
use crate::app::AppState;

pub(super) fn router() -> Router<AppState> {
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

async fn render(state: &AppState, code: &str, text: Option<&str>, lang: Option<&str>, headers: &HeaderMap) -> Response {
    let path = format!("/verify/{code}");
    match state.jamaa.verify_document(code, text).await {
        Ok(verification) => {
            let locale = page_locale(lang, headers, Some(&verification.commune));
            Html(authentic(&verification, locale, &path).into_string()).into_response()
        }
        Err(error) => {
            let locale = page_locale(lang, headers, None);
            let (status, message) = match error.code() {
                "NOT_FOUND" => (
                    StatusCode::NOT_FOUND,
                    tr(locale, "لا توجد أي وثيقة تحمل هذا الرمز.", "Aucun document ne porte ce code."),
                ),
                "VALIDATION_FAILED" => (
                    StatusCode::BAD_REQUEST,
                    tr(
                        locale,
                        "هذا ليس رمز تحقق (مثال: CHF-7K3M-9XQ2-HT4P).",
                        "Ce n'est pas un code de vérification (exemple : CHF-7K3M-9XQ2-HT4P).",
                    ),
                ),
                _ => {
                    tracing::error!(%error, "verifying a document");
                    (StatusCode::INTERNAL_SERVER_ERROR, tr(locale, "خطأ داخلي.", "Erreur interne."))
                }
            };
            let title = tr(locale, "التحقق من وثيقة", "Vérification d'un document");
            let body = html! { h1 { (title) } p.bad { (message) } };
            (status, Html(layout(locale, title, &path, body).into_string())).into_response()
        }
    }
}

fn authentic(v: &DocumentVerification, locale: Locale, path: &str) -> maud::Markup {
    let fallbacks = v.commune.fallbacks();
    let issued_on = v.issued_at.with_timezone(&v.commune.time_zone()).format("%Y-%m-%d %H:%M").to_string();
    let title = tr(locale, "التحقق من وثيقة", "Vérification d'un document");
    let body = html! {
        h1 { (title) }
        p.ok { (tr(locale, "وثيقة أصلية: أصدرتها الجماعة بهذا الرمز.", "Document authentique : émis par la commune sous ce code.")) }
        dl {
            dt { (tr(locale, "الرمز", "Code")) } dd.code { (v.code.to_string()) }
            dt { (tr(locale, "الجماعة", "Commune")) } dd { (v.commune.spec.name.get(locale, &fallbacks)) }
            dt { (tr(locale, "الوثيقة", "Document")) } dd { (v.title.get(locale, &fallbacks)) }
            dt { (tr(locale, "تاريخ الإصدار", "Émis le")) } dd.code { (issued_on) }
            dt { (tr(locale, "البصمة", "Empreinte")) } dd.code { (short_fingerprint(&v.fingerprint)) }
        }
        @match v.text_matches {
            Some(true) => p.ok #text-result { (tr(locale, "النص المقدم مطابق للوثيقة الصادرة: لم يتغير.", "Le texte présenté est celui du document émis : il n'a pas été modifié.")) },
            Some(false) => p.bad #text-result { (tr(locale, "النص المقدم يختلف عن الوثيقة الصادرة.", "Le texte présenté diffère du document émis.")) },
            None => {},
        }
        form method="post" {
            label for="text" { (tr(locale, "الصق نص الوثيقة للتأكد من أنه لم يتغير:", "Collez le texte du document pour vérifier qu'il n'a pas été modifié :")) }
            textarea #text name="text" {}
            button type="submit" { (tr(locale, "تحقق", "Vérifier")) }
        }
    };
    layout(locale, title, path, body)
}

async fn qr(Path(code): Path<String>, headers: HeaderMap) -> Response {
    let Ok(code) = VerificationCode::parse(&code) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let url = format!("{}/verify/{code}", base_url(&headers));
    match qr_svg(&url) {
        Some(svg) => ([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response(),
        None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
