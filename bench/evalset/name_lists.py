"""Person names from lists that Faker did not write, drawn as often as people carry them.

The names of tuning14 (the held-out part until 2026-12-01) come from here, and those of the
next held-out part will (its locales are below; its templates are not written yet), so that
a detector tuned on Faker's name lists meets names it has not seen:

* surnames, and first names of the English-speaking locales: the US Census 1990 frequency
  lists shipped by the ``names`` package (MIT; ``dist.all.last``, ``dist.male.first``,
  ``dist.female.first``: a name, its share of the population in percent, ...);
* first names of the other locales: Jörg Michael's ``nam_dict.txt`` shipped by
  ``gender-guesser`` (package GPLv3, list GNU FDL), which rates each name's frequency per
  country on a logarithmic scale from 1 (rare) to 13 (at least 2 % of the population),
  each step a factor of two.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

Gender = Literal["male", "female"]

#: nam_dict.txt's frequency column of each country used here (its header lists them all,
#: gender_guesser.Detector.COUNTRIES names them in the same order).
_COLUMNS = {
    "portugal": 5, "austria": 13, "swiss": 14,  # tuning14
    "bosniaand": 29, "macedonia": 32, "armenia": 42, "india": 50,  # heldout
    "albania": 36, "arabia": 47,  # tuning15 (with swiss and india)
    "ireland": 1, "italy": 3, "malta": 4,  # tuning16 (with arabia)
}  # fmt: skip
_FIRST_COLUMN = 30  # the frequency columns start here; column 29 marks duplicate lines
_CENSUS_LOCALES = ("en_AU", "en_NZ")
#: Where a locale's first names come from: the census, or a country of nam_dict.txt.
_FIRST_NAME_COUNTRY = {
    "de_AT": "austria", "de_CH": "swiss", "pt_PT": "portugal",  # tuning14
    "bs_BA": "bosniaand", "mk_MK": "macedonia", "hy_AM": "armenia",  # heldout
    # nam_dict.txt rates no name for Nepal or Bangladesh: India's column is the nearest
    "ne_NP": "india", "en_BD": "india",
    # tuning15; nam_dict.txt's "Arabia/Persia" column rates romanised Arabic and Persian names
    "hi_IN": "india", "ta_IN": "india", "ar_SA": "arabia", "fr_CH": "swiss", "sq_AL": "albania",
    # tuning16; Ticino's names are Italy's more than the Swiss column's (mostly German ones);
    # nam_dict.txt rates no name for Kenya or Tanzania: ``sw`` keeps Faker's Swahili names
    "ga_IE": "ireland", "mt_MT": "malta", "it_CH": "italy", "ar_EG": "arabia",
}  # fmt: skip
#: Portuguese names carry the mother's and the father's surname more often than not.
_TWO_SURNAMES = {"pt_PT": 0.5}


@dataclass(frozen=True, slots=True)
class NameList:
    """Names with cumulative weights, for ``random.choices``."""

    names: tuple[str, ...]
    cumulative: tuple[float, ...]
    members: frozenset[str]

    def draw(self, rng: random.Random) -> str:
        position = rng.random() * self.cumulative[-1]
        return self.names[bisect.bisect_right(self.cumulative, position)]


def _list(weighted: Sequence[tuple[str, float]]) -> NameList:
    kept = [(name, weight) for name, weight in weighted if weight > 0]
    names = tuple(name for name, _ in kept)
    return NameList(names, tuple(itertools.accumulate(w for _, w in kept)), frozenset(names))


def _census_case(name: str) -> str:
    """``MCDONALD`` -> ``McDonald``, ``SMITH`` -> ``Smith`` (the census writes capitals)."""
    if name.startswith("MC") and len(name) > 3:
        return "Mc" + name[2:].capitalize()
    return name.capitalize()


def _census_file(name: str) -> Path:
    return Path(str(resources.files("names") / name))


@functools.cache
def census(file: str) -> NameList:
    """One census list. Names below 0.0005 % are printed with frequency 0.000; they share
    the rest of the listed mass evenly (about 13 % of surnames over 70,000 names)."""
    rows = [line.split() for line in _census_file(file).read_text().splitlines() if line]
    listed = [(name, float(share)) for name, share, _, _ in rows]
    rare = sum(1 for _, share in listed if share == 0)
    rest = float(rows[-1][2]) - sum(share for _, share in listed)
    tail = max(rest, 0.0) / rare if rare else 0.0
    return _list([(_census_case(name), share or tail) for name, share in listed])


@functools.cache
def _nam_dict_rows() -> tuple[tuple[str, str, str], ...]:
    """(sex code, name, frequency columns) of every line of nam_dict.txt that is a name."""
    text = (resources.files("gender_guesser") / "data" / "nam_dict.txt").read_text("utf-8")
    rows = []
    for line in text.splitlines():
        if line[:1] in "#=" or len(line) <= _FIRST_COLUMN or line[_FIRST_COLUMN - 1] == "+":
            continue
        sex, name = line.split()[:2]
        # "+" joins the parts of a compound name ("Maria+de+Fátima"): written with spaces
        rows.append((sex, name.replace("+", " "), line[_FIRST_COLUMN:-1]))
    return tuple(rows)


@functools.cache
def nam_dict(country: str, gender: Gender | None) -> NameList:
    """First names rated for ``country``, of one gender (unisex names count for both)."""
    column = _COLUMNS[country]
    weights: dict[str, float] = {}
    for sex, name, columns in _nam_dict_rows():
        if gender is not None and sex.lstrip("1?") not in ("", gender[0].upper()):
            continue
        rating = columns[column : column + 1].strip()
        if rating:
            weights[name] = weights.get(name, 0.0) + 2.0 ** int(rating, 16)
    return _list(sorted(weights.items()))


def first_names(locale: str, gender: Gender | None = None) -> NameList:
    """The first-name list a locale draws from."""
    country = _FIRST_NAME_COUNTRY.get(locale)
    if country is not None:
        return nam_dict(country, gender)
    if locale not in _CENSUS_LOCALES:
        raise KeyError(f"no second name source for locale {locale}")
    return census(f"dist.{gender}.first") if gender else _census_first()


@functools.cache
def _census_first() -> NameList:
    """Both sexes' lists, each name as often as in its own sex's population."""
    return _list([*_weights(census("dist.male.first")), *_weights(census("dist.female.first"))])


def _weights(names: NameList) -> list[tuple[str, float]]:
    previous = [0.0, *names.cumulative[:-1]]
    return [(n, c - p) for n, c, p in zip(names.names, names.cumulative, previous, strict=True)]


def has_second_source(locale: str) -> bool:
    """Whether the lists here name people of ``locale`` (else a part draws Faker's names)."""
    return locale in _FIRST_NAME_COUNTRY or locale in _CENSUS_LOCALES


def last_names() -> NameList:
    """The surname list every locale draws from (the census knows no nationality)."""
    return census("dist.all.last")


@dataclass(frozen=True, slots=True)
class NameSource:
    """Names for one locale of a part with ``second_names``, from the lists above."""

    locale: str

    def first(self, rng: random.Random, gender: Gender | None = None) -> str:
        return first_names(self.locale, gender).draw(rng)

    def last(self, rng: random.Random) -> str:
        surname = last_names().draw(rng)
        if rng.random() < _TWO_SURNAMES.get(self.locale, 0.0):
            return f"{surname} {last_names().draw(rng)}"
        return surname

    def full(self, rng: random.Random, gender: Gender | None = None) -> str:
        return f"{self.first(rng, gender)} {self.last(rng)}"
