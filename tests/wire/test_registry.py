"""Adding an API is adding one module: a toy API registered here is read by the same code
paths as the shipped ones (request texts and rewrite, answer texts, stream recording and
output inspection, usage, ``logs show`` rendering, endpoint and family lookup)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import pytest

from core.apis import Api, ApiFamily
from core.sse import SSEEvent
from policies.engine import CallContext, PolicyEngine
from policies.model import Direction
from policies.pseudonyms import Pseudonyms
from policies.stream import PolicyStream
from policies.stream_shapes import shape_for
from proxy.call.apis import INSPECTED_PATHS, StreamRecorder, api_family_for_path, api_for_path
from proxy.cli.conversation import render_record
from tests.policies.factories import OPENAI_KEY, call_info, policy, real_scanner
from tests.policies.test_stream import OUTPUT_RULES
from tests.proxy.test_conversation import _RECORD
from tests.proxy.test_secrets_at_rest import CARD
from wire.apis.base import JsonApi
from wire.apis.deltas import Channel, Delta, Template, text_of
from wire.apis.registry import WIRE_APIS, WireRegistry, default_apis
from wire.apis.render import Mask, turn
from wire.apis.texts import AttachmentKind, AttachmentPart, Collector, Extracted, Location
from wire.apis.usage import Usage

TOY = "toy.generate"
TOY_PATH = "/v1/toy/generate"


class ToyGenerate(JsonApi):
    """A made-up API: ``{"question": ...}`` in, ``{"answer": ...}`` out; its streams send
    ``{"piece": ...}`` events and end with ``{"type": "done", "usage": ...}``."""

    api: ClassVar[str] = TOY
    paths: ClassVar[tuple[str, ...]] = (TOY_PATH,)
    family: ClassVar[ApiFamily] = ApiFamily.ANTHROPIC
    streams_text: ClassVar[bool] = True
    request_roles: ClassVar[dict[str, str]] = {"question": "user"}
    attachment_parts: ClassVar[dict[str, AttachmentPart]] = {
        "toy_image": AttachmentPart(AttachmentKind.IMAGE, (("data",),))
    }

    def extract_response(self, body: dict[str, Any]) -> Extracted:
        out = Collector()
        out.text(("answer",), body.get("answer"), "assistant")
        return out.result()

    def deltas(self, payload: dict[str, Any]) -> list[Delta]:
        text = text_of(payload.get("piece"))
        return [Delta(("answer",), ("piece",), text)] if text else []

    def closes(self, payload: dict[str, Any]) -> list[Channel]:
        return [()] if payload.get("type") == "done" else []

    def template(self, payload: dict[str, Any], delta: Delta, event: str | None) -> Template:
        return Template({"piece": ""}, ("piece",), event)

    def snapshots(self, payload: dict[str, Any], texts: Mapping[Channel, str]) -> bool:
        return False

    def render_request(self, body: dict[str, Any], mask: Mask) -> list[str]:
        return turn("asked", text_of(body.get("question")), mask)

    def render_answer(self, body: dict[str, Any], mask: Mask) -> list[str]:
        return turn("toy", text_of(body.get("answer")), mask)


@pytest.fixture
def registry() -> WireRegistry:
    """The shipped APIs plus the toy one."""
    return WireRegistry([*default_apis(), ToyGenerate()])


def events(*payloads: dict[str, Any]) -> list[SSEEvent]:
    """SSE events as the proxy's parser builds them: decoded payload attached."""
    return [SSEEvent.build(json.dumps(p), payload=p) for p in payloads]


def test_a_registered_api_is_found_by_name_path_and_family(registry: WireRegistry) -> None:
    """The toy is looked up by its name and endpoint, paths below its endpoint take its
    family; the default registry is not changed by building another."""
    toy = registry.for_api(TOY)
    assert isinstance(toy, ToyGenerate)
    assert registry.for_path(TOY_PATH) is toy
    assert registry.family_for_path(f"{TOY_PATH}/batches") is ApiFamily.ANTHROPIC
    assert registry.family_for_path("/v1/toy") is ApiFamily.OPENAI
    assert WIRE_APIS.for_api(TOY) is None


def test_two_formats_for_one_name_path_or_part_are_refused() -> None:
    """A second format for an API name or an endpoint, or a second reading of an attachment
    part type, is an error at construction."""
    with pytest.raises(ValueError, match=re.escape(TOY)):
        WireRegistry([ToyGenerate(), ToyGenerate()])

    class Clash(ToyGenerate):
        api: ClassVar[str] = "toy.other"

    with pytest.raises(ValueError, match=re.escape(TOY_PATH)):
        WireRegistry([ToyGenerate(), Clash()])

    class Rereading(ToyGenerate):
        api: ClassVar[str] = "toy.reread"
        paths: ClassVar[tuple[str, ...]] = ()
        attachment_parts: ClassVar[dict[str, AttachmentPart]] = {
            "image_url": AttachmentPart(AttachmentKind.FILE, (("image_url",),))
        }

    with pytest.raises(ValueError, match="image_url"):
        WireRegistry([*default_apis(), Rereading()])


