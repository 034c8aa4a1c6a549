//! Answers to anonymous reads of the catalog, kept and given again while what they read is unchanged.
//!
//! A commune's catalog is what every visitor of its website asks first, and it changes only when the commune
//! publishes. An answer is kept when:
//! - its caller is anonymous (no token) and sent no idempotency key nor extensions;
//! - every field it resolved is a field of the catalog ([`is_catalog_field`]: `services` and `service` at the
//!   root, and the fields of the types under `Service`), checked field by field while it executes
//!   ([`CatalogOnly`]): any other field, of any operation, and the answer is not kept;
//! - it has no error and read at least one commune's catalog.
//!
//! It is kept under everything of the request it may depend on ([`Key`]: the document, operation name,
//! variables, `Accept-Language`, `X-Commune`, the format asked for, GET or POST) with what it read
//! ([`Read`]: each commune's row as it was read and its catalog generation, which every change of its services
//! raises). Before it is given again, each of those communes is read again — one query, the one every catalog
//! read starts with: when the row or the generation changed (a publication, by any server sharing the
//! database, a change of the commune's languages), the answer is dropped and the request executed anew. So a
//! kept answer is never staler than the catalog read it replaces, and never answers one commune's request with
//! another's: the commune is in the key, and its row is compared. The answers held are bounded by their size
//! ([`MAX_BYTES`], least recently used dropped first); an answer kept is the same bytes, status and headers.

use std::sync::{Arc, Mutex, PoisonError};

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextResolve, ResolveInfo};
use async_graphql::{ServerResult, Value};
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use jamaa_core::auth::Principal;
use jamaa_core::model::commune::Commune;
use jamaa_core::service::Catalog;
use jamaa_core::service::Jamaa;

use crate::graphql_http::Format;
use crate::schema::RequestContext;

/// The most bytes of answers (and their keys) held.
pub const MAX_BYTES: u64 = 16 * 1024 * 1024;

/// The object types under `Service`, whose every field is read from a published version (immutable) and the
/// caller's language: a test checks the schema against this list.
pub const CATALOG_TYPES: [&str; 11] = [
    "ServiceConnection",
    "ServiceEdge",
    "PageInfo",
    "Service",
    "Deadline",
    "DocumentType",
    "FeeLine",
    "FormField",
    "ChoiceOption",
    "WorkflowState",
    "LocalizedString",
];

/// Whether resolving field `name` of type `parent` reads the catalog and nothing else (an item of a list has
/// the list's type as its parent: `[ServiceEdge!]`).
pub fn is_catalog_field(parent: &str, name: &str) -> bool {
    match parent.trim_matches(|c| matches!(c, '[' | ']' | '!')) {
        "QueryRoot" => matches!(name, "services" | "service"),
        parent => CATALOG_TYPES.contains(&parent),
    }
}

/// What a kept answer was asked with.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    over_get: bool,
    format: Format,
    query: String,
    operation: Option<String>,
    /// The variables as JSON text.
    variables: String,
    accept_language: Option<jamaa_core::model::i18n::Locale>,
    commune_header: Option<String>,
}

impl Key {
    /// The key of a request whose answer may be kept; `None` when it may not (a caller with a token, an
    /// idempotency key, extensions).
    pub fn of(
        request: &async_graphql::Request,
        context: &RequestContext,
        format: Format,
        over_get: bool,
    ) -> Option<Self> {
        if !matches!(context.principal, Principal::Anonymous)
            || context.idempotency_key.is_some()
            || !request.extensions.is_empty()
        {
            return None;
        }
        Some(Self {
            over_get,
            format,
            query: request.query.clone(),
            operation: request.operation_name.clone(),
            variables: serde_json::to_string(&request.variables).ok()?,
            accept_language: context.accept_language,
            commune_header: context.commune_header.clone(),
        })
    }

    fn weight(&self) -> u64 {
        (self.query.len() + self.variables.len() + self.operation.as_ref().map_or(0, String::len)) as u64
    }
}

/// A commune's catalog as an answer read it.
#[derive(Clone, Debug)]
struct Read {
    commune: Arc<Commune>,
    generation: i64,
}

