"""The request walk finds what a plain recursive reading of its rules finds: the same texts,
at the same locations, with the same roles, in the same order, and the same attachments."""

from __future__ import annotations

from base64 import b64encode
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fuzzing import examples
from wire.apis import walk
from wire.apis.registry import WIRE_APIS
from wire.apis.texts import AttachmentParts, Collector, Extracted, Location, Step

#: Every attachment part type of every served API, as the registry hands them to the walk.
PARTS: AttachmentParts = {
    kind: part for api in WIRE_APIS.apis for kind, part in api.attachment_parts.items()
}


def reference_walk(
    body: dict[str, Any], roles: Mapping[str, str], parts: AttachmentParts
) -> Extracted:
    """The walk's rules (module docstring of :mod:`wire.apis.walk`) read recursively."""
    out = Collector()

    def starts_free_form(key: str, item: Any) -> bool:
        return key in walk.FREE_FORM_FIELDS and (
            isinstance(item, dict) or (isinstance(item, list) and key != "input")
        )

    def string(location: Location, value: str, field: str, role: str, free: bool) -> None:
        if value in walk.SCHEMA_WORDS:
            return
        if free:
            out.text(location, value, role)
        elif walk.carries_no_free_text(field) or (
            (field == "id" or field.endswith(("_id", "_ids")))
            and len(value) <= 8
            and all(c.isascii() and (c.isalnum() or c in "_-") for c in value)
        ):
            return  # an exempt field, or a short id
        elif (field == "id" or field.endswith(("_id", "_ids"))) and (
            start := walk.id_prefix_end(value)
        ):
            out.text((*location, Step.ID), value[start:], role)
        elif field in ("url", "image_url", "file_url") and value.startswith(
            ("http://", "https://")
        ):
            out.text((*location, Step.URL), walk.credential_view(value), role)
        elif field in ("data", "file_data") or (
            field in ("url", "image_url", "file_url") and value.startswith("data:")
        ):
            header, _, data = value.partition(",")
            if value.startswith("data:") and "%" in value and not header.endswith(";base64"):
                out.text((*location, Step.PERCENT), unquote(data), role)
                return
            head = walk._base64_head(value)
            if head is None:
                out.text(location, value, role)
            elif walk._looks_like_text(head):
                text = walk._decoded_text(value)
                if text is None:
                    out.text(location, value, role)
                else:
                    out.text((*location, Step.BASE64), text, role)
        else:
            out.text(location, value, role)

    def visit(location: Location, value: Any, field: str, role: str, free: bool) -> None:
        if isinstance(value, str):
            string(location, value, field, role, free)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                visit((*location, index), item, field, role, free)
        elif isinstance(value, dict):
            names = free or field in walk.NAMED_ENTRIES
            if not free:
                out.part(location, value, parts)
                role = walk._role_of(value, role)
            for key, item in value.items():
                if names:
                    string((*location, key, Step.KEY), key, key, role, True)
                visit(
                    (*location, key),
                    item,
                    field if names else key,
                    "tool_call" if key in ("tool_calls", "function_call") and not free else role,
                    free
                    or starts_free_form(key, item)
                    or (key in ("data", "file_data") and value.get("type") == "text"),
                )

    for key, item in body.items():
        visit((key,), item, key, roles.get(key, "request"), starts_free_form(key, item))
    return out.result()


KEYS = [
    *("model", "role", "type", "content", "messages", "tools", "parameters", "input"),
    *("arguments", "metadata", "variables", "url", "image_url", "data", "file_data", "id"),
    *("user_id", "encrypted_content", "tool_calls", "function_call", "text", "properties"),
    *("image_url", "input_audio", "file", "document", "source", "name", "x", "status"),
]
STRINGS = [
    *("", "hello there", "string", "object", "user", "function_call_output", "tool_use"),
    *("text", "image_url", "https://example.com/a.png", "data:image/png;base64,iVBORw0KGgo="),
    b64encode(b"a plain text file\n").decode(),
    b64encode(b"\x89PNG\r\n\x1a\n\x00\x00binary").decode(),
    "data:text/plain;base64," + b64encode(b"notes with a name").decode(),
    *("not base64 at all!", "thinking", "reasoning"),
]
json_values = st.recursive(
    st.sampled_from(STRINGS) | st.integers(0, 3) | st.booleans() | st.none(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS), inner, max_size=5)
        # A typed part (text, image, document, tool call...) with one field beside its type.
        | st.builds(
            lambda kind, key, value: {"type": kind, key: value},
            st.sampled_from(["text", "image_url", "input_audio", "file", "document", "tool_use"]),
            st.sampled_from(KEYS),
            inner,
        )
    ),
    max_leaves=30,
)
bodies = st.dictionaries(st.sampled_from(KEYS), json_values, max_size=6)


@settings(max_examples=examples(400), deadline=None)
@given(body=bodies, api=st.sampled_from([api.api for api in WIRE_APIS.apis]))
def test_the_walk_finds_what_its_rules_say(body: dict[str, Any], api: str) -> None:
    """For any body of any served API's fields, the walk's texts (location, text, role, in
    order) and attachments are those of the recursive reading of the same rules."""
    wire = WIRE_APIS.for_api(api)
    assert wire is not None
    roles = getattr(wire, "request_roles", {})
    got = walk.walk_request(body, roles, PARTS)
    assert got == reference_walk(body, roles, PARTS)


#: Messages that are a role and a content only (what the walk reads in place), beside others.
messages = st.lists(
    st.fixed_dictionaries({"role": st.sampled_from(STRINGS) | json_values, "content": json_values})
    | st.fixed_dictionaries({"content": json_values, "role": st.sampled_from(STRINGS)})
    | json_values,
    max_size=5,
)
chat_bodies = st.dictionaries(st.sampled_from(KEYS), messages | json_values, max_size=4)


@settings(max_examples=examples(400), deadline=None)
@given(body=chat_bodies, api=st.sampled_from([api.api for api in WIRE_APIS.apis]))
def test_plain_messages_are_read_as_their_rules_say(body: dict[str, Any], api: str) -> None:
    """Lists of role-and-content messages under any field (messages, named entries, free-form
    JSON) give the texts, roles and order of the recursive reading."""
    wire = WIRE_APIS.for_api(api)
    assert wire is not None
    roles = getattr(wire, "request_roles", {})
    assert walk.walk_request(body, roles, PARTS) == reference_walk(body, roles, PARTS)
