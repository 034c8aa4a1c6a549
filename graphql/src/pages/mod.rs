//! Server-rendered HTML pages (maud, which escapes every value): the printable receipt of a request at
//! `/receipts/{code}`, and the verification of an issued document at `/verify/{code}` with its QR code; in
//! every platform language; the commune's published action-plan projects at `/projects/{commune}`, in the
//! commune's languages; (Arabic right to left; Tamazight in Tifinagh, French, English, Spanish left to right),
//! with the Tifinagh and Arabic fonts served at `/fonts/`; printable, with no script.

use axum::Router;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use jamaa_core::model::commune::{Commune, CommuneStatus};
use jamaa_core::model::i18n::Locale;
use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::app::AppState;

pub mod fonts;
pub mod i18n;
mod payments;
mod projects;
pub mod receipts;
mod verify;

/// The pages' routes, nested into the API's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/receipts/{code}", axum::routing::get(receipts::form).post(receipts::show))
        .route("/fonts/{file}", axum::routing::get(fonts::serve))
        .merge(verify::routes())
        .merge(projects::routes())
        .merge(payments::routes())
}

/// The server's address as the client reached it, for addresses printed on paper: the scheme the proxy says
/// (`X-Forwarded-Proto`), else http; the `Host` the client used, when it is a plain host.
pub(crate) fn base_url(headers: &HeaderMap) -> String {
    let scheme = match headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()) {
        Some("https") => "https",
        _ => "http",
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| h.bytes().all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b)))
        .unwrap_or("localhost");
    format!("{scheme}://{host}")
}

/// A QR code of an address, as an SVG element (black on white, medium error correction).
pub fn qr_svg(address: &str) -> Option<String> {
    let code = qrcode::QrCode::with_error_correction_level(address.as_bytes(), qrcode::EcLevel::M).ok()?;
    Some(
        code.render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(160, 160)
            .dark_color(qrcode::render::svg::Color("#000000"))
            .light_color(qrcode::render::svg::Color("#ffffff"))
            .build(),
    )
}

/// The language a page is written in, and its messages (Project Fluent, `pages/i18n/{locale}.ftl`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageLang(Locale);

impl PageLang {
    /// `?lang=` first, then `Accept-Language`, then the commune's default language (French when the commune
    /// is not known).
    pub fn pick(query: Option<&str>, headers: &HeaderMap, commune: Option<&Commune>) -> Self {
        let from_query = query.and_then(|l| l.parse::<Locale>().ok());
        let from_header =
            headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Locale::from_accept_language);
        PageLang(from_query.or(from_header).or(commune.map(|c| c.spec.default_locale)).unwrap_or(Locale::Fr))
    }

    pub fn locale(self) -> Locale {
        self.0
    }

    pub(crate) fn code(self) -> &'static str {
        self.0.as_str()
    }

    /// `rtl` for Arabic; Tamazight in Tifinagh, like French, English and Spanish, reads left to right.
    pub(crate) fn dir(self) -> &'static str {
        if self.0.is_rtl() { "rtl" } else { "ltr" }
    }

    /// The message `id` in this language.
    pub(crate) fn t(self, id: &str) -> String {
        i18n::message(self.0, id, None)
    }

    /// The message `id` in this language, with its arguments (plurals chosen by the language's rules).
    pub(crate) fn t_with(self, id: &str, args: &[(&'static str, i18n::Arg)]) -> String {
        i18n::message(self.0, id, Some(args))
    }

    /// A local time followed by the time zone it is in: `2026-03-02 14:05 (heure de Africa/Casablanca)`.
    pub(crate) fn time_in_zone(self, at: chrono::DateTime<chrono::Utc>, zone: chrono_tz::Tz) -> String {
        let time = at.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string();
        self.t_with("time-in-zone", &[("time", time.into()), ("zone", zone.name().to_owned().into())])
    }

    /// A day of the commune's calendar, said as such.
    pub(crate) fn date_in_zone(self, date: chrono::NaiveDate, zone: chrono_tz::Tz) -> String {
        self.t_with("date-in-zone", &[("date", date.to_string().into()), ("zone", zone.name().to_owned().into())])
    }
}

/// The languages offered on a page, by their own names: the commune's, or all of them.
pub(crate) fn offered(commune: Option<&Commune>) -> Vec<Locale> {
    match commune {
        Some(commune) => commune.fallbacks().into_iter().fold(Vec::new(), |mut all, l| {
            if !all.contains(&l) {
                all.push(l);
            }
            all
        }),
        None => Locale::ALL.to_vec(),
    }
}

/// A language's name in itself.
pub(crate) fn endonym(locale: Locale) -> &'static str {
    match locale {
        Locale::Ar => "العربية",
        Locale::Fr => "Français",
        Locale::En => "English",
        Locale::Es => "Español",
        Locale::Tzm => "ⵜⴰⵎⴰⵣⵉⵖⵜ",
    }
}

