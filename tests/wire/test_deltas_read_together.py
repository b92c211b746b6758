"""The events of a read are read together (``deltas_and_closes_all``, issue 11, h142) as each
is read on its own (``deltas_and_closes``), by every shipped format: the chat format reads
runs of its usual chunk in C steps, which must read exactly what its per-event reading does,
for chunks of any shape and any JSON value in any field."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.apis import Api
from tests.fuzzing import examples
from wire.apis.registry import WIRE_APIS

FUZZ = settings(max_examples=examples(400), deadline=None, database=None)

#: Any JSON value (lists and objects are unhashable: a field holding one must not raise).
ODD: st.SearchStrategy[Any] = (
    st.none() | st.booleans() | st.integers(-2, 2) | st.just("") | st.just([]) | st.just({})
)
TEXT = st.text(max_size=5)
USUAL = st.builds(
    lambda text, index: {
        "id": "c",
        "object": "chat.completion.chunk",
        "choices": [{"index": index, "delta": {"content": text}, "finish_reason": None}],
        "usage": None,
    },
    TEXT,
    st.just(0) | st.integers(0, 2) | ODD,
)
CHOICE = st.fixed_dictionaries(
    {},
    optional={
        "index": st.integers(0, 2) | ODD,
        "delta": st.fixed_dictionaries(
            {},
            optional={
                "content": TEXT | ODD,
                "role": st.just("assistant"),
                "refusal": TEXT | ODD,
                "tool_calls": st.lists(
                    st.fixed_dictionaries(
                        {"index": st.integers(0, 1) | ODD},
                        optional={"function": st.fixed_dictionaries({"arguments": TEXT | ODD})},
                    ),
                    max_size=2,
                ),
            },
        )
        | ODD
        | TEXT,
        "finish_reason": st.none() | st.just("stop") | ODD,
    },
)
OTHER = st.fixed_dictionaries(
    {},
    optional={
        "choices": st.lists(CHOICE | ODD, max_size=3) | ODD | TEXT,
        "usage": st.none() | st.just({"prompt_tokens": 1}) | ODD,
    },
)
#: Mostly the usual chunk, as streams are, so that runs of it of every length occur.
CHUNKS = st.lists(USUAL | USUAL | USUAL | OTHER, max_size=30)


@FUZZ
@given(CHUNKS)
def test_chat_chunks_read_together_read_as_each_alone(payloads: list[dict[str, Any]]) -> None:
    """Chat chunks of any shape read together give each chunk's deltas and closes as it
    gives them read on its own."""
    chat = WIRE_APIS.for_api(Api.CHAT)
    assert chat is not None
    deltas, closes = chat.deltas_and_closes_all(payloads)
    alone = [chat.deltas_and_closes(payload) for payload in payloads]
    assert deltas == [one for one, _ in alone]
    assert closes == [ends for _, ends in alone]
    # Fresh lists for every chunk: a consumer that changes one changes no other's.
    assert len({id(one) for one in deltas}) == len(deltas)
    assert len({id(ends) for ends in closes}) == len(closes)


@pytest.mark.parametrize("api", [Api.CHAT, Api.COMPLETIONS, Api.MESSAGES, Api.RESPONSES])
@FUZZ
@given(st.lists(OTHER | USUAL, max_size=8))
def test_every_format_reads_a_read_as_its_events(api: str, payloads: list[dict[str, Any]]) -> None:
    """Every shipped format reads a read's events together as it reads each alone."""
    wire = WIRE_APIS.for_api(api)
    assert wire is not None
    deltas, closes = wire.deltas_and_closes_all(payloads)
    alone = [wire.deltas_and_closes(payload) for payload in payloads]
    assert (deltas, closes) == ([one for one, _ in alone], [ends for _, ends in alone])


def test_a_run_of_the_usual_chunk_is_read_between_other_chunks() -> None:
    """A role chunk, a run of content chunks, a finish and a usage chunk: each read as the
    format reads it, the run's deltas on choice 0's content, in order."""
    chat = WIRE_APIS.for_api(Api.CHAT)
    assert chat is not None

    def chunk(delta: Any, finish: str | None = None) -> dict[str, Any]:
        return {"choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}

    words = [f" w{i}" for i in range(6)]
    payloads = [
        chunk({"role": "assistant", "content": ""}),
        *(chunk({"content": word}) for word in words),
        chunk({}, "stop"),
        {"choices": [], "usage": {"prompt_tokens": 3}},
    ]
    deltas, closes = chat.deltas_and_closes_all(payloads)
    assert [[delta.text for delta in one] for one in deltas] == [[], *([w] for w in words), [], []]
    assert {delta.channel for one in deltas for delta in one} == {(0, "content")}
    assert closes == [[], *([] for _ in words), [(0,)], []]
