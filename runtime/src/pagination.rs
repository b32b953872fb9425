//! Paged lists as streams: follow a next link (`x-ms-pageable`'s `nextLinkName`) or the
//! RFC 8288 `Link: <…>; rel="next"` header until there is none.

use futures_util::stream::{self, Stream, StreamExt};
use reqwest::Method;

use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::response::Response;

/// Decodes one page (the generated action's own status handling).
pub type Decode<T, E> = fn(Response) -> Result<T, Error<E>>;

enum State<'c> {
    First(Box<Request<'c>>),
    Next {
        client: &'c Client,
        url: String,
        security: &'static [&'static [&'static str]],
        always: &'static [&'static str],
    },
    Done,
}

/// Pages: the first from `first`, then a GET to `next_link(&page)` (absolute, or relative to
/// the base URL) with the same credentials, until it is `None` or empty. An error ends the
/// stream after it is yielded.
pub fn next_link_pages<'c, T, E>(
    first: Request<'c>,
    decode: Decode<T, E>,
    next_link: fn(&T) -> Option<String>,
) -> impl Stream<Item = Result<T, Error<E>>> + 'c
where
    T: 'c,
    E: 'c,
{
    pages(first, decode, move |page, _| next_link(page))
}

/// Pages following the `Link` header's `rel="next"` URL.
pub fn link_header_pages<'c, T, E>(
    first: Request<'c>,
    decode: Decode<T, E>,
) -> impl Stream<Item = Result<T, Error<E>>> + 'c
where
    T: 'c,
    E: 'c,
{
    pages(first, decode, |_, headers| next_from_link_header(headers))
}

/// The items of every page, in order.
pub fn items<'c, T, I, E>(
    pages: impl Stream<Item = Result<T, Error<E>>> + 'c,
    items: fn(T) -> Vec<I>,
) -> impl Stream<Item = Result<I, Error<E>>> + 'c
where
    T: 'c,
    I: 'c,
    E: 'c,
{
    pages.flat_map(move |page| {
        let v: Vec<Result<I, Error<E>>> = match page {
            Ok(p) => items(p).into_iter().map(Ok).collect(),
            Err(e) => vec![Err(e)],
        };
        stream::iter(v)
    })
}

fn pages<'c, T, E, F>(
    first: Request<'c>,
    decode: Decode<T, E>,
    next: F,
) -> impl Stream<Item = Result<T, Error<E>>> + 'c
where
    T: 'c,
    E: 'c,
    F: Fn(&T, &http::HeaderMap) -> Option<String> + Copy + 'c,
{
    let client = first.client_ref();
    let security = first.security;
    let always = first.always;
    stream::unfold(State::First(Box::new(first)), move |state| async move {
        let request = match state {
            State::First(r) => *r,
            State::Next {
                client,
                url,
                security,
                always,
            } => client
                .request_url(Method::GET, &url)
                .security(security)
                .always(always),
            State::Done => return None,
        };
        let response = match request.send::<E>().await {
            Ok(r) => r,
            Err(e) => return Some((Err(e), State::Done)),
        };
        let headers = response.headers().clone();
        match decode(response) {
            Ok(page) => {
                let state = match next(&page, &headers).filter(|u| !u.trim().is_empty()) {
                    Some(url) => State::Next {
                        client,
                        url,
                        security,
                        always,
                    },
                    None => State::Done,
                };
                Some((Ok(page), state))
            }
            Err(e) => Some((Err(e), State::Done)),
        }
    })
}

/// The `rel="next"` target of a `Link` header.
pub fn next_from_link_header(headers: &http::HeaderMap) -> Option<String> {
    for value in headers.get_all(http::header::LINK) {
        let Ok(text) = value.to_str() else { continue };
        for link in text.split(',') {
            let mut parts = link.split(';');
            let target = parts.next()?.trim();
            let is_next = parts.any(|p| {
                let p = p.trim();
                p.strip_prefix("rel=")
                    .map(|r| r.trim_matches('"').split_whitespace().any(|r| r == "next"))
                    .unwrap_or(false)
            });
            if is_next {
                return Some(
                    target
                        .trim_start_matches('<')
                        .trim_end_matches('>')
                        .to_string(),
                );
            }
        }
    }
    None
}
