"""Every string of a request body, deny by default; and rewriting texts back into a body.

**Requests are inspected deny-by-default.** Every string in a request body is a text to
inspect, wherever it is, unless it is in this short list of places known to carry no free
text (:func:`carries_no_free_text`):

- the fields in :data:`NO_FREE_TEXT_FIELDS`: discriminators and enums the
  provider validates against a fixed set (``role``, ``type``, ``status``, ``detail``,
  ``tool_choice`` strings, ``service_tier``, ...), and opaque blobs the provider issued
  (``signature``, ``encrypted_*``);
- the prefix of an id: under ``id`` or any ``*_id`` / ``*_ids`` field, a value behind a
  provider's id prefix (:data:`ISSUED_PREFIX`: ``call_…``, ``toolu_…``, ``resp_…``) is read
  after it, at a location ending in :attr:`Step.ID` (a caller may write anything there, a
  key behind ``resp_`` too: h136, h156), and :func:`rewrite` puts the prefix back; a
  value of 8 id characters at most is skipped (no detector finds a credential that
  short); any other value there is a text;
- the signatures of presigned attachment URLs: an ``http(s)://`` URL in ``url``,
  ``image_url`` or ``file_url`` is a text (a key in its query string or its userinfo is sent
  to the provider) at a location ending in :attr:`Step.URL`, read without the values of the
  signing parameters of a presigned S3, GCS, Azure or CloudFront URL (:func:`credential_view`),
  which the caller means the provider to use; :func:`rewrite` puts them back;
- attachment payloads: base64 in ``data`` / ``file_data``, or a ``data:`` URL in those URL
  fields, that decodes to binary (images, audio, PDFs). Base64 that decodes to UTF-8 text
  (a text file) *is* inspected, as its decoded text at a location ending in
  :attr:`Step.BASE64`; :func:`rewrite` re-encodes it. So is a plain ``data:`` URL's
  percent-encoded text (:attr:`Step.PERCENT`).

Numbers, booleans and nulls carry no text, nor does a string that is exactly a JSON Schema
keyword or type name (:data:`SCHEMA_WORDS`). New provider fields are therefore inspected
without anyone adding them here. Inside free-form JSON (:data:`FREE_FORM_FIELDS`: tool
parameter and output schemas, tool-call inputs, metadata, headers, ...) nothing is exempt and
object *keys* are inspected too, at locations ending in :attr:`Step.KEY`; so are the keys
of :data:`NAMED_ENTRIES` maps (prompt variables). Other object keys are the API's own field
names and are not inspected.

The walk is the same for every API: each API's module only names the role of its top-level
fields (:func:`walk_request`), and bodies of endpoints no module serves are walked with none.
Attachment part types are each API's own (:class:`~wire.apis.texts.AttachmentPart`); every
registered API's are recognised in every body, since a pass-through body (an Anthropic
message batch) can hold another API's requests.
"""

from __future__ import annotations

import base64
import binascii
import functools
import re
import string
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, unquote

import orjson

from wire.apis.texts import AttachmentParts, Collector, Extracted, Location, Step, TextPart

#: Fields whose strings carry no free text: values the provider checks against a fixed set,
#: and opaque blobs it issued. Not ids (:func:`issued_id`). Not ``model``: an open
#: register routes any name, so a credential sent as the model reached the provider and the
#: event log in clear (h131); model names are short, and detectors are quiet on them.
NO_FREE_TEXT_FIELDS = frozenset(
    {
        "role",
        "type",
        "status",
        "detail",
        "media_type",
        "tool_choice",
        "service_tier",
        "reasoning_effort",
        "effort",
        "verbosity",
        "truncation",
        "modalities",
        "include",
        "encoding_format",
        "ttl",
        "signature",
    }
)

