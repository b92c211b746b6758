"""Text and attachments are found in every API shape, at locations that can be rewritten."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from policies.extract import (
    AttachmentKind,
    Step,
    base64_size,
    extract_request,
    extract_response,
    rewrite,
)
from proxy.apis import Api

PNG = base64.b64encode(b"\x89PNG" + b"\x00" * 96).decode()  # 100 bytes decoded


def texts(api: Api, body: Any) -> list[tuple[tuple[str | int, ...], str, str]]:
    return [(p.location, p.text, p.role) for p in extract_request(api, body).texts]


def test_chat_string_and_part_contents_with_roles() -> None:
    """Chat messages yield string contents and text parts, each with its role."""
    body = {
        "messages": [
            {"role": "system", "content": "be brief"},
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "look at this"},
                    {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PNG}"}},
                ],
            },
        ]
    }
    assert texts(Api.CHAT, body) == [
        (("messages", 0, "content"), "be brief", "system"),
        (("messages", 1, "content", 0, "text"), "look at this", "user"),
    ]


def test_chat_tool_calls_and_tool_results_are_text() -> None:
    """Tool-call names, arguments and tool results are scanned; ids and types are not."""
    body = {
        "messages": [
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "c1",
                        "type": "function",
                        "function": {"name": "f", "arguments": '{"q": 1}'},
                    }
                ],
            },
            {"role": "tool", "tool_call_id": "c1", "content": "result text"},
        ]
    }
    assert texts(Api.CHAT, body) == [
        (("messages", 0, "tool_calls", 0, "function", "name"), "f", "tool_call"),
        (("messages", 0, "tool_calls", 0, "function", "arguments"), '{"q": 1}', "tool_call"),
        (("messages", 1, "content"), "result text", "tool"),
    ]


def test_chat_images_audio_and_files_are_counted_and_sized() -> None:
    """Non-text parts are attachments with their kind and decoded inline size."""
    body = {
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PNG}"}},
                    {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}},
                    {"type": "input_audio", "input_audio": {"data": PNG, "format": "wav"}},
                    {"type": "file", "file": {"file_data": PNG, "filename": "a.pdf"}},
                ],
            }
        ]
    }
    found = extract_request(Api.CHAT, body).attachments
    assert [(a.kind, a.size_bytes) for a in found] == [
        (AttachmentKind.IMAGE, 100),
        (AttachmentKind.IMAGE, 0),
        (AttachmentKind.AUDIO, 100),
        (AttachmentKind.FILE, 100),
    ]


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("one", [(("prompt",), "one")]),
        (["a", "b"], [(("prompt", 0), "a"), (("prompt", 1), "b")]),
        ([1, 2, 3], []),
    ],
)
def test_completion_prompts(prompt: Any, expected: list[Any]) -> None:
    """Completion prompts are a string or a list of strings; token arrays carry no text."""
    assert [(loc, t) for loc, t, _ in texts(Api.COMPLETIONS, {"prompt": prompt})] == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("one", [(("input",), "one")]),
        (["a", "b"], [(("input", 0), "a"), (("input", 1), "b")]),
        ([[1, 2], [3]], []),
    ],
)
def test_embeddings_input(value: Any, expected: list[Any]) -> None:
    """Embedding inputs are strings or lists of strings; token arrays are skipped."""
    assert [(loc, t) for loc, t, _ in texts(Api.EMBEDDINGS, {"input": value})] == expected


def test_responses_string_input_and_instructions() -> None:
    """A Responses call's instructions and string input are both texts."""
    body = {"instructions": "be kind", "input": "hello"}
    assert texts(Api.RESPONSES, body) == [
        (("instructions",), "be kind", "system"),
        (("input",), "hello", "user"),
    ]


def test_responses_item_list() -> None:
    """Responses input items: messages (string or parts), function calls and their outputs."""
    body = {
        "input": [
            {"role": "user", "content": "plain"},
            {
                "type": "message",
                "role": "user",
                "content": [
                    {"type": "input_text", "text": "part"},
                    {"type": "input_image", "image_url": f"data:image/png;base64,{PNG}"},
                ],
            },
            {"type": "function_call", "call_id": "c", "name": "f", "arguments": "{}"},
            {"type": "function_call_output", "call_id": "c", "output": "out"},
        ]
    }
    assert texts(Api.RESPONSES, body) == [
        (("input", 0, "content"), "plain", "user"),
        (("input", 1, "content", 0, "text"), "part", "user"),
        (("input", 2, "name"), "f", "tool_call"),
        (("input", 2, "arguments"), "{}", "tool_call"),
        (("input", 3, "output"), "out", "tool"),
    ]
    assert extract_request(Api.RESPONSES, body).attachments[0].size_bytes == 100


