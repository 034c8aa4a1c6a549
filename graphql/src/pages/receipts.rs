//! `/receipts/{code}`: a request's printable receipt. The tracking code alone shows a form and nothing of the
//! request; the citizen's secret comes in a form POST (never in a URL, which ends up in logs and histories),
//! and a wrong secret looks exactly like an unknown code. The page carries what the receipt says (commune,
//! procedure, dates, documents, fees, what silence means), the request's state, and a QR code of this page's
//! address; no personal field of the form.

use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use jamaa_core::model::i18n::LocalizedText;
use jamaa_core::service::Tracking;
use maud::{Markup, PreEscaped, html};
use secrecy::SecretString;
use serde::Deserialize;

use super::{PageLang, base_url, layout, page_response, qr_svg};
use crate::app::AppState;

#[derive(Debug, Deserialize)]
pub(crate) struct LangQuery {
    lang: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct SecretForm {
    secret: String,
}

impl std::fmt::Debug for SecretForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretForm").finish_non_exhaustive()
    }
}

/// The longest tracking code accepted in a path, before any look-up.
const MAX_CODE_CHARS: usize = 40;

/// GET: the form that asks for the secret.
pub(crate) async fn form(Path(code): Path<String>, Query(query): Query<LangQuery>, headers: HeaderMap) -> Response {
    let lang = PageLang::pick(query.lang.as_deref(), &headers);
    page_response(StatusCode::OK, secret_page(lang, &code, false))
}

/// POST: the receipt, when the secret matches the code; the form again (404) otherwise.
pub(crate) async fn show(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(query): Query<LangQuery>,
    headers: HeaderMap,
    Form(form): Form<SecretForm>,
) -> Response {
    let lang = PageLang::pick(query.lang.as_deref(), &headers);
    if code.chars().count() > MAX_CODE_CHARS {
        return page_response(StatusCode::NOT_FOUND, secret_page(lang, &code, true));
    }
    match state.jamaa.track_request(&code, &SecretString::from(form.secret)).await {
        Ok(tracking) => {
            let address = page_address(&headers, &tracking.request.record.tracking_code.to_string(), lang);
            page_response(StatusCode::OK, receipt_page(lang, &tracking, &address))
        }
        Err(jamaa_core::Error::NotFound(_) | jamaa_core::Error::Validation(_)) => {
            page_response(StatusCode::NOT_FOUND, secret_page(lang, &code, true))
        }
        Err(error) => {
            tracing::error!(%error, "receipt page");
            page_response(StatusCode::INTERNAL_SERVER_ERROR, secret_page(lang, &code, true))
        }
    }
}

/// The address of this page, for the QR code.
fn page_address(headers: &HeaderMap, code: &str, lang: PageLang) -> String {
    format!("{}/receipts/{code}?lang={}", base_url(headers), lang.code())
}

fn other_lang(lang: PageLang) -> (PageLang, &'static str) {
    match lang {
        PageLang::Ar => (PageLang::Fr, "Français"),
        PageLang::Fr => (PageLang::Ar, "العربية"),
    }
}

fn secret_page(lang: PageLang, code: &str, failed: bool) -> Markup {
    let title = lang.t("وصل الإيداع", "Récépissé de dépôt");
    let (other, other_name) = other_lang(lang);
    let action = format!("?lang={}", lang.code());
    layout(
        lang,
        title,
        html! {
            p.no-print { a href=(format!("?lang={}", other.code())) lang=(other.code()) { (other_name) } }
            h1 { (title) }
            p { (lang.t("رمز التتبع:", "Code de suivi :")) " " span.code { (code) } }
            @if failed {
                p.error role="alert" {
                    (lang.t("رمز التتبع أو الرمز السري غير صحيح.", "Le code de suivi ou le code secret est incorrect."))
                }
            }
            form method="post" action=(action) {
                label for="secret" { (lang.t("الرمز السري المسلم عند الإيداع", "Code secret remis au dépôt")) }
                input id="secret" name="secret" type="password" autocomplete="off" required;
                br;
                button type="submit" { (lang.t("عرض الوصل", "Afficher le récépissé")) }
            }
        },
    )
}

