"""ContextWords boosts scores exactly as Presidio's LemmaContextAwareEnhancer does."""

from __future__ import annotations

import random

import pytest
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from spacy.language import Language
from spacy.strings import StringStore
from spacy.tokens import Doc

from detectors.context_words import ContextWords
from detectors.nlp_engine import NerNlpEngine
from detectors.recognizers import PATTERN_RECOGNIZERS
from detectors.settings import PiiSettings

# Each holds pattern matches whose recognizers have context words, with those words before,
# after, far away, glued by a colon, between stop words and punctuation, or absent.
CASES = (
    "Call my phone 212-555-0147 tomorrow.",
    "212-555-0147 is my phone number",
    "phone: the number we spoke about in the meeting last Tuesday is 212-555-0147",
    "tel:212-555-0147 or mobile:+44 7700 900123",
    "My passport number is 912803456 and my ssn is 536-90-4399.",
    "passport 912803456",
    "912803456",
    "Card 4111 1111 1111 1111, expiry 09/27; the other card: 5500 0000 0000 0004.",
    "Driver license A1234567 and licence B7654321 were scanned.",
    "IBAN DE89 3704 0044 0532 0130 00 for the transfer to account GB29NWBK60161331926819",
    "No context here: 10.1.2.3 and 415-555-0199 and 078-05-1120.",
    "",
    "   ",
    "ssn",
)

_VOCABULARY = (
    "phone", "number", "call", "the", "is", "my", "card", "credit", "ssn", "social",
    "security", "passport", "license", "ip", "address", "iban", "bank", "account", "and",
    "of", "a", ":", ",", ".", "-", "tel", "mobile", "please", "Visa", "Kim", "Berlin",
)  # fmt: skip
_VALUES = (
    "212-555-0147", "+1 415 555 0199", "536-90-4399", "912803456", "4111 1111 1111 1111",
    "10.20.30.40", "DE89 3704 0044 0532 0130 00", "A1234567", "07700 900123",
)  # fmt: skip


def _random_texts(count: int) -> list[str]:
    rng = random.Random(1465)
    texts = []
    for _ in range(count):
        words = [rng.choice(_VOCABULARY) for _ in range(rng.randint(3, 25))]
        for _ in range(rng.randint(1, 3)):
            words.insert(rng.randint(0, len(words)), rng.choice(_VALUES))
        texts.append(rng.choice((" ", "  ", ":", "")).join(words))
    return texts


def _analyzer(nlp: Language, enhancer: LemmaContextAwareEnhancer) -> AnalyzerEngine:
    settings = PiiSettings()
    engine = NerNlpEngine(models=[{"lang_code": "en", "model_name": settings.spacy_model}])
    engine.nlp = {"en": nlp}  # type: ignore[assignment]  # presidio types it None
    recognizers = [factory(settings) for factory in PATTERN_RECOGNIZERS.values()]
    registry = RecognizerRegistry(recognizers=recognizers, supported_languages=["en"])
    return AnalyzerEngine(registry=registry, nlp_engine=engine, context_aware_enhancer=enhancer)


def _scored(
    nlp: Language, analyzer: AnalyzerEngine, text: str, context: list[str] | None
) -> list[tuple[str, int, int, float]]:
    engine = analyzer.nlp_engine
    assert isinstance(engine, NerNlpEngine)
    artifacts = engine.artifacts(nlp.make_doc(text), "en")
    results: list[RecognizerResult] = analyzer.analyze(
        text=text, language="en", nlp_artifacts=artifacts, context=context
    )
    return sorted((r.entity_type, r.start, r.end, r.score) for r in results)


@pytest.fixture(scope="module")
def analyzers(nlp: Language) -> tuple[AnalyzerEngine, AnalyzerEngine]:
    """Presidio's enhancer and ours, each in an analyzer with the same recognizers."""
    return _analyzer(nlp, LemmaContextAwareEnhancer()), _analyzer(nlp, ContextWords())


