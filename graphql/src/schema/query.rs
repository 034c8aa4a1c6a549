//! Queries.

use std::sync::Arc;

use async_graphql::{Context, ID, Object, Result};
use chrono::NaiveDate;
use jamaa_core::auth::Principal;
use jamaa_core::model::commune::Commune as CoreCommune;
use jamaa_core::model::i18n::Locale;
use jamaa_core::model::ids::RequestId;
use jamaa_core::model::workflow::Actor;
use jamaa_core::service::{CountedPage, MAX_PAGE_SIZE, ServiceView};
use secrecy::SecretString;

use super::error::to_graphql;
use super::office::{AssignmentFilter, inbox_filter};
use super::page::{Listing, after_key, connection, in_memory};
use super::types::{AuditHead, AuditReport, Commune, Request, Service};
use super::{Lang, jamaa, pick_locale, request_context};

#[derive(Default)]
pub struct CatalogQuery;

/// Page size when `first` is not given.
const DEFAULT_PAGE: i32 = 20;

pub(crate) fn parse_locale(locale: Option<String>) -> Result<Option<Locale>> {
    locale
        .map(|l| l.parse::<Locale>())
        .transpose()
        .map_err(|e| async_graphql::Error::new(e.to_string()).extend_with(|_, x| x.set("code", "VALIDATION_FAILED")))
}

use async_graphql::ErrorExtensions;

/// The page size asked for: `first`, else 20. A page holds at most [`MAX_PAGE_SIZE`] (100) items; `first`
/// outside 1 to 100 is refused (VALIDATION_FAILED, `OUT_OF_RANGE` at `first`), never cut silently: a client
/// reads further pages with `after` while `pageInfo.hasNextPage`.
pub(crate) fn page_size(first: Option<i32>, locale: Locale) -> Result<u64> {
    let first = first.unwrap_or(DEFAULT_PAGE);
    match u64::try_from(first) {
        Ok(size) if (1..=MAX_PAGE_SIZE).contains(&size) => Ok(size),
        _ => Err(to_graphql(
            jamaa_core::Error::field(
                "first",
                jamaa_core::error::FieldErrorCode::OutOfRange,
                jamaa_core::model::form::messages::out_of_range(Some(1.0), Some(MAX_PAGE_SIZE as f64)),
            ),
            locale,
        )),
    }
}

/// What every connection tells beside its page: how many items the list has in all.
#[derive(async_graphql::SimpleObject)]
pub struct Total {
    /// The number of items of the whole list (every page), under the same arguments.
    pub total_count: u64,
}

pub(crate) fn bad_cursor() -> async_graphql::Error {
    async_graphql::Error::new("invalid cursor").extend_with(|_, e| e.set("code", "VALIDATION_FAILED"))
}

/// The commune an operation is about: the argument, else the `X-Commune` header, else the commune of the
/// caller's staff token.
pub(crate) async fn resolve_commune(ctx: &Context<'_>, argument: Option<String>) -> Result<CoreCommune> {
    let request = request_context(ctx);
    let jamaa = jamaa(ctx);
    let slug = argument.or_else(|| request.commune_header.clone());
    let result = match (slug, request.principal.home_commune()) {
        (Some(slug), _) => jamaa.commune(&slug).await,
        (None, Some(tenant)) => jamaa.commune_by_id(tenant).await,
        (None, None) => {
            return Err(async_graphql::Error::new("name the commune (argument `commune` or header X-Commune)")
                .extend_with(|_, e| e.set("code", "VALIDATION_FAILED")));
        }
    };
    result.map_err(|e| to_graphql(e, pick_locale(ctx, None, None)))
}

/// The commune an operation is about (see [`resolve_commune`]) and the language to answer in.
pub(crate) async fn commune_and_lang(
    ctx: &Context<'_>,
    commune: Option<String>,
    locale: Option<String>,
) -> Result<(CoreCommune, Lang)> {
    let locale = parse_locale(locale)?;
    let commune = resolve_commune(ctx, commune).await?;
    let lang = Lang::new(pick_locale(ctx, locale, Some(&commune)), Some(&commune));
    Ok((commune, lang))
}

