"""The PII detector (name ``"presidio"``): Presidio pattern recognizers plus spaCy NER.

Offline by construction:

* e-mail validation never downloads the public suffix list (see
  :class:`detectors.recognizers.OfflineEmailRecognizer`);
* the spaCy model is loaded by us, never downloaded (see :mod:`detectors.nlp_engine`).

On top of Presidio's results it drops what the evaluation set showed to be noise: pattern
matches glued to larger identifiers, matches shadowed by a longer or validated match, and
NER spans that cannot be names or places (see :mod:`detectors.pii_filters`).
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterator, Sequence

from presidio_analyzer import (
    AnalyzerEngine,
    EntityRecognizer,
    RecognizerRegistry,
    RecognizerResult,
)
from presidio_analyzer import predefined_recognizers as pr
from presidio_analyzer.nlp_engine import NerModelConfiguration
from spacy.language import Language
from spacy.tokens import Doc, Span

from core.scanning import Finding
from detectors.chunking import analyse_in_chunks, plan_chunks
from detectors.context_words import ContextWords
from detectors.entities import NER_ENTITY_TYPES
from detectors.name_cues import widened
from detectors.ner_filter import NerFilter
from detectors.ner_gate import NerGate, Run, merge_entities, run_text
from detectors.ner_lexicon import shipped_lexicon
from detectors.ner_org_people import ORG_LABEL, people_read_as_organisations
from detectors.nlp_engine import NerArtifacts, NerNlpEngine, load_spacy_model
from detectors.pii_filters import (
    GLUE_SENSITIVE,
    drop_shadowed,
    email_start,
    glued,
    may_name,
    ner_lines,
    ner_plausible,
    not_an_address,
)
from detectors.pii_scope import PiiScope, pii_scope
from detectors.recognizers import DATE_RECOGNIZER, PATTERN_RECOGNIZERS
from detectors.settings import PiiSettings

NAME = "presidio"

# spaCy NER labels (OntoNotes, as in en_core_web_*) and the Presidio entity each becomes.
_NER_LABELS = {
    "PERSON": "PERSON",
    "PER": "PERSON",
    "GPE": "LOCATION",
    "LOC": "LOCATION",
    "FAC": "LOCATION",
    "NORP": "NRP",
    "ORG": "ORGANIZATION",
    "DATE": "DATE_TIME",
    "TIME": "DATE_TIME",
}

# Per-entity minimum scores when the settings give none (then ``default_threshold``).
# Presidio scores a bare regex match low and adds 0.35 for a context word nearby; a
# checksum-validated match scores 1.0.
DEFAULT_THRESHOLDS: dict[str, float] = {
    # phonenumbers-validated matches score 0.4 (0.75 with "phone", "call", ... nearby).
    "PHONE_NUMBER": 0.4,
    # "123-45-6789" scores 0.5; unformatted nine digits only count next to "SSN" (0.4).
    "US_SSN": 0.4,
    # Nine bare digits score 0.05: only with context ("passport") are they reported.
    "US_PASSPORT": 0.4,
    "US_BANK_NUMBER": 0.4,
    # Matches short alphanumerics such as "v1": require context words.
    "US_DRIVER_LICENSE": 0.6,
    # A 10-digit number passing mod 11 scores 1.0 even without context; see entities.py.
    "UK_NHS": 0.5,
}

_NER_RECOGNIZER = "SpacyRecognizer"  # the default name of pr.SpacyRecognizer
# Entity scopes a detector remembers (policies have few distinct rule scopes).
_MEMO_SCOPES = 64


class _TokensOnDemand(NerArtifacts):
    """The artifacts of a piece the model does not read: no entities, and tokens made on
    the first look for a context word around a match.

    Without the model, tokens serve only the context words, and no recognizer registered
    here reads the artifacts (the model's reads entities only), so each piece is analysed
    once: one without a match - most stream windows and answers - is never tokenized,
    one with a match is tokenized once, when the first match's context is looked at."""

    def __init__(self, text: str, nlp: Language, engine: NerNlpEngine, language: str) -> None:
        # NerArtifacts.__init__ is not called: it takes the Doc this makes on demand.
        self.entities: list[Span] = []
        self.scores: list[float] = []
        self.nlp_engine = engine
        self.language = language
        self._text = self._piece = text
        self._nlp = nlp

    @functools.cached_property
    def tokens(self) -> Doc:  # type: ignore[override]  # lazy attribute
        """``text`` tokenized (no pipeline component runs)."""
        return self._nlp.make_doc(self._piece)


class PresidioDetector:
    """PII with Presidio's pattern recognizers and spaCy NER, chunked for long texts.

    ``scan`` runs every text (every chunk of a long one) of a call through ``nlp.pipe`` in
    one batch; each text's findings are the same as if it were analysed alone. The model
    reads only the sentences of a text that may hold a name (see :mod:`detectors.ner_gate`).
    ``scan_scoped`` reports only some entity types and runs only the recognizers they need
    (see :mod:`detectors.pii_scope`); ``scan_without_ner`` is the scope of every pattern
    type: the model is skipped, the recognizers see the tokenizer's output only.
    """

    def __init__(
        self, settings: PiiSettings, *, nlp: Language | None = None, ner_gate: bool = True
    ) -> None:
        """Build the analyzer; ``nlp`` injects an already loaded spaCy pipeline (tests);
        ``ner_gate=False`` runs the model on whole texts (to check the gate against)."""
        self._settings = settings
        self._entities = tuple(settings.entities)
        self._full = pii_scope(self._entities, None)
        self._without_ner = pii_scope(self._entities, set(self._entities) - NER_ENTITY_TYPES)
        self._scopes: dict[frozenset[str], PiiScope] = {}
        self._thresholds = {
            entity: settings.thresholds.get(
                entity, DEFAULT_THRESHOLDS.get(entity, settings.default_threshold)
            )
            for entity in self._entities
        }
        self._nlp: Language | None = None
        self._engine: NerNlpEngine | None = None
        self._analyzer = self._build_analyzer(settings, nlp) if self._entities else None
        self._ner_filter = NerFilter(settings.allow_list, entities=settings.entities)
        self._lexicon = shipped_lexicon().with_allowed(settings.allow_list)
        self._people = "PERSON" in settings.entities
        self._ner_gate = self._gate(settings) if ner_gate else None
        self.ner_texts = 0
        """Texts (chunks) run through the NER model so far: observable, for tests."""
        self.ner_tokens = 0
        """Tokens run through the NER model so far (see :mod:`detectors.ner_gate`)."""
        self.second_passes = 0
        """Pieces of scoped scans that needed the other recognizers too (see pii_scope)."""

    @staticmethod
    def _gate(settings: PiiSettings) -> NerGate:
        """The NER gate for what ``NerFilter`` drops on sight (see ``NerFilter._noise``):
        a one-word span of a technology name, an allowed term or an English word that is
        no name or place, and a span whose capitalised words are technology names."""
        lexicon = shipped_lexicon().with_allowed(settings.allow_list)
        return NerGate(lexicon.dropped_alone, tech=lexicon.is_tech)

    @property
    def name(self) -> str:
        """``"presidio"``."""
        return NAME

    @property
    def recognizers(self) -> tuple[EntityRecognizer, ...]:
        """The Presidio recognizers registered (for introspection: which ones ran)."""
        return () if self._analyzer is None else tuple(self._analyzer.registry.recognizers)

    def _build_analyzer(self, settings: PiiSettings, nlp: Language | None) -> AnalyzerEngine:
        language = settings.language
        enabled = set(settings.entities)
        ner_entities = sorted(enabled & NER_ENTITY_TYPES)
        model = nlp if nlp is not None else load_spacy_model(settings.spacy_model)
        # Every label we do not report is ignored explicitly: Presidio logs a warning per
        # entity for labels that are neither mapped nor ignored (CARDINAL, MONEY, ...).
        labels = set(model.pipe_labels.get("ner", []))
        ner_config = NerModelConfiguration(
            model_to_presidio_entity_mapping=dict(_NER_LABELS),
            labels_to_ignore=sorted(
                label
                for label in labels | set(_NER_LABELS)
                if _NER_LABELS.get(label) not in enabled
            ),
        )
        engine = NerNlpEngine(
            models=[{"lang_code": language, "model_name": settings.spacy_model}],
            ner_model_configuration=ner_config,
        )
        # Injected rather than engine.load(): see detectors.nlp_engine.
        engine.nlp = {language: model}  # type: ignore[assignment]  # presidio types it None
        self._nlp, self._engine = model, engine
        recognizers = [
            PATTERN_RECOGNIZERS[entity](settings)
            for entity in settings.entities
            if entity in PATTERN_RECOGNIZERS
        ]
        if "DATE_TIME" in enabled:
            recognizers.append(DATE_RECOGNIZER(settings))
        if ner_entities:
            recognizers.append(
                pr.SpacyRecognizer(supported_language=language, supported_entities=ner_entities)
            )
        registry = RecognizerRegistry(recognizers=recognizers, supported_languages=[language])
        return AnalyzerEngine(
            registry=registry,
            nlp_engine=engine,
            supported_languages=[language],
            context_aware_enhancer=ContextWords(),
        )

    def scan(self, texts: Sequence[str]) -> list[list[Finding]]:
        """Findings per text, in text order, sorted by offset."""
        return self._scan(texts, self._full)

    def scan_without_ner(self, texts: Sequence[str]) -> list[list[Finding]]:
        """``scan`` without the NER model: the same findings minus every NER entity type."""
        return self._scan(texts, self._without_ner)

    def scan_scoped(self, texts: Sequence[str], entities: Collection[str]) -> list[list[Finding]]:
        """``scan`` filtered to the types in ``entities``, running only the recognizers
        those findings depend on; the NER model runs only if one is an NER type."""
        return self._scan(texts, self._scope(entities))

    def find(self, text: str) -> list[Finding]:
        """Findings in one text; long texts are analysed in overlapping chunks."""
        return self._scan([text], self._full)[0]

    def _scope(self, entities: Collection[str]) -> PiiScope:
        key = frozenset(entities)
        scope = self._scopes.get(key)
        if scope is None:
            if len(self._scopes) >= _MEMO_SCOPES:
                self._scopes.clear()
            scope = self._scopes[key] = pii_scope(self._entities, key)
        return scope

    def _scan(self, texts: Sequence[str], scope: PiiScope) -> list[list[Finding]]:
        if self._analyzer is None or not scope.first:
            return [[] for _ in texts]
        size, overlap = self._settings.chunk_chars, self._settings.chunk_overlap
        wanted = [bool(text.strip()) for text in texts]
        pieces = [
            text[chunk.start : chunk.end]
            for text, scan in zip(texts, wanted, strict=True)
            if scan
            for chunk in plan_chunks(text, size, overlap)
        ]
        analysed = self._analyse_batch(pieces, scope)
        # analyse_in_chunks plans the same chunks in the same order: it gets their findings
        # from the batch instead of analysing them one by one.
        return [
            analyse_in_chunks(text, size, overlap, lambda _chunk: next(analysed)) if scan else []
            for text, scan in zip(texts, wanted, strict=True)
        ]

    def _analyse_batch(self, pieces: Sequence[str], scope: PiiScope) -> Iterator[list[Finding]]:
        """Findings per piece, lazily; NER runs over all of them in one ``nlp.pipe``."""
        assert self._analyzer is not None
        assert self._nlp is not None
        assert self._engine is not None
        language = self._settings.language
        if scope.ner:
            docs: Iterator[Doc | None] = iter(self._tag(pieces, scope))
        else:
            docs = iter([None] * len(pieces))  # tokenized below, only where needed
        first, rest = list(scope.first), list(scope.rest)
        for piece, doc in zip(pieces, docs, strict=True):
            artifacts: NerArtifacts
            if doc is None:
                artifacts = _TokensOnDemand(piece, self._nlp, self._engine, language)
            else:
                artifacts = self._engine.artifacts(doc, language, text=piece)
            analyse = functools.partial(
                self._analyzer.analyze, text=piece, language=language, nlp_artifacts=artifacts
            )
            pattern, ner = self._candidates(piece, analyse(entities=first))
            if rest and (pattern or ner):
                self.second_passes += 1
                more_pattern, more_ner = self._candidates(piece, analyse(entities=rest))
                pattern, ner = pattern + more_pattern, ner + more_ner
            if doc is not None and self._people:  # "The cardholder Lydia Nkrumah says", an ORG
                organisations = [
                    (e.start_char, e.end_char) for e in doc.ents if e.label_ == ORG_LABEL
                ]
                ner += people_read_as_organisations(
                    piece, organisations, self._lexicon, [*pattern, *ner]
                )
            if scope.ner:  # names the model missed or cut short after a greeting, a title
                ner = widened(ner, self._ner_filter.cued_names(piece, [*pattern, *ner]))
            found = self._resolve(piece, pattern, ner)
            yield found if scope.complete else [f for f in found if f.entity_type in scope.wanted]

    def _tag(self, pieces: Sequence[str], scope: PiiScope) -> list[Doc]:
        """``pieces`` tokenized, with the entities of the NER model in the parts that may
        hold a name (all of them for DATE_TIME, see :mod:`detectors.ner_gate`)."""
        assert self._nlp is not None
        # NER dates are not checked by ner_plausible: with DATE_TIME wanted every text
        # needs NER; any other span in a text without capitals would be dropped.
        every_part = "DATE_TIME" in scope.wanted
        docs = [self._nlp.make_doc(piece) for piece in pieces]
        runs: list[list[Run]] = []
        for piece, doc in zip(pieces, docs, strict=True):
            if every_part or self._ner_gate is None:
                whole = every_part or may_name(piece)
                runs.append([Run(0, len(doc), 0, len(doc))] if whole and len(doc) else [])
            else:
                runs.append(self._ner_gate.runs(doc, piece) if may_name(piece) else [])
        self.ner_texts += sum(1 for r in runs if r)
        parts: list[tuple[int, Doc | str]] = [
            (0, doc) if (run.start, run.end) == (0, len(doc)) else run_text(doc, run, piece)
            for piece, doc, doc_runs in zip(pieces, docs, runs, strict=True)
            for run in doc_runs
        ]
        tagged = iter(self._nlp.pipe(part for _, part in parts))
        offsets = iter(offset for offset, _ in parts)
        for doc, doc_runs in zip(docs, runs, strict=True):
            done = [(next(offsets), next(tagged)) for _ in doc_runs]
            self.ner_tokens += sum(len(part) for _, part in done)
            if doc_runs and done[0][1] is not doc:
                merge_entities(doc, doc_runs, done)
        return docs

    def _candidates(
        self, text: str, results: Sequence[RecognizerResult]
    ) -> tuple[list[Finding], list[Finding]]:
        """Presidio's results on ``text`` as (pattern, NER) findings, each judged alone:
        over its type's threshold, not glued to an identifier, an NER span plausible."""
        pattern: list[Finding] = []
        ner: list[Finding] = []
        for result in results:
            entity, start, end = result.entity_type, result.start, result.end
            score = round(float(result.score), 4)
            if entity not in self._thresholds or score < self._thresholds[entity]:
                continue
            if entity in GLUE_SENSITIVE and glued(text, start, end, entity):
                continue
            if entity == "IP_ADDRESS" and not_an_address(text, start, end):
                continue
            if entity == "EMAIL_ADDRESS":
                start = email_start(text, start, end)
            metadata = result.recognition_metadata or {}
            if metadata.get(RecognizerResult.RECOGNIZER_NAME_KEY) != _NER_RECOGNIZER:
                pattern.append(Finding(entity, start, end, score, NAME))
            elif entity == "DATE_TIME":
                ner.append(Finding(entity, start, end, score, NAME))
            else:  # a span across lines is judged line by line
                ner += [
                    Finding(entity, a, b, score, NAME)
                    for a, b in ner_lines(text, start, end)
                    if ner_plausible(text[a:b])
                ]
        return pattern, ner

    def _resolve(self, text: str, pattern: list[Finding], ner: list[Finding]) -> list[Finding]:
        """The candidates minus those another one hides, and NER spans that are not PII."""
        pattern = drop_shadowed(pattern)
        # NER labels IBANs, card numbers and e-mail domains as LOCATION/PERSON/DATE_TIME now
        # and then; a validated pattern finding on the same text is the better answer.
        ner = [n for n in ner if all(n.end <= p.start or n.start >= p.end for p in pattern)]
        ner = self._ner_filter.apply(text, ner)  # product names, code, addresses
        return sorted(pattern + ner, key=lambda f: (f.start, f.end, f.entity_type))
