//! Queries.

use std::sync::Arc;

use async_graphql::{Context, ID, Object, Result};
use chrono::NaiveDate;
use jamaa_core::auth::Principal;
use jamaa_core::model::ids::RequestId;
use jamaa_core::model::workflow::Actor;
use jamaa_core::service::{CountedPage, Reading};
use secrecy::SecretString;

use super::call::{Call, InCommune, InLang, subject_id};
use super::office::{AssignmentFilter, inbox_filter};
use super::page::{Listing, after_key, connection, in_memory};
use super::types::{AuditHead, AuditProof, AuditReport, Commune, PublishedAuditHead, Request, SearchField, Service};

#[derive(Default)]
pub struct CatalogQuery;

#[Object]
impl CatalogQuery {
    /// Communes on the platform, in slug order (training communes to operators only).
    async fn communes(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        locale: Option<String>,
    ) -> Result<Listing<Commune>> {
        let call = Call::with_locale(ctx, locale)?;
        let size = page_size(first, call.locale())?;
        let after = after_key(after, Some)?;
        let jamaa = call.jamaa;
        // Training communes are listed to operators only: the public directory shows real communes.
        let with_training = call.principal.is_operator();
        let page = jamaa.communes(after.as_deref(), size, with_training).await.in_lang(&call)?;
        let total_count = jamaa.commune_count(with_training).await.in_lang(&call)?;
        // The latest template versions, read once for the page when a node asks for them.
        let look = ctx.look_ahead();
        let asks = |node: async_graphql::Lookahead<'_>| {
            node.field("latestTemplateVersion").exists() || node.field("upgradeAvailable").exists()
        };
        let latest_templates = if asks(look.field("nodes")) || asks(look.field("edges").field("node")) {
            Some(Arc::new(jamaa.latest_template_versions().await.in_lang(&call)?))
        } else {
            None
        };
        let page = CountedPage { items: page.items, has_next: page.has_next, total: total_count };
        Ok(connection(after.is_some(), page, |commune| {
            let lang = call.lang_of(&commune);
            (commune.spec.slug.to_string(), Commune { commune, lang, latest_templates: latest_templates.clone() })
        }))
    }

    /// One commune by slug.
    async fn commune(&self, ctx: &Context<'_>, slug: String, locale: Option<String>) -> Result<Commune> {
        let InCommune { call, commune } = InCommune::new(ctx, Some(slug), locale).await?;
        Ok(Commune::new(commune, call.lang))
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
        let call = Call::with_locale(ctx, locale)?;
        let size = page_size(first, call.locale())? as usize;
        let after = after_key(after, Some)?;
        // The commune's row is read once, with the generation of its catalog, which is then often in memory.
        let slug = InCommune::slug(ctx, commune).await?;
        let catalog = call.jamaa.catalog(call.principal, &slug).await.in_lang(&call)?;
        crate::response_cache::CatalogReads::depends_on(ctx, &catalog);
        let lang = call.lang_of(&catalog.commune);
        let total_count = catalog.services.len() as u64;
        let mut rest: Vec<_> = catalog
            .services
            .iter()
            .filter(|s| after.as_ref().is_none_or(|a| s.definition.code.as_str() > a.as_str()))
            .collect();
        let has_next = rest.len() > size;
        rest.truncate(size);
        let page = CountedPage { items: rest, has_next, total: total_count };
        Ok(connection(after.is_some(), page, |service| {
            (service.definition.code.to_string(), Service { view: catalog.view(service), lang: lang.clone() })
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
        let call = Call::with_locale(ctx, locale)?;
        let slug = InCommune::slug(ctx, commune).await?;
        let catalog = call.jamaa.catalog(call.principal, &slug).await.in_lang(&call)?;
        crate::response_cache::CatalogReads::depends_on(ctx, &catalog);
        let view = catalog.service(&code).in_lang(&call)?;
        let lang = call.lang_of(&view.commune);
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
        let call = Call::with_locale(ctx, locale)?;
        // Only what the document asks for is read: the applicant's personal fields are opened, and that reading
        // recorded, only for a document that reads them (a page that polls the state writes nothing).
        let fields = ctx.look_ahead();
        let reading = Reading {
            personal: fields.field("data").exists() || fields.field("sealedFields").exists(),
            messages: fields.field("messages").exists(),
            fees: fields.field("fees").exists(),
        };
        let secret = SecretString::from(secret);
        let tracking = call.jamaa.track_request_reading(&tracking_code, &secret, reading).await.in_lang(&call)?;
        let commune = &tracking.request.commune;
        let lang = call.lang_of(commune);
        Ok(Request {
            details: tracking.request,
            history: Some(tracking.history),
            messages: Some(tracking.messages),
            fees: tracking.fees,
            viewer: Actor::Applicant,
            lang,
        })
    }

    /// The staff inbox: the commune's requests that the filters find, by legal decision date then
    /// submission, with their total. `overdue`: open requests past their decision date (or, false, the
    /// others); `dueBefore`: a decision date before that day; `stepOverdue`: open requests whose step is past
    /// its due date (their state's SLA; or, false, the others); `assignment`/`assigneeId`: whose they are;
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
        step_overdue: Option<bool>,
        assignment: Option<AssignmentFilter>,
        assignee_id: Option<ID>,
        search: Option<String>,
        first: Option<i32>,
        after: Option<String>,
        locale: Option<String>,
    ) -> Result<Listing<Request>> {
        let call = InCommune::new(ctx, commune, locale).await?;
        let after = after_key(after, |c| {
            let (due, id) = c.split_once('|')?;
            Some((due.parse::<NaiveDate>().ok()?, id.parse::<RequestId>().ok()?))
        })?;
        let filter = inbox_filter(
            state,
            service_code,
            overdue,
            due_before,
            step_overdue,
            assignment,
            assignee_id,
            search,
            &call.lang,
        )?;
        let principal = call.principal;
        let page = call
            .jamaa
            .inbox(principal, &call.commune, &filter, after, page_size(first, call.locale())?)
            .await
            .in_lang(&call)?;
        let viewer = viewer_of(principal, call.commune.id);
        let page = CountedPage { items: page.items, has_next: page.has_next, total: page.total_count };
        Ok(connection(after.is_some(), page, |details| {
            let cursor = format!("{}|{}", details.record.decision_due, details.record.id);
            (
                cursor,
                Request {
                    details,
                    history: None,
                    messages: None,
                    fees: None,
                    viewer: viewer.clone(),
                    lang: call.lang.clone(),
                },
            )
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
        let call = InCommune::new(ctx, commune, locale).await?;
        let principal = call.principal;
        let jamaa = call.jamaa;
        // An id that does not parse is as unknown as one of another commune.
        let id: RequestId = subject_id(&id, "request").in_lang(&call)?;
        let tracking = jamaa.request(principal, &call.commune, id).await.in_lang(&call)?;
        Ok(Request {
            details: tracking.request,
            history: Some(tracking.history),
            messages: Some(tracking.messages),
            fees: tracking.fees,
            viewer: viewer_of(principal, call.commune.id),
            lang: call.lang.clone(),
        })
    }

    /// The commune's requests whose personal field `field` equals `value`, found by blind index without
    /// decrypting anything (staff), in submission order.
    #[allow(clippy::too_many_arguments)]
    async fn find_requests(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        field: SearchField,
        value: String,
        locale: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Listing<Request>> {
        let call = InCommune::new(ctx, commune, locale).await?;
        let principal = call.principal;
        let found = call.jamaa.find_requests(principal, &call.commune, field.key(), &value).await.in_lang(&call)?;
        let viewer = viewer_of(principal, call.commune.id);
        in_memory(
            found,
            first,
            after,
            call.locale(),
            |details| details.record.id.to_string(),
            |details| Request {
                details,
                history: None,
                messages: None,
                fees: None,
                viewer: viewer.clone(),
                lang: call.lang.clone(),
            },
        )
    }

    /// Checks the commune's audit chain (commune administrators and operators).
    async fn audit_verify(&self, ctx: &Context<'_>, commune: Option<String>) -> Result<AuditReport> {
        let call = InCommune::new(ctx, commune, None).await?;
        let report = call.jamaa.verify_audit(call.principal, &call.commune).await.in_lang(&call)?;
        Ok(report.into())
    }

    /// The commune's audit chain head (anyone): keep it, and compare it later with the chain at its sequence.
    async fn audit_head(&self, ctx: &Context<'_>, commune: Option<String>) -> Result<AuditHead> {
        let call = InCommune::new(ctx, commune, None).await?;
        let head = call.jamaa.audit_head(&call.commune).await.in_lang(&call)?;
        Ok(head.into())
    }

    /// The heads the commune published (anyone), the latest first: once a day at most, when its chain moved.
    /// Keep one, and ask later for a proof since it (`auditProof`).
    async fn audit_heads(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        first: Option<i32>,
        after: Option<String>,
        locale: Option<String>,
    ) -> Result<Listing<PublishedAuditHead>> {
        let call = InCommune::new(ctx, commune, locale).await?;
        let after = after_key(after, |c| c.parse::<NaiveDate>().ok())?;
        let first = page_size(first, call.locale())?;
        let page = call.jamaa.audit_heads(&call.commune, after, first).await.in_lang(&call)?;
        let slug = call.commune.spec.slug.as_str();
        Ok(connection(after.is_some(), page, |head| (head.day.to_string(), PublishedAuditHead::new(slug, head))))
    }

    /// What lets the applicant check, without trusting the server, that their request's events after `since`
    /// are in the commune's chain and that today's chain extends the head at `since` (a published head's
    /// sequence): the SDK's `verifyAuditProof(proof, keptHead)`. The same tracking code and secret as
    /// `trackRequest` (a wrong pair: NOT_FOUND); a proof covers at most 10,000 events (`since` further back or
    /// beyond the head: OUT_OF_RANGE at `since`).
    async fn audit_proof(
        &self,
        ctx: &Context<'_>,
        tracking_code: String,
        secret: String,
        since: i64,
        locale: Option<String>,
    ) -> Result<AuditProof> {
        let call = Call::with_locale(ctx, locale)?;
        let proof = call.jamaa.audit_proof(&tracking_code, &SecretString::from(secret), since).await.in_lang(&call)?;
        Ok(proof.into())
    }
}

// What resolvers written before the call context (`call.rs`) call, kept so that they still build while they
// are converted: new resolvers use `InCommune::new`, `.in_lang(&call)?`, `page::page_size`.
#[allow(unused_imports)]
pub(crate) use super::call::parse_locale;
pub(crate) use super::page::page_size;

/// The commune an operation is about: see [`InCommune::new`] (kept for resolvers not yet converted).
#[allow(dead_code)]
pub(crate) async fn resolve_commune(
    ctx: &Context<'_>,
    argument: Option<String>,
) -> Result<jamaa_core::model::commune::Commune> {
    Ok(InCommune::new(ctx, argument, None).await?.commune)
}

/// The commune an operation is about and the language to answer in: see [`InCommune::new`] (kept for
/// resolvers not yet converted).
#[allow(dead_code)]
pub(crate) async fn commune_and_lang(
    ctx: &Context<'_>,
    commune: Option<String>,
    locale: Option<String>,
) -> Result<(jamaa_core::model::commune::Commune, super::Lang)> {
    let InCommune { call, commune } = InCommune::new(ctx, commune, locale).await?;
    Ok((commune, call.lang))
}

pub(crate) fn viewer_of(principal: &Principal, commune: jamaa_core::model::ids::TenantId) -> Actor {
    Actor::Staff { roles: principal.roles_in(commune).to_vec() }
}
