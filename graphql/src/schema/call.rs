//! The call context: what a resolver works with, resolved once from the HTTP request (see `app.rs`) and the
//! field's arguments, and the one error path.
//!
//! - [`Call`]: the use cases ([`Jamaa`]), the caller ([`Principal`]) and the language to answer in (the
//!   `locale` argument, else `Accept-Language`, else French).
//! - [`InCommune`]: a call about one commune, read once: the `commune` argument, else the `X-Commune` header,
//!   else the commune of the caller's staff token. The language falls back to the commune's default. Use cases
//!   take the commune read here (`&Commune`), never its slug again; each of them checks the caller's
//!   permission on it (`Principal::authorize`), as the CLI's calls do.
//! - [`InLang::in_lang`]: a core error becomes a GraphQL error in the call's language (`extensions.code`, and
//!   the field paths of `VALIDATION_FAILED`), so that a resolver writes `use_case(…).await.in_lang(&call)?`.
//! - [`subject_id`] and [`input_id`]: the one reading of an id a client gives; [`amount_at`], of an amount;
//!   [`keys`], of a list of template keys (the SDL's strings).
//! - [`idempotency`]: the idempotency key of a creating call (argument `idempotencyKey`, else the
//!   `Idempotency-Key` header) with the hash of the field and its arguments.
//!
//! A resolver:
//!
//! ```ignore
//! async fn mail_item(&self, ctx: &Context<'_>, commune: Option<String>, id: ID) -> Result<MailItem> {
//!     let call = InCommune::new(ctx, commune, None).await?;
//!     let id = subject_id(&id, "mail item").in_lang(&call)?;
//!     let item = call.jamaa.mail_item(call.principal, &commune, id).await.in_lang(&call)?;
//!     Ok(MailItem(item))
//! }
//! ```

use std::ops::Deref;

use async_graphql::{Context, ErrorExtensions, Result};
use jamaa_core::auth::Principal;
use jamaa_core::error::FieldErrorCode;
use jamaa_core::model::commune::Commune;
use jamaa_core::model::form::messages::{self, BudgetCell};
use jamaa_core::model::i18n::Locale;
use jamaa_core::modules::finance::model::parse_centimes;
use jamaa_core::service::Jamaa;

use super::PLATFORM_LOCALE;
use super::error::to_graphql;
use super::{Lang, entity_id, jamaa, request_context};

/// A call that names no commune: the use cases, the caller, the language.
pub(crate) struct Call<'a> {
    pub jamaa: &'a Jamaa,
    pub principal: &'a Principal,
    pub lang: Lang,
    /// The language the caller asked for (argument or `Accept-Language`), if any.
    asked: Option<Locale>,
}

impl<'a> Call<'a> {
    /// The call in the language of `Accept-Language` (else French).
    pub fn new(ctx: &Context<'a>) -> Self {
        Self::in_locale(ctx, None)
    }

    /// The call in the language of the `locale` argument when given (refused when it names none).
    pub fn with_locale(ctx: &Context<'a>, locale: Option<String>) -> Result<Self> {
        Ok(Self::in_locale(ctx, parse_locale(locale)?))
    }

    fn in_locale(ctx: &Context<'a>, locale: Option<Locale>) -> Self {
        let asked = locale.or(request_context(ctx).accept_language);
        Call {
            jamaa: jamaa(ctx),
            principal: &request_context(ctx).principal,
            lang: Lang::new(asked.unwrap_or(PLATFORM_LOCALE), None),
            asked,
        }
    }

    pub fn locale(&self) -> Locale {
        self.lang.locale
    }

    /// The language of what a call says about a commune it came upon (a tracked request's, a verified
    /// document's, one of a list): the one asked for, else the commune's default, falling back to its
    /// languages.
    pub fn lang_of(&self, commune: &Commune) -> Lang {
        Lang::new(self.asked.unwrap_or(commune.spec.default_locale), Some(commune))
    }
}

/// A call about one commune, read once.
pub(crate) struct InCommune<'a> {
    pub call: Call<'a>,
    pub commune: Commune,
}

impl<'a> InCommune<'a> {
    /// Resolves the commune (the argument, else `X-Commune`, else the staff token's commune) and the language
    /// (the `locale` argument, else `Accept-Language`, else the commune's default). A commune that does not
    /// exist is NOT_FOUND; naming none where the caller has no commune of its own is VALIDATION_FAILED.
    pub async fn new(ctx: &Context<'a>, commune: Option<String>, locale: Option<String>) -> Result<Self> {
        let locale = parse_locale(locale)?;
        let call = Call::in_locale(ctx, locale);
        let request = request_context(ctx);
        let slug = commune.or_else(|| request.commune_header.clone());
        let commune = match (slug, call.principal.home_commune()) {
            (Some(slug), _) => call.jamaa.commune(&slug).await,
            (None, Some(tenant)) => call.jamaa.commune_by_id(tenant).await,
            (None, None) => {
                return Err(async_graphql::Error::new("name the commune (argument `commune` or header X-Commune)")
                    .extend_with(|_, e| e.set("code", "VALIDATION_FAILED")));
            }
        }
        .in_lang(&call)?;
        let lang = call.lang_of(&commune);
        Ok(InCommune { call: Call { lang, ..call }, commune })
    }
}

