"""Noise on real technical text nobody here wrote: ours beside stock Presidio, per type.

    .venv/bin/python bench/real_text_noise.py [--windows 2000] [--seed 5252] [--show N]
        [--half A|B|both] [--min-score 0.4] [--no-stock] [--windows-file FILE]

The evaluation sets are written by the hands that wrote the detectors; this samples text
that is installed on this machine instead, and reads it as hard negatives:

* **man**: the English manual pages (``/usr/share/man/man[1-8]``) rendered by ``man -P cat``
  with ``MANWIDTH=1000`` (one line per paragraph, no hyphenation);
* **doc**: ``/usr/share/doc/<package>/`` READMEs, ``*.md``, ``*.rst``, ``*.txt``, NEWS,
  FAQs, TODOs and upstream changelogs (gzipped or not);
* **readme**: the long descriptions in the ``METADATA`` of installed Python distributions
  (the projects' READMEs);
* **stdlib**: docstrings of the standard library's modules, classes and functions.

Each source is cut into paragraphs; consecutive paragraphs make windows of 200-1,200
characters (a longer paragraph is cut at sentence ends). Stretches that really are about
people or places are left out by these rules, nothing else:

* files named AUTHORS, THANKS, CREDITS, CONTRIBUTORS, MAINTAINERS, COPYRIGHT, COPYING,
  LICENSE, NOTICE, and Debian's ``changelog.Debian`` (a log of maintainers' names);
* sections under a heading that names people or terms (AUTHOR(S), COPYRIGHT, LICENSE,
  CREDITS, THANKS, ACKNOWLEDGEMENTS, CONTRIBUTORS, MAINTAINERS, SPONSORS, CITATION, TEAM,
  CONTACT, REPORTING BUGS, COLOPHON, ...), up to the next heading;
* lines with an e-mail address, "copyright", "(c)", "©", "author", "maintainer", "thank",
  or a credit "<verb> by" ("written by", "patch by", "reported by", "signed-off-by", ...);
* changelog credits: lines with "by" or "from" before two capitalised words ("(by Ann
  Lee)"), a Debian changelog's "[ Ann Lee ]", or capitalised words closing a parenthesis at
  the end of the line ("(Ann Lee)", "(#123, Ann Lee)");
* paragraphs of licence text ("Permission is hereby granted", "WITHOUT ANY WARRANTY",
  "General Public License", "Licensed under", "Redistribution and use", ...);
* a manual page's first and last lines (title and footer).

What is left may still name a person now and then (a project's founder in a README): a
finding there is no noise, and ``--show`` is how to tell.

Sampling is reproducible on one machine (``--seed``): sources are grouped in families (a
manual page's name up to its first ``-``, ``_`` or ``.``: the 16,000 ``gcloud_*`` pages are
one family; a package; a distribution; a top-level module), families are visited in a
seeded order, one source per family per round, at most three windows per source, until each
kind has its share of ``--windows`` (a quarter; what one kind lacks passes to the next).
A family belongs to half **A** or **B** by a hash of its kind and name, so near-identical
pages never fall in both: tune on A (``--show`` prints A's examples only), read only B's
figures, to see whether fixes generalise.

For every window it runs our detectors (``ScanService(DetectorSettings())``, the entry point
``bench/eval_detectors.py --set`` uses) and stock Presidio (``AnalyzerEngine()``, same spaCy
model, our entity names), keeps findings scoring at least ``--min-score``, and prints per
type the share of windows with a finding, per half; with ``--show N`` up to N of half A's
findings per type, the flagged words in context. ``--windows-file`` keeps the sample in a
JSON file (read if it exists, written if not): rendering the manual pages takes a minute.
"""

from __future__ import annotations

import argparse
import ast
import functools
import gzip
import hashlib
import importlib.metadata
import json
import os
import random
import re
import shutil
import subprocess
import sys
import sysconfig
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script from anywhere

from evalset.compare import Ours
from evalset.scoring import Hit
from evalset.stock import StockPresidio

from detectors.settings import DetectorSettings

