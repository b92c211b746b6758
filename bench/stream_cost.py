"""CPU the proxy spends on one streamed answer, without the network: the relay's per-event
work (SSE parsing, usage and recording, the usage-only check, output inspection under the
default policy) on a 20-event chat answer, the same answer every time (detection is a
cache hit, as in bench/versus_floor.py).

Usage: .venv/bin/python bench/stream_cost.py [--answers 2000] [--tree DIR]
``--tree`` measures another source tree (say, an older commit unpacked with git archive).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path

WORDS = 20


def answer() -> bytes:
    """A chat answer as an OpenAI-style upstream streams it: role, 20 words, finish,
    usage chunk, [DONE]."""

    def chunk(delta: dict[str, object], finish: str | None = None) -> str:
        choice = {"index": 0, "delta": delta, "finish_reason": finish}
        body = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "choices": [choice]}
        return f"data: {json.dumps(body)}\n\n"

    events = [chunk({"role": "assistant", "content": ""})]
    events += [chunk({"content": f" word{i}"}) for i in range(WORDS)]
    events.append(chunk({}, "stop"))
    usage = {"prompt_tokens": 300, "completion_tokens": WORDS, "total_tokens": 320}
    tail = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "choices": [], "usage": usage}
    events += [f"data: {json.dumps(tail)}\n\n", "data: [DONE]\n\n"]
    return "".join(events).encode()


async def main(answers: int) -> None:
    from detectors.service import ScanService  # noqa: PLC0415 - from the tree measured
    from detectors.settings import DetectorSettings  # noqa: PLC0415
    from policies.inspector import PolicyInspector  # noqa: PLC0415
    from policies.loader import shipped_pack  # noqa: PLC0415
    from proxy.apis import Api, StreamRecorder, is_usage_only_chunk  # noqa: PLC0415
    from proxy.sse import SSEParser  # noqa: PLC0415
    from tests.policies.factories import call_info, chat  # noqa: PLC0415

    settings = DetectorSettings.model_validate({"service": {"workers": 0}})
    raw = answer()
    pieces = [raw[i : i + 180] for i in range(0, len(raw), 180)]  # as read from a socket
    async with ScanService(settings) as service:
        inspector = PolicyInspector(shipped_pack("default"), service)

        async def one() -> str:
            inspection = await inspector.inspect_request(
                call_info(Api.CHAT, stream=True), chat("hi")
            )
            stream = inspection.output.stream()
            parser, recorder = SSEParser(), StreamRecorder(Api.CHAT)
            for piece in [*pieces, b""]:
                for event in parser.feed(piece) if piece else parser.close():
                    recorder.feed(event, text=False)
                    if is_usage_only_chunk(event):
                        continue
                    for out in await stream.feed(event):
                        recorder.feed(out, usage=False)
            for out in await stream.finish():
                recorder.feed(out, usage=False)
            return recorder.text

        text = await one()
        assert text == "".join(f" word{i}" for i in range(WORDS)), text
        for _ in range(50):
            await one()
        started = time.process_time()
        for _ in range(answers):
            await one()
        per_answer = (time.process_time() - started) / answers * 1000
        print(
            f"{per_answer:.3f} ms CPU per 20-event answer "
            f"({per_answer * 1000 / 24:.1f} us per event)"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=2000)
    parser.add_argument("--tree", type=Path, default=Path(__file__).resolve().parents[1])
    arguments = parser.parse_args()
    sys.path.insert(0, str(arguments.tree))
    asyncio.run(main(arguments.answers))