fn receipt_page(lang: PageLang, tracking: &Tracking, address: &str) -> Markup {
    let details = &tracking.request;
    let receipt = details.receipt();
    let fallbacks = details.commune.fallbacks();
    let text = |t: &LocalizedText| t.get(lang.locale(), &fallbacks).to_owned();
    let tz = details.commune.time_zone();
    let submitted = receipt.submitted_at.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string();
    let title = lang.t("وصل الإيداع", "Récépissé de dépôt");
    let qr = qr_svg(address);
    layout(
        lang,
        &format!("{title} {}", receipt.tracking_code),
        html! {
            p.no-print { (lang.t("احتفظوا بهذا الوصل أو اطبعوه (Ctrl+P).", "Conservez ou imprimez ce récépissé (Ctrl+P).")) }
            @if let Some(svg) = &qr {
                div.qr role="img" aria-label=(lang.t("رمز الاستجابة السريعة لصفحة التتبع", "Code QR de la page de suivi")) {
                    (PreEscaped(svg))
                }
            }
            h1 { (title) }
            p.commune { (text(&receipt.commune_name)) }
            dl {
                dt { (lang.t("رمز التتبع", "Code de suivi")) } dd.code { (receipt.tracking_code.to_string()) }
                dt { (lang.t("المسطرة", "Procédure")) } dd { (text(&receipt.service_name)) }
                dt { (lang.t("تاريخ الإيداع", "Déposée le")) } dd { span.code { (submitted) } }
                dt { (lang.t("أجل البت القانوني", "Date limite légale de décision")) }
                dd { span.code { (details.record.decision_due.to_string()) } }
                dt { (lang.t("الحالة", "État")) } dd { (text(&details.state_label())) }
            }
            h2 { (lang.t("الوثائق المودعة", "Pièces déposées")) }
            @if receipt.documents.is_empty() {
                p { (lang.t("لا شيء.", "Aucune.")) }
            } @else {
                ul { @for document in &receipt.documents { li { (document.file_name) } } }
            }
            h2 { (lang.t("الرسوم", "Frais")) }
            @if receipt.fees.is_empty() {
                p { (lang.t("مجانا.", "Gratuit.")) }
            } @else {
                ul {
                    @for fee in &receipt.fees {
                        li { (text(&fee.label)) " — " span.code { (format_amount(fee.amount_minor)) " " (fee.currency) } }
                    }
                }
            }
            h2 { (lang.t("عند انقضاء الأجل", "À l'échéance")) }
            p.notice { (text(&receipt.silence_means)) }
            p.no-print {
                (lang.t("صفحة التتبع:", "Page de suivi :")) " " span.code { (address) }
            }
        },
    )
}

fn format_amount(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let minor = minor.unsigned_abs();
    format!("{sign}{}.{:02}", minor / 100, minor % 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::header;

    #[test]
    fn the_language_comes_from_the_query_then_the_header() {
        let mut headers = HeaderMap::new();
        assert_eq!(PageLang::pick(None, &headers), PageLang::Fr);
        headers.insert(header::ACCEPT_LANGUAGE, "ar-MA,ar;q=0.9".parse().unwrap());
        assert_eq!(PageLang::pick(None, &headers), PageLang::Ar);
        assert_eq!(PageLang::pick(Some("fr"), &headers), PageLang::Fr);
        assert_eq!(PageLang::pick(Some("xx"), &headers), PageLang::Ar);
        headers.insert(header::ACCEPT_LANGUAGE, "en".parse().unwrap());
        assert_eq!(PageLang::pick(None, &headers), PageLang::Fr);
    }

    #[test]
    fn the_form_escapes_the_code_and_the_qr_code_is_svg() {
        let page = secret_page(PageLang::Ar, "<script>alert(1)</script>", true).into_string();
        assert!(page.contains("&lt;script&gt;") && !page.contains("<script>"));
        assert!(page.contains(r#"dir="rtl""#) && page.contains(r#"method="post""#));
        let svg = qr_svg("https://oujda.example/receipts/OUJ-2026-000042?lang=fr").unwrap();
        assert!(svg.contains("<svg") && svg.contains("</svg>"));
        assert_eq!(format_amount(200), "2.00");
        assert_eq!(format_amount(-1505), "-15.05");
    }

    #[test]
    fn the_address_only_takes_a_plain_host() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, "oujda.example:8080".parse().unwrap());
        headers.insert("x-forwarded-proto", "https".parse().unwrap());
        assert_eq!(
            page_address(&headers, "OUJ-2026-000042", PageLang::Ar),
            "https://oujda.example:8080/receipts/OUJ-2026-000042?lang=ar"
        );
        headers.insert(header::HOST, "evil.example/\"><x".parse().unwrap());
        headers.remove("x-forwarded-proto");
        assert_eq!(page_address(&headers, "X", PageLang::Fr), "http://localhost/receipts/X?lang=fr");
    }
}
