"""bench/instructions.py reads callgrind's output files (no valgrind here: a written sample)."""

from __future__ import annotations

import pytest
from instructions import count_calls, parse_own, parse_totals

#: Two threads' worth of callgrind format as ``--separate-threads=yes`` writes it, shortened:
#: compressed names, relative positions, a call's inclusive cost after its ``calls=`` line,
#: a recursion level (``'2``) and an object that has no symbols.
SAMPLE = """# callgrind format
version: 1
creator: callgrind-3.19.0
pid: 8555
part: 1
thread: 1

positions: line
events: Ir
summary: 1350

ob=(1) /usr/lib/libpython3.11.so.1.0
fl=(1) Python/ceval.c
fn=(1) _PyEval_EvalFrameDefault
10 500
+2 100
cfn=(2) _PyObject_Free
calls=3 40
* 90
fn=(3) _PyEval_EvalFrameDefault'2
12 200
cob=(2) /usr/lib/libcrypto.so.3
cfi=(2) ???
cfn=(4) 0x000000000029ad80
calls=1 0
12 300
fn=(2)
40 90
ob=(2)
fl=(2)
fn=(4)
0 300
ob=(1)
fl=(1)
fn=(1)
-4 160

totals: 1350
"""


def test_totals_are_the_files_instruction_count() -> None:
    """A file's instructions are its ``totals:`` line, or ``summary:`` when it has none."""
    assert parse_totals(SAMPLE) == 1350
    assert parse_totals(SAMPLE.replace("totals: 1350", "")) == 1350
    with pytest.raises(ValueError, match="totals"):
        parse_totals("events: Ir\n")


def test_own_instructions_leave_calls_out_and_add_up_to_the_total() -> None:
    """Each function's own instructions exclude what its calls cost (the line after
    ``calls=``), names compressed as ``(id)`` are expanded, recursion levels are one
    function, and the functions' own instructions add up to the file's total."""
    own = parse_own(SAMPLE)
    python, crypto = "/usr/lib/libpython3.11.so.1.0", "/usr/lib/libcrypto.so.3"
    assert own == {
        (python, "_PyEval_EvalFrameDefault"): 500 + 100 + 200 + 160,
        (python, "_PyObject_Free"): 90,
        (crypto, "0x000000000029ad80"): 300,
    }
    assert sum(own.values()) == parse_totals(SAMPLE)


def test_calls_are_counted_by_the_callees_name() -> None:
    """Calls to a function are counted from the ``calls=`` lines that name it as the
    callee, however its name was compressed, and a recursion level is the same function."""
    assert count_calls(SAMPLE, {"_PyObject_Free"}) == 3
    assert count_calls(SAMPLE, {"0x000000000029ad80", "_PyObject_Free"}) == 4
    assert count_calls(SAMPLE, {"_PyEval_EvalFrameDefault"}) == 0
