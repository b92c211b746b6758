"""Finding a read's run of plain text events (:class:`~wire.apis.deltas.TextRun`) in C.

Each format's ``text_run`` narrows the events of a read, field by field, to those that
carry nothing but one piece of text: every step one pass in C (``map``, ``compress``) over
the events still in the running, so a read of a whole answer (20 events or more) costs the
same few Python steps as a read of four.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import compress, repeat
from operator import attrgetter, is_
from typing import Any

from core.sse import SSEEvent

__all__ = ["GET", "kept", "payloads_of", "stretch"]

_PAYLOAD = attrgetter("payload")
#: ``dict.get``, mapped over payloads (read in C).
GET = dict.get


def payloads_of(events: Sequence[SSEEvent]) -> tuple[Sequence[int], list[Any]]:
    """The positions of ``events`` whose payload is a JSON object, and those objects."""
    payloads = list(map(_PAYLOAD, events))
    dicts = map(is_, map(type, payloads), repeat(dict))
    where, (objects,) = kept(dicts, range(len(payloads)), payloads)
    return where, objects


def kept(
    flags: Iterable[object], where: Sequence[int], *columns: list[Any]
) -> tuple[Sequence[int], list[list[Any]]]:
    """``where`` and each of ``columns`` (side by side with it) where ``flags`` is true,
    in C."""
    flags = list(flags)
    if all(flags):
        return where, list(columns)
    return list(compress(where, flags)), [list(compress(column, flags)) for column in columns]


def stretch(where: Sequence[int]) -> bool:
    """Whether ``where`` (ascending positions in a read) is one stretch of two or more:
    the events around it are read one by one, and a read with plain events apart is read
    event by event."""
    return len(where) >= 2 and where[-1] - where[0] + 1 == len(where)
