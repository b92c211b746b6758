"""Properties of text extraction: any JSON body, every API; locations always lead back to
the text, and rewriting puts text exactly there."""

from __future__ import annotations

import base64
import binascii
import copy
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from policies.extract import Location, Step, extract_request, extract_response, rewrite
from proxy.call.apis import Api
from tests.fuzzing import examples
from wire.apis import walk

FUZZ = settings(max_examples=examples(150), deadline=None, database=None)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


#: Keys that steer extraction (roles, attachments, free-form JSON, ids), and any others.
KEYS = st.sampled_from(
    [
        *("messages", "content", "role", "text", "type", "tools", "input", "image_url"),
        *("url", "data", "file_data", "metadata", "function", "arguments", "parameters"),
        *("system", "prompt", "instructions", "id", "tool_call_id", "name", "description"),
        *("variables", "properties", "source", "tool_calls", "model", "detail", "suffix"),
        *("encrypted_content", "schema", "input_audio", "file", "tool_choice", "output"),
    ]
) | st.text(max_size=8)
#: Strings that steer extraction (types, schema words, URLs, base64 text and binary), and
#: any others.
STRINGS = (
    st.sampled_from(
        [
            *("user", "assistant", "system", "tool", "text", "image_url", "input_image"),
            *("tool_use", "tool_result", "function_call", "input_audio", "document", "image"),
            *("string", "object", "type", "http://example.com/a.png", "data:,plain"),
            "data:image/png;base64," + b64(b"\x89PNG\r\n\x1a\n\x00\x00"),
            "data:text/plain;base64," + b64(b"a text file with words"),
            b64("plain base64 text, é".encode()),
            b64(b"\x00\x01\x02 binary"),
            "not base64 at all!",
        ]
    )
    | st.text()
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | STRINGS
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=5),
    max_leaves=40,
)
BODIES = st.dictionaries(KEYS, JSON, max_size=6) | JSON
APIS = st.sampled_from(
    [Api.CHAT, Api.COMPLETIONS, Api.EMBEDDINGS, Api.RESPONSES, Api.MODELS, Api.MESSAGES, Api.OTHER]
)


def _walk(body: Any, path: Location) -> Any:
    node = body
    for step in path:
        node = node[step]
    return node


def resolve(body: Any, location: Location) -> str:
    """The text ``location`` designates in ``body``, read independently of the extractor."""
    if location[-1] == Step.KEY:
        parent = _walk(body, location[:-2])
        assert isinstance(parent, dict)
        assert location[-2] in parent
        return str(location[-2])
    if location[-1] == Step.BASE64:
        value = _walk(body, location[:-1])
        assert isinstance(value, str)
        payload = value.partition(",")[2] if value.startswith("data:") else value
        compact = "".join(payload.split())
        return binascii.a2b_base64(compact + "=" * (-len(compact) % 4)).decode("utf-8")
    if location[-1] == Step.URL:
        value = _walk(body, location[:-1])
        assert isinstance(value, str)
        return walk.credential_view(value)
    value = _walk(body, location)
    assert isinstance(value, str)
    return value


@FUZZ
@given(APIS, BODIES)
def test_every_location_leads_back_to_its_text(api: Api, body: Any) -> None:
    """Any JSON body is extracted without error, and each text's location designates
    exactly that text (a value, an entry's name, or decoded base64)."""
    before = copy.deepcopy(body)
    extracted = extract_request(api, body)
    assert body == before
    for part in extracted.texts:
        assert part.text
        assert resolve(body, part.location) == part.text


#: Answers of every API's shape, their fields bent to any JSON.
ANSWERS = (
    st.fixed_dictionaries(
        {},
        optional={
            "choices": st.lists(
                st.fixed_dictionaries(
                    {}, optional={"message": st.dictionaries(KEYS, JSON), "text": JSON}
                )
            )
            | JSON,
            "content": st.lists(st.dictionaries(KEYS, JSON, max_size=4), max_size=3) | JSON,
            "output": st.lists(st.dictionaries(KEYS, JSON, max_size=4), max_size=3) | JSON,
        },
    )
    | BODIES
)


@FUZZ
@given(APIS, ANSWERS)
def test_every_answer_location_leads_back_to_its_text(api: Api, body: Any) -> None:
    """Any answer body is extracted without error, and each text's location designates
    exactly that text, so masking an answer rewrites what was found."""
    for part in extract_response(api, body).texts:
        assert part.text
        assert resolve(body, part.location) == part.text
    replacements = {p.location: "~masked~" for p in extract_response(api, body).texts}
    result = rewrite(body, replacements)
    for location in replacements:
        assert resolve(result, location) == "~masked~"


@FUZZ
@given(APIS, BODIES)
# The soak drew it: a text given back unchanged dropped its container's logprobs.
@example(Api.CHAT, {"messages": {"messages": "user", "logprobs": None}})
def test_rewriting_every_text_with_itself_changes_nothing(api: Api, body: Any) -> None:
    """``rewrite`` with each text unchanged returns an equal body and leaves the original
    untouched (base64 payloads compared by what they decode to)."""
    parts = extract_request(api, body).texts
    before = copy.deepcopy(body)
    same = rewrite(body, {p.location: p.text for p in parts if p.location[-1] != Step.BASE64})
    assert same == body == before
    again = rewrite(body, {p.location: p.text for p in parts})
    assert [(p.location, p.text) for p in extract_request(api, again).texts] == [
        (p.location, p.text) for p in parts
    ]


@FUZZ
@given(APIS, BODIES)
# A caller's text below a nested "logprobs" entry raised KeyError (a 500) once a text
# beside it was masked first.
@example(Api.CHAT, {"messages": [{"content": "hi", "x": {"y": "z"}, "logprobs": {"a": "t"}}]})
def test_rewritten_values_land_exactly_at_their_locations(api: Api, body: Any) -> None:
    """Replacing every extracted value (not entry names) puts each replacement at its
    location and nowhere else: no original text is left at a rewritten location."""
    parts = [p for p in extract_request(api, body).texts if p.location[-1] != Step.KEY]
    replacements = {p.location: f"~masked {i}~" for i, p in enumerate(parts)}
    result = rewrite(body, replacements)
    for location, text in replacements.items():
        if not _under_dropped_logprobs(result, location):
            assert resolve(result, location) == text


def _under_dropped_logprobs(body: Any, location: Location) -> bool:
    """The text at ``location`` went with a ``logprobs`` entry on its path: a changed text
    beside that entry drops it (log probabilities spell an answer token by token)."""
    node = body
    for depth, step in enumerate(location):
        if depth and step == walk.LOGPROBS and isinstance(node, dict) and step not in node:
            return True
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return False
    return False


@FUZZ
@given(APIS, st.dictionaries(KEYS, JSON, max_size=5))
def test_renamed_prompt_variables_keep_their_values(api: Api, variables: dict[str, Any]) -> None:
    """Masking the names of prompt variables renames them in place: every value stays
    under its new name, and only names that are not text (schema words) keep theirs."""
    body = {"variables": variables}
    names = [
        p
        for p in extract_request(api, body).texts
        if len(p.location) == 3 and p.location[-1] == Step.KEY
    ]
    result = rewrite(body, {p.location: f"~name {i}~" for i, p in enumerate(names)})
    kept = set(variables) - {p.text for p in names}
    assert set(result["variables"]) == {f"~name {i}~" for i in range(len(names))} | kept
    for i, part in enumerate(names):
        assert result["variables"][f"~name {i}~"] == variables[part.text]
