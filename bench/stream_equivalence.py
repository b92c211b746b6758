"""A streamed answer equals the whole one, on every open evaluation text (a check, not a test).

    .venv/bin/python bench/stream_equivalence.py [--size 40] [--seed 135] [--show 5]
        [--part tuning8 ...] [--no-labelled] [--dump differences.jsonl] [--chunk 1 ...]

Each text of the open parts of the independent set (``bench/evalset/parts.py``: tuning ...
tuning16, negatives3 ... negatives6; never ``heldout``) and of the labelled set
(``bench/eval_dataset.py``) is treated as an assistant answer under the default policy. The
whole-answer redaction is compared with the stream the proxy sends for the same answer, cut
into chunks several ways (seeded): one character a chunk (texts up to ``--char-limit``
characters), random chunk sizes 1-40 (two seeds), and one word with its trailing space a chunk.
With ``--chunk N`` (repeatable) every text, whatever its length, is cut into chunks of N
characters instead (``--chunk 1``: one character an event, as some providers stream under load).
The harness is the hold-back property tests' own (``streamed`` and ``redacted`` of
``tests/policies/test_holdback_properties.py`` with ``default_pack_inspector``), so a case
found here reproduces in a test.

Printed:

* **leaks**: a stretch of at least four characters (or the whole value, if shorter) that the
  whole answer masks comes out of the stream in clear, or a labelled secret is in the stream
  more often than in the whole answer;
* **mismatches** that are not leaks: the stream's text differs from the whole answer's
  (another mask, a mask more or fewer), by the placeholders that differ and the genre;
* labelled secrets in clear in both (a detection miss, not the stream's: for the record).

Exit status 1 if any leak is found.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import difflib
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

# Run as a script from anywhere, on this tree's code (as eval_detectors does).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_dataset import Sample, generate
from evalset.parts import PARTS, generate_part

from policies.entities import expand_entity_types
from policies.inspector import PolicyInspector
from tests.policies.pattern_detection import default_pack_inspector
from tests.policies.test_holdback_properties import redacted, streamed

#: The open parts: every independent part but the held-out one (and presidio's own set).
OPEN_PARTS = tuple(name for name in PARTS if name not in {"heldout", "presidio"})
#: What the default pack's answer rule masks: a labelled span of these types is a secret.
MASKED_TYPES = expand_entity_types(["SECRETS", "CREDIT_CARD", "IBAN_CODE", "NATIONAL_IDS"])
PLACEHOLDER = re.compile(r"<[A-Z][A-Z_]*(?:_\d+)?>")
MIN_LEAK = 4  # characters of a masked value that count as released


@dataclass(frozen=True, slots=True)
class Outcome:
    """One text under one cutting: how the stream compares with the whole answer."""

    name: str  # sample group, e.g. tuning8:ticket
    cutting: str
    leaks: tuple[str, ...]  # masked values (or labelled secrets) the stream released
    mismatch: bool
    shape: str  # the placeholders that differ, e.g. "+<PASSWORD> -<GENERIC_SECRET>"
    text: str
    whole: str
    stream: str
    pieces: tuple[str, ...]  # the cutting itself, to replay in a test


def cuttings(
    text: str, rng: random.Random, char_limit: int, chunks: Sequence[int] = ()
) -> Iterator[tuple[str, list[str]]]:
    """The ways an upstream may cut ``text``: by character, by random sizes, by word; or, if
    ``chunks`` names sizes, into chunks of each of those sizes only."""
    if chunks:
        for size in chunks:
            yield f"chunk{size}", [text[at : at + size] for at in range(0, len(text), size)]
        return
    if len(text) <= char_limit:
        yield "chars", list(text)
    for round_ in range(2):
        pieces, at = [], 0
        while at < len(text):
            size = rng.randint(1, 40)
            pieces.append(text[at : at + size])
            at += size
        yield f"random{round_}", pieces
    yield "words", re.findall(r"\S+\s*|\s+", text)


def unlabelled(answer: str) -> str:
    """``answer`` with each placeholder one character no text holds: aligned with the
    original, ``<PRIVATE_KEY>`` would otherwise match the key's own "PRIVATE"."""
    return PLACEHOLDER.sub("\0", answer)


def masked_spans(text: str, whole: str) -> list[tuple[int, int]]:
    """The stretches of ``text`` the whole answer replaced (its masks)."""
    matcher = difflib.SequenceMatcher(None, text, unlabelled(whole), autojunk=False)
    return [(a0, a1) for tag, a0, a1, _, _ in matcher.get_opcodes() if tag != "equal" and a1 > a0]


def released(text: str, stream: str, spans: Sequence[tuple[int, int]]) -> list[str]:
    """The masked stretches of ``text`` of which the stream carries a run in clear."""
    matcher = difflib.SequenceMatcher(None, text, unlabelled(stream), autojunk=False)
    kept = [(a, a + size) for a, _, size in matcher.get_matching_blocks() if size]
    found = []
    for start, end in spans:
        need = min(MIN_LEAK, end - start)
        value = text[start:end]
        if not value.strip(" \n\t,.;:'\"") or PLACEHOLDER.fullmatch(value.strip()):
            continue
        if any(min(end, b) - max(start, a) >= need for a, b in kept):
            found.append(value)
    return found


def placeholder_shape(whole: str, stream: str) -> str:
    """The placeholders one answer has more of than the other: what the difference is."""
    ours, theirs = Counter(PLACEHOLDER.findall(stream)), Counter(PLACEHOLDER.findall(whole))
    more = [f"+{p}" for p in sorted((ours - theirs).elements())]
    fewer = [f"-{p}" for p in sorted((theirs - ours).elements())]
    return " ".join(more + fewer) or "same masks, other text"


