"""CPU the proxy spends on one streamed answer, without the network: the relay's per-event
work (SSE parsing, usage and recording, the usage-only check, output inspection under the
default policy) on a 20-event chat answer, the same answer every time (detection is a
cache hit, as in bench/versus_floor.py). ``--api messages`` / ``responses``: the same text
as Anthropic Messages or the Responses API streams it (named events, as tests/fakes sends).

``--fresh``: every answer is new text (no cache hits, as in real traffic), detection in
one worker process; each output window is then scanned, inline or in the worker (the
detection service's ``inline_chars``, given with ``--inline-chars``; 0: always the worker).
CPU is then that of this process and the worker's (from /proc). ``--digits``: the fresh
words carry digits (``abx7``), so every window is a phone-number candidate.

The answer arrives in reads of ``--read-bytes`` (180: about one event per read, as from
a paced upstream; 4096: the whole answer at once, as under load), fed to the inspector a
read at a time as the relay does.

``--bytecodes`` counts the Python bytecodes run per answer instead of timing (deterministic,
unmoved by others' load; C work such as JSON and hashing is not counted), with ``--top N``
also the N functions that run the most of them.

``--stages`` then times each stage of that work on its own (request inspection, SSE
parsing, the relay's per-read work: the usage-only check, output inspection and recording,
as ``proxy.call.relay.StreamPipe`` does them), best block per stage. Trees without
``StreamPipe``, and ``--split``, run a copy of the relay's steps, timed one by one.

Usage: .venv/bin/python bench/stream_cost.py [--answers 2000] [--tree DIR]
       [--fresh [--inline-chars N] [--digits]] [--read-bytes 180] [--blocks 10]
       [--words 20] [--stages]
``--tree`` measures another source tree (say, an older commit unpacked with git archive).
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import json
import os
import sys
import time
from collections.abc import Awaitable, Callable
from operator import is_
from pathlib import Path
from types import ModuleType
from typing import Any

WORDS = 20  # content events per answer (--words)
_TICKS = os.sysconf("SC_CLK_TCK")


def tree_cpu() -> float:
    """CPU seconds of this process and every process below it (detection workers)."""
    total, pending = 0.0, [os.getpid()]
    while pending:
        pid = pending.pop()
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / _TICKS
            for task in Path(f"/proc/{pid}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return total


def word(index: int, tag: str, *, digits: bool = False) -> str:
    """The ``index``-th word: ``word7``, or with a tag letters only (digits would make
    every word a phone-number candidate, which prose rarely is), or with ``digits`` the
    tag and the index (``abx7``: every output window then holds digits)."""
    if tag and digits:
        return f" {tag}{index}"
    return f" {tag}{_letters(index)}" if tag else f" word{index}"


def _letters(number: int) -> str:
    text = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        text = chr(ord("a") + rest) + text
    return text


def pieces(tag: str = "", *, digits: bool = False, words: int = WORDS) -> list[str]:
    """The text of an answer, one word a piece; past 20 words, a line ends every 12 words
    (a longer answer is written in lines, whose ends the hold-back reads)."""
    return [
        word(i, tag, digits=digits) + ("\n" if words > WORDS and i % 12 == 11 else "")
        for i in range(words)
    ]


def answer(tag: str = "", *, digits: bool = False, words: int = WORDS) -> bytes:
    """A chat answer as an OpenAI-style upstream streams it: role, ``words`` words,
    finish, usage chunk, [DONE]."""

    def chunk(delta: dict[str, object], finish: str | None = None) -> str:
        choice = {"index": 0, "delta": delta, "finish_reason": finish}
        body = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "choices": [choice]}
        # OpenAI's chunks carry "usage": null when the usage chunk was asked for, as the
        # proxy always asks.
        return f"data: {json.dumps({**body, 'usage': None})}\n\n"

    events = [chunk({"role": "assistant", "content": ""})]
    events += [chunk({"content": text}) for text in pieces(tag, digits=digits, words=words)]
    events.append(chunk({}, "stop"))
    usage = {"prompt_tokens": 300, "completion_tokens": words, "total_tokens": 300 + words}
    tail = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "choices": [], "usage": usage}
    events += [f"data: {json.dumps(tail)}\n\n", "data: [DONE]\n\n"]
    return "".join(events).encode()


def _event(kind: str, data: dict[str, object]) -> str:
    """One named event, as Anthropic and the Responses API send each of theirs."""
    return f"event: {kind}\ndata: {json.dumps(data)}\n\n"


def messages_answer(tag: str = "", *, digits: bool = False, words: int = WORDS) -> bytes:
    """The same answer as Anthropic Messages streams it (as tests/fakes sends it): message
    and block start, a ping, ``words`` text deltas, block stop, message delta (usage), stop."""
    message = {"id": "msg_1", "type": "message", "role": "assistant", "model": "claude-x"}
    start = {**message, "content": [], "usage": {"input_tokens": 300, "output_tokens": 1}}
    events = [
        _event("message_start", {"type": "message_start", "message": start}),
        _event(
            "content_block_start",
            {"type": "content_block_start", "index": 0, "content_block": {"type": "text"}},
        ),
        _event("ping", {"type": "ping"}),
    ]
    for text in pieces(tag, digits=digits, words=words):
        delta = {"type": "text_delta", "text": text}
        kind = "content_block_delta"
        events.append(_event(kind, {"type": kind, "index": 0, "delta": delta}))
    stop = {"stop_reason": "end_turn", "stop_sequence": None}
    events += [
        _event("content_block_stop", {"type": "content_block_stop", "index": 0}),
        _event(
            "message_delta",
            {"type": "message_delta", "delta": stop, "usage": {"output_tokens": words}},
        ),
        _event("message_stop", {"type": "message_stop"}),
    ]
    return "".join(events).encode()


def responses_answer(tag: str = "", *, digits: bool = False, words: int = WORDS) -> bytes:
    """The same answer as the Responses API streams it (as tests/fakes sends it): created,
    in progress, item and part added, ``words`` text deltas, the done events with the whole
    text, completed (usage)."""
    texts = pieces(tag, digits=digits, words=words)
    text = "".join(texts)
    where = {"item_id": "msg_1", "output_index": 0, "content_index": 0}
    part = {"type": "output_text", "text": text, "annotations": []}
    item = {"type": "message", "id": "msg_1", "role": "assistant", "content": [part]}
    snapshot = {"id": "resp_1", "object": "response", "status": "in_progress", "output": []}
    usage = {"input_tokens": 300, "output_tokens": words, "total_tokens": 300 + words}
    completed = {**snapshot, "status": "completed", "output": [item], "usage": usage}
    numbers = iter(range(10**6))

    def event(kind: str, **fields: object) -> str:
        return _event(kind, {"type": kind, "sequence_number": next(numbers), **fields})

    events = [
        event("response.created", response=snapshot),
        event("response.in_progress", response=snapshot),
        event("response.output_item.added", output_index=0, item={**item, "content": []}),
        event("response.content_part.added", **where, part={**part, "text": ""}),
    ]
    events += [
        event("response.output_text.delta", **where, delta=piece, logprobs=[]) for piece in texts
    ]
    events += [
        event("response.output_text.done", **where, text=text, logprobs=[]),
        event("response.content_part.done", **where, part=part),
        event("response.output_item.done", output_index=0, item=item),
        event("response.completed", response=completed),
    ]
    return "".join(events).encode()


#: ``--api``: the answer of each API measured, and the request its call makes.
ANSWERS: dict[str, Callable[..., bytes]] = {
    "chat": answer,
    "messages": messages_answer,
    "responses": responses_answer,
}
#: Each ``--api`` choice's name as the proxy knows the API (``core.apis.Api``).
_API_NAMES = {"chat": "chat.completions", "messages": "messages", "responses": "responses"}
REQUESTS: dict[str, dict[str, object]] = {
    "chat": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]},
    "messages": {
        "model": "claude-x",
        "max_tokens": 100,
        "messages": [{"role": "user", "content": "hi"}],
    },
    "responses": {"model": "gpt-4o-mini", "input": "hi"},
}


async def feed_read(stream: Any, events: list[Any]) -> list[Any]:
    """The events sent for one read, as the relay feeds them: all at once where the
    inspector takes a read (``feed_all``), else event by event (older trees)."""
    if hasattr(stream, "feed_all"):
        return list(await stream.feed_all(events))
    return [out for event in events for out in await stream.feed(event)]


def record(recorder: Any, kept: list[Any], sent: list[Any], *, once: bool) -> None:
    """Usage from the upstream's events, text from those sent, as older relays read them
    (trees without ``proxy.call.relay.StreamPipe``, whose per-read code this run drives):
    with ``once`` (trees that inspect a read at a time), each event once when every event
    goes out as it came; where the recorder takes a read at once (``feed_all``), a read
    whose events all go out as they came is recorded in one call, as the relay does."""
    if hasattr(recorder, "feed_all") and len(sent) == len(kept) and all(map(is_, sent, kept)):
        recorder.feed_all(kept)
        return
    upstream = {id(event) for event in kept}
    if once and upstream <= {id(event) for event in sent}:
        for event in sent:
            recorder.feed(event, usage=id(event) in upstream)
        return
    for event in kept:
        recorder.feed(event, text=False)
    for event in sent:
        recorder.feed(event, usage=False)


async def _discard(data: bytes) -> None:
    """The caller's connection, which takes the bytes sent and keeps nothing."""