/// Links to this page in the other offered languages.
pub(crate) fn language_links(lang: PageLang, offered: &[Locale]) -> Markup {
    html! {
        nav.no-print.languages aria-label=(lang.t("languages")) {
            @for locale in offered {
                @if *locale != lang.locale() {
                    a href=(format!("?lang={locale}")) lang=(locale.as_str()) hreflang=(locale.as_str()) { (endonym(*locale)) }
                    " "
                }
            }
        }
    }
}

/// The headers of every page: never cached or indexed, no referrer, nothing loaded from elsewhere, no
/// script, and no framing.
/// The mark of a training commune's page: its files and documents are fictitious.
pub(crate) fn training_mark(lang: PageLang, commune: Option<&Commune>) -> Markup {
    html! {
        @if commune.is_some_and(|c| c.status == CommuneStatus::Training) {
            p.training role="status" { (lang.t("training-commune")) }
        }
    }
}

pub(crate) fn page_response(status: axum::http::StatusCode, html: maud::Markup) -> Response {
    let mut response = (status, axum::response::Html(html.into_string())).into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CACHE_CONTROL, "no-store"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; font-src 'self'; img-src data:; form-action 'self'; frame-ancestors 'none'",
        ),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    headers.insert("x-robots-tag", HeaderValue::from_static("noindex"));
    response
}

/// The pages' styles: screen and print.
const STYLE: &str = r#"
body { font-family: "Noto Sans", "Noto Naskh Arabic", "Noto Sans Tifinagh", Arial, sans-serif; margin: 0; color: #1a1a1a; background: #f4f4f1; }
main { max-width: 46rem; margin: 2rem auto; background: #fff; padding: 2rem; border: 1px solid #ddd; }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; } h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
.commune { color: #555; margin: 0 0 1.5rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .4rem 1rem; margin: 0; }
dt { font-weight: 600; } dd { margin: 0; }
.code { font-family: "DejaVu Sans Mono", monospace; direction: ltr; unicode-bidi: embed; font-size: 1.1rem; overflow-wrap: anywhere; }
[dir=rtl] .code { text-align: right; }
.qr { float: inline-end; width: 8.5rem; height: 8.5rem; margin-inline-start: 1rem; }
.qr svg { width: 100%; height: 100%; }
.training { border: 2px solid #b38600; background: #fff3c4; color: #3d2e00; padding: .5rem 1rem; font-weight: 700; }
.notice { border-inline-start: 4px solid #b36b00; padding: .5rem 1rem; background: #fff8ec; }
.error { color: #a00; font-weight: 600; }
.ok { border-inline-start: 4px solid #1a7f37; padding: .5rem 1rem; background: #eef8f0; }
.bad { border-inline-start: 4px solid #b42318; padding: .5rem 1rem; background: #fdf0ef; }
textarea { width: 100%; min-height: 8rem; }
label { display: block; margin: 1rem 0 .25rem; font-weight: 600; }
input { font-size: 1.1rem; padding: .4rem; width: 16rem; direction: ltr; }
button { font-size: 1rem; padding: .5rem 1.2rem; margin-top: 1rem; }
ul { margin: 0; padding-inline-start: 1.2rem; }
.languages a { margin-inline-end: .8rem; }
@media print {
  body { background: #fff; }
  main { margin: 0; border: 0; max-width: none; padding: 0; }
  .no-print { display: none; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; } dl, li { break-inside: avoid; }
}
"#;

/// The page around `body`: its language and direction, the styles, and no indexing.
pub(crate) fn layout(lang: PageLang, title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.code()) dir=(lang.dir()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex";
                title { (title) }
                style { (PreEscaped(fonts::FONT_FACES)) (PreEscaped(STYLE)) }
            }
            body { main { (body) } }
        }
    }
}
