//! Server-rendered HTML pages (maud): the printable receipt of a request at `/receipts/{code}`, in Arabic
//! (right to left) or French.

use axum::Router;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use jamaa_core::model::i18n::Locale;

use crate::app::AppState;

mod receipts;

/// The pages' routes, nested into the API's router.
pub fn routes() -> Router<AppState> {
    Router::new().route("/receipts/{code}", axum::routing::get(receipts::form).post(receipts::show))
}

/// The languages the pages are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PageLang {
    Ar,
    Fr,
}

impl PageLang {
    /// `?lang=` first, then `Accept-Language`; French when neither names Arabic or French.
    pub(crate) fn pick(query: Option<&str>, headers: &HeaderMap) -> Self {
        let from_query = query.and_then(|l| l.parse::<Locale>().ok()).and_then(Self::of);
        let from_header = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(Locale::from_accept_language)
            .and_then(Self::of);
        from_query.or(from_header).unwrap_or(PageLang::Fr)
    }

    fn of(locale: Locale) -> Option<Self> {
        match locale {
            Locale::Ar => Some(PageLang::Ar),
            Locale::Fr => Some(PageLang::Fr),
            _ => None,
        }
    }

    pub(crate) fn locale(self) -> Locale {
        match self {
            PageLang::Ar => Locale::Ar,
            PageLang::Fr => Locale::Fr,
        }
    }

    pub(crate) fn code(self) -> &'static str {
        match self {
            PageLang::Ar => "ar",
            PageLang::Fr => "fr",
        }
    }

    pub(crate) fn dir(self) -> &'static str {
        match self {
            PageLang::Ar => "rtl",
            PageLang::Fr => "ltr",
        }
    }

    /// The text in this language.
    pub(crate) fn t(self, ar: &'static str, fr: &'static str) -> &'static str {
        match self {
            PageLang::Ar => ar,
            PageLang::Fr => fr,
        }
    }
}

/// The headers of every page: never cached or indexed, no referrer, nothing loaded from elsewhere, no
/// script, and no framing.
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
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'",
        ),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    headers.insert("x-robots-tag", HeaderValue::from_static("noindex"));
    response
}
