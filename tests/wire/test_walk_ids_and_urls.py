"""Ids and attachment URLs a caller can write (h136): what of them is a text, exactly.

A provider-issued id (``call_…``, ``toolu_…``) carries no text; any other value under an id
field does. An http(s) attachment URL is a text without its presigned signature, and a
masked URL gets that signature back.
"""

from __future__ import annotations

from typing import Any

import pytest

from policies.extract import extract_request
from proxy.call.apis import Api
from wire.apis import walk
from wire.apis.texts import Step

S3 = (
    "https://bucket.s3.amazonaws.com/cat.png?X-Amz-Algorithm=AWS4-HMAC-SHA256"
    "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261130%2Fus-east-1%2Fs3%2Faws4_request"
    "&X-Amz-Date=20261130T000000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host"
    "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
)
AZURE = (
    "https://acct.blob.core.windows.net/pics/cat.png?sv=2022-11-02&sp=r"
    "&se=2026-12-31T00:00:00Z&sig=Xk9v3mJ2qL8rT5wZ1yB4nC7dF0hG6jK2lP9sR3uV5xY%3D"
)


def _texts(body: dict[str, Any]) -> dict[Any, str]:
    return {part.location: part.text for part in extract_request(Api.CHAT, body).texts}


def _chat_with_image(url: str) -> dict[str, Any]:
    part = {"type": "image_url", "image_url": {"url": url}}
    return {"model": "m", "messages": [{"role": "user", "content": [part]}]}


@pytest.mark.parametrize(
    "value",
    [
        "call_Qx7bV2nK9mZp3LrT8wYc4Hd1",
        "toolu_01A09q90qw90lq917835lq9",
        "chatcmpl-AbC123dEf456",
        "c1",
    ],
)
def test_a_provider_issued_id_rests_in_clear(value: str) -> None:
    """Ids of a provider's shape, or short ones, are of the shape kept in clear at rest."""
    assert walk.issued_id("tool_call_id", value)
    assert walk.issued_id("id", value)


@pytest.mark.parametrize(
    ("value", "read"),
    [
        ("call_Qx7bV2nK9mZp3LrT8wYc4Hd1", "Qx7bV2nK9mZp3LrT8wYc4Hd1"),
        ("resp_AKIAIOSFODNN7EXAMPLQ", "AKIAIOSFODNN7EXAMPLQ"),
        ("file-AKIAIOSFODNN7EXAMPLQ", "AKIAIOSFODNN7EXAMPLQ"),
        ("msgbatch_x", "x"),
        ("call_ghp_aBcDeFgHiJkLmNoP", "ghp_aBcDeFgHiJkLmNoP"),
    ],
)
def test_an_id_behind_a_provider_prefix_is_read_after_it(value: str, read: str) -> None:
    """Of an id behind a provider's prefix exactly the part after the prefix is a text
    (h156): a key glued after ``resp_`` is still a key."""
    body = {"model": "m", "input": "hi", "previous_response_id": value}
    assert _texts(body)[("previous_response_id", Step.ID)] == read


@pytest.mark.parametrize("value", ["c1", "resp_123", "resp_"])
def test_a_short_id_is_no_text(value: str) -> None:
    """An id of 8 id characters at most, behind a prefix or not, is skipped: no detector
    finds a credential that short."""
    body = {"model": "m", "messages": [{"role": "tool", "tool_call_id": value, "content": "ok"}]}
    assert [location for location in _texts(body) if "tool_call_id" in location] == []


def test_a_masked_id_keeps_its_prefix() -> None:
    """The masked part after the prefix goes back behind the same prefix."""
    body = {"model": "m", "input": "hi", "previous_response_id": "resp_AKIAIOSFODNN7EXAMPLQ"}
    masked = walk.rewrite(body, {("previous_response_id", Step.ID): "<AWS_ACCESS_KEY_ID>"})
    assert masked["previous_response_id"] == "resp_<AWS_ACCESS_KEY_ID>"
    assert body["previous_response_id"] == "resp_AKIAIOSFODNN7EXAMPLQ"


@pytest.mark.parametrize(
    "value",
    ["ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", "ticket 4711"],
)
def test_an_id_of_another_shape_is_a_text(value: str) -> None:
    """A key as an id, or behind a provider's prefix, is read where it stands."""
    body = {
        "model": "m",
        "messages": [{"role": "tool", "tool_call_id": value, "content": "ok"}],
    }
    assert _texts(body)[("messages", 0, "tool_call_id")] == value
    assert not walk.issued_id("tool_call_id", value)


def test_a_name_ending_in_id_is_not_an_issued_id() -> None:
    """Only id fields: a provider's shape under any other field is text as before."""
    assert not walk.issued_id("user", "call_Qx7bV2nK9mZp3LrT8wYc4Hd1")


def test_a_query_token_and_userinfo_are_read_as_the_url_exactly() -> None:
    """An URL with no presigned signature is read whole, at its Step.URL location."""
    url = "https://me:Hunter2Secret@example.com/cat.png?access_token=abc123&size=2"
    location = ("messages", 0, "content", 0, "image_url", "url", Step.URL)
    assert _texts(_chat_with_image(url)) == {("model",): "m", location: url}


def test_a_presigned_url_is_read_without_its_signature() -> None:
    """The signing values are left out, the names and the rest stay."""
    assert walk.credential_view(S3) == (
        "https://bucket.s3.amazonaws.com/cat.png?X-Amz-Algorithm=AWS4-HMAC-SHA256"
        "&X-Amz-Credential=&X-Amz-Date=20261130T000000Z&X-Amz-Expires=900"
        "&X-Amz-SignedHeaders=host&X-Amz-Signature="
    )
    assert walk.credential_view(AZURE) == AZURE.partition("&sig=")[0] + "&sig="


def test_sig_without_its_scheme_marker_is_read() -> None:
    """``?sig=`` alone is not an Azure SAS: its value is read."""
    url = "https://example.com/cat.png?sig=ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"
    assert walk.credential_view(url) == url


def test_a_masked_presigned_url_gets_its_signature_back() -> None:
    """Rewriting the view (a masked access token next to an S3 signature) keeps the rest."""
    url = f"{S3}&access_token=SECRET"
    location = ("messages", 0, "content", 0, "image_url", "url", Step.URL)
    view = _texts(_chat_with_image(url))[location]
    masked = view.replace("SECRET", "<GENERIC_SECRET>")
    sent = walk.rewrite(_chat_with_image(url), {location: masked})
    assert sent == _chat_with_image(f"{S3}&access_token=<GENERIC_SECRET>")
