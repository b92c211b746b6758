"""A pass-through body of text is read under the policy like a JSON one (h137).

Prose sent as ``text/plain``, form fields (``curl -d 'prompt=…'``) and JSON lines reached the
provider unread: only JSON and multipart bodies were read. Raw aiohttp as a script sends
them, the default policy with the real secrets detector, a fake upstream that records what
reaches it, the embedded ClickHouse event log.
"""

from __future__ import annotations

from urllib.parse import urlencode

import aiohttp
import pytest

from proxy.store import open_client
from tests.fakes import FakeUpstream
from tests.policies.factories import EMAIL, OPENAI_KEY
from tests.proxy.conftest import CALLER_KEY, Proxy
from tests.proxy.test_event_log import flush

#: A path no API format serves: relayed, its body read by what it is.
PATH = "/v1/vector_stores/vs_1/notes"
AUTH = {"Authorization": f"Bearer {CALLER_KEY}"}


@pytest.fixture
def proxy(recording_proxy: Proxy) -> Proxy:
    """See :func:`tests.policies.conftest.recording_proxy`."""
    return recording_proxy


async def post(proxy: Proxy, body: bytes, content_type: str | None) -> tuple[int, str]:
    """POST ``body`` to :data:`PATH` as a script would; the status and answer."""
    headers = dict(AUTH)
    if content_type is not None:
        headers["Content-Type"] = content_type
    async with (
        aiohttp.ClientSession(skip_auto_headers=["Content-Type"]) as session,
        session.post(f"{proxy.url}{PATH}", data=body, headers=headers) as sent,
    ):
        return sent.status, await sent.text()


async def stored_prompts(proxy: Proxy) -> list[str]:
    await flush(proxy)
    store = proxy.settings.store
    client = open_client(store)
    try:
        sql = f"SELECT prompt, prompt_forwarded FROM {store.database}.requests"
        return [text for row in client.query(sql).result_rows for text in row]
    finally:
        client.close()


TEXT_BODIES = {
    "text/plain prose": (f"deploy notes: the key is {OPENAI_KEY}\n".encode(), "text/plain"),
    "latin-1 prose": (f"clé: {OPENAI_KEY}".encode("latin-1"), "text/plain; charset=latin-1"),
    "form (curl -d)": (
        urlencode({"note": f"the key is {OPENAI_KEY}"}).encode(),
        "application/x-www-form-urlencoded",
    ),
    "JSON lines, undeclared": (
        b'{"note": "first"}\n{"note": "key ' + OPENAI_KEY.encode() + b'"}\n',
        None,
    ),
}


@pytest.mark.parametrize(("body", "content_type"), TEXT_BODIES.values(), ids=TEXT_BODIES.keys())
async def test_a_key_in_a_text_body_is_blocked(
    proxy: Proxy, fake: FakeUpstream, body: bytes, content_type: str | None
) -> None:
    """A key in prose, a form field or JSON lines gets 403 before anything goes upstream,
    and rests masked."""
    status, answer = await post(proxy, body, content_type)
    assert (status, fake.requests) == (403, [])
    assert OPENAI_KEY not in answer
    stored = "\n".join(await stored_prompts(proxy))
    assert OPENAI_KEY not in stored
    assert "<OPENAI_API_KEY:" in stored


async def test_an_email_in_prose_goes_upstream_as_the_policy_masks_it(
    proxy: Proxy, fake: FakeUpstream
) -> None:
    """What the policy pseudonymises in a prompt is masked in a text body, the rest kept."""
    status, _ = await post(proxy, f"write to {EMAIL} today".encode(), "text/plain")
    assert status == 200
    assert fake.last.body == b"write to <EMAIL_ADDRESS_1> today"


async def test_an_email_in_a_form_field_goes_upstream_masked(
    proxy: Proxy, fake: FakeUpstream
) -> None:
    """A form is re-encoded with the masked value; its other fields are kept."""
    form = urlencode({"to": EMAIL, "subject": "hi there"}).encode()
    status, _ = await post(proxy, form, "application/x-www-form-urlencoded")
    assert status == 200
    assert fake.last.body == urlencode({"to": "<EMAIL_ADDRESS_1>", "subject": "hi there"}).encode()


async def test_clean_text_goes_byte_for_byte(proxy: Proxy, fake: FakeUpstream) -> None:
    """Text with nothing to find is forwarded as sent, not re-encoded."""
    body = b"note=a%20b+c&x="
    status, _ = await post(proxy, body, "application/x-www-form-urlencoded")
    assert (status, fake.last.body) == (200, body)


async def test_a_declared_binary_body_is_forwarded_unread(proxy: Proxy, fake: FakeUpstream) -> None:
    """A body declared as a binary type (here a PDF) is not read, even where its bytes are
    text (an address the policy pseudonymises in prose): it goes as sent."""
    body = b"%PDF-1.7\n(write to " + EMAIL.encode() + b")"
    status, _ = await post(proxy, body, "application/pdf")
    assert (status, fake.last.body) == (200, body)
