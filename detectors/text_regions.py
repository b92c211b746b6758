"""Where in a text a word lies: code, a URL, a command line, an identifier, a quoted string.

The NER filter (:mod:`detectors.ner_filter`) asks these questions of each PERSON or LOCATION
finding: a name inside a fenced block, an inline code span, a URL, a shell line, the
packages of an install command or an identifier (snake_case, CamelCase with inner capitals,
dotted names, paths, ``key=value``) is code, not a person; a quoted string of words inside
code ("name": "Ann Lee") and the message of a log record ("ERROR: payment failed for
customer Ann Lee") are text again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Name prefixes with an inner capital: "McDonald", "DeShawn", "LaToya", "DiCaprio".
_NAME_PREFIXES = _words("mc mac o de di da la le van von du st fitz al el ben abu")
_CAMEL = re.compile(r"([A-Z]?[a-z]+)[A-Z][\w]*")
_DOTTED_NAME = re.compile(r"[A-Za-z_]\w*(?:\.\w+)*\.[a-z_]\w*")
_IDENTIFIER_CHARS = frozenset("_/\\=@$<>{}[]|")
EDGE_PUNCTUATION = "\"'`()[]{}<>,;:!?*“”‘’"

_CODE_REGIONS = (
    re.compile(r"(```|~~~).*?(?:\1|\Z)", re.S),  # fenced blocks, unterminated too
    re.compile(r"`[^`\n]+`"),  # inline code
    re.compile(r"\b(?:[a-z][a-z0-9+.-]*://|www\.)\S+", re.I),  # URLs
    re.compile(r"^[ \t]*(?:\$|PS>|%)[ \t]+\S.*$", re.M),  # prompts of shells
    # the packages an install command names, up to the first capitalised word of prose
    re.compile(
        r"\b(?:pip3?|pipx|npm|pnpm|yarn|bun|brew|apt(?:-get)?|dnf|yum|apk|gem|cargo|go|"
        r"conda|mamba|poetry|uv|choco|winget|composer|dotnet)[ \t]+"
        r"(?:install|i|add|get|upgrade|remove|uninstall)\b(?:[ \t]+-{1,2}[\w-]+)*"
        r"[ \t]+\S+(?:[ \t]+(?![A-Z][a-z]*\b)[^\s;,]+)*"
    ),
)
_COMMANDS = _words(
    "kubectl docker podman git npm npx pip pip3 python python3 node yarn pnpm cargo go make "
    "helm terraform ansible ansible-playbook aws az gcloud curl wget ssh scp rsync sudo apt "
    "apt-get yum dnf brew systemctl journalctl psql mysql redis-cli mongosh export cd ls cat "
    "grep sed awk echo chmod chown mkdir rm cp mv tar uv poetry conda java mvn gradle dotnet "
    "heroku vercel netlify gh openssl nc kubeadm minikube kind k9s jq"
)
# A command at the start of a line, after an optional prompt; "> " alone quotes e-mail.
_COMMAND_LINE = re.compile(r"^[ \t]*(?:>[ \t]*)?([a-z][\w.-]*)[ \t]+\S.*$", re.M)
_STRING_LITERAL = re.compile(r"\"([^\"\n]*)\"|'([^'\n]*)'")
# The level of a log record ("production.ERROR:", "[WARN]", "INFO  [auth]"): what follows it
# on the line is a message written for people.
_LOG_LEVEL = re.compile(
    r"\b(?:ERROR|ERR|WARN|WARNING|INFO|DEBUG|CRITICAL|FATAL|TRACE|NOTICE|SEVERE|ALERT)\b"
    r"[\]:)>]?[ \t]*(?:\[[^\]\n]*\][ \t]*)?:?"
)


def code_regions(text: str) -> list[tuple[int, int]]:
    """Sorted, merged (start, end) ranges of ``text`` that are code, URLs or command lines."""
    ranges = [m.span() for pattern in _CODE_REGIONS for m in pattern.finditer(text)]
    ranges += [m.span() for m in _COMMAND_LINE.finditer(text) if m.group(1) in _COMMANDS]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def inside(regions: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    return any(low <= start and end <= high for low, high in regions)


def in_text_literal(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` lies in a quoted string of words ("Ann Lee", 'Rue X')."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : len(text) if line_end < 0 else line_end]
    for match in _STRING_LITERAL.finditer(line):
        group = 1 if match.group(1) is not None else 2
        low, high = match.start(group) + line_start, match.end(group) + line_start
        if low <= start and end <= high:
            return " " in match.group(group).strip()
    return False


def in_log_message(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` lies in the message of a log record, after its level."""
    line_start = text.rfind("\n", 0, start) + 1
    level = _LOG_LEVEL.search(text, line_start, start)
    return level is not None and "\n" not in text[start:end]


def is_identifier(word: str) -> bool:
    """Whether one whitespace-delimited word reads as code rather than as a name."""
    core = word.strip(EDGE_PUNCTUATION).rstrip(".")
    if not core:
        return False
    if any(ch in _IDENTIFIER_CHARS for ch in core) or "::" in core or "->" in core:
        return True
    if core.endswith("()") or _DOTTED_NAME.fullmatch(core.rstrip("()")):
        return True
    camel = _CAMEL.fullmatch(core)
    return camel is not None and camel.group(1).lower() not in _NAME_PREFIXES


# The words of a mention after its "@", and the punctuation after them ("@Ann Lee:").
_MENTIONED = re.compile(r"[^\W\d_]+(?:[ \t]+[^\W\d_]+)*[.,:;!?)]*")


# The key's colon and quote before a quoted value, and its closing quote ('"from":"Ann Lee"',
# escaped in a JSON document written as a string: '\\"name\\":\\"Ann Lee\\"').
_VALUE_OPENED = re.compile(r"[:=][ \t]*\\?[\"']\Z")
_VALUE_CLOSED = re.compile(r"\\?[\"']")


def quoted_value(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is the whole of a quoted value after a key: the key and
    quotes glued to it ('{"from":"中川 裕太"}') make a word of code of it for
    :func:`in_identifier`, though the value itself is words."""
    return (
        _VALUE_OPENED.search(text, max(0, start - 8), start) is not None
        and _VALUE_CLOSED.match(text, end) is not None
    )


def in_identifier(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is (part of) an identifier, path or key=value. A comma
    or semicolon ends the word looked at, as a space does: a field of a CSV row is judged
    alone ("Ann Lee,ann@example.org,Finance" holds a name beside an address)."""
    left = start
    while left > 0 and not text[left - 1].isspace() and text[left - 1] not in ",;":
        left -= 1
    right = end
    while right < len(text) and not text[right].isspace() and text[right] not in ",;":
        right += 1
    if left + 1 == start and text[left] == "@" and _MENTIONED.fullmatch(text, start, right):
        left = start  # a mention ("@Priya Natarajan can you review"), judged as the words
    return any(is_identifier(word) for word in text[left:right].split())
