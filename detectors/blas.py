"""The spaCy model's matrix products on numpy's OpenBLAS, pinned to one thread.

thinc (spaCy's layer library) multiplies with BLIS by default. On the NER of
``en_core_web_sm`` - a convolutional encoder whose matrix products are most of a text's
cost - numpy's OpenBLAS on one thread takes about 0.7x BLIS's time per 1 KB text, and its
fixed cost per call is lower too (``bench/detect_cost.py``; the entities are the same).
OpenBLAS must run on one thread: on its own it spreads a product over every core, which on
a busy machine costs more CPU than BLIS and competes with the other detection workers and
the proxy's event loop. Detection is single-threaded work in its process (one unit at a
time), so one BLAS thread per process is what the pool's sizing assumes anyway.

The pin goes through threadpoolctl (scikit-learn's library for exactly this). Where numpy's
BLAS is not an OpenBLAS (MKL, Accelerate), the model keeps BLIS: never a multi-threaded BLAS
by surprise. The parser's
per-step products (thinc's ``CBlas`` table, small) stay on BLIS either way.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language
from thinc.api import Model, NumpyOps  # imports numpy: its OpenBLAS is loaded from here on
from threadpoolctl import threadpool_info, threadpool_limits

#: Sets this process's OpenBLAS threads (all BLAS calls here, numpy's included).
Pin = Callable[[int], bool]


def openblas_threads() -> int | None:
    """The threads numpy's OpenBLAS runs products on; None if no OpenBLAS is loaded."""
    found = [lib["num_threads"] for lib in threadpool_info() if lib["internal_api"] == "openblas"]
    return int(found[0]) if found else None


def pin_openblas_threads(threads: int = 1) -> bool:
    """Set every loaded OpenBLAS (numpy's included) to ``threads`` threads for the rest of the
    process; True if there was one, so numpy's products now run on that many."""
    if openblas_threads() is None:
        return False
    threadpool_limits(limits=threads, user_api="blas")
    return True


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
