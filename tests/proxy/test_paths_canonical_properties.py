"""Properties of ``canonical_path`` itself (the HTTP-level property is in
test_paths_property.py): an accepted path is canonical, and canonical is a fixed point."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proxy.call.apis import INSPECTED_PATHS
from proxy.call.paths import InvalidPath, canonical_path
from tests.fuzzing import examples

FUZZ = settings(max_examples=examples(500), deadline=None, database=None)

_PIECES = st.sampled_from(
    [
        *("v1", "chat", "completions", "Chat", "messages", "files", "file-abc_1.txt"),
        *(".", "..", "", "%2e", "%2E%2e", ".%2e", "%2F", "%5c", "\\", ";x", "%3B"),
        *("%69", "%7E", "%25", "%", "%zz", "%c3%a9", "%ff", "a:b@c", "(x)", "~", "é"),
    ]
)
RAW_PATHS = st.builds(
    lambda lead, pieces: lead + "/".join(pieces),
    st.sampled_from(["/", "/v1/", "", "//"]),
    st.lists(_PIECES | st.text(max_size=4), max_size=6),
)


@FUZZ
@given(RAW_PATHS)
def test_an_accepted_path_is_canonical_and_a_fixed_point(raw: str) -> None:
    """Whatever the raw path, the result (if any) has no empty, "." or ".." segment, no
    percent sign, means what the raw path decodes to, and is returned unchanged when fed
    back."""
    try:
        path = canonical_path(raw, inspected=INSPECTED_PATHS)
    except InvalidPath:
        return
    segments = path.split("/")
    assert segments[0] == ""
    assert all(segment not in ("", ".", "..") for segment in segments[1:])
    assert "%" not in path
    assert "\\" not in path
    assert ";" not in path
    assert path == unquote(raw)
    assert canonical_path(path, inspected=INSPECTED_PATHS) == path


@FUZZ
@given(st.sampled_from(sorted(INSPECTED_PATHS)), st.data())
def test_no_case_variant_of_an_inspected_path_is_accepted(path: str, data: st.DataObject) -> None:
    """Any other spelling in case of a path the proxy inspects is refused, never served as
    an uninspected path."""
    flips = data.draw(st.lists(st.booleans(), min_size=len(path), max_size=len(path)))
    variant = "".join(c.swapcase() if flip else c for c, flip in zip(path, flips, strict=True))
    if variant == path:
        assert canonical_path(variant, inspected=INSPECTED_PATHS) == path
        return
    with pytest.raises(InvalidPath):
        canonical_path(variant, inspected=INSPECTED_PATHS)
