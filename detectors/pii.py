"""The PII detector (name ``"presidio"``): Presidio pattern recognizers plus spaCy NER.

Offline by construction:

* e-mail validation never downloads the public suffix list (see
  :class:`detectors.recognizers.OfflineEmailRecognizer`);
* Presidio's ``SpacyNlpEngine.load`` calls ``spacy.cli.download`` for a missing model. We
  load the model ourselves (once per process, see :func:`load_spacy_model`) and hand it to
  the engine, and a missing model is a configuration error.

On top of Presidio's results it drops what the evaluation set showed to be noise: pattern
matches glued to larger identifiers, matches shadowed by a longer or validated match, and
NER spans that cannot be names or places (see ``bench/eval_detectors.py``).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

import spacy
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_analyzer import predefined_recognizers as pr
from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine
from spacy.language import Language

from detectors.base import Finding
from detectors.chunking import analyse_in_chunks
from detectors.entities import NER_ENTITY_TYPES
from detectors.errors import DetectorConfigError
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

# Pattern findings on these types are dropped when glued to a larger identifier
# ("INV-2024-000123", "order #4529-8812-3301", "build-20240115"): phonenumbers and the
# SSN/card regexes otherwise match the numeric tail of ticket, order and build ids.
_GLUE_SENSITIVE = frozenset(
    {
        "PHONE_NUMBER",
        "US_SSN",
        "US_ITIN",
        "US_PASSPORT",
        "US_BANK_NUMBER",
        "US_DRIVER_LICENSE",
        "UK_NHS",
        "CREDIT_CARD",
    }
)
_JOINERS = "-_/"
_NER_RECOGNIZER = "SpacyRecognizer"  # the default name of pr.SpacyRecognizer


@functools.lru_cache(maxsize=2)
def load_spacy_model(name: str) -> Language:
    """The spaCy pipeline ``name``, loaded once per process and shared by every detector.

    Models are large (the lg model is ~800 MB in memory) and read-only once loaded, so a
    per-process cache is what keeps hot reloads and several detectors cheap. The dependency
    parser is left out: neither NER nor Presidio's context enhancer (lemmas) needs it, and
    skipping it saves ~15% of the time per text.
    """
    if not (spacy.util.is_package(name) or Path(name).exists()):
        raise DetectorConfigError(
            f"pii.spacy_model: spaCy model {name!r} is not installed "
            f"(pip install it, or run `python -m spacy download {name}` where online)"
        )
    try:
        return spacy.load(name, exclude=["parser"])
    except OSError as exc:
        raise DetectorConfigError(f"pii.spacy_model: cannot load {name!r}: {exc}") from exc


def _glued(text: str, start: int, end: int) -> bool:
    """True if ``text[start:end]`` is the tail or head of a longer identifier."""
    before = text[start - 1] if start > 0 else " "
    before2 = text[start - 2] if start > 1 else " "
    after = text[end] if end < len(text) else " "
    after2 = text[end + 1] if end + 1 < len(text) else " "
    return (
        before.isalnum()
        or before == "#"
        or (before in _JOINERS and before2.isalnum())
        or after.isalnum()
        or (after in _JOINERS and after2.isalnum())
    )


# Characters a person's or place's name can contain besides letters and spaces.
_NAME_PUNCTUATION = frozenset(".,'’-()&")


def _ner_plausible(value: str) -> bool:
    """False for NER spans that cannot be a name or place.

    The small English model tags hashes, UUIDs, ticket ids, version pins and lowercase
    tool names ("node") as PERSON/LOCATION. Names contain no digits or symbols such as
    ``:=/_@#``, and in cased scripts at least one capital letter.
    """
    if any(ch.isdigit() for ch in value):
        return False
    if any(not (ch.isalpha() or ch.isspace() or ch in _NAME_PUNCTUATION) for ch in value):
        return False
    if "\n" in value:
        return False
    cased = any(ch.isupper() or ch.islower() for ch in value)
    return not cased or any(ch.isupper() for ch in value)


def _drop_shadowed(findings: list[Finding]) -> list[Finding]:
    """Drop a pattern finding inside a longer or higher-scoring one of another type.

    e.g. a Luhn-valid run of digits inside an IBAN, a phone-shaped SSN or IPv4 address,
    the digits of an e-mail address.
    """
    return [
        f
        for f in findings
        if not any(
            g.entity_type != f.entity_type
            and g.start <= f.start
            and f.end <= g.end
            and (g.end - g.start > f.end - f.start or g.score > f.score)
            for g in findings
        )
    ]


class PresidioDetector:
    """PII with Presidio's pattern recognizers and spaCy NER, chunked for long texts."""

    def __init__(self, settings: PiiSettings, *, nlp: Language | None = None) -> None:
        """Build the analyzer; ``nlp`` injects an already loaded spaCy pipeline (tests)."""
        self._settings = settings
        self._entities = tuple(settings.entities)
        self._thresholds = {
            entity: settings.thresholds.get(
                entity, DEFAULT_THRESHOLDS.get(entity, settings.default_threshold)
            )
            for entity in self._entities
        }
        self._analyzer = self._build_analyzer(settings, nlp) if self._entities else None

    @property
    def name(self) -> str:
        """``"presidio"``."""
        return NAME

    @staticmethod
    def _build_analyzer(settings: PiiSettings, nlp: Language | None) -> AnalyzerEngine:
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
        engine = SpacyNlpEngine(
            models=[{"lang_code": language, "model_name": settings.spacy_model}],
            ner_model_configuration=ner_config,
        )
        # Injected rather than engine.load(): see the module docstring.
        engine.nlp = {language: model}  # type: ignore[assignment]  # presidio types it None
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
        return AnalyzerEngine(registry=registry, nlp_engine=engine, supported_languages=[language])

    def scan(self, texts: Sequence[str]) -> list[list[Finding]]:
        """Findings per text, in text order, sorted by offset."""
        return [self.find(text) for text in texts]

    def find(self, text: str) -> list[Finding]:
        """Findings in one text; long texts are analysed in overlapping chunks."""
        if self._analyzer is None or not text.strip():
            return []
        s = self._settings
        return analyse_in_chunks(text, s.chunk_chars, s.chunk_overlap, self._analyse)

    def _analyse(self, text: str) -> list[Finding]:
        assert self._analyzer is not None
        results = self._analyzer.analyze(
            text=text, language=self._settings.language, entities=list(self._entities)
        )
        pattern: list[Finding] = []
        ner: list[Finding] = []
        for result in results:
            entity, start, end = result.entity_type, result.start, result.end
            score = round(float(result.score), 4)
            if entity not in self._thresholds or score < self._thresholds[entity]:
                continue
            if entity in _GLUE_SENSITIVE and _glued(text, start, end):
                continue
            metadata = result.recognition_metadata or {}
            if metadata.get(RecognizerResult.RECOGNIZER_NAME_KEY) != _NER_RECOGNIZER:
                pattern.append(Finding(entity, start, end, score, NAME))
            elif entity == "DATE_TIME" or _ner_plausible(text[start:end]):
                ner.append(Finding(entity, start, end, score, NAME))
        pattern = _drop_shadowed(pattern)
        # NER labels IBANs, card numbers and e-mail domains as LOCATION/PERSON/DATE_TIME now
        # and then; a validated pattern finding on the same text is the better answer.
        ner = [n for n in ner if all(n.end <= p.start or n.start >= p.end for p in pattern)]
        return sorted(pattern + ner, key=lambda f: (f.start, f.end, f.entity_type))
