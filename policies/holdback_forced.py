"""What the hold limit forces out of a secret still being written goes out masked.

A stream holds a candidate until it completes or is ruled out, but never more than
``max_hold_chars``: a longer wait releases its start before the scan can know what the
whole answer makes of it. For most shapes that start is plain text the scan reads as it
is (a long token is masked if it is a token). Two hold text the whole answer masks as a
secret only once what ends or names it has arrived, so the forced part would go out in
clear:

* an open ``-----BEGIN ... PRIVATE KEY-----`` block longer than the limit (a 4096-bit RSA
  key is about 3,200 characters): its text up to the cut is the key's
  (:func:`forced_findings`), and after the cut the stream drops the block's text up to the
  end of its END line (:func:`private_key_rest`), so one mask stands for the whole block,
  as in the whole answer;
* the ``data:`` entries of a manifest whose ``kind: Secret`` may still follow them up to
  :data:`detectors.printed_secrets.SECRET_KIND_AFTER_CHARS` (4,000) characters later
  (:func:`detectors.printed_secrets.open_secret_data`): each value forced out is masked,
  as a password under a password's name, else as a generic secret.

SECURITY: where the stream cannot equal the whole answer's redaction because of the hold
limit, it errs on masking: a block whose END line never comes is dropped to the end of the
answer, and a manifest that turns out not to be a Secret (a ConfigMap) has its forced
values masked all the same.
"""

from __future__ import annotations

import re
from typing import Final

import regex

from core.scanning import Finding
from detectors.entities import GENERIC_SECRET, PASSWORD, PRIVATE_KEY
from detectors.printed_secrets import open_secret_data
from detectors.token_contexts import PASSWORD_NAME
from policies.holdback import PEM_END, private_key_at

#: The detector name of a finding made for text the hold limit forced out.
FORCED: Final = "stream_hold_limit"

Span = tuple[Finding, int, int]
"""A finding with its start and end in the pending text (the start may be before it)."""

# The END line of a private key, matched partially at the end of the text (``regex``'s
# ``partial=True``): what may still become it is kept until it has.
_PARTIAL_END = regex.compile(PEM_END.pattern)
#: How far back an END line cut by the forced release may have begun.
_END_LINE_CHARS: Final = 128
_VALUE = re.compile(r"[A-Za-z0-9+/]+={0,2}")
_KEY = re.compile(r"(?P<key>[\w.-]{1,253}):[ \t]+\Z")
# An entry's line up to its value, followed by the value so far (to the search's end):
# where a value forced out in parts began.
_ENTRY_HEAD = re.compile(r"[ \t]+[\w.-]{1,253}:[ \t]+(?=[A-Za-z0-9+/]*=*\Z)")
_PASSWORD_KEY = re.compile(rf"(?i:{PASSWORD_NAME})")


def forced_findings(pending: str, released: str, held: int, cut: int) -> list[Span]:
    """Findings for the secrets the hold limit forces out of ``pending[:cut]`` while they
    are held from ``held`` (``released``: the end of the text let out before
    ``pending``): an open private key block from its BEGIN line to the cut, and the values
    of a manifest's ``data:`` entries that may still be a Secret's."""
    spans: list[Span] = []
    whole = released + pending
    offset = len(released)
    begin = private_key_at(whole, offset + cut)
    if begin is not None:
        spans.append((Finding(PRIVATE_KEY, 0, cut, 1.0, FORCED), begin - offset, cut))
    at = offset + held
    while at < offset + cut:
        value = open_secret_data(whole[at:], whole[:at])
        if value is None or at + value >= offset + cut:
            break
        start = at + value
        line = whole.rfind("\n", 0, start) + 1
        head = _ENTRY_HEAD.match(whole, line, start)
        if head is not None:
            # The value began before ``at`` (a part of it was forced out before): its
            # finding starts where it does, as the first part's did, and is no new one
            # (each read counted a finding and kept its rest as a value printed again).
            start = head.end()
        found = _VALUE.match(whole, start)
        end = found.end() if found is not None else start + 1
        key = _KEY.search(whole, line, start)
        named = key is not None and _PASSWORD_KEY.fullmatch(key["key"]) is not None
        kind = PASSWORD if named else GENERIC_SECRET
        spans.append((Finding(kind, 0, end - start, 1.0, FORCED), start - offset, end - offset))
        at = end
    return spans


# A ``data:`` line of a manifest, and the indentation of a line that is not blank.
_DATA_HEADER = re.compile(r"(?m)^(?P<indent>[ \t]*)(?:binaryD|d)ata:[ \t]*\r?$")
_INDENT = re.compile(r"(?m)^(?P<indent>[ \t]*)\S")


def open_data_block(released: str) -> int | None:
    """Where, in ``released``, the ``data:`` line of a manifest's block still going on
    starts (every line after it is blank or indented more), else ``None``.

    SECURITY: the stream keeps that line in the context while the block goes on
    (:func:`policies.stream_channel.scan_context`): its entries are a Secret's values only
    under it (:func:`detectors.printed_secrets.open_secret_data` holds them, and
    :func:`forced_findings` masks those the hold limit forces out), and a data map is
    longer than the context's usual :data:`policies.holdback.CONTEXT_CHARS`."""
    header = len(released)
    while (header := released.rfind("ata:", 0, header)) >= 0:  # most text: none
        found = _DATA_HEADER.match(released, released.rfind("\n", 0, header) + 1)
        if found is not None:
            break
    else:
        return None
    depth = len(found["indent"].expandtabs())
    for line in _INDENT.finditer(released, found.end()):
        if len(line["indent"].expandtabs()) <= depth:
            return None
    return found.start()


def private_key_rest(pending: str, released: str, *, final: bool) -> tuple[int, bool]:
    """How much of ``pending``, the text after a private key block's forced part, is the
    block's (to drop), and whether the block's END line is whole in it (it may have begun
    in ``released``, the text let out or dropped before). Until it is, the end of
    ``pending`` that may still become the END line is kept (all of it goes when the answer
    ends: a block whose END never comes is the rest of the answer)."""
    tail = released[-_END_LINE_CHARS:]
    text = tail + pending
    at = 0
    while (found := _PARTIAL_END.search(text, at, partial=True)) is not None:
        if found.partial:
            keep = max(found.start() - len(tail), 0)
            return (len(pending), True) if final else (keep, False)
        if found.end() > len(tail):
            return found.end() - len(tail), True
        at = found.end()  # an END line let out before the block's start was forced out
    return len(pending), final