def _no_tick(stage: str) -> None:
    """No stage timing (the plain run)."""


class Stages:
    """CPU per answer of each stage of the relay's work (``--stages``): the time since the
    previous tick is the named stage's; per block, the best block printed per stage."""

    def __init__(self) -> None:
        self._last = time.process_time()
        self._block: dict[str, float] = {}
        self._best: dict[str, float] = {}

    def tick(self, stage: str) -> None:
        now = time.process_time()
        if stage:
            self._block[stage] = self._block.get(stage, 0.0) + now - self._last
        self._last = time.process_time()  # the clock's own cost is no stage's

    def start_block(self) -> None:
        self._block = {}

    def end_block(self, answers: int) -> None:
        for stage, spent in self._block.items():
            per_answer = spent / answers * 1e6
            self._best[stage] = min(self._best.get(stage, per_answer), per_answer)

    def report(self) -> str:
        parts = [f"{stage} {spent:.0f}" for stage, spent in self._best.items()]
        return "  stages, us CPU per answer (best block each): " + ", ".join(parts)


async def main(
    answers: int,
    fresh: bool,
    inline_chars: int | None,
    digits: bool,
    read_bytes: int,
    *,
    blocks: int = 1,
    words: int = WORDS,
    stages: bool = False,
    split: bool = False,
    bytecodes: bool = False,
    top: int = 0,
    api_name: str = "chat",
) -> None:
    from detectors.service import ScanService  # noqa: PLC0415 - from the tree measured
    from detectors.settings import DetectorSettings  # noqa: PLC0415
    from policies.inspector import PolicyInspector  # noqa: PLC0415
    from policies.loader import shipped_pack  # noqa: PLC0415
    from proxy.call.apis import Api, StreamRecorder, is_usage_only_chunk  # noqa: PLC0415
    from proxy.call.sse import SSEParser  # noqa: PLC0415
    from tests.policies.factories import call_info  # noqa: PLC0415
    from wire.apis.registry import WIRE_APIS  # noqa: PLC0415

    relay_module: ModuleType | None
    try:
        from proxy.call import relay as relay_module  # noqa: PLC0415
    except ImportError:  # a tree without the module
        relay_module = None

    workers = 1 if fresh else 0
    settings = DetectorSettings.model_validate({"service": {"workers": workers}})
    options: dict[str, Any] = {}  # what the tree's ScanService takes
    if inline_chars is not None and "inline_chars" in inspect.signature(ScanService).parameters:
        options["inline_chars"] = inline_chars
    async with ScanService(settings, **options) as service:
        inspector = PolicyInspector(shipped_pack("default"), service)
        api = Api(_API_NAMES[api_name])
        build = ANSWERS[api_name]
        # The proxy asks chat streams for their usage chunk and consumes it (in the relay).
        usage_chunks = WIRE_APIS.for_api(api) if api == Api.CHAT else None

        def built(number: int) -> bytes:
            return build(f"{_letters(number)}x" if fresh else "", digits=digits, words=words)

        async def one(raw: bytes, spent: Stages | None = None) -> str:
            tick = spent.tick if spent is not None else _no_tick
            pieces = [raw[i : i + read_bytes] for i in range(0, len(raw), read_bytes)]
            tick("")
            request = {**REQUESTS[api_name], "stream": True}
            inspection = await inspector.inspect_request(call_info(api, stream=True), request)
            stream = inspection.output.stream()
            parser, recorder = SSEParser(), StreamRecorder(api)
            tick("request")
            if not split and relay_module is not None and hasattr(relay_module, "StreamPipe"):
                # The relay's own per-read code (the proxy asks for the usage chunk: it is
                # consumed there), writing to nowhere.
                pipe = relay_module.StreamPipe(
                    stream, recorder, _discard, usage_chunks=usage_chunks
                )
                for piece in [*pieces, b""]:
                    events = parser.feed(piece) if piece else parser.close()
                    tick("parse")
                    await pipe.relay(events)
                    tick("relay")
                await pipe.send(await stream.finish())
                tick("relay")
                return str(recorder.text)
            # Older trees (or --split): a copy of their relay's steps, timed one by one.
            for piece in [*pieces, b""]:
                kept = []
                events = parser.feed(piece) if piece else parser.close()
                tick("parse")
                for event in events:
                    if usage_chunks is not None and is_usage_only_chunk(event):
                        recorder.feed(event, text=False)
                    else:
                        kept.append(event)
                tick("usage-only")
                sent = await feed_read(stream, kept)
                tick("inspect")
                record(recorder, kept, sent, once=hasattr(stream, "feed_all"))
                tick("record")
            for out in await stream.finish():
                recorder.feed(out, usage=False)
            tick("inspect")
            return str(recorder.text)

        text = await one(built(0))
        tag = f"{_letters(0)}x" if fresh else ""
        assert text == "".join(pieces(tag, digits=digits, words=words)), text
        for number in range(50):
            await one(built(number + 1))
        # Built before the clock starts: only the proxy's work is measured.
        raws = [built(number + 100) for number in range(answers)]
        if bytecodes:
            await count_bytecodes(one, raws, words, top)
            return
        clock = tree_cpu if fresh else time.process_time
        size = -(-answers // blocks)
        times = []
        for first in range(0, answers, size):
            block = raws[first : first + size]
            started = clock()
            for raw in block:
                await one(raw)
            times.append((clock() - started) / len(block) * 1000)
        per_answer = min(times) if blocks > 1 else times[0]
        best = f" (best of {blocks} blocks)" if blocks > 1 else ""
        events = built(0).count(b"\n\n")
        print(
            f"{per_answer:.3f} ms CPU per {words}-event answer{best} "
            f"({per_answer * 1000 / events:.1f} us per event)"
        )
        if stages and not fresh:
            spent = Stages()
            for first in range(0, answers, size):
                spent.start_block()
                for raw in raws[first : first + size]:
                    await one(raw, spent)
                spent.end_block(len(raws[first : first + size]))
            print(spent.report())


async def count_bytecodes(
    one: Callable[[bytes], Awaitable[str]], raws: list[bytes], words: int, top: int
) -> None:
    """Python bytecodes (and function calls) per answer, over ``raws``."""
    counts = {"bytecodes": 0, "calls": 0}
    by_code: dict[Any, int] = {}

    def trace(frame: Any, event: str, arg: object) -> Any:
        if event == "opcode":
            counts["bytecodes"] += 1
            if top:
                by_code[frame.f_code] = by_code.get(frame.f_code, 0) + 1
        elif event == "call":
            counts["calls"] += 1
            frame.f_trace_opcodes = True
        return trace

    sys.settrace(trace)
    try:
        for raw in raws:
            await one(raw)
    finally:
        sys.settrace(None)
    answers = len(raws)
    print(
        f"{counts['bytecodes'] / answers:.0f} Python bytecodes "
        f"({counts['calls'] / answers:.0f} function calls) per {words}-event answer"
    )
    for code, ops in sorted(by_code.items(), key=lambda item: -item[1])[:top]:
        where = f"{Path(code.co_filename).name}:{code.co_firstlineno}"
        print(f"  {ops / answers:7.1f}  {code.co_qualname}  ({where})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=2000)
    parser.add_argument("--tree", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--fresh", action="store_true", help="new text every answer")
    parser.add_argument("--inline-chars", type=int)
    parser.add_argument("--digits", action="store_true", help="with --fresh: words with digits")
    parser.add_argument(
        "--read-bytes", type=int, default=180, help="bytes per upstream read (180: about one event)"
    )
    parser.add_argument(
        "--blocks",
        type=int,
        default=1,
        help="time the answers in this many blocks and print the best (on a noisy machine)",
    )
    parser.add_argument(
        "--words", type=int, default=WORDS, help="content events per answer (20 as in the issue)"
    )
    parser.add_argument(
        "--stages",
        action="store_true",
        help="then time each stage: request inspection, SSE parsing, the usage-only check, "
        "output inspection, recording (not with --fresh)",
    )
    parser.add_argument(
        "--split",
        action="store_true",
        help="with --stages: the relay's steps timed one by one (usage-only check, output "
        "inspection, recording) by a copy of them, as for trees without StreamPipe",
    )
    parser.add_argument(
        "--bytecodes", action="store_true", help="count bytecodes per answer instead of timing"
    )
    parser.add_argument("--top", type=int, default=0, help="with --bytecodes: busiest functions")
    parser.add_argument(
        "--api",
        choices=tuple(ANSWERS),
        default="chat",
        help="the API streaming the answer: chat (OpenAI chat chunks), messages (Anthropic's "
        "named events), responses (the Responses API's)",
    )
    arguments = parser.parse_args()
    sys.path.insert(0, str(arguments.tree))
    asyncio.run(
        main(
            arguments.answers,
            arguments.fresh,
            arguments.inline_chars,
            arguments.digits,
            arguments.read_bytes,
            blocks=arguments.blocks,
            words=arguments.words,
            stages=arguments.stages,
            split=arguments.split,
            bytecodes=arguments.bytecodes,
            top=arguments.top,
            api_name=arguments.api,
        )
    )
