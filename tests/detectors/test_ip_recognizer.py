"""The IP recognizer runs Presidio's IPv6 patterns only where they can match, with the
results of Presidio's own recognizer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from presidio_analyzer import Pattern
from presidio_analyzer import predefined_recognizers as pr

from detectors.recognizers import IpAddressRecognizer
from tests.fuzzing import examples

TEXTS = [
    "Login from 192.168.1.10 failed.",
    "Login from 2001:db8::8a2e:370:7334 failed.",
    "bind to :: and ::1, or ::ffff:10.0.0.1 and 64:ff9b::192.0.2.33/96",
    "fe80::1%eth0 fe80:0:0:0:0:0:0:1 a:b:c:d:e:f::",
    "full forms only: 1:2:3:4:5:6:7:8 and a:b:c:d:e:f:10.0.0.1/120",
    "2001:0db8:85a3:0000:0000:8a2e:0370:7334 is the documentation prefix",
    "Meeting at 10:30, ends 11:45:00; see https://example.com:8443/x and db:5432.",
    "ratio 3:2, key: value, a:b, 12:ab, no pairs here 1.2.3.4",
    "",
]

# Hex groups (of 0-5 digits) joined by colons, dots and what surrounds addresses in text.
_ADDRESS_LIKE = st.lists(
    st.one_of(
        st.text(alphabet="0123456789abcdefABCDEF", max_size=5),
        st.sampled_from([":", ":", "::", ".", " ", "/", "/64", "%eth0", "g", "x", "-", "\n"]),
    ),
    max_size=30,
).map("".join)


def _results(recognizer: pr.IpRecognizer, text: str) -> list[tuple[str, int, int, float]]:
    found = recognizer.analyze(text, ["IP_ADDRESS"])
    return [(r.entity_type, r.start, r.end, r.score) for r in found]


@pytest.fixture(scope="module")
def recognizers() -> tuple[IpAddressRecognizer, pr.IpRecognizer]:
    """Ours and Presidio's."""
    return IpAddressRecognizer(), pr.IpRecognizer()


@pytest.mark.parametrize("text", TEXTS)
def test_same_results_as_presidio(
    recognizers: tuple[IpAddressRecognizer, pr.IpRecognizer], text: str
) -> None:
    """Addresses of every kind, and texts without any, give Presidio's results."""
    ours, stock = recognizers
    assert _results(ours, text) == _results(stock, text)


@settings(max_examples=examples(400), deadline=None)
@given(_ADDRESS_LIKE)
def test_same_results_as_presidio_on_address_like_text(text: str) -> None:
    """Any mix of hex digits, colons, dots and separators gives Presidio's results."""
    assert _results(IpAddressRecognizer(), text) == _results(pr.IpRecognizer(), text)


class _Spy:
    """A compiled pattern that counts its searches."""

    def __init__(self, compiled: Any) -> None:
        self.compiled, self.searches = compiled, 0

    def finditer(self, text: str, **options: Any) -> Iterator[Any]:
        self.searches += 1
        return iter(self.compiled.finditer(text, **options))


def _spied(recognizer: IpAddressRecognizer, name: str) -> _Spy:
    """Replace ``recognizer``'s pattern ``name`` by a copy that counts its searches."""
    # Presidio's PatternRecognizer leaves ``patterns`` unannotated (mypy cannot tell its type).
    patterns: list[Pattern] = recognizer.patterns  # type: ignore[has-type]
    index = next(i for i, p in enumerate(patterns) if p.name == name)
    original = patterns[index]
    pattern = Pattern(original.name, original.regex, original.score)
    recognizer.analyze("warm 1:2:3:4:5:6:7:8", ["IP_ADDRESS"])  # compiles every pattern
    spy = _Spy(original.compiled_regex)
    # Presidio's Pattern declares compiled_regex as None until compiled; the spy stands in.
    pattern.compiled_regex = spy  # type: ignore[assignment]
    pattern.compiled_with_flags = original.compiled_with_flags
    recognizer.patterns = [*patterns[:index], pattern, *patterns[index + 1 :]]  # type: ignore[has-type]
    return spy


def test_ipv6_patterns_skipped_without_a_colon_pair() -> None:
    """A text without two colons close together is not searched for IPv6; one with is."""
    recognizer = IpAddressRecognizer()
    spy = _spied(recognizer, "IPv6")
    recognizer.analyze("Call at 10:30 from 192.168.1.10, see https://example.com/x", [])
    assert spy.searches == 0
    recognizer.analyze("from 2001:db8::1", [])
    assert spy.searches == 1
