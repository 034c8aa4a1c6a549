//! The call context of the HTTP routes beside GraphQL (open data, Open311, files, uploads), as axum
//! extractors: the same reading of the caller's language and of the commune as the GraphQL resolvers'
//! (`schema/call.rs`).
//!
//! - [`AcceptLanguage`]: the caller's language from `Accept-Language`, if it names one the platform speaks.
//! - [`PathCommune`]: the commune named by the path's `{commune}`, read once, and the language to answer in
//!   (`?locale=`, else `Accept-Language`, else the commune's default). A commune that does not exist is
//!   rejected with NOT_FOUND ([`Rejection`]), in the caller's language.

use std::collections::HashMap;

use axum::extract::{FromRequestParts, Path};
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use jamaa_core::Error;
use jamaa_core::model::commune::{Commune, CommuneStatus};
use jamaa_core::model::i18n::Locale;

use crate::app::AppState;
use crate::schema::Lang;
use crate::schema::PLATFORM_LOCALE;

/// The caller's language from `Accept-Language`, when it names one the platform speaks.
#[derive(Clone, Copy, Debug, Default)]
pub struct AcceptLanguage(pub Option<Locale>);

impl AcceptLanguage {
    /// The caller's language, else French: for answers about no commune.
    pub fn or_default(self) -> Locale {
        self.0.unwrap_or(PLATFORM_LOCALE)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for AcceptLanguage {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(AcceptLanguage(
            parts
                .headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Locale::from_accept_language),
        ))
    }
}

/// The commune named by the path's `{commune}` and the language to answer in.
#[derive(Clone, Debug)]
pub(crate) struct PathCommune {
    pub commune: Commune,
    pub lang: Lang,
}

/// A commune the path names that cannot be read (NOT_FOUND, or an internal failure), with the language the
/// refusal is in. As a response: open data's `{"code", "message"}` with the status of the code.
#[derive(Debug)]
pub struct Rejection {
    pub error: Error,
    pub locale: Locale,
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        crate::opendata::error(self.error)
    }
}

/// The `locale` parameter of the query string, when it names a language the platform speaks.
fn locale_parameter(parts: &Parts) -> Option<Locale> {
    let query = parts.uri.query()?;
    let pairs = serde_urlencoded::from_str::<Vec<(String, String)>>(query).ok()?;
    pairs.into_iter().find(|(key, _)| key == "locale").and_then(|(_, value)| value.parse::<Locale>().ok())
}

impl FromRequestParts<AppState> for PathCommune {
    type Rejection = Rejection;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Ok(AcceptLanguage(accept)) = AcceptLanguage::from_request_parts(parts, state).await;
        let asked = locale_parameter(parts).or(accept);
        let refuse = |error: Error| Rejection { error, locale: asked.unwrap_or(PLATFORM_LOCALE) };
        let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(|_| refuse(Error::NotFound("commune")))?;
        let slug = params.get("commune").ok_or_else(|| refuse(Error::NotFound("commune")))?;
        let commune = state.jamaa.commune(slug).await.map_err(refuse)?;
        // A training commune's files are fictitious: it publishes no open data (404, as an unknown commune).
        if commune.status == CommuneStatus::Training && parts.uri.path().starts_with("/opendata/") {
            return Err(refuse(Error::NotFound("commune")));
        }
        let lang = Lang::new(asked.unwrap_or(commune.spec.default_locale), Some(&commune));
        Ok(PathCommune { commune, lang })
    }
}
