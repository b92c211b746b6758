"""The spaCy pipeline and Presidio's NLP engine around it, as the PII detector uses them.

Presidio's ``SpacyNlpEngine.load`` calls ``spacy.cli.download`` for a missing model. We
load the model ourselves (once per process, see :func:`load_spacy_model`), with only the
components NER needs, and hand it to :class:`NerNlpEngine`; a missing model is a
configuration error, never a download.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy
import numpy.typing as npt
import spacy
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine
from spacy.attrs import IDX, LEMMA, LENGTH, LOWER
from spacy.language import Language
from spacy.strings import StringStore
from spacy.tokens import Doc, Span

from detectors.blas import use_single_threaded_blas
from detectors.errors import DetectorConfigError

# Pipeline components that NER does not read (tags, lemmas, parses, sentences). Presidio
# reads only entities and tokens from the Doc, plus lemmas for context words, which
# ``NerNlpEngine`` takes from the lower-cased token text instead (context words match as
# substrings, so "phones" still supports "phone"). NER alone is about half of what the full
# pipeline costs per text (bench/detect_cost.py).
_NOT_FOR_NER = (
    "parser",
    "tagger",
    "attribute_ruler",
    "lemmatizer",
    "trainable_lemmatizer",
    "morphologizer",
    "senter",
)
# Shared embedding layers: kept only while a remaining component listens to them (the NER
# of en_core_web_sm/md/lg has its own; a transformer pipeline's NER listens to its
# transformer).
_EMBEDDERS = ("tok2vec", "transformer")


@functools.lru_cache(maxsize=2)
def load_spacy_model(name: str) -> Language:
    """The spaCy pipeline ``name`` with only what NER needs, loaded once per process.

    Models are large (the lg model is ~800 MB in memory) and read-only once loaded, so a
    per-process cache is what keeps hot reloads and several detectors cheap. Its matrix
    products run on one BLAS thread (see :mod:`detectors.blas`).
    """
    if not (spacy.util.is_package(name) or Path(name).exists()):
        raise DetectorConfigError(
            f"pii.spacy_model: spaCy model {name!r} is not installed "
            f"(pip install it, or run `python -m spacy download {name}` where online)"
        )
    try:
        nlp = spacy.load(name, exclude=list(_NOT_FOR_NER))
    except OSError as exc:
        raise DetectorConfigError(f"pii.spacy_model: cannot load {name!r}: {exc}") from exc
    for embedder in _EMBEDDERS:
        if embedder in nlp.pipe_names:
            # Unknown listener bookkeeping: keep the layer rather than break NER.
            listeners = getattr(nlp.get_pipe(embedder), "listening_components", [embedder])
            if not listeners:
                nlp.remove_pipe(embedder)
    use_single_threaded_blas(nlp)
    return nlp


# Words whose stop-word and punctuation flags an engine remembers (then it starts afresh).
_MEMO_WORDS = 50_000


class NerNlpEngine(SpacyNlpEngine):
    """Presidio's spaCy engine for a pipeline without a lemmatizer (see ``_NOT_FOR_NER``).

    ``artifacts`` turns a Doc made by the caller into what Presidio's recognizers read, so
    that the detector can run many texts through ``nlp.pipe`` at once, or only tokenize
    them when no NER entity is wanted. Presidio asks whether each token is a stop word or
    punctuation (for context words); the answers are remembered per word, which saves a
    vocabulary lookup per token (~1 ms per KB of text).
    """

    def __init__(
        self,
        models: list[dict[str, str]] | None = None,
        ner_model_configuration: NerModelConfiguration | None = None,
    ) -> None:
        super().__init__(models=models, ner_model_configuration=ner_model_configuration)
        self._flags: dict[tuple[str, str], tuple[bool, bool]] = {}
        self._colon_keywords: dict[tuple[str, int], tuple[str, ...]] = {}

    def is_stopword(self, word: str, language: str) -> bool:
        return self._flags_of(word, language)[0]

    def is_punct(self, word: str, language: str) -> bool:
        return self._flags_of(word, language)[1]

    def _flags_of(self, word: str, language: str) -> tuple[bool, bool]:
        key = (language, word)
        flags = self._flags.get(key)
        if flags is None:
            if len(self._flags) >= _MEMO_WORDS:
                self._flags.clear()
            lexeme = self.nlp[language].vocab[word]  # type: ignore[index]  # typed None
            flags = self._flags[key] = (bool(lexeme.is_stop), bool(lexeme.is_punct))
        return flags

    def colon_keywords(self, key: int, strings: StringStore, language: str) -> tuple[str, ...]:
        """The keywords Presidio's ``NlpArtifacts.set_keywords`` makes of a lemma holding a
        colon (its lower-cased pieces, unless it is a stop word or punctuation), given its
        string key; () for any other lemma. Remembered per lemma, as the flags are: most
        of a text's lemmas were seen before, and most hold no colon."""
        memo = (language, key)
        found = self._colon_keywords.get(memo)
        if found is None:
            if len(self._colon_keywords) >= _MEMO_WORDS:
                self._colon_keywords.clear()
            lemma = str(strings[key])
            kept = ":" in lemma and not (
                self.is_stopword(lemma, language) or self.is_punct(lemma, language)
            )
            found = self._colon_keywords[memo] = tuple(lemma.lower().split(":")) if kept else ()
        return found

    def artifacts(self, doc: Doc, language: str, *, text: str | None = None) -> NerArtifacts:
        """Presidio's NLP artifacts of ``doc``; lemmas fall back to the lower-cased text.
        ``text``: ``doc.text``, where the caller has it (spaCy rebuilds it on every read)."""
        entities, scores = self._get_updated_entities(
            self._get_entities(doc), self._get_scores_for_entities(doc)
        )
        return NerArtifacts(doc, entities, scores, self, language, text=text)

    def _doc_to_nlp_artifact(self, doc: Doc, language: str) -> NlpArtifacts:
        return self.artifacts(doc, language)


