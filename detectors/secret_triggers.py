"""Which of the secrets detector's rules a text needs: each rule runs only if one of its
trigger words (lowercase substrings: "pass", "akia", "mysql") occurs in the text.

The rules share their triggers (57 rules, 79 distinct words, 121 with repeats), and many
triggers contain another ("passcode" contains "pass", "sk-ant-" contains "sk-"): a trigger
is looked for only if those it contains occurred. A plain ``in`` on the lowercased text per
trigger is what Python does fastest here (one alternation regex over the text costs
more, and would miss triggers overlapping another's match).
"""

from __future__ import annotations

from collections.abc import Sequence

from detectors.secret_rule import SecretRule


class Triggers:
    """The distinct triggers of ``rules``, looked for once per text."""

    def __init__(self, rules: Sequence[SecretRule]) -> None:
        self._rules = tuple(rules)
        words = sorted({t for rule in self._rules for t in rule.triggers}, key=len)
        #: Each trigger with the shorter ones it contains (present if it is), shortest
        #: first: a trigger is looked for only if those occurred.
        self._words = tuple(
            (word, tuple(w for w in words[:index] if w in word)) for index, word in enumerate(words)
        )
        # Most triggers contain no other: looked for in one pass without the loop's checks.
        self._roots = tuple(word for word, inside in self._words if not inside)
        self._nested = tuple((word, frozenset(inside)) for word, inside in self._words if inside)
        #: For each trigger, the indices of the rules it lets run.
        self._users = {
            word: frozenset(i for i, rule in enumerate(self._rules) if word in rule.triggers)
            for word in words
        }

    def present(self, lowered: str) -> frozenset[str]:
        """The triggers that occur in ``lowered`` (the text, lowercased)."""
        found = {word for word in self._roots if word in lowered}
        for word, inside in self._nested:  # shortest first: what it contains is decided
            if inside <= found and word in lowered:
                found.add(word)
        return frozenset(found)

    def rules_for(self, lowered: str) -> list[SecretRule]:
        """The rules with a trigger in ``lowered``, in their order."""
        wanted: set[int] = set()
        for word in self.present(lowered):
            wanted |= self._users[word]
        return [self._rules[i] for i in sorted(wanted)]
