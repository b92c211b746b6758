"""How many examples a property test draws: its own count, times a soak factor.

Every property test runs with ``database=None`` on CI, so each CI run draws cases no local
run had (session eleven's final run drew ``{"type": []}`` and failed). Setting
``LLM_PROXY_FUZZ_SCALE=30`` draws thirty times each test's count, to find those cases
before CI does. A hypothesis profile cannot do this: an explicit ``max_examples`` in a
test's ``settings`` wins over any profile, so the tests' counts read :func:`examples`.
"""

from __future__ import annotations

import os

#: The environment variable holding the soak factor (a positive integer; 1 when unset).
FUZZ_SCALE_ENV = "LLM_PROXY_FUZZ_SCALE"

#: Hypothesis's own default count, for the tests that do not name one.
DEFAULT_EXAMPLES = 100


def fuzz_scale() -> int:
    """The soak factor from the environment; a bad value fails the run at collection,
    naming the variable, rather than silently running the usual counts."""
    raw = os.environ.get(FUZZ_SCALE_ENV, "1")
    try:
        scale = int(raw)
    except ValueError as error:
        raise ValueError(f"{FUZZ_SCALE_ENV}={raw!r}: not an integer") from error
    if scale < 1:
        raise ValueError(f"{FUZZ_SCALE_ENV}={raw!r}: must be 1 or more")
    return scale


def examples(count: int) -> int:
    """``count`` examples, times the soak factor."""
    return count * fuzz_scale()
