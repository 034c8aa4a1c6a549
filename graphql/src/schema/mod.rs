//! The GraphQL schema: queries, mutations, wire types and error mapping.

use async_graphql::{Context, Schema};
use jamaa_core::auth::Principal;
use jamaa_core::model::commune::Commune;
use jamaa_core::model::i18n::{Locale, LocalizedText};
use jamaa_core::service::Jamaa;

mod access;
mod calendar;
mod call;
mod citizen;
mod civil_status;
mod commissions;
mod complaints;
pub(crate) mod council;
mod courier;
mod disputes;
mod documents;
pub mod error;
pub(crate) mod finance;
mod hr;
pub mod idempotent;
pub(crate) mod indicators;
pub mod introspection;
pub mod limits;
mod mutation;
mod notifications;
pub mod nulls;
mod office;
mod online_payments;
mod page;
pub(crate) mod payments;
pub(crate) mod projects;
mod query;
mod replication;
mod spending;
pub(crate) mod types;
mod users;

pub use access::{AccessMutation, AccessQuery};
pub use calendar::CalendarMutation;
pub(crate) use call::subject_id;
pub use citizen::{CitizenMutation, CitizenQuery};
pub use civil_status::{CivilStatusMutation, CivilStatusQuery};
pub use commissions::CommissionMutation;
pub use complaints::{ComplaintMutation, ComplaintQuery};
pub use council::{CouncilMutation, CouncilQuery};
pub use courier::{CourierMutation, CourierQuery};
pub use disputes::{DisputesMutation, DisputesQuery};
pub use documents::{DocumentMutation, DocumentQuery, verify_path};
pub use finance::{FinanceMutation, FinanceQuery};
pub use hr::{HrMutation, HrQuery};
pub use indicators::IndicatorsQuery;
pub use mutation::RequestMutation;
pub use notifications::{NotificationMutation, NotificationQuery, SubscriptionRoot};
pub use office::{OfficeMutation, OfficeQuery};
pub use online_payments::{OnlinePaymentsMutation, OnlinePaymentsQuery};
pub use payments::{PaymentsMutation, PaymentsQuery};
pub use projects::{ProjectsMutation, ProjectsQuery};
pub use query::CatalogQuery;
pub use replication::{ReplicationMutation, ReplicationQuery};
pub use spending::{SpendingMutation, SpendingQuery};
pub use users::{UsersMutation, UsersQuery};

/// Every query: the catalog, requests and audit; replication; documents; complaints; the logged-in user;
/// access to information and petitions; council; finance; civil status; courier;
/// notifications; indicators; the back office (inbox counts, workload, accounts, tokens).
#[derive(async_graphql::MergedObject, Default)]
pub struct QueryRoot(
    CatalogQuery,
    ReplicationQuery,
    DocumentQuery,
    ComplaintQuery,
    UsersQuery,
    CitizenQuery,
    CouncilQuery,
    FinanceQuery,
    CivilStatusQuery,
    CourierQuery,
    NotificationQuery,
    IndicatorsQuery,
    OfficeQuery,
    AccessQuery,
    HrQuery,
    ProjectsQuery,
    DisputesQuery,
    SpendingQuery,
    PaymentsQuery,
    OnlinePaymentsQuery,
);

/// Every mutation: requests; replication; access; documents; complaints; login and logout; access to
/// information and petitions; council; finance; civil status; courier; notifications; assignment and accounts;
/// calendars.
#[derive(async_graphql::MergedObject, Default)]
pub struct MutationRoot(
    RequestMutation,
    ReplicationMutation,
    AccessMutation,
    DocumentMutation,
    ComplaintMutation,
    UsersMutation,
    CitizenMutation,
    CouncilMutation,
    FinanceMutation,
    CivilStatusMutation,
    CourierMutation,
    NotificationMutation,
    OfficeMutation,
    CalendarMutation,
    ProjectsMutation,
    HrMutation,
    DisputesMutation,
    SpendingMutation,
    PaymentsMutation,
    OnlinePaymentsMutation,
    CommissionMutation,
);

pub type JamaaSchema = Schema<QueryRoot, MutationRoot, SubscriptionRoot>;

pub use limits::{MAX_ALIASES, MAX_COMPLEXITY, MAX_DEPTH};

/// Builds the schema over the use cases. The size of a document (depth, complexity, aliases) is decided in
/// one place, [`limits`], before async-graphql walks it.
pub fn build_schema(jamaa: Jamaa, edge: std::sync::Arc<crate::limits::EdgeLimits>) -> JamaaSchema {
    build_schemas(jamaa, edge, true).main
}

/// The schema of every operation, and the one that answers introspection documents under their own bounds
/// ([`introspection`]); none when introspection is turned off (setting `introspection = false`), and the main
/// schema then refuses `__schema` and `__type` too.
#[derive(Clone)]
pub struct Schemas {
    pub main: JamaaSchema,
    pub introspection: Option<JamaaSchema>,
}

