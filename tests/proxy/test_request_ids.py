"""Request ids taken from blocks of kernel randomness stay unique across processes."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest

from proxy.call import request_ids
from proxy.call.record import new_request_id

_PRINT_IDS = (
    "from proxy.call.record import new_request_id\nprint(*(new_request_id() for _ in range(600)))"
)


def _random_part(request_id: str) -> str:
    """The 20 hex digits after the millisecond (version and variant included)."""
    return request_id[12:]


def test_ids_keep_the_uuidv7_layout_across_block_boundaries() -> None:
    """Every id of several blocks is a version-7, RFC 4122-variant UUID, all distinct."""
    ids = [new_request_id() for _ in range(3 * request_ids.BLOCK_IDS + 7)]
    assert len(set(ids)) == len(ids)
    for value in ids:
        parsed = uuid.UUID(value)
        assert len(value) == 32
        assert parsed.version == 7
        assert parsed.variant == uuid.RFC_4122


def test_the_kernel_is_asked_once_per_block_not_once_per_id(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A thousand ids read the kernel's random source at most once per block of ids."""
    reads: list[int] = []
    urandom = os.urandom

    def counted(size: int) -> bytes:
        reads.append(size)
        return urandom(size)

    monkeypatch.setattr(os, "urandom", counted)
    for _ in range(1000):
        new_request_id()
    assert 1 <= len(reads) <= 1000 // request_ids.BLOCK_IDS + 1


def test_two_processes_never_share_random_bits() -> None:
    """Two proxies started apart (or a restart) draw ids with no random part in common."""
    runs = [
        subprocess.run(  # noqa: S603 - this interpreter, fixed code
            [sys.executable, "-c", _PRINT_IDS], capture_output=True, text=True, check=True
        ).stdout.split()
        for _ in range(2)
    ]
    first, second = ({_random_part(value) for value in run} for run in runs)
    assert len(first) == len(second) == 600
    assert not first & second


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_does_not_reuse_its_parents_block() -> None:
    """After a fork, parent and child hand out different ids from the block the parent had
    started (the child forgets it and reads a block of its own)."""
    new_request_id()  # the parent now holds a block with ids left in it
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        os.close(read)
        ids = " ".join(new_request_id() for _ in range(100))
        os.write(write, ids.encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        child_ids = pipe.read().split()
    os.waitpid(child, 0)
    parent_ids = [new_request_id() for _ in range(100)]
    assert len(child_ids) == 100
    assert not {_random_part(v) for v in child_ids} & {_random_part(v) for v in parent_ids}