#: Fields holding JSON that the caller or the model wrote freely (JSON schemas, tool-call
#: inputs, metadata, headers): every string and every object key in them is text.
FREE_FORM_FIELDS = frozenset(
    {
        "parameters",
        "schema",
        "input_schema",
        "output_schema",
        "input_examples",
        "input",  # an Anthropic tool_use input object; the Responses input *list* has structure
        "arguments",
        "metadata",
        "attributes",
        "headers",
        "env",
        "configs",
        "annotations",
        "trigger",
    }
)

#: The field of an answer's log probabilities (see :func:`rewrite`).
LOGPROBS = "logprobs"
#: An audio answer's text (chat ``message.audio.transcript``) and its speech: masking the
#: text cannot mask the speech, so a changed transcript's audio goes out empty (:func:`rewrite`).
AUDIO, TRANSCRIPT, AUDIO_DATA = "audio", "transcript", "data"

#: Maps whose keys are names the caller chose; their values keep the API's structure.
NAMED_ENTRIES = frozenset({"variables"})

#: JSON Schema keywords and type names. A string (or key) that is exactly one of these is
#: vocabulary, not text: it holds nothing a detector could find, so it is not sent to one.
SCHEMA_WORDS = frozenset(
    {
        *("type", "properties", "required", "description", "title", "items", "enum"),
        *("const", "default", "examples", "format", "pattern", "additionalProperties"),
        *("anyOf", "oneOf", "allOf", "not", "$ref", "$defs", "definitions", "$schema"),
        *("minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems", "strict"),
        *("object", "string", "integer", "number", "boolean", "array", "null"),
    }
)

_LONGEST_SCHEMA_WORD = max(map(len, SCHEMA_WORDS))
_URL_FIELDS = frozenset({"url", "image_url", "file_url"})
_URL_PREFIXES = ("http://", "https://", "data:")

#: The query parameters that sign a presigned URL, by the parameter that marks its scheme
#: (lower case): AWS SigV4, GCS V4, Azure SAS, and the V2 style of S3, GCS and CloudFront.
#: Their values are signatures and the signer's public ids, shared with whoever fetches the
#: URL; read as text, detectors flag them (Azure's ``sig``, a GCS signer's e-mail address,
#: an ``AKIA`` key id). Only with their scheme's marker: ``?sig=`` alone is read (h136).
PRESIGNED_SIGNING = {
    "x-amz-algorithm": frozenset({"x-amz-signature", "x-amz-credential", "x-amz-security-token"}),
    "x-goog-algorithm": frozenset({"x-goog-signature", "x-goog-credential"}),
    "sv": frozenset({"sig"}),
    "expires": frozenset(
        {"signature", "awsaccesskeyid", "googleaccessid", "key-pair-id", "policy"}
        | {"x-amz-security-token"}
    ),
}
_PAYLOAD_FIELDS = frozenset({"data", "file_data"})
#: The role of tool and function definitions (names, descriptions, schemas).
TOOL_DEFINITION = "tool_definition"
#: Keys below the top level whose values the model produced as tool calls.
_TOOL_CALL_KEYS = frozenset({"tool_calls", "function_call"})


@functools.lru_cache(maxsize=1024)
def carries_no_free_text(field: str) -> bool:
    """Whether strings under ``field`` (the nearest object key) are exempt from inspection.

    Only for the API's own structure: inside free-form JSON nothing is exempt. Memoised
    (asked for nearly every value of every body, of a few dozen field names).
    """
    return field in NO_FREE_TEXT_FIELDS or field.startswith("encrypted_")


