//! `/verify/{code}`: whether a document is authentic (issued by a commune under that code) and, when its text is
//! pasted, unchanged; and `/verify/{code}/qr.svg`, the QR code printed on documents. Nothing of the document's
//! content is shown.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use jamaa_core::model::verification::{VerificationCode, short_fingerprint};
use jamaa_core::service::DocumentVerification;
use maud::{Markup, html};
use serde::Deserialize;

use super::{PageLang, base_url, layout, page_response, qr_svg};
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
    render(&state, &code, None, PageLang::pick(query.lang.as_deref(), &headers)).await
}

async fn check(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(query): Query<LangQuery>,
    headers: HeaderMap,
    Form(form): Form<TextForm>,
) -> Response {
    render(&state, &code, Some(&form.text), PageLang::pick(query.lang.as_deref(), &headers)).await
}

async fn render(state: &AppState, code: &str, text: Option<&str>, lang: PageLang) -> Response {
    let title = lang.t("التحقق من وثيقة", "Vérification d'un document");
    match state.jamaa.verify_document(code, text).await {
        Ok(verification) => page_response(StatusCode::OK, authentic(&verification, lang, title)),
        Err(error) => {
            let (status, message) = match error.code() {
                "NOT_FOUND" => (
                    StatusCode::NOT_FOUND,
                    lang.t("لا توجد أي وثيقة تحمل هذا الرمز.", "Aucun document ne porte ce code."),
                ),
                "VALIDATION_FAILED" => (
                    StatusCode::BAD_REQUEST,
                    lang.t(
                        "هذا ليس رمز تحقق (مثال: CHF-7K3M-9XQ2-HT4P).",
                        "Ce n'est pas un code de vérification (exemple : CHF-7K3M-9XQ2-HT4P).",
                    ),
                ),
                _ => {
                    tracing::error!(%error, "verifying a document");
                    (StatusCode::INTERNAL_SERVER_ERROR, lang.t("خطأ داخلي.", "Erreur interne."))
                }
            };
            page_response(status, layout(lang, title, html! { h1 { (title) } p.bad { (message) } }))
        }
    }
}

fn authentic(v: &DocumentVerification, lang: PageLang, title: &str) -> Markup {
    let fallbacks = v.commune.fallbacks();
    let issued_on = v.issued_at.with_timezone(&v.commune.time_zone()).format("%Y-%m-%d %H:%M").to_string();
    let body = html! {
        h1 { (title) }
        p.ok { (lang.t("وثيقة أصلية: أصدرتها الجماعة بهذا الرمز.", "Document authentique : émis par la commune sous ce code.")) }
        dl {
            dt { (lang.t("الرمز", "Code")) } dd.code { (v.code.to_string()) }
            dt { (lang.t("الجماعة", "Commune")) } dd { (v.commune.spec.name.get(lang.locale(), &fallbacks)) }
            dt { (lang.t("الوثيقة", "Document")) } dd { (v.title.get(lang.locale(), &fallbacks)) }
            dt { (lang.t("تاريخ الإصدار", "Émis le")) } dd.code { (issued_on) }
            dt { (lang.t("البصمة", "Empreinte")) } dd.code { (short_fingerprint(&v.fingerprint)) }
        }
        @match v.text_matches {
            Some(true) => p.ok #text-result { (lang.t("النص المقدم مطابق للوثيقة الصادرة: لم يتغير.", "Le texte présenté est celui du document émis : il n'a pas été modifié.")) },
            Some(false) => p.bad #text-result { (lang.t("النص المقدم يختلف عن الوثيقة الصادرة.", "Le texte présenté diffère du document émis.")) },
            None => {},
        }
        form.no-print method="post" {
            label for="text" { (lang.t("الصق نص الوثيقة للتأكد من أنه لم يتغير:", "Collez le texte du document pour vérifier qu'il n'a pas été modifié :")) }
            textarea #text name="text" {}
            button type="submit" { (lang.t("تحقق", "Vérifier")) }
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
