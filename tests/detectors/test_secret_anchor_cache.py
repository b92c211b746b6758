"""The secrets detector looks for each anchor once per text and shares it between its rules:
the matches are those each rule finds on its own."""

from __future__ import annotations

from detectors.secret_rule import AnchorCache, AnchoredPattern, lowered_in_place
from detectors.secrets import SecretsDetector

TEXTS = [
    "the API key for staging is kQ3xR8vLm2Tz9WpB4nYc7HdF, use this key kQ3xR8vLm2Tz9WpB4nYc7HdF",
    "password: hunter22\nmy password is Autumn2024! and the token, the new one is "
    "kQ3xR8vLm2Tz9WpB4nYc7HdF",
    'addHeader("X-Api-Key", "kQ3xR8vLm2Tz9WpB4nYc7HdF"); İstanbul password=Xk9#mQ2!vL',
    "login admin / Winter2021! and use S3cret.pw7 as the password",
]


def test_shared_anchor_cache_gives_each_rule_its_own_matches() -> None:
    """With one anchor cache for all rules of a text, every anchored rule matches exactly
    where it matches alone."""
    rules = [r for r in SecretsDetector().rules if isinstance(r.pattern, AnchoredPattern)]
    for text in TEXTS:
        lowered = lowered_in_place(text)
        cache: AnchorCache = {}
        for rule in rules:
            assert isinstance(rule.pattern, AnchoredPattern)
            alone = [m.span() for m in rule.pattern.finditer(text)]
            shared = [m.span() for m in rule.pattern.finditer_lowered(text, lowered, cache)]
            assert shared == alone, rule
        assert len(cache) < len(rules)  # rules do share anchors


def test_lowered_in_place_keeps_offsets() -> None:
    """A character that lowercases to two ("İ") is lowercased to one, offsets unchanged."""
    assert lowered_in_place("İstanbul PASS") == "istanbul pass"
    assert len(lowered_in_place("İİ")) == 2