/// Builds both schemas over the use cases.
pub fn build_schemas(jamaa: Jamaa, edge: std::sync::Arc<crate::limits::EdgeLimits>, introspection: bool) -> Schemas {
    let builder = Schema::build(QueryRoot::default(), MutationRoot::default(), SubscriptionRoot)
        .data(jamaa.clone())
        .data(edge.clone())
        .limit_directives(10)
        // First the operations a WebSocket carries are counted, then each document is measured.
        .extension(error::ErrorCodes)
        .extension(crate::limits::OperationLimit)
        .extension(limits::QueryLimits::new(limits::Limits::default()))
        .extension(nulls::NullPropagation)
        .extension(crate::metrics::RootFieldMetrics)
        .extension(idempotent::IdempotentCalls)
        .extension(crate::response_cache::CatalogOnly);
    let main = if introspection { builder } else { builder.disable_introspection() }.finish();
    let introspection = introspection.then(|| {
        let bounds = limits::Limits {
            depth: introspection::INTROSPECTION_MAX_DEPTH,
            complexity: introspection::INTROSPECTION_MAX_COMPLEXITY,
            ..limits::Limits::default()
        };
        Schema::build(QueryRoot::default(), MutationRoot::default(), SubscriptionRoot)
            .data(jamaa)
            .data(edge)
            .introspection_only()
            .limit_directives(10)
            .extension(error::ErrorCodes)
            .extension(crate::limits::OperationLimit)
            .extension(limits::QueryLimits::new(bounds))
            .finish()
    });
    Schemas { main, introspection }
}

/// What the edge resolved once from the HTTP request, for every resolver.
#[derive(Clone, Debug)]
pub struct RequestContext {
    pub principal: Principal,
    /// From `Accept-Language`.
    pub accept_language: Option<Locale>,
    /// From `X-Commune`.
    pub commune_header: Option<String>,
    /// From `Idempotency-Key`: the key of the creating mutation the request carries.
    pub idempotency_key: Option<String>,
}

impl Default for RequestContext {
    fn default() -> Self {
        Self { principal: Principal::Anonymous, accept_language: None, commune_header: None, idempotency_key: None }
    }
}

pub(crate) fn jamaa<'a>(ctx: &Context<'a>) -> &'a Jamaa {
    ctx.data_unchecked::<Jamaa>()
}

pub(crate) fn request_context<'a>(ctx: &Context<'a>) -> &'a RequestContext {
    static ANONYMOUS: std::sync::OnceLock<RequestContext> = std::sync::OnceLock::new();
    ctx.data_opt::<RequestContext>().unwrap_or_else(|| ANONYMOUS.get_or_init(RequestContext::default))
}

/// The language of an answer when the caller asks for none and no commune is known yet (a refused token, a
/// commune that does not exist): the one fixed language of the platform, every other choice is the caller's
/// or the commune's.
pub(crate) const PLATFORM_LOCALE: Locale = Locale::Fr;

/// The locale to answer in: the `locale` argument, else `Accept-Language`, else the commune's default (kept for
/// resolvers written before the call context; new ones use `Call::lang_of`).
#[allow(dead_code)]
pub(crate) fn pick_locale(ctx: &Context<'_>, argument: Option<Locale>, commune: Option<&Commune>) -> Locale {
    argument
        .or(request_context(ctx).accept_language)
        .or(commune.map(|c| c.spec.default_locale))
        .unwrap_or(PLATFORM_LOCALE)
}

/// A localized text in the chosen locale, falling back to the commune's languages.
#[derive(Clone, Debug)]
pub(crate) struct Lang {
    pub locale: Locale,
    pub fallbacks: Vec<Locale>,
}

impl Lang {
    pub fn new(locale: Locale, commune: Option<&Commune>) -> Self {
        Self { locale, fallbacks: commune.map(Commune::fallbacks).unwrap_or_default() }
    }

    pub fn text(&self, text: &LocalizedText) -> String {
        text.get(self.locale, &self.fallbacks).to_owned()
    }

    /// The locale `text` is answered in: the one asked for when the text has it, else the commune's
    /// language it falls back to.
    pub fn locale_of(&self, text: &LocalizedText) -> Locale {
        text.resolve(self.locale, &self.fallbacks).map_or(self.locale, |(locale, _)| locale)
    }

    /// The id of an object whose text is in this locale: see [`localized_id`].
    pub fn id(&self, entity: impl std::fmt::Display) -> async_graphql::ID {
        localized_id(entity, self.locale)
    }
}

/// The id of an object that carries localized text: the entity's id, `@`, and the locale of its text
/// (`0192…@ar`). A normalized client cache (Apollo InMemoryCache, urql graphcache) keys objects by
/// `__typename` and `id`, so the Arabic and the French view of one service are two entries, and one language's
/// text is never shown for another. Arguments take the entity's id with or without the locale ([`entity_id`]).
pub(crate) fn localized_id(entity: impl std::fmt::Display, locale: Locale) -> async_graphql::ID {
    async_graphql::ID(format!("{entity}@{}", locale.as_str()))
}

/// The entity's id in an id given by a client, which may end with the locale of the view it came from.
pub(crate) fn entity_id(id: &str) -> &str {
    match id.rsplit_once('@') {
        Some((entity, locale)) if locale.parse::<Locale>().is_ok() => entity,
        _ => id,
    }
}

/// The schema's SDL, as committed in `graphql/schema.graphql`.
pub fn sdl() -> String {
    Schema::build(QueryRoot::default(), MutationRoot::default(), SubscriptionRoot).finish().sdl()
}
