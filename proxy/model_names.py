"""Whether a model name a caller sent reads as a model's name, so that it may be shown.

People write model names: words, versions, dates and short codes joined by ``-._:/@``
("gpt-4o-2024-08-06", "meta-llama/Llama-3.1-8B-Instruct", "ft:gpt-4o-mini:acme::7qTVM5AR").
A credential pasted into ``model`` mostly does not read so: it has a sign no model name has
("Autumn2024!", base64's ``+`` and ``=``, a blank), or a long run of letters and digits
whose case and digits change every character or two, as a key's do. Such a name is shown
(in a metric label) or kept (for a refused call) only as a keyed fingerprint.

A bare word ("hunter2") reads as a name: nothing tells it from one; what the detectors find
in a name is masked by the policy before this is asked (see :mod:`proxy.call.unlisted`).
"""

from __future__ import annotations

import re

from detectors.secret_values import is_scattered

#: The longest name shown: providers' own top out well below it (Azure deployments: 64).
MAX_NAME_CHARS = 128
_NAME = re.compile(rf"[A-Za-z0-9][A-Za-z0-9._:/@-]{{0,{MAX_NAME_CHARS - 1}}}")
#: Runs this long are checked: a short code ("7qTVM5AR", a fine-tune's suffix) is a name's.
_LONG_RUN = re.compile(r"[A-Za-z0-9]{10,}")


def reads_as_model_name(name: str) -> bool:
    """True for a name a person wrote: at most :data:`MAX_NAME_CHARS` of letters, digits
    and ``-._:/@``, and no long run of letters and digits scattered like a key's."""
    if _NAME.fullmatch(name) is None:
        return False
    return not any(map(is_scattered, _LONG_RUN.findall(name)))