class NerArtifacts(NlpArtifacts):
    """Presidio's NLP artifacts, with the per-token lists built on first use.

    ``NlpArtifacts.__init__`` builds token offsets, lemmas and keywords for every text, but
    Presidio reads them only to look for context words around a pattern match: most texts
    never need them (about 1 ms per KB of text otherwise). :mod:`detectors.context_words`
    reads them through ``token_at`` and ``keyword_at``, which build no per-token lists of
    strings at all.
    """

    def __init__(
        self,
        doc: Doc,
        entities: list[Span],
        scores: list[float],
        engine: NerNlpEngine,
        language: str,
        *,
        text: str | None = None,
    ) -> None:
        """``text``: ``doc.text``, if the caller has it."""
        # NlpArtifacts.__init__ is not called: it would build the lists below eagerly.
        self.entities = entities
        self.tokens = doc
        self.scores = scores
        self.nlp_engine = engine
        self.language = language
        self._text = text

    @functools.cached_property
    def tokens_indices(self) -> list[int]:  # type: ignore[override]  # lazy attribute
        return [int(i) for i in self.tokens.to_array(IDX)]

    @functools.cached_property
    def lemmas(self) -> list[str]:  # type: ignore[override]  # lazy attribute
        """Lemmas, or the lower-cased text where the pipeline has no lemmatizer."""
        strings = self.tokens.vocab.strings
        return [strings[int(key)] for key in self._lemma_keys]

    @functools.cached_property
    def keywords(self) -> list[str]:  # type: ignore[override]  # lazy attribute
        return self.set_keywords(self.nlp_engine, self.lemmas, self.language)

    @functools.cached_property
    def _lemma_and_lower(self) -> npt.NDArray[numpy.uint64]:
        """Per token, the string keys of its lemma (0: none) and of its lower-cased text."""
        keys = self.tokens.to_array([LEMMA, LOWER])
        return numpy.asarray(keys, dtype=numpy.uint64).reshape(-1, 2)

    @functools.cached_property
    def _lemma_keys(self) -> npt.NDArray[numpy.uint64]:
        """Per token, the string key of its lemma, or of its lower-cased text."""
        keys = self._lemma_and_lower
        return numpy.where(keys[:, 0] != 0, keys[:, 0], keys[:, 1])

    @functools.cached_property
    def _token_ends(self) -> npt.NDArray[numpy.int64]:
        pairs = numpy.asarray(self.tokens.to_array([IDX, LENGTH]), dtype=numpy.int64)
        starts_lengths = pairs.reshape(-1, 2)
        return starts_lengths[:, 0] + starts_lengths[:, 1]

    def token_at(self, start: int) -> int | None:
        """The index of the first token that ends after character ``start`` (the token
        holding it, or the next one); None past the last token."""
        index = int(numpy.searchsorted(self._token_ends, start, side="right"))
        return index if index < len(self._token_ends) else None

    def lemma_at(self, index: int) -> str:
        """``lemmas[index]``, without building the list."""
        return str(self.tokens.vocab.strings[int(self._lemma_keys[index])])

    def keyword_at(self, index: int) -> str | None:
        """The lower-cased lemma of token ``index`` if it is one of ``keywords``, else None.

        ``keywords`` holds the lower-cased lemmas that are no stop word, punctuation,
        "-PRON-" or "be", split at colons. Stop words and punctuation do not depend on
        case, so the token's own lemma decides, except for a lemma holding a colon (only
        its pieces are keywords) or a piece of another token's lemma that holds one.
        """
        lemma = self.lemma_at(index)
        word = lemma.lower()
        if ":" in word:
            return None
        if self._qualifies(lemma) or word in self._colon_pieces:
            return word
        # Another token's lemma, in another case, may still qualify ("-pron-").
        return word if lemma != word and word in self.keyword_set else None

    def _qualifies(self, lemma: str) -> bool:
        """Whether ``set_keywords`` keeps ``lemma`` (before splitting it at colons)."""
        engine, language = self.nlp_engine, self.language
        return bool(
            engine
            and not engine.is_stopword(lemma, language)
            and not engine.is_punct(lemma, language)
            and lemma not in ("-PRON-", "be")
        )

    @functools.cached_property
    def _colon_pieces(self) -> frozenset[str]:
        """The keywords that come from lemmas holding a colon ("tel:555" gives "tel")."""
        if not self._lemma_and_lower[:, 0].any():  # no lemmatizer: lemmas are lower-cased text
            text = self.tokens.text if self._text is None else self._text
            if ":" not in text:  # then no token, and no lemma, holds a colon
                return frozenset()
        strings, language = self.tokens.vocab.strings, self.language
        return frozenset(
            piece
            for key in numpy.unique(self._lemma_keys)
            for piece in self.nlp_engine.colon_keywords(int(key), strings, language)
        )

    @functools.cached_property
    def keyword_set(self) -> frozenset[str]:
        """The strings of ``keywords``, as a set."""
        return frozenset(self.keywords)
