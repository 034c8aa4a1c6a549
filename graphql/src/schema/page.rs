//! The one shape of every list that grows: a Relay connection (`edges`, `nodes`, `pageInfo`) with
//! `totalCount`, the number of items of the whole list under the same arguments.
//!
//! A page holds `first` items (20 when not given) and at most [`MAX_PAGE_SIZE`] (100): a larger `first` is
//! refused (`VALIDATION_FAILED`, `OUT_OF_RANGE` at `first`), never cut; a client reads the next page with
//! `after: pageInfo.endCursor` while `pageInfo.hasNextPage`. Cursors are opaque. Lists the database pages
//! (keyset on their order) come through [`connection`]; lists a use case reads whole, which stay small by
//! nature (a commune's council members, its webhook endpoints, one person's acts), through [`in_memory`].

use async_graphql::connection::{Connection, CursorType, Edge, EmptyFields, OpaqueCursor};
use async_graphql::{ErrorExtensions, OutputType, Result};
use jamaa_core::model::i18n::Locale;
use jamaa_core::service::CountedPage;
use jamaa_core::service::MAX_PAGE_SIZE;

use super::error::to_graphql;

/// A page of a list: its nodes, their cursors, `pageInfo` and `totalCount`.
pub(crate) type Listing<N> = Connection<OpaqueCursor<String>, N, Total, EmptyFields>;

/// The key an `after` cursor carries, read by `parse`; a cursor that does not decode or parse is refused
/// (`VALIDATION_FAILED`).
pub(crate) fn after_key<K>(after: Option<String>, parse: impl FnOnce(String) -> Option<K>) -> Result<Option<K>> {
    after
        .map(|cursor| {
            OpaqueCursor::<String>::decode_cursor(&cursor).ok().and_then(|c| parse(c.0)).ok_or_else(bad_cursor)
        })
        .transpose()
}

/// The connection of a page the store cut: each item gives its cursor key and its node.
pub(crate) fn connection<T, N: OutputType>(
    after_given: bool,
    page: CountedPage<T>,
    mut edge: impl FnMut(T) -> (String, N),
) -> Listing<N> {
    let mut connection =
        Connection::with_additional_fields(after_given, page.has_next, Total { total_count: page.total });
    connection.edges.extend(page.items.into_iter().map(|item| {
        let (key, node) = edge(item);
        Edge::new(OpaqueCursor(key), node)
    }));
    connection
}

/// A page of a whole list read in memory, in the list's order: the `first` items after the one whose `key`
/// the `after` cursor names. A cursor naming no item of the list (gone since) is refused (`VALIDATION_FAILED`):
/// the client starts again from the first page.
pub(crate) fn in_memory<T, N: OutputType>(
    all: Vec<T>,
    first: Option<i32>,
    after: Option<String>,
    locale: Locale,
    key: impl Fn(&T) -> String,
    node: impl FnMut(T) -> N,
) -> Result<Listing<N>> {
    let size = usize::try_from(page_size(first, locale)?).unwrap_or(usize::MAX);
    let after = after_key(after, Some)?;
    let total = all.len() as u64;
    let start = match &after {
        Some(after) => all.iter().position(|item| key(item) == *after).map(|i| i + 1).ok_or_else(bad_cursor)?,
        None => 0,
    };
    let has_next = all.len() > start.saturating_add(size);
    let items: Vec<T> = all.into_iter().skip(start).take(size).collect();
    let mut node = node;
    Ok(connection(after.is_some(), CountedPage { items, has_next, total }, |item| (key(&item), node(item))))
}

/// Page size when `first` is not given.
const DEFAULT_PAGE: i32 = 20;

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

/// A cursor that does not decode, or names no item of the list.
fn bad_cursor() -> async_graphql::Error {
    async_graphql::Error::new("invalid cursor").extend_with(|_, e| e.set("code", "VALIDATION_FAILED"))
}
