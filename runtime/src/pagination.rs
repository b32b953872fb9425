//! Lists over several pages as `Stream`s: `x-ms-pageable` next links, RFC 8288 `Link`
//! headers, and cursor / next-token fields.
//!
//! Each page stream ends after the last page or after yielding its first error. A link (or
//! cursor) that points back at the page just fetched ends the stream; one that leads back to
//! any earlier page yields [`Error::Refused`] ([`crate::Refusal::Cycle`]) and ends it: pagers
//! remember every URL and cursor they have visited, so no bad server makes them loop.

use futures_core::Stream;
use futures_util::stream::{self, StreamExt};

use crate::error::Error;
use crate::origin::Refusal;
use crate::request::Request;
use crate::response::Response;

/// Follows links found by `link` in each page (`x-ms-pageable` or `Link`), sending GETs with
/// the first request's credentials and headers.
fn follow_pages<'c, T, E, L>(
    first: Request<'c>,
    decode: fn(Response) -> Result<T, Error<E>>,
    link: L,
) -> impl Stream<Item = Result<T, Error<E>>> + Send + 'c
where
    T: Send + 'c,
    E: Send + 'c,
    L: Fn(&http::HeaderMap, &T) -> Option<String> + Send + Sync + Copy + 'c,
{
    let visited = std::collections::HashSet::<url::Url>::new();
    stream::unfold(Some((first, visited)), move |step| async move {
        let (req, mut visited) = step?;
        let current = match req.target_url() {
            Ok(u) => u,
            Err(e) => return Some((Err(Error::InvalidRequest(e)), None)),
        };
        if !visited.insert(current.clone()) {
            return Some((Err(Error::Refused(Refusal::Cycle)), None));
        }
        let template = req.follow(current.clone());
        let resp = match req.send::<E>().await {
            Ok(r) => r,
            Err(e) => return Some((Err(e), None)),
        };
        // Decode takes the response by value: keep the headers for the link.
        let headers = resp.headers().clone();
        let page = match decode(resp) {
            Ok(p) => p,
            Err(e) => return Some((Err(e), None)),
        };
        let next = resolve_next(&current, link(&headers, &page).as_deref());
        let step = next.map(|u| (template.follow(u), visited));
        Some((Ok(page), step))
    })
}

/// The next page's URL: `link` (absolute or relative to `current`), unless it is empty,
/// unparsable or `current` itself.
pub(crate) fn resolve_next(current: &url::Url, link: Option<&str>) -> Option<url::Url> {
    let l = link?.trim();
    if l.is_empty() {
        return None;
    }
    current.join(l).ok().filter(|u| u != current)
}

/// `x-ms-pageable` / nextLink style: follows `next_link(&page)` (absolute or relative to the
/// page's URL) with GET, same security and headers.
pub fn next_link_pages<'c, T, E>(
    first: Request<'c>,
    decode: fn(Response) -> Result<T, Error<E>>,
    next_link: fn(&T) -> Option<String>,
) -> impl Stream<Item = Result<T, Error<E>>> + Send + 'c
where
    T: Send + 'c,
    E: Send + 'c,
{
    follow_pages(first, decode, move |_h: &http::HeaderMap, page: &T| {
        next_link(page)
    })
}

/// RFC 8288: follows the `Link` header's `rel="next"` target.
pub fn link_header_pages<'c, T, E>(
    first: Request<'c>,
    decode: fn(Response) -> Result<T, Error<E>>,
) -> impl Stream<Item = Result<T, Error<E>>> + Send + 'c
where
    T: Send + 'c,
    E: Send + 'c,
{
    follow_pages(first, decode, |h: &http::HeaderMap, _page: &T| {
        h.get_all(http::header::LINK)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(next_from_link_header)
    })
}

/// Cursor / next-token style: `request(None)` is the first page, `request(Some(cursor))` the
/// following ones, with `next_cursor(&page)` giving the cursor (`None` or empty: last page).
pub fn cursor_pages<'c, T, E, F>(
    request: F,
    decode: fn(Response) -> Result<T, Error<E>>,
    next_cursor: fn(&T) -> Option<String>,
) -> impl Stream<Item = Result<T, Error<E>>> + Send + 'c
where
    T: Send + 'c,
    E: Send + 'c,
    F: Fn(Option<String>) -> Request<'c> + Send + 'c,
{
    let seen = std::collections::HashSet::<String>::new();
    stream::unfold(
        (Some(None::<String>), request, seen),
        move |(cursor, request, mut seen)| async move {
            let cursor = cursor?;
            if let Some(c) = &cursor {
                if !seen.insert(c.clone()) {
                    return Some((Err(Error::Refused(Refusal::Cycle)), (None, request, seen)));
                }
            }
            let resp = match request(cursor.clone()).send::<E>().await {
                Ok(r) => r,
                Err(e) => return Some((Err(e), (None, request, seen))),
            };
            let page = match decode(resp) {
                Ok(p) => p,
                Err(e) => return Some((Err(e), (None, request, seen))),
            };
            let next = next_cursor(&page)
                .filter(|c| !c.is_empty())
                .filter(|c| Some(c) != cursor.as_ref());
            Some((Ok(page), (next.map(Some), request, seen)))
        },
    )
}

/// The items of each page, in order; an error ends the stream.
pub fn items<S, T, I, E>(
    pages: S,
    items: fn(T) -> Vec<I>,
) -> impl Stream<Item = Result<I, Error<E>>>
where
    S: Stream<Item = Result<T, Error<E>>>,
{
    pages.flat_map(move |page| {
        stream::iter(match page {
            Ok(p) => items(p).into_iter().map(Ok).collect::<Vec<_>>(),
            Err(e) => vec![Err(e)],
        })
    })
}

/// The `rel="next"` target of one `Link` header value (RFC 8288), if any.
pub fn next_from_link_header(value: &str) -> Option<String> {
    let mut rest = value;
    loop {
        let start = rest.find('<')?;
        let end = start + rest[start..].find('>')?;
        let target = &rest[start + 1..end];
        rest = &rest[end + 1..];
        // Parameters run to the next `,` outside quotes.
        let mut in_quotes = false;
        let mut cut = rest.len();
        for (i, c) in rest.char_indices() {
            match c {
                '"' => in_quotes = !in_quotes,
                ',' if !in_quotes => {
                    cut = i;
                    break;
                }
                _ => {}
            }
        }
        let params = &rest[..cut];
        rest = &rest[cut..];
        for p in params.split(';') {
            let Some((k, v)) = p.split_once('=') else {
                continue;
            };
            if k.trim().eq_ignore_ascii_case("rel")
                && v.trim()
                    .trim_matches('"')
                    .split_ascii_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("next"))
            {
                return Some(target.to_string());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::next_from_link_header;

    #[test]
    fn link_header() {
        let v = r#"<https://x/a?page=1>; rel="prev", <https://x/a?page=3&q=a,b>; rel="next last""#;
        assert_eq!(
            next_from_link_header(v).as_deref(),
            Some("https://x/a?page=3&q=a,b")
        );
        assert_eq!(next_from_link_header(r#"<https://x/>; rel="prev""#), None);
        assert_eq!(next_from_link_header("garbage"), None);
        assert_eq!(
            next_from_link_header(r#"</p2>; title="a, b"; rel=next"#).as_deref(),
            Some("/p2")
        );
    }
}