impl InCommune<'_> {
    /// The slug of the commune a call names, read only when it comes from the caller's token: for the
    /// catalog, which reads the commune's row itself, with the generation of its services.
    pub async fn slug(ctx: &Context<'_>, commune: Option<String>) -> Result<String> {
        match commune.or_else(|| request_context(ctx).commune_header.clone()) {
            Some(slug) => Ok(slug),
            None => Ok(InCommune::new(ctx, None, None).await?.commune.spec.slug.to_string()),
        }
    }
}

impl<'a> Deref for InCommune<'a> {
    type Target = Call<'a>;

    fn deref(&self) -> &Call<'a> {
        &self.call
    }
}

/// The `locale` argument of a field, when given: a language the platform speaks, else VALIDATION_FAILED.
pub(crate) fn parse_locale(locale: Option<String>) -> Result<Option<Locale>> {
    locale
        .map(|l| l.parse::<Locale>())
        .transpose()
        .map_err(|e| async_graphql::Error::new(e.to_string()).extend_with(|_, x| x.set("code", "VALIDATION_FAILED")))
}

/// What knows the language of a call's answers.
pub(crate) trait Speaks {
    fn speaks(&self) -> Locale;
}

impl Speaks for Call<'_> {
    fn speaks(&self) -> Locale {
        self.lang.locale
    }
}

impl Speaks for InCommune<'_> {
    fn speaks(&self) -> Locale {
        self.lang.locale
    }
}

impl Speaks for Lang {
    fn speaks(&self) -> Locale {
        self.locale
    }
}

impl Speaks for Locale {
    fn speaks(&self) -> Locale {
        *self
    }
}

/// The one error path: a core result as the resolver's, its error in the call's language.
pub(crate) trait InLang<T> {
    fn in_lang(self, call: &impl Speaks) -> Result<T>;
}

impl<T> InLang<T> for std::result::Result<T, jamaa_core::Error> {
    fn in_lang(self, call: &impl Speaks) -> Result<T> {
        self.map_err(|error| to_graphql(error, call.speaks()))
    }
}

/// The id of the operation's subject (`mailItem(id:)`, a request's id with or without its `@locale`): one that
/// does not parse names nothing, and is as unknown as an id of another commune (`NOT_FOUND`).
pub(crate) fn subject_id<T: std::str::FromStr>(id: &str, what: &'static str) -> Result<T, jamaa_core::Error> {
    entity_id(id).parse::<T>().map_err(|_| jamaa_core::Error::NotFound(what))
}

/// An id inside the input (a session, a deliberation a letter concerns): one that does not parse is refused
/// with the other checks, `INVALID_VALUE` at `path`, with the one message of an invalid id.
pub(crate) fn input_id<T: std::str::FromStr>(id: &str, path: &str) -> Result<T, jamaa_core::Error> {
    input_id_as(id, path, FieldErrorCode::InvalidValue)
}

/// An amount the client types (`1250.50`, units with at most two decimals) in centimes: one that does not read
/// is refused at `path` with the budget's message for a bad amount, or for one out of bounds.
/// Template keys (role keys, service codes, category keys) cross the edge as the strings of the SDL, both ways.
pub(crate) fn keys<A: Into<B>, B>(keys: Vec<A>) -> Vec<B> {
    keys.into_iter().map(Into::into).collect()
}

pub(crate) fn amount_at(path: &str, text: &str) -> Result<i64, jamaa_core::Error> {
    parse_centimes(text.trim()).map_err(|code| {
        let message = match code {
            FieldErrorCode::OutOfRange => messages::budget_cell(BudgetCell::AmountOutOfBounds),
            _ => messages::budget_cell(BudgetCell::InvalidAmount),
        };
        jamaa_core::Error::field(path, code, message)
    })
}

/// [`input_id`] with another code (`NOT_AN_OPTION` where the id picks among some, as a member to assign).
pub(crate) fn input_id_as<T: std::str::FromStr>(
    id: &str,
    path: &str,
    code: FieldErrorCode,
) -> Result<T, jamaa_core::Error> {
    entity_id(id).parse::<T>().map_err(|_| jamaa_core::Error::field(path, code, messages::invalid_id()))
}

/// The idempotency of a creating call: its key (the `idempotencyKey` argument, else the request's
/// `Idempotency-Key` header; a malformed one is INVALID_VALUE at `idempotencyKey`) and the hash of the field's
/// name and arguments, leaving out the key and the answer's `locale`. None without a key.
pub(crate) fn idempotency(
    ctx: &Context<'_>,
    key: Option<String>,
) -> Result<Option<jamaa_core::model::idempotency::Idempotency>, jamaa_core::Error> {
    use jamaa_core::model::idempotency::{Idempotency, IdempotencyKey};
    let Some(raw) = key.or_else(|| request_context(ctx).idempotency_key.clone()) else { return Ok(None) };
    let key = IdempotencyKey::parse("idempotencyKey", &raw)?;
    let field = ctx.field();
    let mut arguments = serde_json::Map::new();
    for (name, value) in field.arguments().map_err(|e| jamaa_core::Error::internal(e.message))? {
        if matches!(name.as_str(), "idempotencyKey" | "locale") {
            continue;
        }
        arguments.insert(name.to_string(), value.into_json().map_err(jamaa_core::Error::internal)?);
    }
    Ok(Some(Idempotency::new(key, field.name(), &serde_json::Value::Object(arguments))))
}
