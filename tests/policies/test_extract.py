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
from proxy.call.apis import Api

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
        (("messages", 1, "content", 0, "input", "q"), "find", "tool_call"),
        (("messages", 1, "content", 0, "input", "n", Step.KEY), "n", "tool_call"),
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


# --- deny by default ----------------------------------------------------------------------

_DEF = "tool_definition"
TEXT_FILE = base64.b64encode(b"notes: key AKIAIOSFODNN7EXAMPLQ\n").decode()


def test_tool_definitions_and_request_fields_are_texts_but_ids_and_enums_are_not() -> None:
    """Tool descriptions, schemas (property names too), names, settings and the model name
    are inspected; ids, enums and JSON Schema vocabulary are not."""
    body = {
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "name": "alice", "content": "hi"}],
        "tools": [
            {
                "type": "function",
                "function": {
                    "name": "lookup",
                    "description": "find a customer",
                    "parameters": {"type": "object", "properties": {"who": {"type": "string"}}},
                },
            }
        ],
        "prediction": {"type": "content", "content": "predicted"},
        "previous_response_id": "resp_123",
        "service_tier": "auto",
        "user": "bob",
    }
    assert texts(Api.CHAT, body) == [
        (("model",), "gpt-4o-mini", "request"),
        (("messages", 0, "name"), "alice", "user"),
        (("messages", 0, "content"), "hi", "user"),
        (("tools", 0, "function", "name"), "lookup", _DEF),
        (("tools", 0, "function", "description"), "find a customer", _DEF),
        # JSON Schema keywords and type names are vocabulary, not text.
        (("tools", 0, "function", "parameters", "properties", "who", Step.KEY), "who", _DEF),
        (("prediction", "content"), "predicted", "request"),
        (("user",), "bob", "request"),
    ]


def test_free_form_json_has_no_exemptions() -> None:
    """Inside metadata and tool inputs even id-like and enum-like fields are inspected."""
    body = {
        "metadata": {"user_id": "alice@example.com"},
        "messages": [
            {
                "role": "assistant",
                "content": [{"type": "tool_use", "id": "t1", "name": "f", "input": {"type": "x"}}],
            }
        ],
    }
    found = {(p.location, p.text) for p in extract_request(Api.MESSAGES, body).texts}
    assert (("metadata", "user_id"), "alice@example.com") in found
    assert (("messages", 0, "content", 0, "input", "type"), "x") in found
    assert not any(text == "t1" for _, text in found)


def test_prompt_variable_names_are_texts_and_values_are_judged_by_the_map() -> None:
    """A prompt variable's name is inspected, and its value even when named like an id."""
    body = {"prompt": {"id": "pmpt_1", "variables": {"customer_id": "alice@example.com"}}}
    assert [(loc, t) for loc, t, _ in texts(Api.RESPONSES, body)] == [
        (("prompt", "variables", "customer_id", Step.KEY), "customer_id"),
        (("prompt", "variables", "customer_id"), "alice@example.com"),
    ]


@pytest.mark.parametrize(
    ("api", "body", "location"),
    [
        (
            Api.CHAT,
            {
                "messages": [
                    {
                        "role": "user",
                        "content": [
                            {
                                "type": "file",
                                "file": {
                                    "file_data": f"data:text/plain;base64,{TEXT_FILE}",
                                },
                            }
                        ],
                    }
                ]
            },
            ("messages", 0, "content", 0, "file", "file_data", Step.BASE64),
        ),
        (
            Api.RESPONSES,
            {
                "input": [
                    {"role": "user", "content": [{"type": "input_file", "file_data": TEXT_FILE}]}
                ]
            },
            ("input", 0, "content", 0, "file_data", Step.BASE64),
        ),
        (
            Api.MESSAGES,
            {
                "messages": [
                    {
                        "role": "user",
                        "content": [
                            {
                                "type": "document",
                                "source": {
                                    "type": "base64",
                                    "media_type": "text/plain",
                                    "data": TEXT_FILE,
                                },
                            }
                        ],
                    }
                ]
            },
            ("messages", 0, "content", 0, "source", "data", Step.BASE64),
        ),
    ],
)
def test_base64_text_files_are_decoded_and_inspected(
    api: Api, body: Any, location: tuple[str | int, ...]
) -> None:
    """A file whose base64 decodes to UTF-8 text is inspected as that text (and counted)."""
    extracted = extract_request(api, body)
    assert [(p.location, p.text) for p in extracted.texts] == [
        (location, "notes: key AKIAIOSFODNN7EXAMPLQ\n")
    ]
    assert [a.kind for a in extracted.attachments] == [AttachmentKind.FILE]


def test_binary_payloads_and_attachment_urls_are_not_text() -> None:
    """Image, audio and PDF payloads are not texts; a presigned image URL's signing values
    are not read (h136)."""
    presigned = (
        "https://bucket.s3.amazonaws.com/a.png?X-Amz-Algorithm=AWS4-HMAC-SHA256"
        "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLQ"
    )
    pdf = base64.b64encode(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256))).decode()
    body = {
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "image_url", "image_url": {"url": presigned, "detail": "low"}},
                    {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PNG}"}},
                    {"type": "input_audio", "input_audio": {"data": PNG, "format": "wav"}},
                    {"type": "file", "file": {"file_data": f"data:application/pdf;base64,{pdf}"}},
                ],
            }
        ]
    }
    extracted = extract_request(Api.CHAT, body)
    assert [(loc, t) for loc, t, _ in texts(Api.CHAT, body)] == [
        (
            ("messages", 0, "content", 0, "image_url", "url", Step.URL),
            "https://bucket.s3.amazonaws.com/a.png?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Credential=",
        ),
        (("messages", 0, "content", 2, "input_audio", "format"), "wav"),
    ]
    assert len(extracted.attachments) == 4


