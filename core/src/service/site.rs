//! The origins of each commune's own website, which the API's CORS layer allows beside the deployment's own
//! (`cors_origins`). A commune's administrators (`manage_access`) or operators set them; anyone reads them (a
//! browser learns them from the CORS answers anyway). This server keeps every commune's origins in memory,
//! replaced after each change it commits; on PostgreSQL re-read as soon as another server sharing the database
//! tells of a change it committed ([`Jamaa::follow_other_servers`]), and at every scheduler tick besides
//! ([`Jamaa::refresh_site_origins`]: what was committed while the listening connection was lost).

use std::collections::HashSet;
use std::sync::{Arc, PoisonError, RwLock};

use crate::auth::{Permission, Principal};
use crate::error::{Error, FieldError, FieldErrorCode};
use crate::model::audit::{AuditKind, AuditSubject, NewEvent};
use crate::model::commune::Commune;
use crate::model::i18n::{Locale, LocalizedText};
use crate::store::{audit, communes};

use super::Jamaa;

/// How many origins one commune's site may have.
pub const MAX_SITE_ORIGINS: usize = 10;

/// Every commune's website origins, as this server last read them; shared with the CORS layer.
#[derive(Clone, Debug, Default)]
pub struct SiteOrigins(Arc<RwLock<HashSet<String>>>);

impl SiteOrigins {
    /// Whether `origin` (as a browser sends it in `Origin`) is some commune's site.
    pub fn contains(&self, origin: &str) -> bool {
        self.0.read().unwrap_or_else(PoisonError::into_inner).contains(&origin.to_ascii_lowercase())
    }

    fn replace(&self, origins: HashSet<String>) {
        *self.0.write().unwrap_or_else(PoisonError::into_inner) = origins;
    }
}

fn invalid(path: String, code: FieldErrorCode) -> FieldError {
    let message = if code == FieldErrorCode::TooLong {
        LocalizedText::ar_fr(
            format!("{MAX_SITE_ORIGINS} أصول على الأكثر"),
            format!("au plus {MAX_SITE_ORIGINS} origines"),
        )
        .with(Locale::En, format!("at most {MAX_SITE_ORIGINS} origins"))
        .with(Locale::Tzm, format!("{MAX_SITE_ORIGINS} ⵏ ⵉⵥⵓⵕⴰⵏ ⵎⴰⵃⴷ"))
    } else {
        LocalizedText::ar_fr(
            "أصل موقع على شكل ‎https://host[:port]‎، بدون مسار",
            "une origine de site de la forme https://hôte[:port], sans chemin",
        )
        .with(Locale::En, "a site origin of the form https://host[:port], with no path")
        .with(Locale::Tzm, "ⴰⵥⵓⵕ ⵏ ⵓⵙⵉⵜ ⵙ ⵜⴰⵍⵖⴰ https://host[:port], ⴱⵍⴰ ⴰⴱⵔⵉⴷ")
    };
    FieldError::new(path, code, message)
}

/// The origins as browsers send them (`https://host[:port]`, lower case, default port left out), each once,
/// in the order given; every refused one named at `origins[i]` (`INVALID_ORIGIN`), too many at `origins`
/// (`TOO_LONG`). Only https: a commune's site is public and served over TLS.
pub fn check_site_origins(origins: &[String]) -> Result<Vec<String>, Vec<FieldError>> {
    let mut errors = Vec::new();
    if origins.len() > MAX_SITE_ORIGINS {
        errors.push(invalid("origins".into(), FieldErrorCode::TooLong));
    }
    let mut checked: Vec<String> = Vec::new();
    for (i, given) in origins.iter().enumerate() {
        let given = given.trim();
        let parsed = url::Url::parse(given).ok().filter(|url| {
            url.scheme() == "https"
                && url.host_str().is_some_and(|host| !host.is_empty())
                && url.username().is_empty()
                && url.password().is_none()
                && url.path() == "/"
                && url.query().is_none()
                && url.fragment().is_none()
        });
        match parsed {
            Some(url) => {
                let origin = url.origin().ascii_serialization();
                if !checked.contains(&origin) {
                    checked.push(origin);
                }
            }
            None => errors.push(invalid(format!("origins[{i}]"), FieldErrorCode::InvalidOrigin)),
        }
    }
    if errors.is_empty() { Ok(checked) } else { Err(errors) }
}

