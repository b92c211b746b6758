"""The spaCy model's matrix products on numpy's OpenBLAS, pinned to one thread.

thinc (spaCy's layer library) multiplies with BLIS by default. On the NER of
``en_core_web_sm`` - a convolutional encoder whose matrix products are most of a text's
cost - numpy's OpenBLAS on one thread takes about 0.7x BLIS's time per 1 KB text, and its
fixed cost per call is lower too (``bench/detect_cost.py``; the entities are the same).
OpenBLAS must run on one thread: on its own it spreads a product over every core, which on
a busy machine costs more CPU than BLIS and competes with the other detection workers and
the proxy's event loop. Detection is single-threaded work in its process (one unit at a
time), so one BLAS thread per process is what the pool's sizing assumes anyway.

Where numpy's BLAS is not an OpenBLAS this module can pin (MKL, Accelerate, no
``/proc``), the model keeps BLIS: never a multi-threaded BLAS by surprise. The parser's
per-step products (thinc's ``CBlas`` table, small) stay on BLIS either way.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from pathlib import Path
from typing import Any

from spacy.language import Language
from thinc.api import Model, NumpyOps  # imports numpy: its OpenBLAS is loaded from here on

#: How OpenBLAS builds name their functions: numpy's own wheels (scipy-openblas, 64-bit
#: integers), a 64-bit-integer build, a plain system OpenBLAS.
_NAMES = ("scipy_openblas_{}64_", "openblas_{}64_", "openblas_{}")
#: Sets this process's OpenBLAS threads (all BLAS calls here, numpy's included).
Pin = Callable[[int], bool]


def _loaded_openblas(maps: Path = Path("/proc/self/maps")) -> list[str]:
    """Paths of the OpenBLAS libraries mapped into this process (Linux), in map order."""
    try:
        lines = maps.read_text().splitlines()
    except OSError:
        return []
    paths = [line.split(maxsplit=5)[-1] for line in lines if "openblas" in line.lower()]
    return [path for path in dict.fromkeys(paths) if path.startswith("/")]


def _functions(verb: str) -> list[Any]:
    """The OpenBLAS function ``openblas_<verb>`` of every loaded OpenBLAS that has one."""
    found = []
    for path in _loaded_openblas():
        try:
            library = ctypes.CDLL(path)  # already loaded: the same handle, no second copy
        except OSError:
            continue
        function = next(
            (f for name in _NAMES if (f := getattr(library, name.format(verb), None))), None
        )
        if function is not None:
            found.append(function)
    return found


def pin_openblas_threads(threads: int = 1) -> bool:
    """Set every loaded OpenBLAS (numpy's included) to ``threads`` threads; True if at
    least one was, so numpy's products now run on that many."""
    setters = _functions("set_num_threads")
    for setter in setters:
        setter(ctypes.c_int(threads))
    return bool(setters)


def openblas_threads() -> int | None:
    """The threads numpy's OpenBLAS runs products on; None if no OpenBLAS is loaded."""
    getters = _functions("get_num_threads")
    return int(getters[0]()) if getters else None


def use_single_threaded_blas(nlp: Language, *, pin: Pin = pin_openblas_threads) -> bool:
    """Run the matrix products of ``nlp``'s components on numpy's OpenBLAS pinned to one
    thread (module docstring); True if they do, False if they stay on BLIS (``pin``
    could not pin an OpenBLAS)."""
    if not pin(1):
        return False
    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if not isinstance(model, Model):
            continue
        for node in model.walk():
            # Only thinc's CPU ops: a transformer's PyTorch layers keep theirs.
            if type(node.ops) is NumpyOps:
                node.ops = ops
    return True
