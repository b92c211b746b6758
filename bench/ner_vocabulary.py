"""Generate the NER filter's broad word lists from sources nobody here wrote.

Writes six files into ``detectors/data/`` (each starts with a header naming its sources):

* ``tech_vocabulary.txt`` — technology names: the 15,000 most downloaded PyPI projects,
  npm packages with at least 500,000 downloads a month (both from the package lists of
  this workplace's registry listings), Debian's package names (``apt-cache pkgnames``),
  Python's standard-library modules, the commands on ``$PATH`` (``compgen -c``), the
  cloud-service names inside vendor SDK package names (``mypy-boto3-<service>``,
  ``@aws-sdk/client-<service>``, ``google-cloud-<service>``, ``azure-<service>``), and the
  products that the summaries of at least two PyPI or npm packages name, capitalised, right
  before a word such as "API", "client", "plugin" or "cluster" ("a Python client for the
  Portainer API"): authors write about the products their packages serve that way;
* ``tech_ambiguous.txt`` — technology names from the same sources that are also a first
  name, a surname or a place ("Ray", "Luigi", "Phoenix"): the NER filter drops them only
  where the text uses them as a product ("Ray workers", "replace Ray with Dask");
* ``english_names.txt`` — the lowercase entries of the dictionary that are also a name or a
  place ("press", "grant", "rose"): words, when a text is written in capitals;
* ``english_words.txt`` — the lowercase entries of Debian's ``wamerican`` word list
  (``/usr/share/dict/american-english``): a capitalised common noun ("Invoice") alone is no
  name;
* ``first_names.txt`` — the first names of every Faker locale with a person provider;
* ``surnames.txt`` — the surnames of every Faker locale;
* ``street_types.txt`` — the one-word street types of every Faker locale ("Skyway", "Allee");
* ``places.txt`` — countries, states, regions and cities of every Faker locale's address
  provider and the cities of the IANA time-zone database (``zoneinfo``).

A term that is a first name, a surname (Faker, every locale) or a place is never written to
the technology or English lists, so "Jordan", "Grace", "Luigi" or "Florence" stay names and
places however many packages carry them. Faker lacks first names common in many countries
("Dmitry" is a Debian package's name), so a technology term that ``gender_guesser``'s
dictionary of first names (Jörg Michael's ``nam_dict``, 48,000 names of 54 countries) rates
at least ``COMMON_FIRST_NAME`` on its frequency scale of 1-13 in some country is written to
``tech_ambiguous.txt`` instead of the technology list. Terms shorter than three letters are
left out.

Run: ``.venv/bin/python bench/ner_vocabulary.py [--packages DIR]`` (needs Faker, ``apt-cache``,
``bash`` and ``wamerican``; deterministic for the same inputs).
"""

from __future__ import annotations

import argparse
import csv
import importlib
import itertools
import pkgutil
import re
import subprocess
import sys
import unicodedata
import zoneinfo
from collections.abc import Iterable, Iterator
from pathlib import Path

import faker.providers.address
import faker.providers.person
import gender_guesser.detector

DATA = Path(__file__).resolve().parent.parent / "detectors" / "data"
PACKAGES = Path("/work/.library/env/packages")
DICTIONARY = Path("/usr/share/dict/american-english")
NPM_MIN_DOWNLOADS = 500_000
_TERM = re.compile(r"[a-z][a-z0-9.+-]*[a-z0-9+]")
_CLOUD_PREFIXES = (
    "mypy-boto3-",
    "types-aiobotocore-",
    "@aws-sdk/client-",
    "google-cloud-",
    "azure-mgmt-",
    "azure-",
    "aws-cdk.aws-",
    "@google-cloud/",
    "@azure/",
)
_PLACE_ATTRIBUTES = (
    "countries",
    "country_names",
    "cities",
    "city_names",
    "states",
    "provinces",
    "regions",
    "departments",
    "municipalities",
    "counties",
    "big_cities",
)
# Words that, after a capitalised word in a package summary, make it a product's name.
_PRODUCT_HEADS = frozenset((
    "api", "apis", "sdk", "client", "plugin", "plugins", "integration", "server", "wrapper",
    "extension", "bindings", "connector", "driver", "operator", "bot", "cluster", "database",
    "instance", "dashboard", "adapter", "cli", "backend", "provider", "module", "library",
))  # fmt: skip
_PRODUCT = re.compile(r"[A-Z][a-z]+(?:[A-Z][a-z0-9]*)*")
_MIN_SUMMARIES = 2
_NAME_ATTRIBUTE = re.compile(r"(first|last)_names(_male|_female|_nonbinary|_unisex)?$")
#: Frequency (1 rare - 13 most common, per country) from which a first name of
#: ``nam_dict`` is common: "Dmitry" is 10 in Russia, "Argo" 6 in Estonia.
COMMON_FIRST_NAME = 5


