"""PERSON on real names from a third source: this machine's package metadata (a benchmark).

    .venv/bin/python bench/real_names.py [--fills 6] [--seed h53] [--errors 0] [--no-stock]

The names are neither Faker's nor the held-out part's lists: they are harvested at run time
from what is installed here and that none of us chose, and never stored in the repository
(the figures are for this machine):

* Debian changelog trailers, ``/usr/share/doc/*/changelog.Debian.gz``: `` -- Full Name <mail>``;
* Debian copyright files, ``/usr/share/doc/*/copyright``: ``Copyright: 2010 Full Name <mail>``
  and the indented continuation lines of the same shape;
* ``Author``/``Maintainer`` and ``Author-email``/``Maintainer-email`` of the
  ``*.dist-info/METADATA`` files on ``sys.path``.

What is kept as a person's name (``person_name``): parenthesised asides, quotes and "et al."
removed; 2 to 5 words; no digit, ``@``, ``/`` or ``#``; no word of an organisation, project or
team (``_NOT_PERSON``: Inc, Project, Team, Authors, Debian, ...); every word capitalised, an
initial ("M."), a particle (van, de, da, bin, ...), or in a script without case. A single word
is dropped: in these sources it is a handle or an organisation ("Explosion") as often as a
person, so one-word names come from the ``{first}`` slots instead. Names are deduplicated
case-insensitively.

The frames (``bench/real_names_frames.txt``) are filled with a seeded sample of the names,
``--fills`` times each; they are split in two halves by position (even = tuning, odd = check).
PERSON precision and recall are printed per genre and per name shape, ours beside stock
Presidio in the same run, with the rules of ``evalset.scoring.MATCHING`` (score >= 0.4). A
name has every shape that applies to it: its number of words, and particle, hyphen,
apostrophe, diacritics, initial, caps (a word in capitals) and non-Latin script.
"""

from __future__ import annotations

import argparse
import email.utils
import glob
import gzip
import random
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script from anywhere

from eval_dataset import Sample, Span
from evalset.compare import Ours
from evalset.scoring import Hit, _half_inside, score
from evalset.stock import StockPresidio

from detectors.settings import DetectorSettings

FRAMES = Path(__file__).with_name("real_names_frames.txt")
MIN_SCORE = 0.4


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


PARTICLES = _words(
    "van von der den de da das do dos du des di del della la le ter ten bin ibn al el y zu"
)
_NOT_PERSON = _words(
    """inc ltd llc gmbh corp corporation company co project projects team teams authors author
    developers developer contributors maintainers maintainer foundation software services
    group community university institute labs lab organization organisation society
    consortium systems technologies technology debian ubuntu python packaging bot admin
    support security mailing list association ag sa bv ab oy srl limited network networks
    games studio media holdings the and others all rights reserved free gnu kde gnome mozilla
    apache google microsoft red hat canonical ibm intel oracle x.org xorg freedesktop
    committee board members people folks staff contact info communications ecosystem
    pallets neutron pirate anonymous"""
)
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_ET_AL = re.compile(r",?\s*\bet al\.?", re.IGNORECASE)
_BAD_CHAR = re.compile(r"[\d@/#:;=+_|]")
_INITIAL = re.compile(r"^[A-Z]\.(?:[A-Z]\.)*$")
_CHANGELOG = re.compile(r"^ -- ([^<]+?)\s*<[^>]*>")
_COPYRIGHT = re.compile(
    r"^(?:Copyright:)?\s*(?:\(c\)|©)?\s*\d{4}(?:\s*[-,]\s*\d{4})*\s*,?\s*([^<,]+?)\s*,?\s*<[^>]*>"
)


def _is_word(word: str) -> bool:
    """A capitalised word, an initial, a particle, or a word in a script without case."""
    if word in PARTICLES or _INITIAL.match(word):
        return True
    core = word.replace("-", "").replace("'", "").replace("’", "")
    if not core or not all(c.isalpha() for c in core):
        return False
    return core[0].isupper() or not any(c.isupper() or c.islower() for c in core)