#: The prefixes of ids the providers issue (OpenAI chat, Responses and Assistants items,
#: files and batches; Anthropic messages, tool uses, files and batches; vLLM's tool calls).
_ISSUED_PREFIXES = (
    *("call", "chatcmpl", "chatcmpl-tool", "resp", "msg", "fc", "rs", "ws", "ci", "ig"),
    *("mcp", "mcpr", "ctc", "lsh", "cu", "file", "asst", "thread", "run", "step", "batch"),
    *("vs", "conv", "pmpt", "cntr", "toolu", "srvtoolu", "msgbatch", "req"),
)
#: A provider-issued id: a known prefix, ``_`` or ``-``, then letters and digits alone. No
#: second separator: ``call_ghp_…`` (a key behind a prefix) is not of this shape. Or a short
#: id of id characters (``c1``, ``t``, a test's or a local model server's): 8 characters
#: alone are no credential any detector finds, so reading them would only cost.
_PREFIXES = "|".join(sorted(map(re.escape, _ISSUED_PREFIXES), key=len, reverse=True))
_ISSUED_ID = re.compile(rf"(?:{_PREFIXES})[_-][A-Za-z0-9]{{6,128}}|[A-Za-z0-9_-]{{1,8}}")
#: The longest id left unread, and its characters.
_SHORT_ID_CHARS = 8
_SHORT = re.compile(r"[A-Za-z0-9_-]{1,8}")
#: A provider-issued id's prefix with its separator (``file-``, ``batch_``, ``msgbatch_``):
#: what says which object an id names, whatever follows it.
ISSUED_PREFIX = re.compile(rf"(?:{_PREFIXES})[_-]")


@functools.lru_cache(maxsize=1024)
def _is_id_field(field: str) -> bool:
    return field == "id" or field.endswith(("_id", "_ids"))


def issued_id(field: str, value: str) -> bool:
    """Whether ``value`` under ``field`` is of the shape of an id a provider issued (or a
    short one): such an id rests in clear once the policy passed it. The walk reads it all
    the same (:func:`id_prefix_end`): a caller may send anything as ``previous_response_id``
    or a tool call's id (h131, h156).
    """
    return _is_id_field(field) and _ISSUED_ID.fullmatch(value) is not None


def _short_id(field: str, value: str) -> bool:
    """Whether ``value`` under ``field`` is an id of 8 id characters at most (``c1``, a
    test's or a local model server's): no credential any detector finds is that short, so
    reading it would only cost."""
    return len(value) <= _SHORT_ID_CHARS and _is_id_field(field) and bool(_SHORT.fullmatch(value))


def id_prefix_end(value: str) -> int:
    """Where the part of ``value`` after a provider's id prefix starts (0 when it has
    none, or nothing after it): of ``resp_AKIA…`` the policy reads ``AKIA…``, which the
    prefix's word characters would hide from a detector's word boundary."""
    issued = ISSUED_PREFIX.match(value)
    return issued.end() if issued and issued.end() < len(value) else 0


def _role_of(item: dict[str, Any], role: str) -> str:
    """The role of an object's contents: its own ``role``, or one implied by its type."""
    own = item.get("role")
    if isinstance(own, str):
        return own
    kind = item.get("type")
    if not isinstance(kind, str):
        return role
    if kind.endswith(("_call", "tool_use")):  # function_call, server_tool_use, ...
        return "tool_call"
    if kind.endswith(("_output", "tool_result")):  # function_call_output, tool_result, ...
        return "tool"
    if kind in ("reasoning", "thinking", "redacted_thinking"):
        return "assistant"
    return role


#: A value still to visit, with what its place in the body says about it: its location, the
#: value, the nearest object key above it (list items share their list's key), the role of
#: its text, and whether it is inside free-form JSON (everything is text, keys included).
#: A plain tuple: a body has a node per value, and the walk runs over the whole body (a
#: chat's history included) on every call.
_Node = tuple[Location, Any, str, str, bool]


#: How much of a base64 payload is decoded to tell text from binary data.
_SNIFF_CHARS = 4096
_BASE64_ALPHABET = (string.ascii_letters + string.digits + "+/=").encode()