def _fold(term: str) -> str:
    """Lowercase; accents kept (the filter compares lowercase words as written)."""
    return unicodedata.normalize("NFC", " ".join(term.split()).lower())


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        yield from (key for key in value if isinstance(key, str))
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _strings(item)


def _providers(package: object) -> Iterator[type]:
    path = getattr(package, "__path__", [])
    name = getattr(package, "__name__", "")
    for module in pkgutil.iter_modules(path):
        provider = getattr(importlib.import_module(f"{name}.{module.name}"), "Provider", None)
        if isinstance(provider, type):
            yield provider


def faker_names() -> tuple[set[str], set[str]]:
    """(first names, first names and surnames) of every Faker locale, lowercase."""
    first: set[str] = set()
    every: set[str] = set()
    for provider in _providers(faker.providers.person):
        for attribute in dir(provider):
            match = _NAME_ATTRIBUTE.match(attribute)
            if match is None:
                continue
            for name in _strings(getattr(provider, attribute)):
                for part in re.split(r"[\s-]+", _fold(name)):
                    if len(part) > 1:
                        every.add(part)
                        if match.group(1) == "first":
                            first.add(part)
    return first, every


def common_first_names() -> set[str]:
    """First names of ``gender_guesser``'s dictionary that are common in some country
    (at least :data:`COMMON_FIRST_NAME`), lowercase."""
    names: dict[str, dict[str, str]] = gender_guesser.detector.Detector(case_sensitive=False).names
    return {
        _fold(name)
        for name, genders in names.items()
        if any(c.strip() and int(c, 16) >= COMMON_FIRST_NAME for v in genders.values() for c in v)
    }


def places() -> set[str]:
    """Countries, regions and cities of Faker's address providers and of ``zoneinfo``."""
    found: set[str] = set()
    for provider in _providers(faker.providers.address):
        for attribute in _PLACE_ATTRIBUTES:
            found.update(_fold(name) for name in _strings(getattr(provider, attribute, ())))
    for zone in zoneinfo.available_timezones():
        found.add(_fold(zone.rsplit("/", 1)[-1].replace("_", " ")))
    return {place for place in found if len(place) > 2 and not place.startswith("etc")}


def street_types() -> set[str]:
    """One-word street types of Faker's address providers ("Crescent", "Skyway", "Allee")."""
    found: set[str] = set()
    for provider in _providers(faker.providers.address):
        for attribute in ("street_suffixes", "street_prefixes", "street_types", "street_titles"):
            for raw in _strings(getattr(provider, attribute, ())):
                word = _fold(raw).rstrip(".")
                if len(word) > 2 and word.isalpha():
                    found.add(word)
    return found