SEED = 5252
MIN_CHARS, MAX_CHARS = 200, 1200
WINDOWS_PER_SOURCE = 3
# The kind with the fewest sources first: what it cannot fill passes to the next.
KINDS = ("readme", "stdlib", "doc", "man")

# --- what is left out ---------------------------------------------------------------------

_PEOPLE_FILES = re.compile(
    r"^(?:authors?|thanks|credits|contributors|maintainers|copyright|copying|licen[cs]e|"
    r"notice|changelog\.debian)\b",
    re.I,
)
_PEOPLE_HEADING = re.compile(
    r"\b(?:authors?|author\(s\)|copyright|licen[cs]es?|licensing|credits?|thanks|"
    r"acknowledge?ments?|contributors?|contributing|maintainers?|sponsors?|backers?|"
    r"citation|citing|team|people|contacts?|reporting bugs|colophon|funding|"
    r"code of conduct|history)\b",
    re.I,
)
_PEOPLE_LINE = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # an e-mail address
    r"|\bcopyright\b|\(c\)|©|\bauthor|\bmaintain(?:er|ed)|\bthank"
    r"|\b(?:written|maintained|contributed|reported|patch(?:ed)?|suggested|fixed|created|"
    r"developed|designed|ported|rewritten|originally|signed-off|reviewed|acked|tested|"
    r"implemented|founded|sponsored|funded)[ -]by\b",
    re.I,
)
# Credits in changelogs, case-sensitive: "(by Ann Lee)", "fixes from Ann Lee", a Debian
# changelog's "[ Ann Lee ]", a change's "(Ann Lee)" or "#123, Ann Lee)" at the line's end.
_CREDIT_LINE = re.compile(
    r"\b(?:by|from)[ \t]+[A-Z][\w'’-]+[ \t]+[A-Z]"
    r"|^\[ [^\]]+ \]$"
    r"|[(,][ \t]*[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w.'’-]*)+[ \t]*\)\W*$",
    re.M,
)
_LICENCE = re.compile(
    r"permission is hereby granted|without any warranty|general public license|"
    r"licensed under|redistribution and use|spdx-license|apache license|mit license|"
    r"free software foundation|all rights reserved|warranty of merchantability",
    re.I,
)
_RULE = re.compile(r"^[=\-~^*+#`'\"._]{3,}$")  # an rst heading's underline


@dataclass(frozen=True, slots=True)
class Source:
    """A file (or module) to read; ``family`` groups near-identical sources (also
    ``bench/multilingual_noise.py``'s, which keeps them per language)."""

    kind: str
    path: str
    family: str
    read: Callable[[], str]


@dataclass(frozen=True, slots=True)
class Window:
    """One text the detectors read; ``half`` is "A" or "B". ``language`` and ``script``
    (the script most of its letters are written in) are set where texts are drawn per
    language (``bench/multilingual_noise.py``); English, not measured, here."""

    kind: str
    path: str
    half: str
    text: str
    language: str = "en"
    script: str = ""


def half_of(group: str, family: str) -> str:
    """ "A" or "B", by a hash of the family and its group (a source's kind; a language in
    ``bench/multilingual_noise.py``)."""
    digest = hashlib.sha256(f"{group}:{family}".encode()).digest()
    return "A" if digest[0] % 2 == 0 else "B"


def _heading(paragraph: list[str], raw_first: str) -> str | None:
    """The heading text if the paragraph is one: a markdown ``#`` line, an rst title
    (underlined), or a manual page's section (unindented, in capitals)."""
    first = paragraph[0]
    if first.startswith("#"):
        return first.lstrip("#").strip()
    if len(paragraph) >= 2 and _RULE.match(paragraph[1]) and len(paragraph[1]) >= len(first) - 2:
        return first
    if raw_first[:1].isalpha() and first.isupper() and len(first) < 60:
        return first
    return None


