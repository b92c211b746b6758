"""The header filters keep exactly the headers the RFC and the proxy's rules allow: checked
against a plain reading of the rules for any mix of names, cases and Connection tokens."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from multidict import CIMultiDict, CIMultiDictProxy

from proxy.call.providers import filter_request_headers, filter_response_headers
from tests.fuzzing import examples

NAMES = [
    *("Connection", "Keep-Alive", "TE", "Trailer", "Transfer-Encoding", "Upgrade"),
    *("Proxy-Authorization", "Proxy-Connection", "Authorization", "X-Api-Key", "api-key"),
    *("Host", "Content-Length", "Accept-Encoding", "Content-Encoding", "Cookie"),
    *("X-Request-Id", "Forwarded", "X-Forwarded-For", "X-Real-IP", "Set-Cookie", "Date"),
    *("Server", "Content-Type", "OpenAI-Organization", "X-Secret-Hop", "User-Agent"),
]
REQUEST_DROPPED = {
    *("connection", "keep-alive", "proxy-authenticate", "proxy-authorization"),
    *("proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"),
    *("authorization", "x-api-key", "api-key", "host", "content-length"),
    *("accept-encoding", "content-encoding", "cookie", "x-request-id", "forwarded"),
    *("x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-real-ip"),
}
RESPONSE_DROPPED = {
    *("connection", "keep-alive", "proxy-authenticate", "proxy-authorization"),
    *("proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"),
    *("content-length", "content-encoding", "set-cookie", "x-request-id", "date", "server"),
}

names = st.sampled_from(NAMES).flatmap(
    lambda name: st.sampled_from([name, name.lower(), name.upper()])
)
tokens = st.lists(st.sampled_from([*NAMES, "", " ", "keep-alive"]), max_size=4).map(",".join)


@st.composite
def header_lists(draw: st.DrawFn) -> list[tuple[str, str]]:
    pairs = draw(st.lists(st.tuples(names, st.sampled_from(["1", "a b", ""])), max_size=12))
    return [
        (name, draw(tokens)) if name.lower() == "connection" else (name, value)
        for name, value in pairs
    ]


@settings(max_examples=examples(300), deadline=None)
@given(header_lists())
def test_request_headers_are_filtered_by_name_and_by_connection(
    pairs: list[tuple[str, str]],
) -> None:
    """Forwarded: every caller header, in order and with repeats, except hop-by-hop ones,
    credentials, cookies, the proxy's own, and any the first Connection header names."""
    headers = CIMultiDictProxy(CIMultiDict(pairs))
    named = {t.strip().lower() for t in headers.get("connection", "").split(",") if t}
    expected = [
        (name, value)
        for name, value in pairs
        if name.lower() not in REQUEST_DROPPED and name.lower() not in named
    ]
    assert list(filter_request_headers(headers).items()) == expected


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.tuples(names, st.sampled_from(["1", "x"])), max_size=12))
def test_response_headers_are_filtered_by_name(pairs: list[tuple[str, str]]) -> None:
    """Returned: every provider header, in order and with repeats, except hop-by-hop ones,
    cookies, and those the proxy's own server sets."""
    headers = CIMultiDictProxy(CIMultiDict(pairs))
    expected = [(name, value) for name, value in pairs if name.lower() not in RESPONSE_DROPPED]
    assert list(filter_response_headers(headers).items()) == expected