impl Jamaa {
    /// The origins of a commune's website (anyone may read them).
    pub async fn site_origins(&self, commune: &Commune) -> Result<Vec<String>, Error> {
        communes::site_origins(self.store.reader(), commune.id).await
    }

    /// Replaces the origins of a commune's website: its administrators (`manage_access`) or operators; one
    /// transaction with its audit event `commune.site_origins_set`. This server's CORS layer allows them at once.
    pub async fn set_site_origins(
        &self,
        principal: &Principal,
        commune: &Commune,
        origins: &[String],
    ) -> Result<Vec<String>, Error> {
        let scope = if principal.is_operator() {
            principal.authorize(commune.id, Permission::PublishService)?
        } else {
            principal.authorize(commune.id, Permission::ManageAccess)?
        };
        let origins = check_site_origins(origins).map_err(Error::Validation)?;
        let tx = self.store.tenant_tx(scope).await?;
        let before = communes::site_origins(tx.conn(), commune.id).await?;
        communes::set_site_origins(tx.conn(), commune.id, &origins).await?;
        tx.site_origins_changed();
        audit::append(
            &tx,
            NewEvent::new(
                principal.actor(),
                AuditKind::CommuneSiteOriginsSet,
                AuditSubject::Commune(commune.id),
                serde_json::json!({ "before": before, "origins": origins }),
            ),
            self.now(),
        )
        .await?;
        tx.commit().await?;
        self.refresh_site_origins().await?;
        Ok(origins)
    }

    /// Every commune's website origins, shared with the CORS layer ([`Jamaa::refresh_site_origins`] fills it).
    pub fn site_origins_cache(&self) -> SiteOrigins {
        self.site_origins.clone()
    }

    /// Re-reads every commune's website origins into [`Jamaa::site_origins_cache`].
    pub async fn refresh_site_origins(&self) -> Result<(), Error> {
        let all = communes::all_site_origins(self.store.reader()).await?;
        self.site_origins.replace(all.into_iter().map(|o| o.to_ascii_lowercase()).collect());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(origins: &[&str]) -> Result<Vec<String>, Vec<(String, &'static str)>> {
        let owned: Vec<String> = origins.iter().map(|o| (*o).to_owned()).collect();
        check_site_origins(&owned).map_err(|errors| errors.into_iter().map(|e| (e.path, e.code.as_str())).collect())
    }

    #[test]
    fn origins_are_kept_as_browsers_send_them() {
        assert_eq!(
            check(&["https://Oujda.ma", "https://www.oujda.ma:8443/", "https://oujda.ma:443", "https://oujda.ma"]),
            Ok(vec!["https://oujda.ma".to_owned(), "https://www.oujda.ma:8443".to_owned()])
        );
        assert_eq!(check(&[]), Ok(vec![]));
    }

    #[test]
    fn anything_but_an_https_origin_is_refused_at_its_index() {
        let refused = check(&[
            "https://ok.ma",
            "http://oujda.ma",
            "https://oujda.ma/site",
            "oujda.ma",
            "*",
            "https://user@oujda.ma",
            "https://oujda.ma?x=1",
            "https://oujda.ma#top",
            "",
        ]);
        let expected: Vec<(String, &str)> = (1..9).map(|i| (format!("origins[{i}]"), "INVALID_ORIGIN")).collect();
        assert_eq!(refused, Err(expected));
    }

    #[test]
    fn at_most_ten() {
        let many: Vec<String> = (0..11).map(|i| format!("https://s{i}.oujda.ma")).collect();
        let refused = check_site_origins(&many).map_err(|e| e.into_iter().map(|e| e.path).collect::<Vec<_>>());
        assert_eq!(refused, Err(vec!["origins".to_owned()]));
    }
}