/// An answer as it was sent.
#[derive(Clone, Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        (self.status, self.headers, self.body).into_response()
    }
}

#[derive(Clone, Debug)]
struct Kept {
    reads: Arc<[Read]>,
    answer: Answer,
}

#[derive(Clone)]
struct Weight;

impl quick_cache::Weighter<Key, Kept> for Weight {
    fn weight(&self, key: &Key, kept: &Kept) -> u64 {
        // Headers and the entry's own size, roughly.
        key.weight() + kept.answer.body.len() as u64 + 512
    }
}

/// The answers kept by one server.
pub struct ResponseCache {
    kept: quick_cache::sync::Cache<Key, Kept, Weight>,
}

impl Default for ResponseCache {
    fn default() -> Self {
        Self { kept: quick_cache::sync::Cache::with_weighter(4096, MAX_BYTES, Weight) }
    }
}

impl std::fmt::Debug for ResponseCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseCache").field("answers", &self.kept.len()).finish()
    }
}

impl ResponseCache {
    /// The answer kept for `key`, if every commune it read is as it was read; a stale one is dropped.
    pub async fn answer(&self, jamaa: &Jamaa, key: &Key) -> Option<Answer> {
        let kept = self.kept.get(key)?;
        for read in kept.reads.iter() {
            let now = jamaa.catalog_state(read.commune.spec.slug.as_str()).await.ok().flatten();
            let same = |commune: &Arc<Commune>| Arc::ptr_eq(commune, &read.commune) || **commune == *read.commune;
            if now.is_none_or(|(commune, generation)| generation != read.generation || !same(&commune)) {
                self.kept.remove(key);
                metrics::counter!("jamaa_graphql_kept_answers_total", "result" => "stale").increment(1);
                return None;
            }
        }
        metrics::counter!("jamaa_graphql_kept_answers_total", "result" => "given").increment(1);
        Some(kept.answer)
    }

    /// Keeps `answer` for `key` when what executed it read the catalog and nothing else.
    pub fn keep(&self, key: Key, reads: &CatalogReads, answer: &Answer) {
        let Some(reads) = reads.catalog_only() else { return };
        if !answer.status.is_success() {
            return;
        }
        metrics::counter!("jamaa_graphql_kept_answers_total", "result" => "kept").increment(1);
        self.kept.insert(key, Kept { reads, answer: answer.clone() });
    }
}

/// What one request's execution read: request data, filled by the catalog's resolvers ([`Self::depends_on`])
/// and spoiled by [`CatalogOnly`] at the first field that is not the catalog's.
#[derive(Debug, Default)]
pub struct CatalogReads(Mutex<ReadsState>);

#[derive(Debug, Default)]
struct ReadsState {
    spoiled: bool,
    reads: Vec<Read>,
}

impl CatalogReads {
    /// Records that the answer depends on `catalog` (when the request's answer may be kept).
    pub fn depends_on(ctx: &async_graphql::Context<'_>, catalog: &Catalog) {
        if let Some(reads) = ctx.data_opt::<Arc<CatalogReads>>() {
            let mut state = reads.0.lock().unwrap_or_else(PoisonError::into_inner);
            state.reads.push(Read { commune: catalog.commune.clone(), generation: catalog.generation });
        }
    }

    fn spoil(&self) {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).spoiled = true;
    }

    /// The catalogs read, when that is all that was read.
    fn catalog_only(&self) -> Option<Arc<[Read]>> {
        let state = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        (!state.spoiled && !state.reads.is_empty()).then(|| state.reads.clone().into())
    }
}

/// Spoils the request's [`CatalogReads`] when a field outside the catalog resolves.
pub struct CatalogOnly;

impl ExtensionFactory for CatalogOnly {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(CatalogOnly)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for CatalogOnly {
    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        if let Some(reads) = ctx.data_opt::<Arc<CatalogReads>>()
            && !is_catalog_field(info.parent_type, info.name)
        {
            reads.spoil();
        }
        next.run(ctx, info).await
    }
}
