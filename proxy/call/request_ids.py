"""Request ids: time-ordered UUIDv7s whose random bits the kernel hands out in blocks.

An id is the id of the logged event (``x-request-id``, the event log's rows, the access
line), so it must never repeat, across processes and restarts. It keeps RFC 9562's layout:
48 bits of Unix milliseconds, the version, 12 random bits, the variant, 62 random bits; the
74 random bits come from ``os.urandom`` as before, but read for :data:`BLOCK_IDS` ids at a
time (one ``getrandom`` system call each time, where each id made one). A forked child
forgets the block its parent read, so parent and child never hand out the same bits.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

#: Ids per read of the kernel's random source (10 bytes each).
BLOCK_IDS = 256
_TAIL_BYTES = 10


class RandomTails:
    """The last 20 hex digits of UUIDv7s: the version, 12 random bits, the variant and 62
    random bits, the random ones from ``os.urandom``, read a block at a time.

    ``take`` needs no lock: each tail is handed out once by the block's iterator, whose
    ``next`` the GIL makes atomic; two threads finding the block used up at once each read a
    block of their own (one of them partly unused).
    """

    __slots__ = ("_tails",)

    def __init__(self) -> None:
        self._tails: Iterator[str] = iter(())

    def take(self) -> str:
        """A tail never handed out before in this process (nor in a process it forked)."""
        tail = next(self._tails, None)
        if tail is None:
            self._tails = tails = iter(_block())
            tail = next(tails)
        return tail

    def forget(self) -> None:
        """Drop what is left of the block (in a forked child: the parent hands it out)."""
        self._tails = iter(())


def _block() -> list[str]:
    """:data:`BLOCK_IDS` tails from one read of the kernel's random source."""
    block = bytearray(os.urandom(_TAIL_BYTES * BLOCK_IDS))
    for at in range(0, len(block), _TAIL_BYTES):
        block[at] = 0x70 | (block[at] & 0x0F)  # version 7
        block[at + 2] = 0x80 | (block[at + 2] & 0x3F)  # variant 0b10
    digits = block.hex()
    width = 2 * _TAIL_BYTES
    return [digits[at : at + width] for at in range(0, len(digits), width)]


# Process state by nature, like the kernel's random source it buffers: a forked child must
# start from a block of its own, which only a hook registered once per process can ensure.
_TAILS = RandomTails()
os.register_at_fork(after_in_child=_TAILS.forget)


def new_request_id() -> str:
    """A time-ordered UUIDv7 (RFC 9562) as 32 hex digits: 48 bits of Unix milliseconds, the
    version, 12 random bits, the variant, 62 random bits (no UUID object: half the cost)."""
    return (time.time_ns() // 1_000_000).to_bytes(6).hex() + _TAILS.take()
