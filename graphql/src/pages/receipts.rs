//! `/receipts/{code}`: a request's printable receipt. The tracking code alone shows a form and nothing of the
//! request; the citizen's secret comes in a form POST (never in a URL, which ends up in logs and histories),
//! and a wrong secret looks exactly like an unknown code. The page carries what the receipt says (commune,
//! procedure, dates, documents, fees, what silence means), the request's state, the documents issued about it
//! (an extract delivered from the civil-status register, a decision, a certificate: each with its text, its
//! verification code and a link to `/verify`, each reading audited as in `trackedDocuments`), and a QR code of
//! this page's address; no personal field of the form.

use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use jamaa_core::model::commune::Commune;
use jamaa_core::model::i18n::{Locale, LocalizedText};
use jamaa_core::model::request::TrackingCode;
use jamaa_core::service::{IssuedDocument, Tracking};
use maud::{Markup, PreEscaped, html};
use secrecy::SecretString;
use serde::Deserialize;

use super::{PageLang, base_url, language_links, layout, offered, page_response, qr_svg, training_mark};
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
pub(crate) async fn form(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(query): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let commune = commune_of(&state, &code).await;
    let lang = PageLang::pick(query.lang.as_deref(), &headers, commune.as_ref());
    page_response(StatusCode::OK, secret_page(lang, &offered(commune.as_ref()), commune.as_ref(), &code, false))
}

/// The commune a tracking code names by its prefix, if the code has that shape and the commune exists.
async fn commune_of(state: &AppState, code: &str) -> Option<Commune> {
    if code.chars().count() > MAX_CODE_CHARS {
        return None;
    }
    let code = TrackingCode::parse(code).ok()?;
    state.jamaa.commune_by_tracking_prefix(code.prefix()).await.ok().flatten()
}

/// POST: the receipt, when the secret matches the code; the form again (404) otherwise.
pub(crate) async fn show(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(query): Query<LangQuery>,
    headers: HeaderMap,
    Form(form): Form<SecretForm>,
) -> Response {
    let commune = commune_of(&state, &code).await;
    let lang = PageLang::pick(query.lang.as_deref(), &headers, commune.as_ref());
    let languages = offered(commune.as_ref());
    if code.chars().count() > MAX_CODE_CHARS {
        return page_response(StatusCode::NOT_FOUND, secret_page(lang, &languages, commune.as_ref(), &code, true));
    }
    let secret = SecretString::from(form.secret);
    match state.jamaa.track_request_with_documents(&code, &secret).await {
        Ok((tracking, issued)) => {
            let address = page_address(&headers, &tracking.request.record.tracking_code.to_string(), lang);
            page_response(StatusCode::OK, receipt_page(lang, &languages, &tracking, &issued, &address))
        }
        Err(jamaa_core::Error::NotFound(_) | jamaa_core::Error::Validation(_)) => {
            page_response(StatusCode::NOT_FOUND, secret_page(lang, &languages, commune.as_ref(), &code, true))
        }
        Err(error) => {
            tracing::error!(%error, "receipt page");
            page_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                secret_page(lang, &languages, commune.as_ref(), &code, true),
            )
        }
    }
}

/// The address of this page, for the QR code.
pub fn page_address(headers: &HeaderMap, code: &str, lang: PageLang) -> String {
    format!("{}/receipts/{code}?lang={}", base_url(headers), lang.code())
}

/// The page that asks for a receipt's code (`failed`: after a wrong one), in `lang` with links to `languages`.
pub fn secret_page(
    lang: PageLang,
    languages: &[Locale],
    commune: Option<&Commune>,
    code: &str,
    failed: bool,
) -> Markup {
    let title = lang.t("receipt-title");
    let action = format!("?lang={}", lang.code());
    layout(
        lang,
        &title,
        html! {
            (language_links(lang, languages))
            (training_mark(lang, commune))
            h1 { (title) }
            p { (lang.t("tracking-code-prompt")) " " span.code { (code) } }
            @if failed {
                p.error role="alert" { (lang.t("wrong-secret")) }
            }
            form method="post" action=(action) {
                label for="secret" { (lang.t("secret-label")) }
                input id="secret" name="secret" type="password" autocomplete="off" required;
                br;
                button type="submit" { (lang.t("show-receipt")) }
            }
        },
    )
}

