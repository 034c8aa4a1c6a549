//! Server-rendered pages for citizens and anyone checking a document: plain HTML (maud escapes every value),
//! in Arabic (right to left) or French, chosen by `?lang=`, else `Accept-Language`, else the commune's default;
//! printable, with no script.

use axum::Router;
use axum::http::{HeaderMap, header};
use jamaa_core::model::commune::Commune;
use jamaa_core::model::i18n::Locale;
use maud::{DOCTYPE, Markup, PreEscaped, html};
use qrcode::QrCode;
use qrcode::render::svg;

use crate::app::AppState;

mod verify;

/// The pages' routes, merged into the application's router.
pub fn router() -> Router<AppState> {
    verify::router()
}

/// The language of a page: Arabic or French (the languages every document is printed in).
pub(crate) fn page_locale(query: Option<&str>, headers: &HeaderMap, commune: Option<&Commune>) -> Locale {
    let asked = query.and_then(|l| l.parse::<Locale>().ok()).or_else(|| {
        headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Locale::from_accept_language)
    });
    match asked.or(commune.map(|c| c.spec.default_locale)) {
        Some(Locale::Ar) => Locale::Ar,
        Some(_) => Locale::Fr,
        None => Locale::Ar,
    }
}

/// The server's address as the client reached it (`Host`, and `X-Forwarded-Proto` behind a proxy), for links
/// printed on paper.
pub(crate) fn base_url(headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("localhost");
    let scheme = headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()).unwrap_or("http");
    format!("{scheme}://{host}")
}

/// A QR code of `text` as an SVG element.
pub(crate) fn qr_svg(text: &str) -> Option<String> {
    let code = QrCode::new(text.as_bytes()).ok()?;
    Some(code.render::<svg::Color<'_>>().min_dimensions(160, 160).quiet_zone(true).build())
}

/// Picks the Arabic or French text.
pub(crate) fn tr(locale: Locale, ar: &'static str, fr: &'static str) -> &'static str {
    if locale == Locale::Ar { ar } else { fr }
}

/// The page around `body`: language and direction, print styles, and the language switch.
pub(crate) fn layout(locale: Locale, title: &str, path: &str, body: Markup) -> Markup {
    let (lang, dir) = if locale == Locale::Ar { ("ar", "rtl") } else { ("fr", "ltr") };
    html! {
        (DOCTYPE)
        html lang=(lang) dir=(dir) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                nav.lang {
                    a href={ (path) "?lang=ar" } lang="ar" { "العربية" }
                    " · "
                    a href={ (path) "?lang=fr" } lang="fr" { "Français" }
                }
                main { (body) }
            }
        }
    }
}

const STYLE: &str = "
body { font-family: 'Noto Naskh Arabic', 'Noto Sans', system-ui, sans-serif; max-width: 42rem; margin: 2rem auto;
  padding: 0 1rem; color: #1b1b1b; line-height: 1.5; }
h1 { font-size: 1.4rem; }
.ok { border-inline-start: 6px solid #1a7f37; padding: .5rem 1rem; background: #eef8f0; }
.bad { border-inline-start: 6px solid #b42318; padding: .5rem 1rem; background: #fdf0ef; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dt { font-weight: bold; }
code, .code { font-family: ui-monospace, monospace; direction: ltr; unicode-bidi: embed; }
textarea { width: 100%; min-height: 8rem; }
nav.lang { text-align: end; font-size: .9rem; }
@media print { nav.lang, form { display: none; } body { margin: 0; } }
";