def paragraphs(text: str) -> Iterator[str]:
    """The paragraphs of ``text`` that are left after the rules of the module docstring."""
    skipping = False
    for block in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n")):
        raw = [line.rstrip() for line in block.split("\n") if line.strip()]
        if not raw:
            continue
        lines = [re.sub(r"(?<=\S)[ \t]{2,}", " ", line.strip()) for line in raw]
        heading = _heading(lines, raw[0])
        if heading is not None:  # dropped, and what follows it read or skipped
            skipping = bool(_PEOPLE_HEADING.search(heading))
            lines = lines[2:] if len(lines) > 1 and _RULE.match(lines[1]) else lines[1:]
            if not lines:
                continue
        if skipping or _LICENCE.search(" ".join(lines)):
            continue
        kept = [line for line in lines if not _PEOPLE_LINE.search(line)]
        kept = [line for line in kept if not _CREDIT_LINE.search(line)]
        if kept:
            yield "\n".join(kept)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def windows(text: str) -> list[str]:
    """``text``'s paragraphs joined into windows of MIN_CHARS to MAX_CHARS characters."""
    pieces: list[str] = []
    for paragraph in paragraphs(text):
        if len(paragraph) <= MAX_CHARS:
            pieces.append(paragraph)
            continue
        sentence_run = ""
        for sentence in _SENTENCE_END.split(paragraph):
            if sentence_run and len(sentence_run) + 1 + len(sentence) > MAX_CHARS:
                pieces.append(sentence_run)
                sentence_run = ""
            sentence_run = f"{sentence_run} {sentence}".strip()
        if sentence_run:
            pieces.append(sentence_run)
    out: list[str] = []
    current = ""
    for whole in pieces:
        piece = whole[:MAX_CHARS]  # of one sentence longer than a window, its head
        if current and len(current) + 2 + len(piece) > MAX_CHARS:
            if len(current) >= MIN_CHARS:
                out.append(current)
            current = ""
        current = f"{current}\n\n{piece}" if current else piece
    if len(current) >= MIN_CHARS:
        out.append(current)
    return out


# --- sources ------------------------------------------------------------------------------


def _family(name: str) -> str:
    return re.split(r"[-_.]", name, maxsplit=1)[0].lower() or name


def _render_man(path: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k != "MAN_KEEP_FORMATTING"}
    env |= {"MANWIDTH": "1000", "LANG": "C.UTF-8"}
    done = subprocess.run(  # noqa: S603  # a path from our own listing of /usr/share/man
        [shutil.which("man") or "/usr/bin/man", "-P", "cat", "-l", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    lines = done.stdout.strip("\n").split("\n")
    return "\n".join(lines[1:-1])  # the title and footer lines


def man_sources() -> list[Source]:
    """The English manual pages (symlinks to other pages left out)."""
    out = []
    for path in sorted(Path("/usr/share/man").glob("man[1-8]/*")):
        if path.is_file() and not path.is_symlink():
            name = path.name.split(".")[0]
            out.append(
                Source("man", str(path), _family(name), functools.partial(_render_man, path))
            )
    return out


_DOC_FILES = re.compile(r"^(?:readme|news|changelog|faq|todo|bugs)|\.(?:md|rst|txt)$", re.I)


def _read_maybe_gzip(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return data.decode("utf-8", errors="replace")


def doc_sources() -> list[Source]:
    """Readable documentation under /usr/share/doc, no people's files."""
    out = []
    root = Path("/usr/share/doc")
    for path in sorted(root.rglob("*")):
        name = path.name.removesuffix(".gz")
        if not path.is_file() or path.is_symlink() or _PEOPLE_FILES.match(name):
            continue
        if _DOC_FILES.search(name):
            package = path.relative_to(root).parts[0]
            out.append(Source("doc", str(path), package, functools.partial(_read_maybe_gzip, path)))
    return out


def readme_sources() -> list[Source]:
    """Long descriptions of the installed Python distributions, one per project."""
    paths = [*sys.path, "/usr/lib/python3/dist-packages"]
    seen: set[str] = set()
    out = []
    for dist in importlib.metadata.distributions(path=paths):
        name = (dist.metadata["Name"] or "").lower().replace("_", "-")
        if not name or name in seen:
            continue
        seen.add(name)
        body = dist.metadata.get_payload() or dist.metadata.get("Description") or ""  # type: ignore[attr-defined]
        if len(body) >= MIN_CHARS:
            out.append(Source("readme", f"{name}/METADATA", name, functools.partial(str, body)))
    return sorted(out, key=lambda s: s.path)


def _docstrings(path: Path) -> str:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"))
    except (SyntaxError, ValueError):
        return ""
    nodes = [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.ClassDef | ast.FunctionDef))]
    docs = [
        ast.get_docstring(n)
        for n in nodes
        if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef)
    ]
    return "\n\n".join(d for d in docs if d)


