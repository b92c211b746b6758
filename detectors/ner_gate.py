"""Which parts of a text the NER model needs to read.

Every PERSON, LOCATION or NRP span we report contains a capitalised word (see
``pii_filters.ner_plausible``), and the NER filter drops a one-word span that is an English word,
a technology name or an allowed term, wherever it stands (``NerFilter._noise``). So a
sentence is not run through the model when its only capitalised word opens it and is such
a word or a stop word ("The", "We", "Please", "Invoice", "Kitchen"): the model could only
tag that word there, alone or with lowercase words after it, and the evaluation sets show
that it does not do the latter. A capitalised word inside a sentence always sends it to
the model, unless it is a technology name (no first name or surname): the model tags spans
such as "installs Kong", and the filter drops a span whose capitalised words, past a first
word that may open a sentence, are all technology names (``NerFilter._tech_prose``). The
gate reads the words the filter reads (:func:`~detectors.ner_words.word_at`, from the start
of a token); a capitalised token inside a word ("kong-Redis") sends the sentence to the
model.

The model reads the rest in runs of consecutive sentences, each widened by a margin of
four tokens on both sides: spaCy's small English NER computes a token's vector from the
four tokens either side of it (tok2vec: window 1, depth 4), and its transition model reads
only the current token and the first and last tokens of an open entity. So a run's
decisions are the ones the whole text gets, unless an entity crosses a margin's outer edge.
Entities wholly inside a margin are not kept: the margin belongs to a sentence the gate has
ruled out.

Measured on the evaluation sets (``bench/ner_gate_check.py``, where margins of 0-2 tokens
do change findings and 3-6 do not) and kept honest by
``tests/detectors/test_ner_gate.py``: gated and whole-text scans report the same findings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from spacy.attrs import IDX, ORTH
from spacy.tokens import Doc, Span

from detectors.ner_lexicon import STOP_WORDS_NO_NAMES
from detectors.ner_words import capitalised, word_at

#: Tokens either side of a run that the model reads for context.
MARGIN = 4

_SENTENCE_END = frozenset({".", "!", "?", "...", "…", "?!", "!?"})
# Token texts whose reading a gate remembers (then it starts afresh).
_MEMO_WORDS = 50_000


@dataclass(frozen=True, slots=True)
class Run:
    """Tokens ``[start, end)`` are run through the model; its entities are kept if they
    overlap ``[keep_from, keep_to)`` (the sentences the gate let through)."""

    start: int
    end: int
    keep_from: int
    keep_to: int


@dataclass(frozen=True, slots=True)
class _Word:
    """What the gate reads of a token, all of it decided by the token's text alone."""

    ends_sentence: bool  # ".", "!", "?", ... or white space holding a line break
    has_letter: bool
    capitalised: bool
    may_open: bool  # capitalised, and a stop word or a word the filter drops alone
    is_i: bool  # the pronoun "I"


