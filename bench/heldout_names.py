"""How many of the held-out part's person names Faker would never write.

The held-out part (bench/evalset/parts.py; h194, 2026-12-02) and tuning14 (the held-out
part until 2026-12-01) draw their names from ``evalset.name_lists``, not from Faker. This
prints, for the names a part draws, the share that is absent from Faker's own first- and
last-name lists for the part's locales: the names a detector tuned on Faker's values has not
met. Usage: ``python bench/heldout_names.py [--size N] [--part heldout|tuning14]`` (default
``heldout``). It prints names' shares only, never a text of the part.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterable

from evalset.name_lists import NameSource
from evalset.parts import PARTS
from faker import Faker


def faker_names(locale: str, kind: str) -> set[str]:
    """Every name Faker's person provider for ``locale`` knows of ``kind`` (first or last)."""
    names: set[str] = set()
    for provider in Faker(locale).providers:
        for attribute in dir(provider):
            if attribute.startswith(f"{kind}_names"):
                values = getattr(provider, attribute)
                if isinstance(values, Iterable) and not isinstance(values, str):
                    names.update(str(value) for value in values)
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000, help="names drawn per locale")
    parser.add_argument(
        "--part",
        choices=[name for name, part in PARTS.items() if part.second_names],
        default="heldout",
    )
    options = parser.parse_args()
    part = PARTS[options.part]
    rng = random.Random(part.seed)
    print(f"names drawn per locale: {options.size}; share absent from Faker's lists:")
    totals = {"first": [0, 0], "last": [0, 0]}
    for locale in part.locales:
        source = NameSource(locale)
        drawn = {
            "first": [source.first(rng) for _ in range(options.size)],
            "last": [n for _ in range(options.size) for n in source.last(rng).split(" ")],
        }
        shares = []
        for kind, values in drawn.items():
            known = faker_names(locale, kind)
            absent = sum(value not in known for value in values)
            totals[kind][0] += absent
            totals[kind][1] += len(values)
            shares.append(f"{kind} names {absent / len(values):.0%} ({len(known)} in Faker)")
        print(f"  {locale}: " + ", ".join(shares))
    print("  all:   " + ", ".join(f"{kind} names {a / n:.0%}" for kind, (a, n) in totals.items()))


if __name__ == "__main__":
    main()