fn receipt_page(
    lang: PageLang,
    languages: &[Locale],
    tracking: &Tracking,
    issued: &[IssuedDocument],
    address: &str,
) -> Markup {
    let details = &tracking.request;
    let receipt = details.receipt();
    let fallbacks = details.commune.fallbacks();
    let text = |t: &LocalizedText| {
        let (locale, text) = t.resolve(lang.locale(), &fallbacks).unwrap_or((lang.locale(), ""));
        html! { span lang=(locale.as_str()) { (text) } }
    };
    let tz = details.commune.time_zone();
    let title = lang.t("receipt-title");
    let qr = qr_svg(address);
    layout(
        lang,
        &format!("{title} {}", receipt.tracking_code),
        html! {
            (language_links(lang, languages))
            (training_mark(lang, Some(details.commune.as_ref())))
            p.no-print { (lang.t("keep-or-print")) }
            @if let Some(svg) = &qr {
                div.qr role="img" aria-label=(lang.t("qr-receipt")) {
                    (PreEscaped(svg))
                }
            }
            h1 { (title) }
            p.commune { (text(&receipt.commune_name)) }
            dl {
                dt { (lang.t("tracking-code")) } dd.code { (receipt.tracking_code.to_string()) }
                dt { (lang.t("procedure")) } dd { (text(&receipt.service_name)) }
                dt { (lang.t("submitted-on")) } dd #submitted-on { (lang.time_in_zone(receipt.submitted_at, tz)) }
                dt { (lang.t("decision-due")) } dd #decision-due {
                    (lang.date_in_zone(details.record.decision_due, tz))
                    br;
                    small #deadline-basis { (text(&receipt.deadline_set_by.explanation())) }
                }
                dt { (lang.t("state")) } dd { (text(&details.state_label())) }
            }
            @if !issued.is_empty() {
                h2 { (lang.t("issued-documents")) }
                @for document in issued {
                    section.issued-document {
                        h3 { (text(&document.title)) }
                        dl {
                            dt { (lang.t("verify-code")) } dd.code { (document.code.to_string()) }
                            dt { (lang.t("verify-issued-on")) } dd { (lang.time_in_zone(document.issued_at, tz)) }
                        }
                        pre.document-text dir="auto" { (document.text) }
                        p.no-print {
                            a href=(format!("/verify/{}?lang={}", document.code, lang.code())) { (lang.t("issued-verify")) }
                        }
                    }
                }
            }
            h2 { (lang.t("documents")) }
            p #documents-count { (lang.t_with("documents-count", &[("count", receipt.documents.len().into())])) }
            @if !receipt.documents.is_empty() {
                ul { @for document in &receipt.documents { li { (document.file_name) } } }
            }
            h2 { (lang.t("fees")) }
            @if receipt.fees.is_empty() {
                p { (lang.t("free")) }
            } @else {
                ul {
                    @for fee in &receipt.fees {
                        li { (text(&fee.label)) " — " span.code { (format_amount(fee.amount_minor, lang.locale())) " " (fee.currency) } }
                    }
                }
            }
            h2 { (lang.t("at-deadline")) }
            p.notice { (text(&receipt.silence_means)) }
            p.no-print {
                (lang.t("tracking-page")) " " span.code { (address) }
            }
        },
    )
}

/// An amount in minor units, with the decimal separator of the language (a point in English, a comma
/// otherwise).
pub fn format_amount(minor: i64, locale: Locale) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let minor = minor.unsigned_abs();
    let separator = if locale == Locale::En { '.' } else { ',' };
    format!("{sign}{}{separator}{:02}", minor / 100, minor % 100)
}
