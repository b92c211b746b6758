"""What the hold limit forces out of a held secret goes out masked (issue 11, h196).

A stream holds a candidate until it completes or is ruled out, never more than
``max_hold_chars``. Two candidates are masked by the whole answer only once their end has
arrived: a private key block (its END line) and a manifest's ``data:`` entries (a
``kind: Secret`` up to 4,000 characters after them). Forced out in clear, they leaked: the
start of the END line, and every entry released before ``kind:`` arrived.

The property: for any split, no secret of the answer is in any chunk. Where the stream
cannot equal the whole answer's redaction because of the hold limit, it errs on masking:
a key block whose END line never comes is dropped to the end of the answer, and a data map
that turns out to be no Secret's (a ConfigMap) has the values forced out masked all the
same. Short answers under a hold limit of 64 characters are cut at every position; long
ones under the shipped limit (1,024) are cut where hypothesis says.
"""

from __future__ import annotations

import asyncio
import base64
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policies.inspector import PolicyInspector
from policies.model import Policy
from tests.detectors.key_samples import pem_body, pkcs1_rsa, sec1_ec
from tests.fuzzing import examples
from tests.policies.pattern_detection import cached_pack, pattern_scanner
from tests.policies.test_holdback_properties import FUZZ, redacted, split, streamed
from tests.policies.test_stream_value_first import every_split

#: Answers of 3,000-4,500 characters: a few examples (each is streamed in up to 40 reads).
LONG = settings(FUZZ, max_examples=examples(5))
#: A hold limit far below the secrets below, so that short answers exceed it.
SHORT_HOLD = 64

EC_BODY = pem_body(sec1_ec())
EC_KEY = f"-----BEGIN EC PRIVATE KEY-----\n{EC_BODY}\n-----END EC PRIVATE KEY-----"
#: A 4096-bit RSA key: about 3,200 characters, three times the shipped max_hold_chars.
RSA_BODY = pem_body(pkcs1_rsa(bits=4096))
RSA_KEY = f"-----BEGIN RSA PRIVATE KEY-----\n{RSA_BODY}\n-----END RSA PRIVATE KEY-----"


