"""A streamed audio answer's transcript is held back and masked like content, and its speech
never says what the transcript masked: speech waits until its transcript is decided and goes
out empty once the transcript masked something (the whole answer empties it too).

Speech is modelled as the base64 of the transcript piece it says, so a key spoken aloud is a
key found in the decoded speech. PolicyStream under the shipped default policy with the real
secrets detector, fed event by event (a paced stream) and in one read (a stream under
load); then end to end through the proxy with the official OpenAI SDK.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.sse import SSEEvent
from policies.inspector import PolicyInspector
from tests.fakes import FakeUpstream
from tests.fuzzing import examples
from tests.policies.factories import OPENAI_KEY, call_info, real_scanner
from tests.policies.pattern_detection import cached_pack
from tests.policies.test_holdback_properties import PROMPT, answers, redacted, split
from tests.proxy.conftest import StartProxy

MODEL = "gpt-4o-audio-preview"
PREFIX, SUFFIX = "your key is ", " ok, read it back to me."
ANSWER = PREFIX + OPENAI_KEY + SUFFIX
MASKED = PREFIX + "<OPENAI_API_KEY>" + SUFFIX
#: Every place a key can be cut in two, at the transcript's piece boundary.
CUTS = range(len(PREFIX) + 1, len(PREFIX) + len(OPENAI_KEY))


@pytest.fixture(scope="module")
def inspector() -> PolicyInspector:
    """The default pack with the real secrets detector."""
    return PolicyInspector(cached_pack(), real_scanner())


def _said(text: str) -> str:
    """The speech of ``text``: base64 that decodes to the words said."""
    return base64.b64encode(text.encode()).decode()


def _chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
    choice = {"index": 0, "delta": delta, "finish_reason": finish}
    return {"id": "c1", "object": "chat.completion.chunk", "model": MODEL, "choices": [choice]}


def audio_chunks(pieces: Sequence[str], *, together: bool) -> Iterator[dict[str, Any]]:
    """A chat audio answer as OpenAI streams it: the transcript in pieces, each piece's speech
    after it in an event of its own (or, as some compatible servers send it, in the same
    event), the audio's expiry last."""
    yield _chunk({"role": "assistant", "content": None})
    for n, piece in enumerate(pieces):
        audio: dict[str, Any] = {"id": "audio_1"} if n == 0 else {}
        if together:
            yield _chunk({"audio": {**audio, "transcript": piece, "data": _said(piece)}})
        else:
            yield _chunk({"audio": {**audio, "transcript": piece}})
            yield _chunk({"audio": {"data": _said(piece)}})
    yield _chunk({"audio": {"expires_at": 1, "id": "audio_1"}})
    yield _chunk({}, finish="stop")


def sse(payloads: Iterator[dict[str, Any]]) -> list[SSEEvent]:
    """Events as the proxy's parser builds them, ``[DONE]`` last."""
    built = [SSEEvent.build(json.dumps(p), payload=p) for p in payloads]
    return [*built, SSEEvent.build("[DONE]")]


def audio_of(events: Sequence[SSEEvent]) -> tuple[str, list[str]]:
    """The transcript the caller reads, and each piece of speech it hears (decoded)."""
    transcript, speech = "", []
    for event in events:
        if not event.data.startswith("{"):
            continue
        for choice in json.loads(event.data)["choices"]:
            audio = choice["delta"].get("audio") or {}
            transcript += audio.get("transcript") or ""
            if audio.get("data"):
                speech.append(base64.b64decode(audio["data"]).decode())
    return transcript, speech


def says_the_key(speech: Sequence[str]) -> bool:
    """Whether any piece of speech says four characters of the key running."""
    stretches = {OPENAI_KEY[i : i + 4] for i in range(len(OPENAI_KEY) - 3)}
    return any(stretch in piece for piece in speech for stretch in stretches)


async def streamed(
    inspector: PolicyInspector, events: Sequence[SSEEvent], *, one_read: bool
) -> list[SSEEvent]:
    """What the caller is sent for ``events``: each its own read, or all in one read."""
    inspection = await inspector.inspect_request(call_info(stream=True), PROMPT)
    stream = inspection.output.stream()
    out: list[SSEEvent] = []
    if one_read:
        out += await stream.feed_all(events)
    else:
        for event in events:
            out += await stream.feed(event)
    out += await stream.finish()
    return out


@pytest.mark.parametrize("one_read", [False, True], ids=["paced", "one-read"])
@pytest.mark.parametrize("together", [False, True], ids=["speech-apart", "speech-together"])
async def test_a_key_split_anywhere_in_a_transcript_is_never_said_or_written(
    inspector: PolicyInspector, together: bool, one_read: bool
) -> None:
    """Cut in two at every place, the key reaches the caller masked in the transcript, and
    no speech the caller hears says any of it."""
    for cut in CUTS:
        pieces = [ANSWER[:cut], ANSWER[cut:]]
        out = await streamed(
            inspector, sse(audio_chunks(pieces, together=together)), one_read=one_read
        )
        transcript, speech = audio_of(out)
        assert transcript == MASKED, cut
        assert not says_the_key(speech), cut
        assert out[-1].data == "[DONE]"