def stdlib_sources() -> list[Source]:
    """The standard library's modules (tests, site-packages and IDLE left out)."""
    root = Path(sysconfig.get_paths()["stdlib"])
    out = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        if parts[0] in {"site-packages", "test", "idlelib", "lib2to3"} or "tests" in parts:
            continue
        family = parts[0].removesuffix(".py")
        out.append(
            Source(
                "stdlib", str(path.relative_to(root)), family, functools.partial(_docstrings, path)
            )
        )
    return out


SOURCES: dict[str, Callable[[], list[Source]]] = {
    "man": man_sources,
    "doc": doc_sources,
    "readme": readme_sources,
    "stdlib": stdlib_sources,
}


def sample(total: int, seed: int) -> list[Window]:
    """``total`` windows, a share per kind, one source per family per round (docstring)."""
    out: list[Window] = []
    for number, kind in enumerate(KINDS):
        rng = random.Random(f"{seed}:{kind}")
        families: dict[str, list[Source]] = {}
        for source in SOURCES[kind]():
            families.setdefault(source.family, []).append(source)
        order = sorted(families)
        rng.shuffle(order)
        for members in families.values():
            rng.shuffle(members)
        quota = (total - len(out)) // (len(KINDS) - number)
        taken: list[Window] = []
        depth = 0
        while len(taken) < quota and any(len(families[f]) > depth for f in order):
            for family in order:
                if len(taken) >= quota:
                    break
                if len(families[family]) <= depth:
                    continue
                source = families[family][depth]
                found = windows(source.read())
                picked = rng.sample(found, min(WINDOWS_PER_SOURCE, len(found)))
                half = half_of(kind, family)
                taken += [Window(kind, source.path, half, text) for text in picked]
            depth += 1
        out += taken[:quota]
    return out


def load_or_sample(total: int, seed: int, cache: Path | None) -> list[Window]:
    """The sample, from ``cache`` if it holds one of the same size and seed."""
    key = {"windows": total, "seed": seed}
    if cache is not None and cache.exists():
        stored = json.loads(cache.read_text(encoding="utf-8"))
        if stored["key"] == key:
            return [Window(**w) for w in stored["sample"]]
    chosen = sample(total, seed)
    if cache is not None:
        rows = [{"kind": w.kind, "path": w.path, "half": w.half, "text": w.text} for w in chosen]
        cache.write_text(json.dumps({"key": key, "sample": rows}), encoding="utf-8")
    return chosen


# --- report -------------------------------------------------------------------------------


def _shares(
    chosen: Sequence[Window], hits: Sequence[Sequence[Hit]]
) -> tuple[Counter[str], Counter[tuple[str, str]]]:
    """Windows with a finding per type (and "any"); per (kind, "any") too."""
    per_type: Counter[str] = Counter()
    per_kind: Counter[tuple[str, str]] = Counter()
    for window, found in zip(chosen, hits, strict=True):
        types = {h.entity_type for h in found}
        per_type.update(types)
        if types:
            per_type["any"] += 1
            per_kind[window.kind, "any"] += 1
    return per_type, per_kind


