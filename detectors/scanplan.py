"""How the texts of one scan call become units of work for the pool, and back into findings.

A unit is small enough that one caller's huge prompt cannot hold a worker for long, and
the fair queue (see :mod:`detectors.fairqueue`) interleaves units of different callers:

* texts of at most ``pii.chunk_chars`` characters (all within ``ner_chars``) are packed
  together, several per unit, and run through every detector at once - the common case,
  exactly as before;
* a longer text is split: one unit runs the pattern detectors (secrets, custom) over the
  *whole* text - they are fast, and a private key or a base64 run must not be cut - and
  NER (``presidio``) runs over its first ``ner_chars`` characters in overlapping chunks
  of ``pii.chunk_chars``, one unit each (see :mod:`detectors.chunking`).

Characters beyond ``ner_chars`` are not seen by NER at all; the caller (the policy)
decides what that means for the call. When the rules in scope want only some of the PII
detector's entity types, the units carry them (``entities``) and that detector reports
only those, running only the recognizers they need (:mod:`detectors.pii_scope`): no NER
model when none is an NER type. The other detectors always run whole: a secret hides
the PII inside it, whatever types are wanted.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final, Protocol, TypeGuard, runtime_checkable

from core.scanning import Detector, Finding
from detectors.chunking import analyse_in_chunks, plan_chunks
from detectors.entities import NER_ENTITY_TYPES, SECRET_ENTITY_TYPES
from detectors.registry import scan_all

#: Detectors whose cost grows with text length fast enough to need chunks and a size
#: budget: spaCy NER through Presidio (``detectors.pii.NAME``, not imported here so that
#: the proxy process never imports spaCy). Every other detector is a pattern detector.
MODEL_DETECTORS: Final = frozenset({"presidio"})


class Pass(StrEnum):
    """Which of a worker's detectors a unit runs."""

    ALL = "all"
    PATTERNS = "patterns"
    MODEL = "model"

    def includes(self, detector: str) -> bool:
        if self is Pass.ALL:
            return True
        return (detector in MODEL_DETECTORS) == (self is Pass.MODEL)


@dataclass(frozen=True, slots=True)
class ScanRequest:
    """One unit of work: run the ``detectors`` pass over ``texts``. ``entities``: the PII
    entity types wanted (None: all); the PII detector reports only those."""

    texts: tuple[str, ...]
    detectors: Pass = Pass.ALL
    entities: frozenset[str] | None = None

    @property
    def chars(self) -> int:
        return sum(len(text) for text in self.texts)

    @property
    def ner(self) -> bool:
        """Whether the NER model may run for this unit (an NER type is wanted)."""
        return self.entities is None or not NER_ENTITY_TYPES.isdisjoint(self.entities)

    def joinable(self, other: ScanRequest) -> bool:
        """True if one worker call can run both units' texts (see :func:`join`)."""
        return (self.detectors, self.entities) == (other.detectors, other.entities)


def join(requests: Sequence[ScanRequest]) -> ScanRequest:
    """One unit with the texts of joinable ``requests``, in order.

    Detection is per text (no detector looks across texts), so the joined unit's results,
    cut back by :func:`split`, are each request's own; the model detector runs all of its
    texts through ``nlp.pipe`` at once.
    """
    first = requests[0]
    if not all(first.joinable(r) for r in requests):
        raise ValueError("units of different passes cannot be joined")
    texts = tuple(text for request in requests for text in request.texts)
    return ScanRequest(texts, first.detectors, first.entities)


def split(
    requests: Sequence[ScanRequest], results: Sequence[list[Finding]]
) -> list[list[list[Finding]]]:
    """The results of ``join(requests)`` cut back into each request's results."""
    if len(results) != sum(len(r.texts) for r in requests):
        raise ValueError(f"{len(results)} results for the texts of {len(requests)} units")
    cut: list[list[list[Finding]]] = []
    start = 0
    for request in requests:
        end = start + len(request.texts)
        cut.append(list(results[start:end]))
        start = end
    return cut


@runtime_checkable
class EntityScoped(Protocol):
    """A detector that can report only some entity types, doing only the work they need."""

    @property
    def name(self) -> str: ...

    def scan(self, texts: Sequence[str]) -> list[list[Finding]]: ...

    def scan_scoped(self, texts: Sequence[str], entities: Collection[str]) -> list[list[Finding]]:
        """``scan`` filtered to the types in ``entities`` (exactly those findings)."""
        ...


@dataclass(frozen=True, slots=True)
class _Scoped:
    """``detector`` as a :class:`Detector` that reports only ``entities``."""

    detector: EntityScoped
    entities: frozenset[str]

    @property
    def name(self) -> str:
        return self.detector.name

    def scan(self, texts: Sequence[str]) -> list[list[Finding]]:
        return self.detector.scan_scoped(texts, self.entities)


def execute(detectors: Sequence[Detector], request: ScanRequest) -> list[list[Finding]]:
    """Run one unit with ``detectors`` (a worker's): findings per text of the request."""
    chosen: list[Detector] = [d for d in detectors if request.detectors.includes(d.name)]
    if request.entities is not None:
        wanted = request.entities
        chosen = [_Scoped(d, wanted) if _entity_scoped(d) else d for d in chosen]
    return scan_all(chosen, request.texts)