def secrets_of(sample: Sample) -> list[str]:
    """The labelled values the default policy masks in answers."""
    return [sample.text[s.start : s.end] for s in sample.spans if s.entity_type in MASKED_TYPES]


@dataclass(frozen=True, slots=True)
class Checked:
    """One text under all its cuttings."""

    outcomes: list[Outcome]  # the cuttings whose stream differs from the whole answer
    missed: list[str]  # labelled secrets the whole answer leaves in clear
    cuttings: int
    masked: bool  # the whole answer masks something in it


async def check(
    inspector: PolicyInspector,
    sample: Sample,
    rng: random.Random,
    char_limit: int,
    chunks: Sequence[int] = (),
) -> Checked:
    """Every cutting of ``sample`` against its whole redaction."""
    text = sample.text
    whole = await redacted(inspector, text)
    spans = masked_spans(text, whole)
    secrets = secrets_of(sample)
    missed = [s for s in secrets if s in whole]
    outcomes, count = [], 0
    for cutting, pieces in cuttings(text, rng, char_limit, chunks):
        count += 1
        stream = "".join(await streamed(inspector, pieces))
        if stream == whole:
            continue
        leaks = released(text, stream, spans)
        leaks += [s for s in secrets if stream.count(s) > whole.count(s) and s not in leaks]
        shape = placeholder_shape(whole, stream)
        outcomes.append(
            Outcome(
                sample.group, cutting, tuple(leaks), True, shape, text, whole, stream, tuple(pieces)
            )
        )
    return Checked(outcomes, missed, count, whole != text)


def samples_for(args: argparse.Namespace) -> list[Sample]:
    """The open parts' texts (``--size`` each) and a seeded draw of the labelled set."""
    chosen: list[Sample] = []
    for name in args.part or OPEN_PARTS:
        chosen.extend(generate_part(PARTS[name], args.size))
    if not args.no_labelled:
        labelled = generate()
        chosen.extend(random.Random(args.seed).sample(labelled, min(len(labelled), args.size * 4)))
    return chosen


def excerpt(text: str, limit: int = 160) -> str:
    """``text`` on one line, shortened (this is a check of our own outputs, printed locally)."""
    flat = text.replace("\n", "⏎")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def report(checked: Sequence[Checked], show: int) -> int:
    """Print the figures and up to ``show`` examples of each kind; the number of leaks."""
    outcomes = [o for c in checked for o in c.outcomes]
    texts, masked = len(checked), sum(c.masked for c in checked)
    cut, missed = sum(c.cuttings for c in checked), sum(len(c.missed) for c in checked)
    leaking = [o for o in outcomes if o.leaks]
    other = [o for o in outcomes if not o.leaks]
    leak_texts = {o.text for o in leaking}
    mismatch_texts = {o.text for o in other} - leak_texts
    print(f"texts checked: {texts} ({masked} masked by the whole answer), cuttings: {cut}")
    print(f"leaks: {len(leaking)} cuttings of {len(leak_texts)} texts")
    print(f"mismatches (no leak): {len(other)} cuttings of {len(mismatch_texts)} texts")
    print(f"labelled secrets in clear in the whole answer too (detection, not streams): {missed}")
    for title, group in (("LEAK", leaking), ("MISMATCH", other)):
        by_shape = Counter(
            (o.shape, o.name.split(":")[-1] if ":" in o.name else o.name) for o in group
        )
        if by_shape:
            print(f"\n{title} by placeholders that differ, genre:")
        for (shape, genre), count in by_shape.most_common():
            print(f"  {count:4d}  {shape}  [{genre}]")
        seen: set[str] = set()
        for o in group:
            if len(seen) >= show or o.text in seen:
                continue
            seen.add(o.text)
            print(f"\n  {title} {o.name} ({o.cutting}) {list(o.leaks)[:3]}")
            print(f"    text:   {excerpt(o.text)}")
            print(f"    whole:  {excerpt(o.whole)}")
            print(f"    stream: {excerpt(o.stream)}")
    return len(leaking)


async def check_all(args: argparse.Namespace) -> list[Checked]:
    """Check every sample the options name."""
    inspector = default_pack_inspector()
    rng = random.Random(args.seed)
    samples = samples_for(args)
    started = time.perf_counter()
    chunks = args.chunk or ()
    checked = [await check(inspector, s, rng, args.char_limit, chunks) for s in samples]
    print(f"({time.perf_counter() - started:.0f} s)")
    return checked


def dump(path: str, checked: Sequence[Checked]) -> None:
    """Write each differing cutting as a JSON line: text, pieces, both answers."""
    with Path(path).open("w", encoding="utf-8") as out:
        for outcome in (o for c in checked for o in c.outcomes):
            out.write(json.dumps(dataclasses.asdict(outcome), ensure_ascii=False) + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the options, run the check, print the report; 1 if anything leaked."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=40, help="texts per open part")
    parser.add_argument("--seed", type=int, default=135)
    parser.add_argument("--char-limit", type=int, default=400, help="cut by character up to")
    parser.add_argument("--show", type=int, default=5, help="examples printed per kind")
    parser.add_argument("--part", action="append", choices=OPEN_PARTS, help="only this part")
    parser.add_argument("--no-labelled", action="store_true", help="skip the labelled set")
    parser.add_argument(
        "--chunk",
        type=int,
        action="append",
        help="cut every text into chunks of this many characters only (repeatable; 1: by char)",
    )
    parser.add_argument("--dump", help="write each differing cutting (JSON lines) to this file")
    args = parser.parse_args(argv)
    checked = asyncio.run(check_all(args))
    if args.dump:
        dump(args.dump, checked)
    return 1 if report(checked, args.show) else 0


if __name__ == "__main__":
    raise SystemExit(main())
