"""Stock Presidio, as a new user would run it, beside our detectors.

``AnalyzerEngine()`` with its default recognizers and the same spaCy model as ours; the only
change is that tldextract uses its bundled public-suffix snapshot instead of fetching the
list (offline, as our proxy must run). Its entity names are kept when our default settings
report the same name, and dropped otherwise (DATE_TIME, NRP, URL, ... are not scored).
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence

import tldextract
import tldextract.tldextract
from presidio_analyzer import AnalyzerEngine
from presidio_analyzer.nlp_engine import NlpEngineProvider

from evalset.scoring import Hit


class StockPresidio:
    """Stock ``AnalyzerEngine`` over the given spaCy model; findings in our names."""

    def __init__(self, spacy_model: str, our_types: Collection[str]) -> None:
        # The module-level extractor that Presidio's e-mail recognizer calls would fetch the
        # public suffix list over the network; the snapshot shipped in the wheel is enough.
        tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(
            cache_dir=None, suffix_list_urls=()
        )
        logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
        provider = NlpEngineProvider(
            nlp_configuration={
                "nlp_engine_name": "spacy",
                "models": [{"lang_code": "en", "model_name": spacy_model}],
            }
        )
        self.engine = AnalyzerEngine(
            nlp_engine=provider.create_engine(), supported_languages=["en"]
        )
        self.our_types = frozenset(our_types)

    def supported_entities(self) -> list[str]:
        """What the stock recognizers can report (all of it is PII, none of it a secret)."""
        return list(self.engine.get_supported_entities(language="en"))

    def scan(self, texts: Sequence[str]) -> list[list[Hit]]:
        """Stock findings per text, in our entity names; unmapped types dropped."""
        return [
            [
                Hit(r.entity_type, r.start, r.end, r.score)
                for r in self.engine.analyze(text, language="en")
                if r.entity_type in self.our_types
            ]
            for text in texts
        ]
