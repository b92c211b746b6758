"""Streamed answers under the default policy equal the non-streamed redaction, however the
upstream cuts them into chunks, and no credential or card number leaks from any chunk."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policies.inspector import PolicyInspector
from proxy.call.sse import SSEEvent
from tests.detectors.key_samples import pem_body, sec1_ec
from tests.detectors.secret_samples import github_token, jwt_token
from tests.fuzzing import examples
from tests.policies.factories import AWS_KEY, EMAIL, OPENAI_KEY, call_info, chat
from tests.policies.pattern_detection import default_pack_inspector
from tests.policies.test_stream import chat_stream, chat_text

FUZZ = settings(
    max_examples=examples(120),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

EC_KEY = "-----BEGIN EC PRIVATE KEY-----\n" + pem_body(sec1_ec()) + "\n-----END EC PRIVATE KEY-----"
#: What the default policy masks in answers, in the shapes the detectors know.
SECRETS = (
    OPENAI_KEY,
    AWS_KEY,
    github_token(),
    jwt_token(),
    EC_KEY,
    "4111 1111 1111 1111",
    "5555-5555-5555-4444",
    "4012888888881881",
    "GB82 WEST 1234 5698 7654 32",
    "536-22-8726",
    "AB 12 34 56 C",
)
#: Written around a value, so that it is a credential only with its key.
ASSIGNMENTS = (
    ("mysql -u root -p'correct horse battery'", "correct horse battery"),
    ("DB_PASSWORD=Xk9#mQ2!vL", "Xk9#mQ2!vL"),
    ("postgres://admin:S3cr3t-Pw@db.internal:5432/app", "S3cr3t-Pw"),
    ("my password is Autumn2024!", "Autumn2024"),
    # Written before their key: held until the key has arrived or been ruled out.
    ("hunter22x is my password", "hunter22x"),
    ("Xk9#mQ2!vL was the old pw", "Xk9#mQ2!vL"),
    ("use Autumn2024! as the new password", "Autumn2024"),
    ('"correct horse 9" is the wifi password', "correct horse 9"),
)
WORDS = (
    "Hello",
    "the",
    "API",
    "answer,",
    "is",
    "ready.",
    "In",
    "2024",
    "we",
    "shipped",
    "v1.2",
    "(see",
    "notes)",
    "key",
    "token:",
    "it's",
    "<EMAIL_ADDRESS_1>",
    "AB",
)
SEPARATORS = (" ", " ", " ", "\n", ", ", ". ", "\n\n")

PIECES = st.one_of(
    st.sampled_from(WORDS).map(lambda w: (w, "")),
    st.sampled_from(SECRETS).map(lambda s: (s, s)),
    st.sampled_from(ASSIGNMENTS),
)


@st.composite
def answers(draw: st.DrawFn) -> tuple[str, list[str]]:
    """An answer of words, secrets and credentials in context; and the secrets in it."""
    text, secrets = "", []
    for piece, secret in draw(st.lists(PIECES, min_size=1, max_size=14)):
        text += piece + draw(st.sampled_from(SEPARATORS))
        if secret:
            secrets.append(secret)
    if draw(st.booleans()):
        text = text.rstrip()  # the answer may end in the middle of a token
    return text, secrets


def split(text: str, cuts: Sequence[int]) -> list[str]:
    """``text`` cut at ``cuts`` (positions modulo its length) into non-empty pieces."""
    bounds = sorted({0, len(text), *(c % (len(text) + 1) for c in cuts)})
    return [text[a:b] for a, b in itertools.pairwise(bounds) if b > a]


@pytest.fixture(scope="module")
def inspector() -> PolicyInspector:
    """The default pack with the real secrets detector and Presidio's pattern recognizers."""
    return default_pack_inspector()


PROMPT = chat(f"Please mail {EMAIL} the notes")


async def streamed(inspector: PolicyInspector, pieces: Sequence[str]) -> list[str]:
    """The text of each content event the proxy sends for an answer in ``pieces``."""
    inspection = await inspector.inspect_request(call_info(stream=True), PROMPT)
    stream = inspection.output.stream()
    sent: list[SSEEvent] = []
    for event in chat_stream(pieces):
        sent.extend(await stream.feed(event))
    sent.extend(await stream.finish())
    return [text for event in sent if (text := chat_text([event]))]


async def redacted(inspector: PolicyInspector, text: str) -> str:
    """The answer as the non-streamed path returns it."""
    inspection = await inspector.inspect_request(call_info(), PROMPT)
    message = {"role": "assistant", "content": text}
    body: dict[str, Any] = {"id": "c1", "object": "chat.completion", "choices": []}
    body["choices"] = [{"index": 0, "message": message, "finish_reason": "stop"}]
    _, changed = await inspection.output.inspect_body(body)
    result = json.loads(json.dumps(changed or body))
    content = result["choices"][0]["message"]["content"]
    assert isinstance(content, str)
    return content


@FUZZ
@given(answers(), st.lists(st.integers(min_value=0, max_value=10_000), max_size=40))
def test_streamed_answer_equals_the_whole_answer_redacted(
    inspector: PolicyInspector,
    loop: asyncio.Runner,
    answer: tuple[str, list[str]],
    cuts: list[int],
) -> None:
    """For any answer and any cut into chunks, the chunks the caller gets join to exactly
    the non-streamed redaction of the whole answer, and no 8 characters of a masked
    secret appear in any chunk or across any boundary between chunks."""
    text, secrets = answer
    whole = loop.run(redacted(inspector, text))
    chunks = loop.run(streamed(inspector, split(text, cuts)))
    joined = "".join(chunks)
    assert joined == whole
    for secret in secrets:
        if secret in whole:
            continue  # not a finding in this context (the property above still holds)
        for start in range(len(secret) - 7):
            fragment = secret[start : start + 8]
            if fragment not in whole:
                assert fragment not in joined


@pytest.mark.parametrize("secret", [*SECRETS, *(value for _, value in ASSIGNMENTS)])
def test_whole_answers_mask_every_sample(
    inspector: PolicyInspector, loop: asyncio.Runner, secret: str
) -> None:
    """Each sample is masked by the non-streamed path (so the property above is not vacuous)."""
    text = {v: t for t, v in ASSIGNMENTS}.get(secret, secret)
    assert secret not in loop.run(redacted(inspector, f"Here: {text} done"))