def test_a_registered_api_request_is_extracted_and_rewritten(registry: WireRegistry) -> None:
    """The toy's request is read deny-by-default with its roles (an unknown field too), its
    own attachment parts are attachments (in a chat body too), and it is rewritten at the
    locations extraction gave."""
    image = {"type": "toy_image", "data": "iVBORw0KGgoAAAANSUhEUgAA"}  # 18 bytes of a PNG
    body = {
        "model": "toy-1",
        "question": f"is {OPENAI_KEY} live?",
        "notes": {"n": "hi"},
        "images": [image],
    }
    found = registry.extract_request(TOY, body)
    assert [(p.location, p.role) for p in found.texts] == [
        (("model",), "request"),
        (("question",), "user"),
        (("notes", "n"), "request"),
    ]
    assert [(a.location, a.kind, a.size_bytes) for a in found.attachments] == [
        (("images", 0), AttachmentKind.IMAGE, 18)
    ]
    chat = {"messages": [{"role": "user", "content": [image]}]}
    assert len(registry.extract_request(Api.CHAT, chat).attachments) == 1
    assert not WIRE_APIS.extract_request(Api.CHAT, chat).attachments
    toy = registry.for_api(TOY)
    assert toy is not None
    changes: dict[Location, str] = {("question",): "is <KEY> live?"}
    assert toy.rewrite(body, changes)["question"] == "is <KEY> live?"
    assert body["question"] == f"is {OPENAI_KEY} live?"


def test_a_registered_api_answer_texts_and_usage_are_read(registry: WireRegistry) -> None:
    """The toy's answer text and usage come out through the registry's dispatch."""
    body = {"answer": "forty-two", "usage": {"input_tokens": 5, "output_tokens": 2}}
    assert [p.text for p in registry.extract_response(TOY, body).texts] == ["forty-two"]
    assert registry.body_usage(TOY, body) == Usage(5, 2)


def test_a_registered_api_stream_is_recorded(registry: WireRegistry) -> None:
    """The proxy's stream recorder assembles the toy's text and usage from its events."""
    recorder = StreamRecorder(TOY, wire=registry)
    for event in events(
        {"piece": "forty"},
        {"piece": "-two"},
        {"type": "done", "usage": {"input_tokens": 5, "output_tokens": 2}},
    ):
        recorder.feed(event)
    assert recorder.text == "forty-two"
    assert recorder.usage == Usage(5, 2)


async def test_a_registered_api_stream_is_inspected(registry: WireRegistry) -> None:
    """Output inspection masks a secret split across two of the toy's stream events, with
    the toy's shape as the registry gives it."""
    shape = shape_for(TOY, registry)
    assert isinstance(shape, ToyGenerate)
    engine = PolicyEngine(policy(OUTPUT_RULES))
    stream = PolicyStream(
        shape=shape,
        selection=engine.select(CallContext.of(call_info(Api.CHAT)), Direction.OUTPUT),
        scanner=real_scanner(),
        pseudonyms=Pseudonyms(),
        settings=engine.policy.detection.stream,
        budget=None,
    )
    sent: list[SSEEvent] = []
    pieces = [f"key {OPENAI_KEY[:14]}", f"{OPENAI_KEY[14:]} ok. ", "Bye."]
    for event in events(*({"piece": p} for p in pieces), {"type": "done"}):
        sent += await stream.feed(event)
    sent += await stream.finish()
    text = "".join(json.loads(e.data).get("piece", "") for e in sent)
    assert text == "key <OPENAI_API_KEY> ok. Bye."


def test_a_registered_api_call_renders_in_logs_show(registry: WireRegistry) -> None:
    """``logs show`` renders a toy call with the toy's turns, secrets masked as for any API."""
    record = {
        **_RECORD,
        "endpoint": TOY_PATH,
        "prompt": json.dumps({"model": "toy-1", "question": f"charge {CARD}?"}),
        "response": json.dumps({"answer": "done"}),
    }
    out = render_record(record, wire=registry)
    assert "[asked]\n  charge [CREDIT_CARD]?" in out
    assert "[toy]\n  done" in out
    assert "[asked]" not in render_record(record)  # the default registry knows no toy


