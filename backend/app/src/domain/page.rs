//! Keyset paging, the one way every list that can grow is read: a [`PageRequest`] (how many,
//! after which row) in, a [`Page`] (the rows and the cursor of the next page, if any) out.
//!
//! A list is read in a stable order, its sort column then its id (ids are unique), and a page
//! starts after the last row of the previous one: no offset, so a page costs the same at the
//! end of a long list as at its start, and a row written meanwhile never shifts the others.
//! The cursor is opaque to clients: base64url of the list's name and the last row's sort key,
//! checked when it comes back (a cursor of another list, or garbage, is refused).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{NaiveDate, NaiveDateTime};

/// Rows a page holds when the client does not say.
pub const DEFAULT_LIMIT: i64 = 100;
/// The most rows a page holds.
pub const MAX_LIMIT: i64 = 500;

/// Why a page cannot be read: the limit or the cursor the client sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageError {
    /// Not a whole number from 1 to [`MAX_LIMIT`].
    Limit,
    /// Not a cursor this list gave out.
    Cursor,
}

/// The query parameters of a paged list that has no filters of its own (a list with filters
/// carries the same two fields beside them).
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Rows per page: 1 to 500 (default 100); else 422 `invalid_limit`.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    pub limit: Option<String>,
    /// Where the page starts: the cursor in the previous page's `Link` (rel="next"); absent,
    /// the first page. Anything else is 422 `invalid_cursor`.
    pub after: Option<String>,
}

impl PageQuery {
    pub fn request(&self) -> Result<PageRequest, PageError> {
        PageRequest::parse(self.limit.as_deref(), self.after.as_deref())
    }
}

/// A page asked for: at most `limit` rows, after the row the cursor names (from the first
/// when none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    pub limit: i64,
    after: Option<String>,
}

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest { limit: DEFAULT_LIMIT, after: None }
    }
}

impl PageRequest {
    /// The page a client asks for with `limit` (text, as in a query string; absent or empty:
    /// [`DEFAULT_LIMIT`]) and `after` (a cursor; absent or empty: the first page). The limit is
    /// checked here; the cursor when its list reads it ([`PageRequest::seek`]).
    pub fn parse(limit: Option<&str>, after: Option<&str>) -> Result<PageRequest, PageError> {
        let limit = match limit.map(str::trim).filter(|l| !l.is_empty()) {
            None => DEFAULT_LIMIT,
            Some(text) => text.parse::<i64>().map_err(|_| PageError::Limit)?,
        };
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(PageError::Limit);
        }
        let after = after.map(str::trim).filter(|a| !a.is_empty()).map(str::to_owned);
        Ok(PageRequest { limit, after })
    }

    /// Where the list `list` starts reading, its cursor decoded: the sort key and id of the
    /// last row already read. A cursor of another list, or one that does not decode, is
    /// refused.
    pub fn seek<K: SortKey>(&self, list: &str) -> Result<Seek<K>, PageError> {
        let after = match &self.after {
            None => None,
            Some(cursor) => Some(decode(list, cursor).ok_or(PageError::Cursor)?),
        };
        Ok(Seek { after, fetch: self.limit + 1, limit: self.limit })
    }
}

/// A page as a list's query reads it: after `after` (sort key, id), `fetch` rows — one more
/// than the page holds, to tell whether another page follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seek<K> {
    pub after: Option<(K, String)>,
    pub fetch: i64,
    limit: i64,
}

impl<K: SortKey> Seek<K> {
    /// The page of `rows` (as the query read them, up to `fetch`), with the cursor of the
    /// next page when there is one; `key` gives a row's sort key and id.
    pub fn page<T>(&self, list: &str, mut rows: Vec<T>, key: impl Fn(&T) -> (K, String)) -> Page<T> {
        let limit = usize::try_from(self.limit).unwrap_or(usize::MAX);
        let next = if rows.len() > limit {
            rows.truncate(limit);
            rows.last().map(|last| {
                let (sort, id) = key(last);
                encode(list, &sort, &id)
            })
        } else {
            None
        };
        Page { items: rows, next }
    }
}

/// A page of a list: its rows, and the cursor of the next page (none on the last).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

impl<T> Page<T> {
    /// The same page with each row turned into another.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page { items: self.items.into_iter().map(f).collect(), next: self.next }
    }

    /// [`Page::map`] with a conversion that may fail.
    pub fn try_map<U, E>(self, f: impl FnMut(T) -> Result<U, E>) -> Result<Page<U>, E> {
        Ok(Page { items: self.items.into_iter().map(f).collect::<Result<_, _>>()?, next: self.next })
    }
}

/// The address of the page after this one: the request's path and query with `after` set to
/// `cursor` (any `after` the query had is replaced; filters and `limit` are kept as sent).
pub fn next_href(path: &str, query: &str, cursor: &str) -> String {
    let mut pairs: Vec<&str> =
        query.split('&').filter(|p| !p.is_empty() && *p != "after" && !p.starts_with("after=")).collect();
    let after = format!("after={cursor}");
    pairs.push(&after);
    format!("{path}?{}", pairs.join("&"))
}

/// A column a list is sorted by, written into and read back from a cursor exactly.
pub trait SortKey: Sized {
    fn to_text(&self) -> String;
    fn from_text(text: &str) -> Option<Self>;
}

