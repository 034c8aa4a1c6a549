//! The GraphQL schema: queries, mutations, wire types and error mapping.

use async_graphql::{Context, Schema};
use jamaa_core::auth::Principal;
use jamaa_core::model::commune::Commune;
use jamaa_core::model::i18n::{Locale, LocalizedText};
use jamaa_core::service::Jamaa;

mod access;
pub mod aliases;
mod calendar;
mod citizen;
mod civil_status;
mod complaints;
pub(crate) mod council;
mod courier;
mod documents;
pub mod error;
pub(crate) mod finance;
pub(crate) mod indicators;
mod mutation;
mod notifications;
mod query;
mod replication;
mod types;
mod users;

pub use access::AccessMutation;
pub use calendar::CalendarMutation;
pub use citizen::{CitizenMutation, CitizenQuery};
pub use civil_status::{CivilStatusMutation, CivilStatusQuery};
pub use complaints::{ComplaintMutation, ComplaintQuery};
pub use council::{CouncilMutation, CouncilQuery};
pub use courier::{CourierMutation, CourierQuery};
pub use documents::{DocumentMutation, DocumentQuery, verify_path};
pub use finance::{FinanceMutation, FinanceQuery};
pub use indicators::IndicatorsQuery;
pub use mutation::RequestMutation;
pub use notifications::{NotificationMutation, NotificationQuery, SubscriptionRoot};
pub use query::CatalogQuery;
pub use replication::{ReplicationMutation, ReplicationQuery};
pub use users::{UsersMutation, UsersQuery};

/// Every query: the catalog, requests and audit; replication; documents; complaints; the logged-in user;
/// access to information and petitions; council; finance; civil status; courier;
/// notifications; indicators.
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
);

/// Every mutation: requests; replication; access; documents; complaints; login and logout; access to
/// information and petitions; council; finance; civil status; courier; calendars.
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
    CalendarMutation,
);

pub type JamaaSchema = Schema<QueryRoot, MutationRoot, SubscriptionRoot>;

/// Deepest query accepted.
pub const MAX_DEPTH: usize = 12;
/// Most complex query accepted (each field counts one, lists count their page size).
pub const MAX_COMPLEXITY: usize = 2_000;
/// Most aliased fields in one request (fragments counted where they are spread).
pub const MAX_ALIASES: usize = 30;

/// Builds the schema over the use cases.
pub fn build_schema(jamaa: Jamaa) -> JamaaSchema {
    Schema::build(QueryRoot::default(), MutationRoot::default(), SubscriptionRoot)
        .data(jamaa)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .limit_directives(10)
        .extension(aliases::AliasLimit::new(MAX_ALIASES))
        .finish()
}

/// What the edge resolved once from the HTTP request, for every resolver.
#[derive(Clone, Debug)]
pub struct RequestContext {
    pub principal: Principal,
    /// From `Accept-Language`.
    pub accept_language: Option<Locale>,
    /// From `X-Commune`.
    pub commune_header: Option<String>,
}

impl Default for RequestContext {
    fn default() -> Self {
        Self { principal: Principal::Anonymous, accept_language: None, commune_header: None }
    }
}

pub(crate) fn jamaa<'a>(ctx: &Context<'a>) -> &'a Jamaa {
    ctx.data_unchecked::<Jamaa>()
}

pub(crate) fn request_context<'a>(ctx: &Context<'a>) -> &'a RequestContext {
    static ANONYMOUS: std::sync::OnceLock<RequestContext> = std::sync::OnceLock::new();
    ctx.data_opt::<RequestContext>().unwrap_or_else(|| ANONYMOUS.get_or_init(RequestContext::default))
}

/// The locale to answer in: the `locale` argument, else `Accept-Language`, else the commune's default.
pub(crate) fn pick_locale(ctx: &Context<'_>, argument: Option<Locale>, commune: Option<&Commune>) -> Locale {
    argument.or(request_context(ctx).accept_language).or(commune.map(|c| c.spec.default_locale)).unwrap_or(Locale::Fr)
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
}

/// The schema's SDL, as committed in `graphql/schema.graphql`.
pub fn sdl() -> String {
    Schema::build(QueryRoot::default(), MutationRoot::default(), SubscriptionRoot).finish().sdl()
}
