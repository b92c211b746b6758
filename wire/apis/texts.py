"""What a body holds for inspection: texts and attachments, each with its location.

Every piece of text is returned with its *location*: the path of keys and indexes from the
body's root to the string (``("messages", 2, "content", 0, "text")``), so a rewritten text
(redacted, pseudonymised) can be put back exactly where it came from (see
:func:`wire.apis.walk.rewrite`). Images, audio and files are not text: they are returned as
attachments with their kind and the decoded size of inline (base64) data, so rules can count
and size-limit them. Shared by every API's module.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Any, NamedTuple

Location = tuple[str | int, ...]


class Step(IntEnum):
    """The last step of a location whose text is not simply the string there.

    Negative, so it can never be mistaken for a list index.
    """

    #: The text is the *name* of the entry at the location before this step.
    KEY = -1
    #: The text is the UTF-8 decoding of the base64 (or ``data:`` URL) string there.
    BASE64 = -2
    #: The text is the percent-decoding of the plain (not base64) ``data:`` URL there.
    PERCENT = -3
    #: The text is the ``http(s)://`` attachment URL there, its signing parameters' values
    #: left out (:func:`wire.apis.walk.credential_view`).
    URL = -4
    #: The text is the id there after its provider prefix (``resp_``, ``file-``), which says
    #: which kind of object the id names and stays as sent (h156).
    ID = -5


class AttachmentKind(StrEnum):
    IMAGE = "image"
    AUDIO = "audio"
    FILE = "file"


class TextPart(NamedTuple):
    """One string in a body and where it is.

    A NamedTuple (immutable, named fields), not a frozen dataclass: one is made for every
    text of every body, a chat's whole history on each call, and a tuple is made in C.
    """

    location: Location
    text: str
    #: Who wrote it: a message role ("user", "system", "developer", "assistant", "tool"),
    #: "tool_call" for what the model produced in a tool call (its arguments: JSON text),
    #: "tool" for tool results, "system" for system prompts and instructions,
    #: "tool_definition" for tool and function definitions (names, descriptions, schemas),
    #: "prompt"/"input" for completions prompts and embeddings inputs, and "request" for
    #: any other request field (metadata, prediction, output schemas, stop sequences...).
    role: str


@dataclass(frozen=True, slots=True)
class Attachment:
    """A non-text part (image, audio, file)."""

    location: Location
    kind: AttachmentKind
    #: Decoded size of inline base64 data; 0 for attachments referenced by URL or file id.
    size_bytes: int


@dataclass(frozen=True, slots=True)
class Extracted:
    """What a body holds for inspection."""

    texts: tuple[TextPart, ...] = ()
    attachments: tuple[Attachment, ...] = ()

    @property
    def text_chars(self) -> int:
        return sum(len(part.text) for part in self.texts)


@dataclass(frozen=True, slots=True)
class AttachmentPart:
    """A content part type that is an attachment: its kind, and where its data is.

    ``data`` lists paths of keys inside the part; the first that leads through objects to a
    string is the data (a URL or base64), else the attachment has no inline data. A part
    whose data sits in an object of ``"type": "text"`` (an Anthropic plain-text document)
    is text, not an attachment.
    """

    kind: AttachmentKind
    data: tuple[tuple[str, ...], ...]

    def read(self, part: dict[str, Any]) -> tuple[bool, Any]:
        """Whether ``part`` is an attachment, and its data (``None`` when not inline)."""
        for path in self.data:
            node: Any = part
            for key in path[:-1]:
                node = node.get(key) if isinstance(node, dict) else None
            if not isinstance(node, dict):
                continue
            if node.get("type") == "text":
                return False, None
            if isinstance(node.get(path[-1]), str):
                return True, node[path[-1]]
        return True, None


#: Attachment part types by the ``type`` a content part names.
AttachmentParts = Mapping[str, AttachmentPart]


class Collector:
    """Gathers the texts and attachments of one body, in document order."""

    def __init__(self) -> None:
        self.texts: list[TextPart] = []
        self.attachments: list[Attachment] = []

    def text(self, location: Location, value: Any, role: str) -> None:
        if isinstance(value, str) and value:
            self.texts.append(TextPart(location, value, role))

    def attach(self, location: Location, kind: AttachmentKind, data: Any = None) -> None:
        self.attachments.append(Attachment(location, kind, base64_size(data)))

    def content(
        self, location: Location, content: Any, role: str
    ) -> Iterator[tuple[Location, dict[str, Any]]]:
        """A message's content: a string is taken as text; each object of a list of parts
        is yielded with its location, for the API's module to read."""
        if isinstance(content, str):
            self.text(location, content, role)
            return
        for index, part in items(content):
            yield (*location, index), part

    def part(self, location: Location, part: dict[str, Any], parts: AttachmentParts) -> None:
        """Record ``part`` as an attachment if its type is one of ``parts``."""
        kind = part.get("type")
        spec = parts.get(kind) if isinstance(kind, str) else None
        if spec is not None:
            attached, data = spec.read(part)
            if attached:
                self.attach(location, spec.kind, data)

    def leaves(self, location: Location, value: Any, role: str) -> None:
        """Every string inside a JSON value (tool inputs given as objects)."""
        for where, text in string_leaves(location, value):
            self.text(where, text, role)

    def result(self) -> Extracted:
        return Extracted(tuple(self.texts), tuple(self.attachments))


def base64_size(data: Any) -> int:
    """Decoded size of base64 text (a ``data:`` URL's payload too); 0 for anything else."""
    if not isinstance(data, str) or not data:
        return 0
    start = 0
    if data.startswith("data:"):
        comma = data.find(",")
        if comma < 0:
            return 0
        start = comma + 1
        if not data.endswith(";base64", 0, comma):
            return len(data) - start
    elif data.startswith(("http://", "https://")):
        return 0
    # Measured without copying: inline data can be megabytes.
    padding = 2 if data.endswith("==") else 1 if data.endswith("=") else 0
    return (len(data) - start - padding) * 3 // 4


def string_leaves(location: Location, value: Any) -> Iterator[tuple[Location, str]]:
    """Every string inside a JSON value, with its location."""
    if isinstance(value, str):
        yield location, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from string_leaves((*location, key), item)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from string_leaves((*location, index), item)


def items(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    """(index, object) for each object in a JSON list; nothing for anything else."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item
