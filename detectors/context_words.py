"""Presidio's context-word boost, with the same scores at a fraction of its cost.

Presidio raises a pattern match's score when one of its recognizer's context words
("phone", "card", "ssn", ...) is among the few keywords before it
(``LemmaContextAwareEnhancer``). Its implementation deep-copies every result of the text,
looks for the match's token by walking the tokens from the start, and tests each
surrounding word against the list of all of the text's keywords - about 1 ms per 1 KB
text with a handful of matches, a twentieth of what the PII detector spends on it.

:class:`ContextWords` computes the same thing on :class:`~detectors.nlp_engine.NerArtifacts`:
the match's token by bisection over the token ends, and only the tokens it visits asked
whether they are keywords. It boosts the results in place: the analyzer hands it a
list made for this call and keeps no other reference to them. On other artifacts it is
Presidio's own enhancer.
"""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.context_aware_enhancers import (
    ContextAwareEnhancer,
    LemmaContextAwareEnhancer,
)
from presidio_analyzer.nlp_engine import NlpArtifacts

from detectors.nlp_engine import NerArtifacts

_RECOGNIZER_ID = RecognizerResult.RECOGNIZER_IDENTIFIER_KEY
_ENHANCED = RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY


class ContextWords(LemmaContextAwareEnhancer):
    """``LemmaContextAwareEnhancer`` with its defaults and results, made cheap (module doc)."""

    def enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts,
        recognizers: list[EntityRecognizer],
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        """The results, each boosted if a context word of its recognizer is near it."""
        if not isinstance(nlp_artifacts, NerArtifacts):
            return super().enhance_using_context(
                text, raw_results, nlp_artifacts, recognizers, context
            )
        by_id = {recognizer.id: recognizer for recognizer in recognizers}
        extra = [word.lower() for word in context or ()]
        for result in raw_results:
            metadata = result.recognition_metadata
            recognizer = by_id.get(metadata.get(_RECOGNIZER_ID)) if metadata else None
            if recognizer is None or not recognizer.context or metadata.get(_ENHANCED):
                continue
            surrounding = self._surrounding(nlp_artifacts, result.start)
            surrounding.extend(extra)
            word = self._find_supportive_word_in_context(
                surrounding, recognizer.context, self.context_matching_mode
            )
            if word:
                score = max(result.score + self.context_similarity_factor,
                            self.min_score_with_context_similarity)  # fmt: skip
                result.score = min(score, ContextAwareEnhancer.MAX_SCORE)
                result.analysis_explanation.set_supportive_context_word(word)
                result.analysis_explanation.set_improved_score(result.score)
        return raw_results

    def _surrounding(self, artifacts: NerArtifacts, start: int) -> list[str]:
        """The keywords Presidio's ``_extract_surrounding_words`` takes around a match at
        ``start``: up to ``context_prefix_count`` + 1 from its token backwards and
        ``context_suffix_count`` + 1 forwards (the token's own keyword counts in both)."""
        if not artifacts.tokens:
            return [""]
        index = artifacts.token_at(start)
        if index is None:  # as Presidio; the message leaves the text out
            raise ValueError("a match starts past the last token of its text")
        words: set[str] = set()
        for step, count in ((-1, self.context_prefix_count), (1, self.context_suffix_count)):
            position, remaining = index, count + 1
            while 0 <= position < len(artifacts.tokens) and remaining > 0:
                keyword = artifacts.keyword_at(position)
                if keyword is not None:
                    words.add(keyword)
                    remaining -= 1
                position += step
        return list(words)
