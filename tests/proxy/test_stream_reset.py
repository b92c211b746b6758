"""A provider reset mid-stream: the text held back for output scanning still reaches the
caller, scanned as at a normal end (masked or blocked per policy), before the error event."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

import anthropic
import openai
import pytest

from tests.fakes import FakeUpstream
from tests.proxy.conftest import Proxy, StartProxy

pytestmark = pytest.mark.slow

AWS_KEY = "AKIAGYLW2FGSIORRGXT6"
#: Prose the output inspector releases at once, then a tail it holds back (the last
#: ``holdback_chars`` = 64 characters of the default policy) with a credential in it.
REPLY = (
    "Here is the deployment checklist you asked for: build the image, push it to the "
    "registry, roll the service out region by region and watch the error rate. "
    f"The old access key id was {AWS_KEY} and it has been rotated."
)
ONE_WORKER = {"detectors": {"service": {"workers": 1, "spare_workers": 0}}}
CHAT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "checklist?"}]}
E = TypeVar("E", openai.APIError, anthropic.APIError)


async def read(proxy: Proxy, received: list[str]) -> openai.APIError | None:
    """Stream a chat answer into ``received``; the error that ended it, if any."""
    stream = await proxy.openai().chat.completions.create(**CHAT, stream=True)  # type: ignore[call-overload]
    try:
        async for chunk in stream:
            received.extend(choice.delta.content or "" for choice in chunk.choices)
    except openai.APIError as exc:
        return exc
    return None


async def read_anthropic(proxy: Proxy, received: list[str]) -> anthropic.APIError | None:
    """Stream a Messages answer into ``received``; the error that ended it, if any."""
    try:
        async with proxy.anthropic().messages.stream(
            model="claude-3-5-haiku-latest",
            max_tokens=200,
            messages=[{"role": "user", "content": "checklist?"}],
        ) as stream:
            async for text in stream.text_stream:
                received.append(text)
    except anthropic.APIError as exc:
        return exc
    return None


Reader = Callable[[Proxy, list[str]], Coroutine[Any, Any, E | None]]


async def reset_after_first_piece(
    proxy: Proxy, fake: FakeUpstream, reader: Reader[E], pieces: tuple[str, ...] = (REPLY,)
) -> tuple[str, E]:
    """Stream ``REPLY`` (as ``pieces``), reset the connection after the last piece once the
    proxy has released the start of the first (so it has read it whole); return the text
    and the error."""
    release = asyncio.Event()
    fake.behaviour.chunks = list(pieces)
    fake.behaviour.hold_after_first_chunk = release
    fake.behaviour.reset_after_pieces = len(pieces)
    received: list[str] = []
    reading = asyncio.create_task(reader(proxy, received))
    async with asyncio.timeout(30):
        while not "".join(received):
            await asyncio.sleep(0.01)
    release.set()
    async with asyncio.timeout(30):
        error = await reading
    assert error is not None, "the stream ended without an error event"
    return "".join(received), error


async def test_held_back_text_is_delivered_masked_before_the_reset_error(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """After a reset the caller gets every character the provider sent before it, with the
    credential in the held-back tail masked exactly as in an unbroken stream, then an
    upstream error; the recorded response holds the same text."""
    proxy = await start_proxy(ONE_WORKER, enforce=True)
    fake.behaviour.chunks = [REPLY]
    whole: list[str] = []
    assert await read(proxy, whole) is None
    reference, reference_event = "".join(whole), proxy.sink.last
    assert AWS_KEY not in reference
    assert reference.startswith(REPLY[: REPLY.index(AWS_KEY)])
    assert reference.endswith(" and it has been rotated.")

    text, error = await reset_after_first_piece(proxy, fake, read)
    assert text == reference
    assert isinstance(error.body, dict)
    assert error.body["type"] == "upstream_error"
    event = proxy.sink.last
    assert event.request_id != reference_event.request_id
    assert event.response == reference_event.response
    assert AWS_KEY not in event.response
    assert (event.error, event.decision) == ("upstream_broken", reference_event.decision)


async def test_anthropic_caller_gets_the_held_back_text_then_an_error(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """The same for a Messages stream read with the Anthropic SDK: the masked tail arrives,
    then an error the SDK raises (an unnamed event would end the stream silently)."""
    proxy = await start_proxy(ONE_WORKER, enforce=True)
    fake.behaviour.chunks = [REPLY]
    whole: list[str] = []
    assert await read_anthropic(proxy, whole) is None
    reference = "".join(whole)
    assert AWS_KEY not in reference
    assert reference.endswith(" and it has been rotated.")

    text, error = await reset_after_first_piece(proxy, fake, read_anthropic)
    assert text == reference
    assert isinstance(error.body, dict)
    assert error.body["error"]["type"] == "upstream_error"
    assert proxy.sink.last.error == "upstream_broken"


async def test_held_back_text_is_delivered_before_an_idle_timeout_error(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """A provider that goes silent mid-stream: past the idle timeout the caller still gets
    the held-back tail, masked, then the timeout error."""
    proxy = await start_proxy({**ONE_WORKER, "timeouts": {"idle": 0.5}}, enforce=True)
    release = asyncio.Event()
    fake.behaviour.chunks = [REPLY, " Never sent."]
    fake.behaviour.hold_after_first_chunk = release
    received: list[str] = []
    try:
        error = await read(proxy, received)
    finally:
        release.set()
    text = "".join(received)
    assert error is not None
    assert isinstance(error.body, dict)
    assert error.body["code"] == "upstream_timeout"
    assert text.startswith(REPLY[: REPLY.index(AWS_KEY)])
    assert text.endswith(" and it has been rotated.")
    assert AWS_KEY not in text
    assert proxy.sink.last.error == "timeout"


BLOCK_SECRETS_IN_ANSWERS = """
version: 1
name: block-answers
rule_sets:
  - name: answers
    rules:
      - id: block-secrets-in-answers
        direction: output
        action: block
        match:
          entities: [SECRETS]
"""


async def test_blocking_rule_still_stops_a_credential_in_the_held_back_tail(
    start_proxy: StartProxy, fake: FakeUpstream, tmp_path: Path
) -> None:
    """With a blocking output rule, the released prose arrives, the held-back credential
    (the stream's last, unfinished token when the provider resets) never does, and the
    stream ends with the policy error, not the reset's."""
    policy = tmp_path / "policy.yaml"
    policy.write_text(BLOCK_SECRETS_IN_ANSWERS)
    config = {**ONE_WORKER, "policy": {"file": str(policy)}}
    proxy = await start_proxy(config, enforce=True)
    split, held = REPLY.index("The old access key"), REPLY.index(AWS_KEY) + len(AWS_KEY)
    pieces = (REPLY[:split], REPLY[split:held])
    text, error = await reset_after_first_piece(proxy, fake, read, pieces=pieces)
    assert text
    assert REPLY.startswith(text)
    assert AWS_KEY not in text
    assert isinstance(error.body, dict)
    assert (error.body["code"], error.body["rules"]) == (
        "policy_violation",
        ["block-secrets-in-answers"],
    )
    event = proxy.sink.last
    assert AWS_KEY not in event.response
    assert (event.decision, event.error) == ("block", "upstream_broken")