#[Object]
impl CatalogQuery {
    /// Communes on the platform, in slug order.
    async fn communes(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        locale: Option<String>,
    ) -> Result<Listing<Commune>> {
        let locale = parse_locale(locale)?;
        let size = page_size(first, pick_locale(ctx, locale, None))?;
        let after = after_key(after, Some)?;
        let jamaa = jamaa(ctx);
        let fail = |e| to_graphql(e, pick_locale(ctx, locale, None));
        let page = jamaa.communes(after.as_deref(), size).await.map_err(fail)?;
        let total_count = jamaa.commune_count().await.map_err(fail)?;
        // The latest template versions, read once for the page when a node asks for them.
        let look = ctx.look_ahead();
        let asks = |node: async_graphql::Lookahead<'_>| {
            node.field("latestTemplateVersion").exists() || node.field("upgradeAvailable").exists()
        };
        let latest_templates = if asks(look.field("nodes")) || asks(look.field("edges").field("node")) {
            Some(Arc::new(jamaa.latest_template_versions().await.map_err(fail)?))
        } else {
            None
        };
        let page = CountedPage { items: page.items, has_next: page.has_next, total: total_count };
        Ok(connection(after.is_some(), page, |commune| {
            let lang = Lang::new(pick_locale(ctx, locale, Some(&commune)), Some(&commune));
            (commune.spec.slug.to_string(), Commune { commune, lang, latest_templates: latest_templates.clone() })
        }))
    }

    /// One commune by slug.
    async fn commune(&self, ctx: &Context<'_>, slug: String, locale: Option<String>) -> Result<Commune> {
        let (commune, lang) = commune_and_lang(ctx, Some(slug), locale).await?;
        Ok(Commune::new(commune, lang))
    }

    /// The current services of a commune, in code order.
    async fn services(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        locale: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Listing<Service>> {
        let locale = parse_locale(locale)?;
        let size = page_size(first, pick_locale(ctx, locale, None))? as usize;
        let after = after_key(after, Some)?;
        // The commune's row is read once, with the generation of its catalog, which is then often in memory.
        let slug = match commune.or_else(|| request_context(ctx).commune_header.clone()) {
            Some(slug) => slug,
            None => resolve_commune(ctx, None).await?.spec.slug.to_string(),
        };
        let (commune, services) = jamaa(ctx)
            .catalog(&request_context(ctx).principal, &slug)
            .await
            .map_err(|e| to_graphql(e, pick_locale(ctx, locale, None)))?;
        let lang = Lang::new(pick_locale(ctx, locale, Some(&*commune)), Some(&*commune));
        let total_count = services.len() as u64;
        let mut rest: Vec<_> = services
            .iter()
            .filter(|s| after.as_ref().is_none_or(|a| s.definition.code.as_str() > a.as_str()))
            .collect();
        let has_next = rest.len() > size;
        rest.truncate(size);
        let page = CountedPage { items: rest, has_next, total: total_count };
        Ok(connection(after.is_some(), page, |service| {
            let view = ServiceView { commune: commune.clone(), service: service.clone() };
            (service.definition.code.clone(), Service { view, lang: lang.clone() })
        }))
    }

    /// One current service of a commune by code.
    async fn service(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        code: String,
        locale: Option<String>,
    ) -> Result<Service> {
        let (commune, lang) = commune_and_lang(ctx, commune, locale).await?;
        let view = jamaa(ctx)
            .service(&request_context(ctx).principal, commune.spec.slug.as_str(), &code)
            .await
            .map_err(|e| to_graphql(e, lang.locale))?;
        Ok(Service { view, lang })
    }

    /// A citizen follows a request with its tracking code and secret.
    async fn track_request(
        &self,
        ctx: &Context<'_>,
        tracking_code: String,
        secret: String,
        locale: Option<String>,
    ) -> Result<Request> {
        let locale = parse_locale(locale)?;
        let tracking = jamaa(ctx)
            .track_request(&tracking_code, &SecretString::from(secret))
            .await
            .map_err(|e| to_graphql(e, pick_locale(ctx, locale, None)))?;
        let commune = &tracking.request.commune;
        let lang = Lang::new(pick_locale(ctx, locale, Some(commune)), Some(commune));
        Ok(Request {
            details: tracking.request,
            history: Some(tracking.history),
            messages: Some(tracking.messages),
            viewer: Actor::Applicant,
            lang,
        })
    }

    /// The staff inbox: the commune's requests that the filters find, by legal decision date then
    /// submission, with their total. `overdue`: open requests past their decision date (or, false, the
    /// others); `dueBefore`: a decision date before that day; `assignment`/`assigneeId`: whose they are;
    /// `search`: a tracking code, or a national id found through the blind index.
    #[allow(clippy::too_many_arguments)]
    async fn requests(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        state: Option<String>,
        service_code: Option<String>,
        overdue: Option<bool>,
        due_before: Option<NaiveDate>,
        assignment: Option<AssignmentFilter>,
        assignee_id: Option<ID>,
        search: Option<String>,
        first: Option<i32>,
        after: Option<String>,
        locale: Option<String>,
    ) -> Result<Listing<Request>> {
        let (commune, lang) = commune_and_lang(ctx, commune, locale).await?;
        let after = after_key(after, |c| {
            let (due, id) = c.split_once('|')?;
            Some((due.parse::<NaiveDate>().ok()?, id.parse::<RequestId>().ok()?))
        })?;
        let filter = inbox_filter(state, service_code, overdue, due_before, assignment, assignee_id, search, &lang)?;
        let principal = &request_context(ctx).principal;
        let page = jamaa(ctx)
            .inbox(principal, commune.spec.slug.as_str(), &filter, after, page_size(first, lang.locale)?)
            .await
            .map_err(|e| to_graphql(e, lang.locale))?;
        let viewer = viewer_of(principal, commune.id);
        let page = CountedPage { items: page.items, has_next: page.has_next, total: page.total_count };
        Ok(connection(after.is_some(), page, |details| {
            let cursor = format!("{}|{}", details.record.decision_due, details.record.id);
            (cursor, Request { details, history: None, messages: None, viewer: viewer.clone(), lang: lang.clone() })
        }))
    }

    /// One request of the commune, with its history (staff).
    async fn request(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        id: ID,
        locale: Option<String>,
    ) -> Result<Request> {
        let (commune, lang) = commune_and_lang(ctx, commune, locale).await?;
        let principal = &request_context(ctx).principal;
        let jamaa = jamaa(ctx);
        // An id that does not parse is as unknown as one of another commune.
        let Ok(id) = super::entity_id(&id).parse::<RequestId>() else {
            return Err(to_graphql(jamaa_core::Error::NotFound("request"), lang.locale));
        };
        let tracking =
            jamaa.request(principal, commune.spec.slug.as_str(), id).await.map_err(|e| to_graphql(e, lang.locale))?;
        Ok(Request {
            details: tracking.request,
            history: Some(tracking.history),
            messages: Some(tracking.messages),
            viewer: viewer_of(principal, commune.id),
            lang,
        })
    }

    /// The commune's requests whose personal field (`cin`, `phone`, `email`) equals `value`, found by blind
    /// index without decrypting anything (staff), in submission order.
    #[allow(clippy::too_many_arguments)]
    async fn find_requests(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        field: String,
        value: String,
        locale: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Listing<Request>> {
        let (commune, lang) = commune_and_lang(ctx, commune, locale).await?;
        let principal = &request_context(ctx).principal;
        let found = jamaa(ctx)
            .find_requests(principal, commune.spec.slug.as_str(), &field, &value)
            .await
            .map_err(|e| to_graphql(e, lang.locale))?;
        let viewer = viewer_of(principal, commune.id);
        in_memory(
            found,
            first,
            after,
            lang.locale,
            |details| details.record.id.to_string(),
            |details| Request { details, history: None, messages: None, viewer: viewer.clone(), lang: lang.clone() },
        )
    }

    /// Checks the commune's audit chain (commune administrators and operators).
    async fn audit_verify(&self, ctx: &Context<'_>, commune: Option<String>) -> Result<AuditReport> {
        let commune = resolve_commune(ctx, commune).await?;
        let report = jamaa(ctx)
            .verify_audit(&request_context(ctx).principal, commune.spec.slug.as_str())
            .await
            .map_err(|e| to_graphql(e, pick_locale(ctx, None, Some(&commune))))?;
        Ok(report.into())
    }

    /// The commune's audit chain head (anyone): keep it, and compare it later with the chain at its sequence.
    async fn audit_head(&self, ctx: &Context<'_>, commune: Option<String>) -> Result<AuditHead> {
        let commune = resolve_commune(ctx, commune).await?;
        let head = jamaa(ctx)
            .audit_head(commune.spec.slug.as_str())
            .await
            .map_err(|e| to_graphql(e, pick_locale(ctx, None, Some(&commune))))?;
        Ok(head.into())
    }
}

pub(crate) fn viewer_of(principal: &Principal, commune: jamaa_core::model::ids::TenantId) -> Actor {
    Actor::Staff { roles: principal.roles_in(commune).to_vec() }
}