def _base64_head(value: str) -> bytes | None:
    """The first bytes that ``value`` (base64, or a ``data:`` URL of it) encodes.

    ``None`` if it does not start as base64: then it is not a payload but plain text.
    """
    start = 0
    if value.startswith("data:"):
        comma = value.find(",")
        if comma < 0 or not value.endswith(";base64", 0, comma):
            return None
        start = comma + 1
    head = "".join(value[start : start + _SNIFF_CHARS].split())  # MIME line breaks
    if not head.isascii() or head.encode("ascii").translate(None, _BASE64_ALPHABET):
        return None
    try:
        return binascii.a2b_base64(head[: len(head) // 4 * 4])
    except binascii.Error:
        return None


def _looks_like_text(head: bytes) -> bool:
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # The sample may end inside a multi-byte character.
        if exc.start < len(head) - 3 or exc.reason != "unexpected end of data":
            return False
        text = head[: exc.start].decode("utf-8")
    return "\x00" not in text


def _decoded_text(value: str) -> str | None:
    """The UTF-8 text that base64 ``value`` encodes, decoded as leniently as a provider
    would (characters outside the alphabet skipped); ``None`` if it is not such text."""
    payload = value.partition(",")[2] if value.startswith("data:") else value
    compact = "".join(payload.split())
    try:
        text = binascii.a2b_base64(compact + "=" * (-len(compact) % 4)).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return None if "\x00" in text else text


def _payload(out: Collector, location: Location, value: str, role: str) -> None:
    """Inline file, image or audio data: a text file is text, binary data is not.

    Only the start of binary data is decoded, so images and PDFs cost next to nothing.
    Whatever follows it is base64 to the provider too, never text the model reads.
    """
    if value.startswith("data:") and "%" in value:
        header, _, data = value.partition(",")
        if not header.endswith(";base64"):
            # A plain data: URL holds its text percent-encoded: inspected decoded (h131).
            out.text((*location, Step.PERCENT), unquote(data), role)
            return
    head = _base64_head(value)
    if head is None:
        out.text(location, value, role)  # not base64: plain text
    elif _looks_like_text(head):
        text = _decoded_text(value)
        if text is None:  # text at the start only: inspect it as it is
            out.text(location, value, role)
        else:
            out.text((*location, Step.BASE64), text, role)


def _query_pairs(url: str) -> tuple[str, list[str]]:
    """The URL before its query, and the query's ``name=value`` pieces (no fragment)."""
    base, _, query = url.partition("?")
    return base, query.split("&") if query else []


def _signing_names(pieces: list[str]) -> frozenset[str]:
    """The (lower-case) names of the signing parameters of the presigned URL's scheme."""
    names = {piece.partition("=")[0].lower() for piece in pieces}
    found: frozenset[str] = frozenset()
    for marker, signing in PRESIGNED_SIGNING.items():
        if marker in names:
            found |= signing
    return found


def credential_view(url: str) -> str:
    """``url`` with the values of its presigned signing parameters left out (``sig=``).

    What the caller wrote into the URL (userinfo, ``?access_token=``, ``key=``) is read;
    the signature a storage service issued is not. Without a query: the URL itself.
    """
    base, pieces = _query_pairs(url)
    signing = _signing_names(pieces)
    if not signing:
        return url
    kept = [
        f"{name}=" if (name := piece.partition("=")[0]).lower() in signing else piece
        for piece in pieces
    ]
    return f"{base}?{'&'.join(kept)}"


def _with_signatures(original: str, view: str) -> str:
    """The masked ``view`` of ``original`` with the signing values it left out put back."""
    _, pieces = _query_pairs(original)
    signing = _signing_names(pieces)
    values = {piece.partition("=")[0]: piece for piece in pieces}
    base, masked = _query_pairs(view)
    if not signing or not masked:
        return view
    restored = [
        values.get(piece[:-1], piece) if piece[:-1].lower() in signing else piece
        for piece in masked
    ]
    return f"{base}?{'&'.join(restored)}"


def _encode_like(original: str, text: str) -> str:
    """``text`` base64-encoded the way ``original`` was (keeping a ``data:`` URL header)."""
    encoded = base64.b64encode(text.encode()).decode("ascii")
    if original.startswith("data:"):
        return f"{original.partition(',')[0]},{encoded}"
    return encoded


def _starts_free_form(key: str, item: Any) -> bool:
    if key not in FREE_FORM_FIELDS:
        return False
    # Responses' top-level ``input`` is an item list with structure, not free-form JSON.
    return isinstance(item, dict) or (isinstance(item, list) and key != "input")


def _string(  # noqa: PLR0917 - the node's fields, unpacked: called once per string
    out: Collector, location: Location, value: str, field: str, role: str, free: bool
) -> None:
    if len(value) <= _LONGEST_SCHEMA_WORD and value in SCHEMA_WORDS:
        return
    if free:
        out.text(location, value, role)
    elif carries_no_free_text(field) or _short_id(field, value):
        return
    elif _is_id_field(field) and (start := id_prefix_end(value)):
        out.text((*location, Step.ID), value[start:], role)
    elif field in _URL_FIELDS and value.startswith(_URL_PREFIXES):
        # A ``data:`` URL is the attachment itself, and one holding text rather than an
        # image is read like a payload (h131); an http(s) URL is read without the
        # signature a presigned URL carries (h136).
        if value.startswith("data:"):
            _payload(out, location, value, role)
        else:
            out.text((*location, Step.URL), credential_view(value), role)
    elif field in _PAYLOAD_FIELDS:
        _payload(out, location, value, role)
    else:
        out.text(location, value, role)


def _object(out: Collector, node: _Node, stack: list[_Node], parts: AttachmentParts) -> None:
    location, value, field, role, free = node
    names = free or field in NAMED_ENTRIES
    if not free:
        kind = value.get("type")
        if isinstance(kind, str) and kind in parts:  # what Collector.part asks first
            out.part(location, value, parts)
        own = value.get("role")  # what _role_of asks first: a message names its own
        role = own if isinstance(own, str) else _role_of(value, role)
    children: list[_Node] = []
    for key, item in value.items():
        if not isinstance(key, str):
            continue
        if names:  # the name is a text of its own, just before its value
            if children:
                children.append(((*location, key, Step.KEY), key, key, role, True))
            else:
                _string(out, (*location, key, Step.KEY), key, key, role, True)
        # A named entry's value is judged by the map's field, never by its chosen name.
        child_field = field if names else key
        # What _starts_free_form and _yields_nothing decide, by the item's type.
        if isinstance(item, str):
            # An Anthropic plain-text document source's ``data`` is the document's text.
            child_free = free or (key in _PAYLOAD_FIELDS and value.get("type") == "text")
            if not child_free and carries_no_free_text(child_field):
                continue
            child_role = "tool_call" if key in _TOOL_CALL_KEYS and not free else role
            if not children:
                # Nothing of this object is waiting: the string's turn is now, and read
                # here it is never pushed and popped (a message's content, most often).
                _string(out, (*location, key), item, child_field, child_role, child_free)
                continue
        elif isinstance(item, dict | list):
            child_free = (
                free
                or _starts_free_form(key, item)
                or (key in _PAYLOAD_FIELDS and value.get("type") == "text")
            )
            child_role = "tool_call" if key in _TOOL_CALL_KEYS and not free else role
        else:
            continue  # a number, boolean or null: no text
        children.append(((*location, key), item, child_field, child_role, child_free))
    stack.extend(reversed(children))


def _list(out: Collector, node: _Node, stack: list[_Node], parts: AttachmentParts) -> None:
    """A list's items in order: each read here while nothing it left is waiting (a chat's
    messages, each read whole by :func:`_object`), then the rest pushed below what waits."""
    location, value, field, role, free = node
    # What _yields_nothing decides of an item, its field and freedom being the list's.
    strings = free or not carries_no_free_text(field)
    # Whether an item may be read here as a plain message rather than by _object: not
    # inside free-form JSON or a map of named entries, whose keys are texts too.
    messages = not free and field not in NAMED_ENTRIES
    texts = out.texts
    mark = len(stack)
    for index, item in enumerate(value):
        if len(stack) != mark or isinstance(item, list):
            _push_items(node, index, strings, stack, mark)
            return
        if isinstance(item, dict):
            if messages and len(item) == 2:
                # A message that is only a role and a text content (most of a chat's
                # history): what _object finds in it, without its loop over the keys.
                content, own = item.get("content"), item.get("role")
                if type(content) is str and type(own) is str:
                    if content and not (
                        len(content) <= _LONGEST_SCHEMA_WORD and content in SCHEMA_WORDS
                    ):
                        texts.append(TextPart((*location, index, "content"), content, own))
                    continue
            _object(out, ((*location, index), item, field, role, free), stack, parts)
        elif strings and isinstance(item, str):
            _string(out, (*location, index), item, field, role, free)


def _push_items(node: _Node, start: int, strings: bool, stack: list[_Node], mark: int) -> None:
    """The list's items from ``start`` on, to be visited after the nodes above ``mark``."""
    location, value, field, role, free = node
    stack[mark:mark] = [
        ((*location, index), item, field, role, free)
        for index, item in reversed(list(enumerate(value))[start:])
        if isinstance(item, dict | list) or (strings and isinstance(item, str))
    ]


def _yields_nothing(value: Any, field: str, free: bool) -> bool:
    """True for a value the walk would visit and find no text in: a number, boolean or null,
    or, outside free-form JSON, a string under a field that carries no free text (a role, a
    type, an opaque blob). Not visiting it changes nothing (it adds no text, so no order)."""
    if isinstance(value, str):
        return not free and (carries_no_free_text(field) or _short_id(field, value))
    return not isinstance(value, dict | list)


def walk_request(
    body: dict[str, Any], roles: Mapping[str, str], parts: AttachmentParts
) -> Extracted:
    """Every string of ``body`` that the provider reads, in document order.

    ``roles`` names the role of top-level fields; any other top-level field is "request".
    ``parts`` are the attachment part types to recognise: those of every registered API,
    since a body can embed another API's parts (a message batch holds whole requests).
    Iterative, so a deeply nested body cannot exhaust the interpreter's stack.
    """
    out = Collector()
    stack: list[_Node] = []
    later: list[_Node] = []  # top-level fields after the first that left nodes waiting
    for key, item in body.items():
        if not isinstance(key, str):
            continue
        # What _yields_nothing decides, by the item's type: a number, boolean or null
        # yields nothing; a container always may (free-form JSON or not).
        if isinstance(item, str):
            # A string field (a model name, a user) never starts free-form JSON. Read here
            # while nothing waits, _string makes _yields_nothing's own checks (an exempt
            # field, a short id) before it keeps a text: not asked twice.
            if not (stack or later):
                _string(out, (key,), item, key, roles.get(key, "request"), False)
                continue
            if carries_no_free_text(key) or _short_id(key, item):
                continue
            free = False
        elif isinstance(item, dict | list):
            free = _starts_free_form(key, item)
        else:
            continue
        node: _Node = ((key,), item, key, roles.get(key, "request"), free)
        # Each field read here while nothing is waiting: a plain chat's fields, messages
        # included, are read without a node pushed.
        if stack or later:
            later.append(node)
        elif isinstance(item, dict):
            _object(out, node, stack, parts)
        else:
            _list(out, node, stack, parts)
    stack[0:0] = reversed(later)
    pop = stack.pop
    while stack:
        node = pop()
        value = node[1]
        if isinstance(value, str):
            _string(out, *node)
        elif isinstance(value, dict):
            _object(out, node, stack, parts)
        elif isinstance(value, list):
            _list(out, node, stack, parts)
    return out.result()


def _copy_json(value: Any) -> Any:
    """A deep copy of a JSON value, without recursion (bodies can nest deeper than the stack).

    orjson writes and reads it back in C first (a Responses stream's closing events copy the
    whole answer, four times: 2,340 of its bytecodes a call in Python; issue 11). That copy
    is kept only when it equals the value: orjson writes NaN and infinities as null, and a
    tuple as a list, and the lenient parser (:mod:`wire.sdkjson`) lets NaN into bodies. What
    orjson refuses (lone surrogates, integers past 64 bits, non-string keys, nesting past
    its limit) is copied here instead."""
    if not isinstance(value, dict | list):
        return value
    try:
        written: Any = orjson.loads(orjson.dumps(value))
    except (orjson.JSONEncodeError, orjson.JSONDecodeError):
        pass
    else:
        if written == value:
            return written
    root: Any = {} if isinstance(value, dict) else [None] * len(value)
    stack: list[tuple[Any, Any]] = [(value, root)]
    while stack:
        source, target = stack.pop()
        for key, item in source.items() if isinstance(source, dict) else enumerate(source):
            if isinstance(item, dict | list):
                twin: Any = {} if isinstance(item, dict) else [None] * len(item)
                stack.append((item, twin))
                target[key] = twin
            else:
                target[key] = item
    return root


_STEPS = frozenset({Step.KEY, Step.BASE64, Step.PERCENT, Step.URL, Step.ID})


def rewrite(body: Any, replacements: Mapping[Location, str]) -> Any:
    """A copy of ``body`` with the string at each location replaced; ``body`` is untouched.

    SECURITY: log probabilities spell the text they go with token by token (an answer's
    ``choices[].logprobs``, a Responses output part's): an object below the root on a
    changed location loses its ``logprobs``, or a masked value would reach the caller in
    them (h131). The root's is a request's setting (``"logprobs": true``), and stays.
    Likewise an ``audio`` object whose transcript changed goes out with its speech
    (``data``) empty: the audio would say the masked value aloud.

    A location ending in :attr:`Step.BASE64` gets the new text base64-encoded like the old
    payload, one ending in :attr:`Step.PERCENT` percent-encoded after the old ``data:``
    URL's header, one ending in :attr:`Step.URL` with the presigned URL's signing values
    put back, one ending in :attr:`Step.ID` after the id's provider prefix; one ending in
    :attr:`Step.KEY` renames that entry, keeping its place (two names masked alike merge
    into one entry: the masked text still never goes out).
    """
    result = _copy_json(body)
    # Log probabilities go once every value is in: a caller's text below a "logprobs" entry
    # is a location too, and dropping that entry first made its path fail (KeyError, a 500).
    stripped: list[Any] = []
    # Values first, then renames from the deepest, so no rename moves a path still needed.
    for location in sorted(replacements, key=lambda loc: (loc[-1:] == (Step.KEY,), -len(loc))):
        text = replacements[location]
        step = location[-1] if location else None
        path = location[:-1] if step in _STEPS else location
        if not path:
            raise ValueError("cannot rewrite the body root")
        node = result
        holders = []
        for depth, key in enumerate(path[:-1]):
            if depth and key != LOGPROBS:  # a text in logprobs is masked where it is
                holders.append(node)
            node = node[key]
        last = path[-1]
        if len(path) > 1 and last != LOGPROBS:
            holders.append(node)
        before = last if step == Step.KEY else node[last]
        if before != text:  # a text given back unchanged changes nothing (logprobs kept)
            stripped += holders
        if step == Step.KEY:
            entries = list(node.items())
            node.clear()
            node.update((text if name == last else name, item) for name, item in entries)
        elif step == Step.BASE64:
            node[last] = _encode_like(node[last], text)
        elif step == Step.PERCENT:
            node[last] = f"{node[last].partition(',')[0]},{quote(text)}"
        elif step == Step.URL:
            node[last] = _with_signatures(node[last], text)
        elif step == Step.ID:
            node[last] = node[last][: id_prefix_end(node[last])] + text
        else:
            if path[-2:] == (AUDIO, TRANSCRIPT) and node.get(last) != text:
                node[AUDIO_DATA] = ""  # the speech would still say what the text masks
            node[last] = text
    for holder in stripped:
        if isinstance(holder, dict):
            holder.pop(LOGPROBS, None)
    return result