def person_name(raw: str) -> str | None:
    """``raw`` normalised, if it reads as one person's name (module docstring), else None."""
    text = unicodedata.normalize("NFC", _ET_AL.sub("", _PAREN.sub(" ", raw)))
    text = " ".join(text.strip(" \t\"'`,.").split())
    words = text.split()
    if not 2 <= len(words) <= 5 or _BAD_CHAR.search(text):
        return None
    if any(w.casefold().strip(",.") in _NOT_PERSON for w in words):
        return None
    if not all(_is_word(w) for w in words) or words[-1] in PARTICLES:
        return None
    return text


def _changelog_names() -> Iterator[str]:
    for path in glob.glob("/usr/share/doc/*/changelog.Debian.gz"):
        try:
            with gzip.open(path, "rt", encoding="utf-8", errors="replace") as lines:
                for line in lines:
                    if match := _CHANGELOG.match(line):
                        yield match[1]
        except (OSError, EOFError):
            continue


def _copyright_names() -> Iterator[str]:
    for path in glob.glob("/usr/share/doc/*/copyright"):
        try:
            text = Path(path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for line in text.splitlines():
            if match := _COPYRIGHT.match(line):
                yield match[1]


def _metadata_names() -> Iterator[str]:
    seen: set[str] = set()
    for entry in sys.path:
        for path in glob.glob(f"{entry}/*.dist-info/METADATA"):
            if path in seen:
                continue
            seen.add(path)
            try:
                head = Path(path).read_text(encoding="utf-8", errors="replace").split("\n\n")[0]
            except OSError:
                continue
            for line in head.splitlines():
                field, _, value = line.partition(":")
                if field in ("Author-email", "Maintainer-email"):
                    yield from (n for n, _ in email.utils.getaddresses([value]) if n)
                elif field in ("Author", "Maintainer"):
                    yield from re.split(r",|\band\b|&", value)


def harvest() -> list[str]:
    """Every person's name found on this machine, normalised and deduplicated, sorted."""
    names: dict[str, str] = {}
    for raw in (*_changelog_names(), *_copyright_names(), *_metadata_names()):
        if (name := person_name(raw)) is not None:
            names.setdefault(name.casefold(), name)
    return sorted(names.values())


def shapes(value: str) -> list[str]:
    """Every shape of a filled name (module docstring)."""
    words = value.split()
    out = [{1: "1 word", 2: "2 words"}.get(len(words), "3+ words")]
    if any(w.casefold() in PARTICLES for w in words[:-1]):
        out.append("particle")
    if "-" in value:
        out.append("hyphen")
    if "'" in value or "’" in value:
        out.append("apostrophe")
    letters = [c for c in value if c.isalpha()]
    if any(not c.isascii() for c in letters):
        latin = all("LATIN" in unicodedata.name(c, "") for c in letters)
        out.append("diacritics" if latin else "non-latin")
    if any(_INITIAL.match(w) for w in words):
        out.append("initial")
    if any(len(w) > 2 and w.isupper() for w in words):
        out.append("caps")
    return out


@dataclass(frozen=True, slots=True)
class Frame:
    """One line of the frames file."""

    index: int
    genre: str
    text: str

    @property
    def half(self) -> str:
        return "tuning" if self.index % 2 == 0 else "check"


def load_frames(path: Path = FRAMES) -> list[Frame]:
    rows = [
        line.split("\t", 1)
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    return [Frame(i, genre, text.replace("\\n", "\n")) for i, (genre, text) in enumerate(rows)]


def _surname(name: str) -> str:
    words = name.split()
    start = len(words) - 1
    while start > 1 and words[start - 1] in PARTICLES:
        start -= 1
    return " ".join(words[start:])


def _address(name: str) -> str:
    ascii_words = [
        unicodedata.normalize("NFKD", w).encode("ascii", "ignore").decode().lower()
        for w in name.split()
    ]
    local = ".".join(w for w in (re.sub(r"[^a-z]", "", w) for w in ascii_words) if w)
    return f"{local or 'someone'}@example.org"


_SLOT = re.compile(r"\{(name|name_b|name_c|first|first_b|last|email|email_b)\}")
_PERSON_SLOTS = frozenset({"name", "name_b", "name_c", "first", "first_b", "last"})


def fill(frame: Frame, people: Sequence[str]) -> Sample:
    """``frame`` with its slots filled from ``people`` (three names), every person labelled."""
    a, b, c = people
    values = {
        "name": a, "name_b": b, "name_c": c,
        "first": a.split()[0], "first_b": b.split()[0], "last": _surname(a),
        "email": _address(a), "email_b": _address(b),
    }  # fmt: skip
    parts: list[str] = []
    spans: list[Span] = []
    cursor = 0
    length = 0
    for match in _SLOT.finditer(frame.text):
        literal = frame.text[cursor : match.start()]
        parts.append(literal)
        length += len(literal)
        value = values[match[1]]
        if match[1] in _PERSON_SLOTS:
            spans.append(Span("PERSON", length, length + len(value)))
        parts.append(value)
        length += len(value)
        cursor = match.end()
    parts.append(frame.text[cursor:])
    return Sample("".join(parts), tuple(spans), frame.genre)


def build(frames: Sequence[Frame], names: Sequence[str], fills: int, seed: str) -> list[Sample]:
    """Every positive frame filled ``fills`` times from a seeded sample; negatives once."""
    rng = random.Random(seed)
    samples = []
    for frame in frames:
        for _ in range(1 if frame.genre.startswith("neg-") else fills):
            samples.append(fill(frame, rng.sample(names, 3)))
    return samples


def _found(sample: Sample, span: Span, hits: Sequence[Hit]) -> bool:
    people = [Span("PERSON", h.start, h.end) for h in hits if h.entity_type == "PERSON"]
    return _half_inside(span.start, span.end, people)


def by_shape(
    samples: Sequence[Sample], results: Sequence[Sequence[Hit]]
) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """Labels, labels found and labels found with the exact span, per name shape."""
    gold: Counter[str] = Counter()
    found: Counter[str] = Counter()
    exact: Counter[str] = Counter()
    for sample, hits in zip(samples, results, strict=True):
        for span in sample.spans:
            kinds = ["all", *shapes(sample.text[span.start : span.end])]
            gold.update(kinds)
            if _found(sample, span, hits):
                found.update(kinds)
            if any(
                h.entity_type == "PERSON" and (h.start, h.end) == (span.start, span.end)
                for h in hits
            ):
                exact.update(kinds)
    return gold, found, exact


def _ratio(a: int, b: int) -> str:
    return f"{a / b:6.3f}" if b else "     -"


def _genre_rows(
    samples: Sequence[Sample], runs: dict[str, list[list[Hit]]]
) -> Iterator[tuple[str, list[str]]]:
    genres = sorted({s.group for s in samples}, key=lambda g: (g.startswith("neg-"), g))
    for genre in genres:
        index = [i for i, s in enumerate(samples) if s.group == genre]
        subset = [samples[i] for i in index]
        cells = []
        for hits in runs.values():
            part = [hits[i] for i in index]
            if genre.startswith("neg-"):
                flagged = sum(1 for h in part if any(x.entity_type == "PERSON" for x in h))
                cells.append(f"{'neg':>6} {_ratio(flagged, len(part))}")
            else:
                counts = score(subset, part, secret=())
                cells.append(f"{counts.precision('PERSON'):6.3f} {counts.recall('PERSON'):6.3f}")
        yield f"{genre} ({len(subset)})", cells


def report(samples: Sequence[Sample], runs: dict[str, list[list[Hit]]]) -> None:
    """Per genre (P R, or the share of hard negatives with a PERSON) and per shape (R, exact)."""
    titles = list(runs)
    print(f"{'genre (texts)':<24}" + "".join(f"{t + ' P / R':>16}" for t in titles))
    for label, cells in _genre_rows(samples, runs):
        print(f"{label:<24}" + "".join(f"{c:>16}" for c in cells))
    positives = [i for i, s in enumerate(samples) if s.spans]
    negatives = [i for i, s in enumerate(samples) if not s.spans]
    totals = []
    for hits in runs.values():
        counts = score([samples[i] for i in positives], [hits[i] for i in positives], ())
        neg = sum(1 for i in negatives if any(h.entity_type == "PERSON" for h in hits[i]))
        totals.append(
            f"P {counts.precision('PERSON'):.3f} R {counts.recall('PERSON'):.3f} "
            f"F1 {counts.f1('PERSON'):.3f} neg {_ratio(neg, len(negatives)).strip()}"
        )
    print(f"{'all':<24}" + "   ".join(totals))
    print(f"\n{'shape (labels)':<24}" + "".join(f"{t + ' R / exact':>20}" for t in titles))
    per_run = [by_shape(samples, hits) for hits in runs.values()]
    order = ["all", "1 word", "2 words", "3+ words", "particle", "hyphen", "apostrophe",
             "diacritics", "initial", "caps", "non-latin"]  # fmt: skip
    for kind in order:
        gold = per_run[0][0][kind]
        row = "".join(
            f"{_ratio(found[kind], gold)} {_ratio(exact[kind], gold):>13}"
            for _, found, exact in per_run
        )
        print(f"{kind + f' ({gold})':<24}{row}")


def mistakes(samples: Sequence[Sample], hits: Sequence[Sequence[Hit]]) -> Iterable[str]:
    """Missed labels and false PERSON findings, one line each (names of this machine)."""
    for sample, found in zip(samples, hits, strict=True):
        for span in sample.spans:
            if not _found(sample, span, found):
                yield (
                    f"miss  {sample.group:<12}{sample.text[span.start : span.end]!r:<32}"
                    + repr(sample.text)[:110]
                )
        for hit in found:
            if hit.entity_type == "PERSON" and not _half_inside(hit.start, hit.end, sample.spans):
                yield (
                    f"false {sample.group:<12}{sample.text[hit.start : hit.end]!r:<32}"
                    + repr(sample.text)[:110]
                )


def main(argv: Sequence[str] | None = None) -> int:
    """Harvest, fill, scan with ours and stock Presidio, and print both halves."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fills", type=int, default=6, help="fills of each positive frame")
    parser.add_argument("--seed", default="h53", help="seed of the name sample")
    parser.add_argument("--errors", type=int, default=0, help="print N mistakes (tuning half)")
    parser.add_argument("--no-stock", action="store_true", help="skip stock Presidio")
    args = parser.parse_args(argv)

    names = harvest()
    census = Counter(s for n in names for s in shapes(n))
    print(f"harvested {len(names)} person names on this machine; shapes: " + ", ".join(
        f"{k} {v}" for k, v in census.most_common()
    ))  # fmt: skip
    settings = DetectorSettings()
    scanners = {"ours": Ours(settings).scan}
    if not args.no_stock:
        stock = StockPresidio(settings.pii.spacy_model, set(settings.pii.entities))
        scanners["stock"] = stock.scan
    frames = load_frames()
    for half in ("tuning", "check"):
        chosen = [f for f in frames if f.half == half]
        samples = build(chosen, names, args.fills, f"{args.seed}:{half}")
        texts = [s.text for s in samples]
        runs = {
            title: [[h for h in hits if h.score >= MIN_SCORE] for hits in scan(texts)]
            for title, scan in scanners.items()
        }
        print(f"\n== {half} half: {len(chosen)} frames, {len(samples)} texts")
        report(samples, runs)
        if half == "tuning" and args.errors:
            for line in list(mistakes(samples, runs["ours"]))[: args.errors]:
                print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