class NerGate:
    """Picks the runs of a Doc the NER model must read (module docstring)."""

    def __init__(
        self,
        dropped_alone: Callable[[str], bool],
        *,
        tech: Callable[[str], bool] | None = None,
        margin: int = MARGIN,
    ) -> None:
        """``dropped_alone(word)``: whether the NER filter drops a one-word span of this
        lowercase word wherever it stands; such a word, or a stop word, may open a
        sentence the model need not read. ``tech(word)``: whether the filter takes this
        lowercase word for a technology name (``Lexicon.is_tech``); such words may stand
        anywhere in a sentence the model need not read (None: nowhere)."""
        self._dropped_alone = dropped_alone
        self._tech = tech
        self._stop_words = STOP_WORDS_NO_NAMES
        self._margin = margin
        # What the gate reads of a token depends on its text only: decided once per text
        # (by its string key) instead of through a Token object per token per Doc.
        self._words: dict[int, _Word] = {}

    def runs(self, doc: Doc, text: str | None = None) -> list[Run]:
        """The runs of ``doc`` to tag, in order, not overlapping; [] if none. ``text``:
        ``doc.text``, where the caller has it (spaCy rebuilds it on every read)."""
        whole = doc.text if text is None else text
        keys, starts = doc.to_array([ORTH, IDX]).T.tolist()
        words = [self._word(key, doc) for key in keys]
        kept: list[tuple[int, int]] = []
        for start, end in _sentences(words):
            if self._may_hold_name(words, starts, start, end, whole):
                if kept and kept[-1][1] == start:
                    kept[-1] = (kept[-1][0], end)
                else:
                    kept.append((start, end))
        runs: list[Run] = []
        length = len(doc)
        for start, end in kept:
            low, high = max(0, start - self._margin), min(length, end + self._margin)
            if runs and low <= runs[-1].end:
                last = runs[-1]
                runs[-1] = Run(last.start, high, last.keep_from, end)
            else:
                runs.append(Run(low, high, start, end))
        return runs

    def _word(self, key: int, doc: Doc) -> _Word:
        """What the gate reads of a token whose text has the string key ``key``."""
        word = self._words.get(key)
        if word is None:
            if len(self._words) >= _MEMO_WORDS:
                self._words.clear()
            lexeme = doc.vocab[key]
            text, lower = lexeme.orth_, lexeme.lower_
            upper = capitalised(text)
            word = self._words[key] = _Word(
                ends_sentence=text in _SENTENCE_END or (lexeme.is_space and "\n" in text),
                has_letter=any(ch.isalpha() for ch in text),
                capitalised=upper,
                may_open=upper and (lower in self._stop_words or self._dropped_alone(lower)),
                is_i=text == "I",
            )
        return word

    def _may_hold_name(
        self, words: Sequence[_Word], starts: Sequence[int], start: int, end: int, whole: str
    ) -> bool:
        opening = True
        for index in range(start, end):
            word = words[index]
            if not word.has_letter:
                continue
            if word.capitalised:
                if opening:
                    if not word.may_open:
                        return True
                elif not word.is_i and not self._tech_word(whole, starts[index]):
                    return True
            opening = False
        return False

    def _tech_word(self, whole: str, start: int) -> bool:
        """Whether the token at ``start`` (in the text ``whole``) starts a word the filter
        takes for a technology name."""
        if self._tech is None:
            return False
        word = word_at(whole, start)
        return word is not None and self._tech(word)


def _sentences(words: Sequence[_Word]) -> Iterable[tuple[int, int]]:
    """Token ranges of sentences: cut after ., !, ? and at line breaks."""
    start = 0
    for index, word in enumerate(words):
        if word.ends_sentence:
            yield start, index + 1
            start = index + 1
    if start < len(words):
        yield start, len(words)


def run_text(doc: Doc, run: Run, whole: str | None = None) -> tuple[int, str]:
    """The offset and text of ``run``, widened to whole whitespace-separated chunks: the
    tokenizer cuts each chunk on its own, so it gives the run the tokens it has in ``doc``
    (re-tokenizing is ~10x cheaper than ``Span.as_doc``). ``whole``: ``doc.text``, where
    the caller has it (spaCy rebuilds it from the tokens on every read)."""
    text = doc.text if whole is None else whole
    low = doc[run.start].idx
    while low > 0 and not text[low - 1].isspace():
        low -= 1
    last = doc[run.end - 1]
    high = last.idx + len(last.text)
    while high < len(text) and not text[high].isspace():
        high += 1
    return low, text[low:high]


def merge_entities(doc: Doc, runs: Sequence[Run], tagged: Sequence[tuple[int, Doc]]) -> None:
    """Set on ``doc`` the entities of each run's tagged text (at its offset in ``doc``)
    that overlap the run's kept tokens."""
    spans: list[Span] = []
    for run, (offset, part) in zip(runs, tagged, strict=True):
        keep_from = doc[run.keep_from].idx
        keep_to = doc[run.keep_to - 1].idx + len(doc[run.keep_to - 1])
        for ent in part.ents:
            start, end = offset + ent.start_char, offset + ent.end_char
            if end <= keep_from or start >= keep_to or (spans and start < spans[-1].end_char):
                continue
            span = doc.char_span(start, end, label=ent.label, alignment_mode="expand")
            if span is not None and not (spans and span.start < spans[-1].end):
                spans.append(span)
    doc.set_ents(spans, default="outside")