/// Lists sorted by id alone.
impl SortKey for () {
    fn to_text(&self) -> String {
        String::new()
    }
    fn from_text(text: &str) -> Option<Self> {
        text.is_empty().then_some(())
    }
}

impl SortKey for NaiveDate {
    fn to_text(&self) -> String {
        self.format("%Y-%m-%d").to_string()
    }
    fn from_text(text: &str) -> Option<Self> {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
    }
}

impl SortKey for NaiveDateTime {
    fn to_text(&self) -> String {
        // Every digit of the fraction: the next page starts exactly after this row.
        self.format("%Y-%m-%dT%H:%M:%S%.9f").to_string()
    }
    fn from_text(text: &str) -> Option<Self> {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.9f").ok()
    }
}

/// A sequence number.
impl SortKey for i64 {
    fn to_text(&self) -> String {
        self.to_string()
    }
    fn from_text(text: &str) -> Option<Self> {
        text.parse().ok()
    }
}

/// A word such as a status (letters, digits and `_` only).
impl SortKey for String {
    fn to_text(&self) -> String {
        self.clone()
    }
    fn from_text(text: &str) -> Option<Self> {
        let word = !text.is_empty() && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        word.then(|| text.to_owned())
    }
}

/// Two columns, the first deciding.
impl<A: SortKey, B: SortKey> SortKey for (A, B) {
    fn to_text(&self) -> String {
        format!("{}|{}", self.0.to_text(), self.1.to_text())
    }
    fn from_text(text: &str) -> Option<Self> {
        let (a, b) = text.split_once('|')?;
        Some((A::from_text(a)?, B::from_text(b)?))
    }
}

/// The longest id a cursor may name (ids are UUIDs).
const MAX_ID: usize = 64;

fn encode<K: SortKey>(list: &str, sort: &K, id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{list}\n{}\n{id}", sort.to_text()))
}

fn decode<K: SortKey>(list: &str, cursor: &str) -> Option<(K, String)> {
    if cursor.len() > 512 {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let mut parts = text.split('\n');
    let (name, sort, id) = (parts.next()?, parts.next()?, parts.next()?);
    let well_formed_id =
        !id.is_empty() && id.len() <= MAX_ID && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if parts.next().is_some() || name != list || !well_formed_id {
        return None;
    }
    Some((K::from_text(sort)?, id.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_default_and_are_bounded() {
        assert_eq!(PageRequest::parse(None, None).unwrap().limit, DEFAULT_LIMIT);
        assert_eq!(PageRequest::parse(Some(""), None).unwrap().limit, DEFAULT_LIMIT);
        assert_eq!(PageRequest::parse(Some("1"), None).unwrap().limit, 1);
        assert_eq!(PageRequest::parse(Some("500"), None).unwrap().limit, MAX_LIMIT);
        for bad in ["0", "501", "-1", "ten", "1.5"] {
            assert_eq!(PageRequest::parse(Some(bad), None), Err(PageError::Limit), "{bad}");
        }
    }

    #[test]
    fn a_cursor_comes_back_as_it_was_given_and_only_to_its_list() {
        let at =
            NaiveDate::from_ymd_opt(2026, 11, 1).unwrap().and_hms_nano_opt(8, 30, 1, 123_456_789).unwrap();
        let seek: Seek<NaiveDateTime> = PageRequest::parse(Some("2"), None).unwrap().seek("workers").unwrap();
        assert_eq!(seek.fetch, 3);
        let rows = vec![(at, "a"), (at, "b"), (at, "c")];
        let page = seek.page("workers", rows, |(t, id)| (*t, (*id).to_owned()));
        assert_eq!(page.items.len(), 2);
        let cursor = page.next.unwrap();
        let again = PageRequest::parse(None, Some(&cursor)).unwrap();
        assert_eq!(again.seek::<NaiveDateTime>("workers").unwrap().after, Some((at, "b".to_owned())));
        assert_eq!(again.seek::<NaiveDateTime>("placements"), Err(PageError::Cursor));
        assert_eq!(again.seek::<NaiveDate>("workers"), Err(PageError::Cursor));
    }

    #[test]
    fn the_next_address_keeps_the_filters_and_replaces_the_cursor() {
        assert_eq!(next_href("/api/v1/workers", "", "Zm9v"), "/api/v1/workers?after=Zm9v");
        assert_eq!(
            next_href("/api/v1/cases", "status=open&after=old&limit=2&kind=fee", "bmV3"),
            "/api/v1/cases?status=open&limit=2&kind=fee&after=bmV3"
        );
    }

    #[test]
    fn the_last_page_has_no_cursor() {
        let seek: Seek<()> = PageRequest::parse(Some("2"), None).unwrap().seek("agencies").unwrap();
        let page = seek.page("agencies", vec!["a", "b"], |id| ((), (*id).to_owned()));
        assert_eq!(page.next, None);
    }

    #[test]
    fn garbage_is_no_cursor() {
        let request = |c: &str| PageRequest::parse(None, Some(c)).unwrap();
        for bad in
            ["%%%", "bm90IGEgY3Vyc29y", "!", &"A".repeat(600), &URL_SAFE_NO_PAD.encode("workers\nx\n'; drop")]
        {
            assert_eq!(request(bad).seek::<NaiveDate>("workers"), Err(PageError::Cursor), "{bad}");
        }
    }
}