def test_payload_fields_that_are_not_base64_are_plain_text() -> None:
    """Text put where base64 belongs is inspected as it is, not skipped as data."""
    body = {
        "messages": [
            {"role": "user", "content": [{"type": "file", "file": {"file_data": "key: x_y"}}]}
        ]
    }
    assert [t for _, t, _ in texts(Api.CHAT, body)] == ["key: x_y"]


def test_deeply_nested_bodies_are_walked_without_recursion() -> None:
    """A body nested far deeper than the interpreter's stack is still read to the bottom."""
    nested: Any = "deep text"
    for _ in range(5000):
        nested = {"k": nested}
    body = {"messages": [{"role": "assistant", "content": [{"type": "tool_use", "input": nested}]}]}
    found = extract_request(Api.MESSAGES, body).texts
    assert found[-1].text == "deep text"
    assert len(found[-1].location) == 5005


def test_pass_through_json_bodies_are_read_deny_by_default() -> None:
    """A pass-through endpoint's JSON body is read like any other: an image prompt, and
    the messages inside an Anthropic message batch with their own roles."""
    image = extract_request(Api.OTHER, {"model": "dall-e-3", "prompt": "a cat", "n": 1})
    assert [(p.location, p.text, p.role) for p in image.texts] == [
        (("model",), "dall-e-3", "request"),
        (("prompt",), "a cat", "request"),
    ]
    batch = {
        "requests": [
            {
                "custom_id": "r1",
                "params": {"model": "m", "messages": [{"role": "user", "content": "hi there"}]},
            }
        ]
    }
    found = extract_request(Api.OTHER, batch).texts
    assert [(p.text, p.role) for p in found] == [("m", "request"), ("hi there", "user")]


def test_model_listing_has_nothing_to_read() -> None:
    """The model list endpoint carries no prompt."""
    assert extract_request(Api.MODELS, {"prompt": "x"}).texts == ()


def test_rewrite_re_encodes_base64_text_files_keeping_the_data_url_header() -> None:
    """A masked text file is put back base64-encoded, with its data: URL header."""
    body = {"file_data": f"data:text/plain;base64,{TEXT_FILE}"}
    new = rewrite(body, {("file_data", Step.BASE64): "notes: key <REDACTED>\n"})
    header, _, payload = new["file_data"].partition(",")
    assert header == "data:text/plain;base64"
    assert base64.b64decode(payload) == b"notes: key <REDACTED>\n"
    assert rewrite({"d": TEXT_FILE}, {("d", Step.BASE64): "x"}) == {"d": "eA=="}


def test_data_urls_of_attachments_are_read_as_text_when_they_hold_text() -> None:
    """An image part's ``data:`` URL holding text (base64 or percent-encoded) is inspected
    decoded; an image's binary base64 is not text, an https URL is read as one (h136)."""
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 8).decode()
    urls = [
        f"data:text/plain;base64,{TEXT_FILE}",
        "data:text/plain,notes%3A%20key%20AKIAIOSFODNN7EXAMPLQ",
        f"data:image/png;base64,{png}",
        "https://example.com/cat.png",
    ]
    body = {
        "messages": [
            {
                "role": "user",
                "content": [{"type": "image_url", "image_url": {"url": url}} for url in urls],
            }
        ]
    }
    at = ("messages", 0, "content")
    assert texts(Api.CHAT, body) == [
        ((*at, 0, "image_url", "url", Step.BASE64), "notes: key AKIAIOSFODNN7EXAMPLQ\n", "user"),
        ((*at, 1, "image_url", "url", Step.PERCENT), "notes: key AKIAIOSFODNN7EXAMPLQ", "user"),
        ((*at, 3, "image_url", "url", Step.URL), "https://example.com/cat.png", "user"),
    ]


def test_rewrite_re_encodes_percent_encoded_data_urls() -> None:
    """A masked plain data: URL is put back percent-encoded, with its header."""
    body = {"url": "data:text/plain;charset=utf-8,key%3D%20AKIAIOSFODNN7EXAMPLQ"}
    new = rewrite(body, {("url", Step.PERCENT): "key= <REDACTED>"})
    assert new == {"url": "data:text/plain;charset=utf-8,key%3D%20%3CREDACTED%3E"}


def test_rewrite_renames_keys_in_place_after_rewriting_their_values() -> None:
    """A masked object key is renamed where it stands; its value can be masked too."""
    body = {"properties": {"a": 1, "alice@example.com": {"d": "alice@example.com"}, "z": 2}}
    new = rewrite(
        body,
        {
            ("properties", "alice@example.com", Step.KEY): "<E1>",
            ("properties", "alice@example.com", "d"): "<E1>",
        },
    )
    assert list(new["properties"]) == ["a", "<E1>", "z"]
    assert new["properties"]["<E1>"] == {"d": "<E1>"}
    assert "alice@example.com" in body["properties"]


def test_rewrite_copies_bodies_nested_deeper_than_the_stack() -> None:
    """A deeply nested body is rewritten (and copied) without a recursion error."""
    nested: Any = "alice@example.com"
    for _ in range(5000):
        nested = {"k": nested}
    new = rewrite({"input": nested}, {("input", *["k"] * 5000): "<E1>"})
    node, original = new["input"], nested
    for _ in range(5000):
        assert node is not original
        node, original = node["k"], original["k"]
    assert (node, original) == ("<E1>", "alice@example.com")