@pytest.mark.parametrize("text", CASES)
@pytest.mark.parametrize("context", [None, ["Phone"]])
def test_scores_are_presidios_on_written_cases(
    nlp: Language,
    analyzers: tuple[AnalyzerEngine, AnalyzerEngine],
    text: str,
    context: list[str] | None,
) -> None:
    """Each match gets the score Presidio's enhancer gives it, with and without context
    words passed by the caller."""
    presidio, ours = analyzers
    assert _scored(nlp, ours, text, context) == _scored(nlp, presidio, text, context)


def test_scores_are_presidios_on_random_word_salad(
    nlp: Language, analyzers: tuple[AnalyzerEngine, AnalyzerEngine]
) -> None:
    """On 400 seeded mixes of context words, stop words, punctuation and values the
    scores are Presidio's, and some of them were raised by a context word."""
    presidio, ours = analyzers
    boosted = 0
    for text in _random_texts(400):
        expected = _scored(nlp, presidio, text, None)
        assert _scored(nlp, ours, text, None) == expected, text
        boosted += sum(1 for *_, score in expected if score in (0.75, 0.85, 1.0))
    assert boosted > 50


def test_keyword_at_answers_as_presidios_keyword_list(nlp: Language) -> None:
    """For every token, keyword_at gives its lower-cased lemma exactly when Presidio's
    keyword list holds that word (colon-joined words, case variants, stop words)."""
    engine = NerNlpEngine(models=[{"lang_code": "en", "model_name": "unused"}])
    engine.nlp = {"en": nlp}  # type: ignore[assignment]  # presidio types it None
    extra = ["tel:212-555-0147 Tel TEL tel", "-PRON- -pron- The THE be Be", "a:b:c b c: :"]
    docs = [nlp.make_doc(text) for text in [*CASES, *extra, *_random_texts(100)]]
    # Lemmas as a lemmatizer may set them: in any case, with colons.
    words = ["He", "him", "Tel:x", "phone", "The", "Call", "x"]
    lemmas = ["-PRON-", "-pron-", "Tel:X", "Phone", "The", "call", "X"]
    docs.append(Doc(nlp.vocab, words=words, lemmas=lemmas))
    for index, doc in enumerate(docs):
        # with the text, as the detector passes it, and without (rebuilt from the tokens)
        artifacts = engine.artifacts(doc, "en", text=doc.text if index % 2 else None)
        keywords = set(artifacts.keywords)
        expected = [
            lemma.lower() if lemma.lower() in keywords else None for lemma in artifacts.lemmas
        ]
        assert [artifacts.keyword_at(i) for i in range(len(doc))] == expected, doc.text


def test_no_colon_keywords_looked_up_in_a_text_without_colons(nlp: Language) -> None:
    """Without a lemmatizer and without a colon in the text, asking whether a stop word is
    a keyword looks up no lemma's colon pieces; with a colon in the text it does."""
    looked_up: list[int] = []

    class Counting(NerNlpEngine):
        def colon_keywords(self, key: int, strings: StringStore, language: str) -> tuple[str, ...]:
            looked_up.append(key)
            return super().colon_keywords(key, strings, language)

    engine = Counting(models=[{"lang_code": "en", "model_name": "unused"}])
    engine.nlp = {"en": nlp}  # type: ignore[assignment]  # presidio types it None
    counts = []
    for text in ("Call the office on 212-555-0147.", "Call the office, tel:212-555-0147."):
        artifacts = engine.artifacts(nlp.make_doc(text), "en", text=text)
        assert artifacts.keyword_at(1) is None  # "the": a stop word
        counts.append(len(looked_up))
    assert counts[0] == 0
    assert counts[1] > 0


def test_a_boost_is_explained_like_presidios(
    nlp: Language, analyzers: tuple[AnalyzerEngine, AnalyzerEngine]
) -> None:
    """The explanation of a boosted result names the supporting word and the new score."""
    _, ours = analyzers
    text = "Call my phone 212-555-0147 tomorrow."
    engine = ours.nlp_engine
    assert isinstance(engine, NerNlpEngine)
    artifacts = engine.artifacts(nlp.make_doc(text), "en")
    (result,) = ours.analyze(
        text=text, language="en", nlp_artifacts=artifacts, return_decision_process=True
    )
    assert result.analysis_explanation is not None
    assert result.analysis_explanation.supportive_context_word == "phone"
    assert result.analysis_explanation.score_context_improvement > 0