@pytest.mark.parametrize("one_read", [False, True], ids=["paced", "one-read"])
async def test_the_speech_before_a_masked_key_is_heard(
    inspector: PolicyInspector, one_read: bool
) -> None:
    """Word by word, the speech of the words before the key goes out; from the key on the
    speech is empty, as the whole answer's is (a word decided with the key, such as the
    "is" a value may follow, loses its speech too)."""
    words = [f"{w} " for w in ANSWER.split(" ")]
    words[-1] = words[-1].rstrip()
    out = await streamed(inspector, sse(audio_chunks(words, together=False)), one_read=one_read)
    transcript, speech = audio_of(out)
    assert transcript == MASKED
    assert speech[:2] == ["your ", "key "]
    assert PREFIX.startswith("".join(speech))


@pytest.mark.parametrize("one_read", [False, True], ids=["paced", "one-read"])
@pytest.mark.parametrize("together", [False, True], ids=["speech-apart", "speech-together"])
async def test_the_speech_of_a_clean_transcript_is_heard_whole_in_order(
    inspector: PolicyInspector, together: bool, one_read: bool
) -> None:
    """A transcript with nothing to mask keeps all its speech, in the order it was said, and
    the stream ends as the upstream's does."""
    text = "The meeting moved to Thursday at ten, room 4.12; bring the slides."
    pieces = [text[i : i + 5] for i in range(0, len(text), 5)]
    events = sse(audio_chunks(pieces, together=together))
    out = await streamed(inspector, events, one_read=one_read)
    transcript, speech = audio_of(out)
    assert transcript == text
    assert "".join(speech) == text
    assert [e.data for e in out[-2:]] == [e.data for e in events[-2:]]


@settings(
    max_examples=examples(30),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(answers(), st.lists(st.integers(min_value=0, max_value=10_000), max_size=20), st.booleans())
def test_any_transcript_streams_as_the_whole_answer_masks_it(
    inspector: PolicyInspector,
    loop: asyncio.Runner,
    answer: tuple[str, list[str]],
    cuts: list[int],
    together: bool,
) -> None:
    """For any answer and any cut, the streamed transcript is the whole answer's masked
    text; no speech says eight characters of a value it masks; a transcript with nothing
    masked keeps all its speech."""
    text, secrets = answer
    whole = loop.run(redacted(inspector, text))
    events = sse(audio_chunks(split(text, cuts), together=together))
    transcript, speech = audio_of(loop.run(streamed(inspector, events, one_read=False)))
    assert transcript == whole
    if whole == text:
        assert "".join(speech) == text
    for secret in secrets:
        for start in range(len(secret) - 7):
            fragment = secret[start : start + 8]
            if fragment not in whole:
                assert not any(fragment in piece for piece in speech)


# End to end: the official SDK reading the proxy's stream of a fake upstream's answer.


def _bytes(payloads: Iterator[dict[str, Any]]) -> bytes:
    return b"".join(f"data: {json.dumps(p)}\n\n".encode() for p in payloads) + b"data: [DONE]\n\n"


@pytest.mark.parametrize("together", [False, True], ids=["speech-apart", "speech-together"])
async def test_a_streamed_audio_answer_through_the_proxy(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector, together: bool
) -> None:
    """The SDK's chunks carry the transcript masked and no speech saying the key; the row
    stores the masked transcript."""
    proxy = await start_proxy(inspector=inspector)
    cut = len(PREFIX) + 9
    fake.behaviour.raw_content_type = "text/event-stream"
    fake.behaviour.raw_reply = _bytes(audio_chunks([ANSWER[:cut], ANSWER[cut:]], together=together))
    stream = await proxy.openai().chat.completions.create(
        model=MODEL,
        modalities=["text", "audio"],
        audio={"voice": "alloy", "format": "pcm16"},
        messages=[{"role": "user", "content": "hi"}],
        stream=True,
    )
    transcript, speech = "", []
    async for chunk in stream:
        for choice in chunk.choices:
            audio = choice.delta.audio
            if audio is not None:
                transcript += audio.transcript or ""
                if audio.data:
                    speech.append(base64.b64decode(audio.data).decode())
    assert transcript == MASKED
    assert not says_the_key(speech)
    row = proxy.sink.last
    assert MASKED in row.response
    assert OPENAI_KEY[4:20] not in row.response
    assert row.entity_types == ("OPENAI_API_KEY",)


def _event(kind: str, n: int, **fields: Any) -> bytes:
    payload = {"type": kind, "sequence_number": n, **fields}
    return f"event: {kind}\ndata: {json.dumps(payload)}\n\n".encode()


async def test_a_responses_audio_transcript_through_the_proxy(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """A Responses stream's audio transcript events reach the SDK masked, its audio events
    say none of the key, and the row stores the masked transcript."""
    proxy = await start_proxy(inspector=inspector)
    cut = len(PREFIX) + 20
    said: list[bytes] = []
    for piece in (ANSWER[:cut], ANSWER[cut:]):
        said.append(_event("response.audio.transcript.delta", len(said), delta=piece))
        said.append(_event("response.audio.delta", len(said), delta=_said(piece)))
    said.append(_event("response.audio.transcript.done", len(said)))
    said.append(_event("response.audio.done", len(said)))
    fake.behaviour.raw_content_type = "text/event-stream"
    fake.behaviour.raw_reply = b"".join(said)
    stream = await proxy.openai().responses.create(model=MODEL, input="hi", stream=True)
    transcript, speech = "", []
    async for event in stream:
        if event.type == "response.audio.transcript.delta":
            transcript += event.delta
        elif event.type == "response.audio.delta" and event.delta:
            speech.append(base64.b64decode(event.delta).decode())
    assert transcript == MASKED
    assert not says_the_key(speech)
    assert OPENAI_KEY[4:20] not in proxy.sink.last.response
    assert MASKED in proxy.sink.last.response