def test_the_shipped_apis_keep_their_endpoints_and_families() -> None:
    """The registry yields the endpoint table, usage-option APIs and families the proxy had."""
    table = {
        "/v1/chat/completions": Api.CHAT,
        "/v1/completions": Api.COMPLETIONS,
        "/v1/embeddings": Api.EMBEDDINGS,
        "/v1/responses": Api.RESPONSES,
        "/v1/models": Api.MODELS,
        "/v1/messages": Api.MESSAGES,
    }
    assert {path: api_for_path(path) for path in table} == table
    assert api_for_path("/v1/models/gpt-4o") is Api.MODELS
    assert api_for_path("/v1/messages/batches") is Api.OTHER
    assert frozenset(table) - {"/v1/models"} == INSPECTED_PATHS
    streamed = {"stream": True}
    asking = {api for api in table.values() if WIRE_APIS.with_stream_usage(api, streamed)}
    assert asking == {Api.CHAT, Api.COMPLETIONS}
    assert api_family_for_path("/v1/messages/batches") is ApiFamily.ANTHROPIC
    assert api_family_for_path("/v1/messages") is ApiFamily.ANTHROPIC
    assert api_family_for_path("/v1/messagesx") is ApiFamily.OPENAI
    assert api_family_for_path("/v1/chat/completions") is ApiFamily.OPENAI


def _recorded(api: Api, payloads: Sequence[dict[str, Any]]) -> str:
    recorder = StreamRecorder(api)
    for event in events(*payloads):
        recorder.feed(event)
    return recorder.text


def test_the_record_holds_the_text_output_inspection_reads() -> None:
    """A streamed chat refusal is recorded: the recorder reads the deltas output inspection
    reads (it used to keep only content and tool arguments, so the log missed refusals)."""
    chunk = {"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {}}]}
    payloads = [
        {**chunk, "choices": [{"index": 0, "delta": {"refusal": "I can't help"}}]},
        {**chunk, "choices": [{"index": 0, "delta": {"refusal": " with that."}}]},
    ]
    assert _recorded(Api.CHAT, payloads) == "I can't help with that."


def test_a_pass_through_stream_is_recorded_as_chat_chunks() -> None:
    """A stream of an endpoint no format serves is read as OpenAI chat chunks, as before."""
    chunk = {"choices": [{"index": 0, "delta": {"content": "hello"}}], "usage": None}
    assert _recorded(Api.OTHER, [chunk, chunk]) == "hellohello"


def test_registering_an_api_declares_its_kind_with_its_family(registry: WireRegistry) -> None:
    """The toy module's name becomes an API kind of its family; a module cannot give a
    shipped API another family."""
    assert Api(TOY).family is ApiFamily.ANTHROPIC
    assert registry.api_for_path(TOY_PATH) is Api(TOY)

    class Misfiled(ToyGenerate):
        api: ClassVar[str] = Api.CHAT
        paths: ClassVar[tuple[str, ...]] = ("/v1/misfiled",)

    with pytest.raises(ValueError, match="openai, not anthropic"):
        WireRegistry([Misfiled()])


@pytest.mark.parametrize(
    ("options", "asked"),
    [
        (None, {"include_usage": True}),
        ({"include_obfuscation": False}, {"include_obfuscation": False, "include_usage": True}),
        ({"include_usage": False}, {"include_usage": True}),
        ({"include_usage": True}, None),
        ("yes", None),  # the caller's error, left for the provider to refuse
    ],
)
def test_openai_streams_are_asked_for_usage_unless_they_ask(options: Any, asked: Any) -> None:
    """Chat and completions requests get ``stream_options.include_usage``; nothing else."""
    body = {
        "model": "m",
        "stream": True,
        **({} if options is None else {"stream_options": options}),
    }
    for asking in (Api.CHAT, Api.COMPLETIONS):
        out = WIRE_APIS.with_stream_usage(asking, body)
        assert (out and out["stream_options"]) == asked
    for api in (Api.MESSAGES, Api.RESPONSES, Api.OTHER, TOY):
        assert WIRE_APIS.with_stream_usage(api, body) is None


def test_only_the_usage_chunk_asked_for_is_usage_only() -> None:
    """A chunk with no choices and usage is the one asked for, for the APIs that ask."""
    chunk: dict[str, Any] = {"choices": [], "usage": {"prompt_tokens": 3}}
    assert WIRE_APIS.usage_only(Api.CHAT, chunk)
    assert WIRE_APIS.usage_only(Api.COMPLETIONS, chunk)
    assert not WIRE_APIS.usage_only(Api.CHAT, {**chunk, "choices": [{"index": 0}]})
    assert not WIRE_APIS.usage_only(Api.MESSAGES, chunk)
    assert not WIRE_APIS.usage_only(Api.OTHER, chunk)


def test_a_stream_ends_with_an_error_event_its_sdks_raise_on(registry: WireRegistry) -> None:
    """Anthropic-style streams get a named ``error`` event, every other API OpenAI's form."""
    error = {"error": {"message": "The provider stopped answering.", "code": "upstream_timeout"}}
    openai_form = b"data: " + json.dumps(error, separators=(",", ":")).encode() + b"\n\n"
    for api in (Api.CHAT, Api.RESPONSES, Api.OTHER, TOY):
        assert registry.stream_error(api, error) == openai_form
    named = registry.stream_error(Api.MESSAGES, error)
    assert named.startswith(b"event: error\ndata: ")
    assert json.loads(named.split(b"data: ", 1)[1]) == {"type": "error", **error}