def _tsv(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        for row in reader:
            yield dict(zip(header, row, strict=False))


def package_names(directory: Path) -> Iterator[str]:
    """Popular PyPI and npm names from the registry listings in ``directory``."""
    for row in _tsv(directory / "pypi.tsv"):
        if row.get("rank_among_15000_most_downloaded", "").strip():
            yield row["name"].lower().replace("_", "-")
    downloads = next(iter(_tsv(directory / "npm.tsv"))).keys()
    column = next(key for key in downloads if key.startswith("downloads"))
    for row in _tsv(directory / "npm.tsv"):
        count = row.get(column, "")
        if count.isdigit() and int(count) >= NPM_MIN_DOWNLOADS:
            yield row["name"].lower()


def summary_products(directory: Path) -> set[str]:
    """Capitalised words that the summaries of at least two PyPI or npm packages put right
    before a product head ("the Portainer API", "Netbox plugin"), lowercase."""
    packages: dict[str, set[str]] = {}
    for listing in ("pypi.tsv", "npm.tsv"):
        for row in _tsv(directory / listing):
            summary = next((v for k, v in row.items() if k.startswith("summary")), "") or ""
            words = summary.split()
            for word, head in itertools.pairwise(words):
                if head.lower().strip(".,;:()") in _PRODUCT_HEADS and _PRODUCT.fullmatch(word):
                    packages.setdefault(word.lower(), set()).add(row["name"])
    return {word for word, named_by in packages.items() if len(named_by) >= _MIN_SUMMARIES}


def debian_names() -> Iterator[str]:
    """Debian package names that are not libraries, fonts or documentation."""
    out = subprocess.run(
        ["apt-cache", "pkgnames"],  # noqa: S607 - the machine's apt-cache, wherever it is
        capture_output=True,
        text=True,
        check=True,
    )
    for name in out.stdout.split():
        if not name.startswith(("lib", "fonts-", "python3-", "golang-", "node-", "r-cran-")):
            yield name


def commands() -> Iterator[str]:
    """The commands on ``$PATH``, as ``compgen -c`` lists them."""
    out = subprocess.run(
        ["bash", "-c", "compgen -c"],  # noqa: S607 - compgen is a bash builtin
        capture_output=True,
        text=True,
        check=True,
    )
    yield from out.stdout.split()


def terms(names: Iterable[str]) -> Iterator[str]:
    """Candidate terms of raw package names: the name, its scope, cloud-service parts."""
    for raw in names:
        name = raw.strip().lower()
        for prefix in _CLOUD_PREFIXES:
            if name.startswith(prefix):
                service = name.removeprefix(prefix)
                yield service
                yield from service.split("-")
        scope, _, bare = name.rpartition("/")
        if scope:
            yield scope.lstrip("@")
        yield bare


def _write(name: str, header: str, words: Iterable[str]) -> int:
    lines = sorted(set(words))
    comment = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    (DATA / name).write_text(comment + "\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def main(argv: list[str] | None = None) -> int:
    """Write the lists; print how many terms each holds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packages", type=Path, default=PACKAGES, help="registry listings")
    args = parser.parse_args(argv)
    first, names = faker_names()
    where = places()
    english = {w for w in DICTIONARY.read_text(encoding="utf-8").split() if w.isalpha()}
    english = {w for w in english if w.islower() and len(w) > 2}
    sources = [
        package_names(args.packages),
        debian_names(),
        sys.stdlib_module_names,
        commands(),
    ]
    tech = {
        term
        for source in sources
        for term in terms(source)
        if len(term) > 2 and _TERM.fullmatch(term) and not term.isdigit()
    }
    tech |= {w for w in summary_products(args.packages) if len(w) > 2 and _TERM.fullmatch(w)}
    keep = names | where
    named = keep | common_first_names()
    dictionary = english
    generated = "Generated by bench/ner_vocabulary.py; do not edit, rerun it."
    counts = {
        "tech_vocabulary.txt": _write(
            "tech_vocabulary.txt",
            f"{generated}\nTechnology names: popular PyPI (top 15,000) and npm (>= 500k downloads "
            "a month) packages,\nDebian package names, Python stdlib modules, commands on $PATH, "
            "cloud services in SDK\npackage names; minus Faker first names and surnames of every "
            "locale, places, first names common in some country (gender_guesser), and\nwords "
            "of the English list (english_words.txt holds those).",
            tech - named - english,
        ),
        "tech_ambiguous.txt": _write(
            "tech_ambiguous.txt",
            f"{generated}\nTechnology names of the same sources as tech_vocabulary.txt that are "
            "also a Faker first\nname or surname of some locale, a first name common in some "
            "country (gender_guesser),\nor a place; names and places unless a text uses them "
            "as a product.",
            (tech & named) - (english - keep),
        ),
        "english_names.txt": _write(
            "english_names.txt",
            f"{generated}\nLowercase entries of Debian's wamerican word list that are also a "
            "Faker first name or\nsurname of some locale, or a place.",
            dictionary & keep,
        ),
        "english_words.txt": _write(
            "english_words.txt",
            f"{generated}\nLowercase entries of Debian's wamerican word list, minus Faker first "
            "names and\nsurnames of every locale and places.",
            english - keep,
        ),
        "first_names.txt": _write(
            "first_names.txt",
            f"{generated}\nFirst names of every Faker locale with a person provider.",
            first,
        ),
        "places.txt": _write(
            "places.txt",
            f"{generated}\nCountries, states, regions and cities of every Faker locale's address "
            "provider,\nand the cities of the IANA time-zone database.",
            where,
        ),
        "surnames.txt": _write(
            "surnames.txt",
            f"{generated}\nSurnames of every Faker locale with a person provider.",
            names - first,
        ),
        "street_types.txt": _write(
            "street_types.txt",
            f"{generated}\nOne-word street types of every Faker locale's address provider, minus "
            'first names\nand surnames ("Hill", "Green").',
            street_types() - names,
        ),
    }
    for name, count in counts.items():
        print(f"{name}: {count} terms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
