"""Names a text gives to things by a naming convention: "clusters named after rivers, Danube
and Rhine", "our servers are named after Greek gods: Zeus, Hera and Apollo".

Teams name hosts, clusters, releases and sprints after rivers, planets, cities or gods, and
say so. The words listed after such a phrase are the things' names wherever the text uses
them again ("Danube hosts the batch jobs"): no person and no place is meant, though the model
reads one. A phrase of the naming ("named after", "called after", "codenamed after") must
precede the list in the same sentence; "a colleague named Tom" names a person and is no
such phrase, nor is "named after their grandparents, Anna and Tom": what is named after
people holds people's names.
"""

from __future__ import annotations

import re

__all__ = ["convention_names"]

_CONVENTION = re.compile(
    r"\b(?:named|called|codenamed|code-named)[ \t]+after[ \t]+(?P<kind>[^.!?\n:,]{1,40}?)"
    r"[ \t]*[:,][ \t]*(?P<names>[^.!?\n]{1,200})",
    re.IGNORECASE,
)
_NAME = re.compile(r"\b[A-Z][^\W\d_]+\b")
# What children and pets are named after: people, whose names the list then holds.
_PEOPLE = re.compile(
    r"\b(?:grand\w*|parents?|mother|father|mum|mom|dad|aunts?|uncles?|sisters?|brothers?|"
    r"family|relatives?|godparents?|friends?|someone|him|her|them|saints?)\b",
    re.IGNORECASE,
)


def convention_names(text: str) -> frozenset[str]:
    """The capitalised words listed after a phrase of naming in ``text``, lowercase."""
    if "after" not in text:
        return frozenset()
    return frozenset(
        name.lower()
        for match in _CONVENTION.finditer(text)
        if not _PEOPLE.search(match.group("kind"))
        for name in _NAME.findall(match.group("names"))
    )