def _entity_scoped(detector: Detector) -> TypeGuard[EntityScoped]:
    """Whether ``detector`` is :class:`EntityScoped`: what ``isinstance`` against the
    runtime-checkable Protocol answers for a detector (which has ``name`` and ``scan``
    already), without that check's Python steps (~500 bytecodes) for every detector of
    every unit: a streamed answer runs a unit for every read it scans (issue 11)."""
    return hasattr(detector, "scan_scoped")


@dataclass(frozen=True, slots=True)
class _Packed:
    """Text ``position`` of unit ``unit``: its findings are final as they come."""

    unit: int
    position: int


@dataclass(frozen=True, slots=True)
class _Split:
    """A text scanned by a pattern unit and NER chunk units, merged afterwards."""

    patterns_unit: int
    model_units: range
    covered: int  # characters at the start of the text that NER saw


Recipe = _Packed | _Split


@dataclass(frozen=True, slots=True)
class ScanPlan:
    """The units for a list of texts and how their results make findings per text."""

    texts: tuple[str, ...]
    requests: tuple[ScanRequest, ...]
    recipes: tuple[Recipe, ...]
    chunk_chars: int
    chunk_overlap: int

    def assemble(self, results: Sequence[list[list[Finding]]]) -> list[list[Finding]]:
        """Findings per text, in order, from each request's results (in request order)."""
        if len(results) != len(self.requests):
            raise ValueError(f"{len(results)} results for {len(self.requests)} units")
        found: list[list[Finding]] = []
        for text, recipe in zip(self.texts, self.recipes, strict=True):
            if isinstance(recipe, _Packed):
                found.append(results[recipe.unit][recipe.position])
                continue
            # The chunks were analysed by the workers already: replay their findings
            # through the same merge, which plans the same chunks in the same order.
            model: list[Finding] = []
            if recipe.covered:
                replay = _replay(iter([results[unit][0] for unit in recipe.model_units]))
                model = analyse_in_chunks(
                    text[: recipe.covered], self.chunk_chars, self.chunk_overlap, replay
                )
            found.append(_merge(results[recipe.patterns_unit][0], model))
        return found


def _replay(results: Iterator[list[Finding]]) -> Callable[[str], list[Finding]]:
    def analysed(_chunk: str) -> list[Finding]:
        return next(results)

    return analysed


def _merge(patterns: list[Finding], model: list[Finding]) -> list[Finding]:
    """Both passes' findings, sorted; as in :func:`scan_all`, an NER finding inside a
    secret is dropped (digits in a token are not a phone number)."""
    secrets = [f for f in patterns if f.entity_type in SECRET_ENTITY_TYPES]
    kept = [f for f in model if not any(s.start <= f.start and f.end <= s.end for s in secrets)]
    return sorted([*patterns, *kept], key=lambda f: (f.start, f.end, f.entity_type, f.detector))


def covered_chars(text: str, ner_chars: int | None) -> int:
    """How much of ``text`` NER sees when a call allows ``ner_chars`` (None: all of it)."""
    return len(text) if ner_chars is None else min(len(text), ner_chars)


def plan_scan(
    texts: Sequence[str],
    *,
    ner_chars: int | None,
    chunk_chars: int,
    chunk_overlap: int,
    model: bool,
    entities: frozenset[str] | None = None,
) -> ScanPlan:
    """Split ``texts`` into units; ``model`` says whether an NER detector is enabled,
    ``entities`` which PII types the call wants (None: all; see :class:`ScanRequest`)."""
    batches: list[list[int]] = []  # indices of short texts, packed up to chunk_chars a unit
    load = 0
    split: list[int] = []
    for index, text in enumerate(texts):
        whole = covered_chars(text, ner_chars) == len(text) and len(text) <= chunk_chars
        if model and not whole:
            split.append(index)
            continue
        if not batches or (batches[-1] and load + len(text) > chunk_chars):
            batches.append([])
            load = 0
        batches[-1].append(index)
        load += len(text)

    requests: list[ScanRequest] = []
    recipes: dict[int, Recipe] = {}
    for batch in batches:
        for position, index in enumerate(batch):
            recipes[index] = _Packed(len(requests), position)
        requests.append(ScanRequest(tuple(texts[index] for index in batch), entities=entities))
    for index in split:
        text = texts[index]
        covered = covered_chars(text, ner_chars)
        patterns = len(requests)
        requests.append(ScanRequest((text,), Pass.PATTERNS, entities))
        chunks = plan_chunks(text[:covered], chunk_chars, chunk_overlap) if covered else []
        requests.extend(ScanRequest((text[c.start : c.end],), Pass.MODEL, entities) for c in chunks)
        recipes[index] = _Split(patterns, range(patterns + 1, len(requests)), covered)
    ordered = tuple(recipes[index] for index in range(len(texts)))
    return ScanPlan(tuple(texts), tuple(requests), ordered, chunk_chars, chunk_overlap)