def report(
    half: str,
    chosen: Sequence[Window],
    ours: Sequence[Sequence[Hit]],
    stock: Sequence[Sequence[Hit]] | None,
) -> None:
    n = len(chosen)
    if not n:
        return
    kinds = Counter(w.kind for w in chosen)
    note = "tune on it" if half == "A" else "report only: do not read its findings"
    print(f"\n== half {half} ({note}): {n} windows, " + ", ".join(f"{k} {kinds[k]}" for k in KINDS))
    our_types, our_kinds = _shares(chosen, ours)
    stock_types, stock_kinds = (
        _shares(chosen, stock) if stock is not None else (Counter(), Counter())
    )
    print(f"{'windows with a finding':<26}{'ours':>8}{'stock':>8}")
    types = sorted((set(our_types) | set(stock_types)) - {"any"})
    for entity in ["any", *types]:
        stock_share = f"{stock_types[entity] / n:>8.1%}" if stock is not None else f"{'-':>8}"
        print(f"  {entity:<24}{our_types[entity] / n:>8.1%}{stock_share}")
    for kind in KINDS:
        if kinds[kind]:
            k = kinds[kind]
            stock_share = (
                f"{stock_kinds[kind, 'any'] / k:>8.1%}" if stock is not None else f"{'-':>8}"
            )
            print(f"  any, {kind + ' only':<19}{our_kinds[kind, 'any'] / k:>8.1%}{stock_share}")


def _context(text: str, start: int, end: int, width: int = 50) -> str:
    left = text[max(0, start - width) : start]
    right = text[end : end + width]
    return re.sub(r"\s+", " ", f"{left}[[{text[start:end]}]]{right}")


def show(chosen: Sequence[Window], ours: Sequence[Sequence[Hit]], limit: int, seed: int) -> None:
    """Up to ``limit`` of half A's findings per type, in context (half B is never shown)."""
    examples: dict[str, list[str]] = {}
    for window, found in zip(chosen, ours, strict=True):
        if window.half != "A":
            continue
        for hit in found:
            line = f"    {window.kind}:{window.path}: {_context(window.text, hit.start, hit.end)}"
            examples.setdefault(hit.entity_type, []).append(line)
    rng = random.Random(seed)
    print("\n== half A: our findings in context")
    for entity in sorted(examples):
        lines = examples[entity]
        print(f"  {entity} ({len(lines)} findings)")
        for line in rng.sample(lines, min(limit, len(lines))):
            print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", type=int, default=2000, help="windows in all (both halves)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--half", choices=("A", "B", "both"), default="both")
    parser.add_argument("--min-score", type=float, default=0.4)
    parser.add_argument("--show", type=int, default=0, metavar="N", help="N examples per type (A)")
    parser.add_argument("--no-stock", action="store_true", help="skip stock Presidio")
    parser.add_argument("--windows-file", type=Path, help="JSON cache of the sample")
    options = parser.parse_args()

    started = time.perf_counter()
    chosen = load_or_sample(options.windows, options.seed, options.windows_file)
    if options.half != "both":
        chosen = [w for w in chosen if w.half == options.half]
    sampled = time.perf_counter() - started
    settings = DetectorSettings()
    print(
        f"{len(chosen)} windows of {MIN_CHARS}-{MAX_CHARS} characters sampled in {sampled:.0f} s "
        f"(seed {options.seed}; {len({w.path for w in chosen})} sources); min score "
        f"{options.min_score}; ours: DetectorSettings() defaults (spaCy "
        f"{settings.pii.spacy_model}); stock: presidio AnalyzerEngine(), same model"
    )
    texts = [w.text for w in chosen]
    cut = options.min_score

    started = time.perf_counter()
    ours = [[h for h in hits if h.score >= cut] for hits in Ours(settings).scan(texts)]
    our_seconds = time.perf_counter() - started
    stock = None
    timing = f"ours {our_seconds / len(texts) * 1000:.1f} ms/window (incl. load)"
    if not options.no_stock:
        engine = StockPresidio(settings.pii.spacy_model, set(settings.pii.entities))
        started = time.perf_counter()
        stock = [[h for h in hits if h.score >= cut] for hits in engine.scan(texts)]
        stock_seconds = time.perf_counter() - started
        timing += f", stock {stock_seconds / len(texts) * 1000:.1f} ms/window"
    print(timing)
    for half in ("A", "B"):
        index = [i for i, w in enumerate(chosen) if w.half == half]
        report(
            half,
            [chosen[i] for i in index],
            [ours[i] for i in index],
            None if stock is None else [stock[i] for i in index],
        )
    if options.show:
        show(chosen, ours, options.show, options.seed)


if __name__ == "__main__":
    main()