def test_anthropic_system_messages_tools_and_images() -> None:
    """Anthropic system prompt, text blocks, tool inputs (keys too), tool results, images."""
    body = {
        "system": [{"type": "text", "text": "sys"}],
        "messages": [
            {"role": "user", "content": "hi"},
            {
                "role": "assistant",
                "content": [
                    {"type": "tool_use", "id": "t", "name": "f", "input": {"q": "find", "n": 2}}
                ],
            },
            {
                "role": "user",
                "content": [
                    {"type": "tool_result", "tool_use_id": "t", "content": "found"},
                    {
                        "type": "image",
                        "source": {"type": "base64", "media_type": "image/png", "data": PNG},
                    },
                ],
            },
        ],
    }
    assert texts(Api.MESSAGES, body) == [
        (("system", 0, "text"), "sys", "system"),
        (("messages", 0, "content"), "hi", "user"),
        (("messages", 1, "content", 0, "name"), "f", "tool_call"),
        (("messages", 1, "content", 0, "input", "q", Step.KEY), "q", "tool_call"),
        (("messages", 1, "content", 0, "input", "n", Step.KEY), "n", "tool_call"),
        (("messages", 1, "content", 0, "input", "q"), "find", "tool_call"),
        (("messages", 2, "content", 0, "content"), "found", "tool"),
    ]
    [image] = extract_request(Api.MESSAGES, body).attachments
    assert (image.kind, image.size_bytes) == (AttachmentKind.IMAGE, 100)


def test_anthropic_string_system_prompt() -> None:
    """A string system prompt is a text of its own."""
    assert texts(Api.MESSAGES, {"system": "sys", "messages": []}) == [
        (("system",), "sys", "system")
    ]


@pytest.mark.parametrize(
    ("api", "body", "expected"),
    [
        (
            Api.CHAT,
            {"choices": [{"message": {"role": "assistant", "content": "answer"}}]},
            [(("choices", 0, "message", "content"), "answer")],
        ),
        (Api.COMPLETIONS, {"choices": [{"text": "answer"}]}, [(("choices", 0, "text"), "answer")]),
        (
            Api.RESPONSES,
            {
                "output": [
                    {
                        "type": "message",
                        "role": "assistant",
                        "content": [{"type": "output_text", "text": "answer"}],
                    }
                ]
            },
            [(("output", 0, "content", 0, "text"), "answer")],
        ),
        (
            Api.MESSAGES,
            {"content": [{"type": "text", "text": "answer"}]},
            [(("content", 0, "text"), "answer")],
        ),
        (Api.EMBEDDINGS, {"data": [{"embedding": [0.1]}]}, []),
    ],
)
def test_response_bodies(api: Api, body: Any, expected: list[Any]) -> None:
    """The answer text of each API's non-stream response is found."""
    assert [(p.location, p.text) for p in extract_response(api, body).texts] == expected


def test_rewrite_replaces_at_locations_without_touching_the_original() -> None:
    """Rewriting puts new text at each location and leaves the input body unchanged."""
    body: dict[str, Any] = {
        "messages": [{"role": "user", "content": [{"type": "text", "text": "secret"}]}]
    }
    new = rewrite(body, {("messages", 0, "content", 0, "text"): "<X>"})
    assert new["messages"][0]["content"][0]["text"] == "<X>"
    assert body["messages"][0]["content"][0]["text"] == "secret"


@pytest.mark.parametrize(
    ("data", "size"),
    [(PNG, 100), (f"data:image/png;base64,{PNG}", 100), ("https://x/y.png", 0), (None, 0)],
)
def test_base64_size(data: Any, size: int) -> None:
    """Inline base64 data is measured by its decoded size; URLs have none."""
    assert base64_size(data) == size