def _value(rng: random.Random) -> str:
    """The base64 of a random-looking text, as a Secret's ``data:`` holds it."""
    text = "".join(
        rng.choice("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(24)
    )
    return base64.b64encode(text.encode()).decode()


def manifest(entries: int, *, kind: str = "Secret", seed: int = 5) -> tuple[str, list[str]]:
    """A manifest as ``kubectl get -o yaml`` prints it (``data:`` before ``kind:``) with
    ``entries`` token values, and those values."""
    rng = random.Random(seed)
    values = [_value(rng) for _ in range(entries)]
    lines = "".join(f"  api_token_{i}: {value}\n" for i, value in enumerate(values))
    yaml = f"apiVersion: v1\ndata:\n{lines}kind: {kind}\nmetadata:\n  name: app\ntype: Opaque\n"
    return f"Here it is:\n\n{yaml}\nApply it with kubectl.", values


def _holding(limit: int) -> Policy:
    """The default pack holding at most ``limit`` characters in streams."""
    pack = cached_pack()
    stream = pack.detection.stream.model_copy(
        update={"max_hold_chars": limit, "holdback_chars": min(limit, 64)}
    )
    detection = pack.detection.model_copy(update={"stream": stream})
    return pack.model_copy(update={"detection": detection})


@pytest.fixture(scope="module")
def short_hold() -> PolicyInspector:
    """The default pack with real pattern detection, holding at most 64 characters."""
    return PolicyInspector(_holding(SHORT_HOLD), pattern_scanner())


@pytest.fixture(scope="module")
def shipped_hold() -> PolicyInspector:
    """The default pack with real pattern detection and its own hold limit (1,024)."""
    return PolicyInspector(
        _holding(cached_pack().detection.stream.max_hold_chars), pattern_scanner()
    )


def _carried(chunks: list[str], secret: str) -> bool:
    """Whether ``secret`` is in a chunk or across the boundary of two."""
    return secret in "".join(chunks)


def test_a_key_block_forced_out_is_one_mask(
    short_hold: PolicyInspector, loop: asyncio.Runner
) -> None:
    """An EC key of about 230 characters under a 64-character hold limit, cut at every
    position: the stream is exactly the whole answer (one mask for the block, the END
    line's start no longer released in clear), no body line reaches the caller."""
    answer = f"Your key:\n{EC_KEY}\nKeep it safe."
    assert len(EC_KEY) > 3 * SHORT_HOLD
    whole = loop.run(redacted(short_hold, answer))
    assert whole == "Your key:\n<PRIVATE_KEY>\nKeep it safe."
    for pieces in every_split(answer):
        chunks = loop.run(streamed(short_hold, pieces))
        assert "".join(chunks) == whole, pieces
        assert not any("-----END" in chunk for chunk in chunks), pieces


def test_a_key_block_without_end_is_dropped_to_the_answers_end(
    short_hold: PolicyInspector, loop: asyncio.Runner
) -> None:
    """A key block forced out whose END line never comes: the stream drops the rest of
    the answer rather than release any of the block (the whole answer, which sees the
    block end at its last body line, keeps the text after it: the stream errs on
    masking)."""
    answer = f"Your key:\n{EC_KEY.rsplit(chr(10), 1)[0]}\n\nthat is all"
    for pieces in (list(answer), split(answer, range(0, len(answer), 17))):
        joined = "".join(loop.run(streamed(short_hold, pieces)))
        assert joined.startswith("Your key:\n<PRIVATE_KEY>")
        for line in EC_BODY.splitlines():
            assert line not in joined


def test_a_secrets_data_forced_out_is_masked(
    short_hold: PolicyInspector, loop: asyncio.Runner
) -> None:
    """A Secret's data map longer than a 64-character hold limit, printed before its
    ``kind:``, cut at every position: each value is masked, as in the whole answer."""
    answer, values = manifest(3)
    whole = loop.run(redacted(short_hold, answer))
    assert not any(value in whole for value in values)
    for pieces in every_split(answer):
        chunks = loop.run(streamed(short_hold, pieces))
        for value in values:
            assert not _carried(chunks, value), pieces
        assert "".join(chunks) == whole, pieces


def test_a_config_maps_data_forced_out_is_masked_all_the_same(
    short_hold: PolicyInspector, loop: asyncio.Runner
) -> None:
    """A ConfigMap's data map longer than the hold limit: the whole answer keeps its
    values (no Secret), the stream masks those the limit forced out before ``kind:``
    showed it (it errs on masking), and releases the text around them."""
    answer, values = manifest(3, kind="ConfigMap")
    whole = loop.run(redacted(short_hold, answer))
    assert all(value in whole for value in values)
    joined = "".join(loop.run(streamed(short_hold, list(answer))))
    assert values[0] not in joined
    assert joined.startswith("Here it is:\n\napiVersion: v1\ndata:\n  api_token_0: <")
    assert joined.endswith(
        "kind: ConfigMap\nmetadata:\n  name: app\ntype: Opaque\n\nApply it with kubectl."
    )


@LONG
@given(cuts=st.lists(st.integers(min_value=0, max_value=10_000), max_size=40))
def test_a_long_key_streamed_anyhow_is_the_whole_answer(
    shipped_hold: PolicyInspector, loop: asyncio.Runner, cuts: list[int]
) -> None:
    """A 4096-bit key (three times the shipped hold limit) cut anywhere: the stream is the
    whole answer, and no body line is in it."""
    answer = f"Here is the key you asked for:\n{RSA_KEY}\nKeep it safe."
    chunks = loop.run(streamed(shipped_hold, split(answer, cuts)))
    assert "".join(chunks) == loop.run(redacted(shipped_hold, answer))
    assert not any(_carried(chunks, line) for line in RSA_BODY.splitlines())


@LONG
@given(
    entries=st.integers(min_value=20, max_value=90),
    cuts=st.lists(st.integers(min_value=0, max_value=10_000), max_size=40),
)
def test_a_long_secrets_data_streamed_anyhow_is_the_whole_answer(
    shipped_hold: PolicyInspector, loop: asyncio.Runner, entries: int, cuts: list[int]
) -> None:
    """A Secret's data map of 1,000-4,500 characters before its ``kind:``, cut anywhere: no
    value the whole answer masks is in the stream, which is the whole answer but for values
    the whole answer keeps (too far before ``kind:``) and the stream may have masked, forced
    out before that showed (it errs on masking)."""
    answer, values = manifest(entries, seed=entries)
    chunks = loop.run(streamed(shipped_hold, split(answer, cuts)))
    whole = loop.run(redacted(shipped_hold, answer))
    assert not any(_carried(chunks, value) for value in values if value not in whole)
    # A first entry more than 4,000 characters before kind: is no Secret's to the whole
    # answer; the stream may have forced it out, masked, before that showed.
    joined = "".join(chunks)
    for value in values:
        whole, joined = (text.replace(value, "<GENERIC_SECRET>") for text in (whole, joined))
    assert joined == whole
