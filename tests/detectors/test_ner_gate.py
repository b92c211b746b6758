"""The NER gate: the model reads only the sentences that may hold a name, and the PII
detector reports the same findings as when the model reads whole texts."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from core.scanning import Finding
from detectors.ner_gate import NerGate, Run, run_text
from detectors.ner_lexicon import STOP_WORDS_NO_NAMES
from detectors.ner_words import capitalised
from detectors.pii import PresidioDetector
from detectors.settings import PiiSettings

BENCH = Path(__file__).resolve().parents[2] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

from detect_cost import fresh_texts  # noqa: E402 - bench/ is put on the path above
from eval_dataset import generate_hard_cases  # noqa: E402
from evalset.parts import PARTS, generate_part  # noqa: E402

NAMES_AND_PLACES = frozenset({"PERSON", "LOCATION", "NRP"})


@pytest.fixture(scope="module")
def whole(nlp: Language) -> PresidioDetector:
    """The PII detector with the model reading whole texts."""
    return PresidioDetector(PiiSettings(), nlp=nlp, ner_gate=False)


@pytest.fixture(scope="module")
def gate() -> NerGate:
    """A gate whose filter drops one-word spans of "invoice", "kitchen" and "redis"."""
    return NerGate({"invoice", "kitchen", "redis"}.__contains__)


def _kept_text(nlp: Language, gate: NerGate, text: str) -> list[str]:
    doc = nlp.make_doc(text)
    return [doc[run.keep_from : run.keep_to].text for run in gate.runs(doc)]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("The build failed. We restarted the runner.", []),
        ("Invoice paid in full. Kitchen closed at noon.", []),
        ("the build failed again and nobody knows why", []),
        ("I think I know why: it times out.", []),
        ("Redis restarted twice last night.", []),
        ("Create a playbook that installs Redis.", ["Create a playbook that installs Redis."]),
        ("John is out today.", ["John is out today."]),
        ("Invoice moved. Ask Anna Lee tomorrow. We wait.", ["Ask Anna Lee tomorrow."]),
        ("We met in Berlin.\nThe rest is fine.", ["We met in Berlin."]),
        ("Hi Anna,\nthe report is late.", ["Hi Anna,\n"]),
        ("会议在东京举行", ["会议在东京举行"]),
    ],
)
def test_runs_keep_sentences_with_a_possible_name(
    nlp: Language, gate: NerGate, text: str, kept: list[str]
) -> None:
    """A sentence is read when a capitalised word (or an uncased script) stands anywhere
    but at its start, or its opener is neither a stop word nor dropped alone by the filter
    (a technology name inside a sentence is read: the model tags "installs Kong")."""
    assert _kept_text(nlp, gate, text) == kept


@pytest.fixture(scope="module")
def tech_gate() -> NerGate:
    """The gate above whose filter also takes "kong" and "redis" for technology names."""
    return NerGate(
        {"invoice", "kitchen", "redis"}.__contains__, tech={"kong", "redis"}.__contains__
    )


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("We want a playbook that installs Redis and Kong.", []),
        ("Redis's replica and Kong's proxy restarted.", []),
        ("Ask Jenkins to restart Kong.", ["Ask Jenkins to restart Kong."]),
        ("It installs Kong for Anna.", ["It installs Kong for Anna."]),
        ("It installs kong-Redis today.", ["It installs kong-Redis today."]),  # inside a word
        ("It installs Kong-Foo today.", ["It installs Kong-Foo today."]),  # "kong-foo"
    ],
)
def test_technology_names_inside_a_sentence_need_no_model(
    nlp: Language, tech_gate: NerGate, text: str, kept: list[str]
) -> None:
    """A sentence whose capitalised words past the opener all start words the filter takes
    for technology names is not read; any other capitalised word sends it to the model."""
    assert _kept_text(nlp, tech_gate, text) == kept


def test_runs_are_widened_by_the_margin_and_merged(nlp: Language, gate: NerGate) -> None:
    """Each run reads four tokens either side of its sentences; runs that would overlap
    are one run, so no token is read twice."""
    doc = nlp.make_doc("Ask Anna. The sky is blue. Ask Bob. We wait for the long reply now.")
    runs = gate.runs(doc)
    assert runs == [Run(0, 15, 0, 11)]  # both names' sentences, margins joined
    far = nlp.make_doc("Ask Anna. " + "The sky is blue today. " * 3 + "Ask Bob.")
    first, second = gate.runs(far)
    assert (first.start, first.keep_from, first.keep_to, first.end) == (0, 0, 3, 7)
    assert second.start == second.keep_from - 4
    assert second.end == len(far)


def test_run_text_is_widened_to_whole_chunks(nlp: Language) -> None:
    """A run's text starts and ends at whitespace, so tokenizing it alone gives the run's
    tokens (plus the rest of a chunk cut by the margin)."""
    doc = nlp.make_doc("one two (Anna's) three")
    offset, text = run_text(doc, Run(3, 5, 3, 5))  # "Anna" "'s"
    assert (offset, text) == (8, "(Anna's)")
    assert [t.text for t in nlp.make_doc(text)] == [t.text for t in doc[2:6]]


def _names(findings: Sequence[Finding]) -> set[tuple[str, int, int]]:
    return {(f.entity_type, f.start, f.end) for f in findings if f.entity_type in NAMES_AND_PLACES}


def test_gated_scan_reads_less_and_finds_the_same(
    pii: PresidioDetector, whole: PresidioDetector
) -> None:
    """A text whose other sentences hold no possible name: the model reads the one with
    the name (and its margins), and the finding is the whole-text scan's."""
    text = (
        "The nightly build failed again. We restarted the runner twice. "
        "Please ask Anna Schmidt in Hamburg about it. Nothing else changed, as far as "
        "we can tell from the logs of the last three weeks."
    )
    before_gated, before_whole = pii.ner_tokens, whole.ner_tokens
    found = _names(pii.scan([text])[0])
    gated_tokens = pii.ner_tokens - before_gated
    assert found == _names(whole.scan([text])[0])
    assert ("PERSON", text.index("Anna"), text.index(" in Hamburg")) in found
    whole_tokens = whole.ner_tokens - before_whole
    assert 0 < gated_tokens * 2 < whole_tokens


def test_gate_changes_no_finding_on_varied_texts(
    pii: PresidioDetector, whole: PresidioDetector
) -> None:
    """On tickets, e-mails, chats, configs, code reviews and stack traces in eight locales,
    presidio-evaluator's sentences, the hard cases and fresh 1 KB prompts, the gated scan
    reports exactly the names and places of the whole-text scan, and reads fewer tokens."""
    texts = [
        *(s.text for s in generate_part(PARTS["tuning"], 150)),
        *(s.text for s in generate_part(PARTS["presidio"], 100)),
        *(s.text for s in generate_hard_cases(rounds=4)),
        *fresh_texts(20),
        "Create an Logstash playbook that installs Kong and opens port 80.",  # "installs Kong"
    ]
    before_gated, before_whole = pii.ner_tokens, whole.ner_tokens
    expected = [_names(found) for found in whole.scan(texts)]
    got = [_names(found) for found in pii.scan(texts)]
    differ = [i for i, (a, b) in enumerate(zip(expected, got, strict=True)) if a != b]
    assert differ == []
    assert sum(map(len, expected)) > 230  # the sample does hold names and places
    assert pii.ner_tokens - before_gated < 0.9 * (whole.ner_tokens - before_whole)


def _reference_runs(dropped: set[str], doc: Doc) -> list[tuple[int, int]]:
    """The kept sentences as the gate read them before it remembered token texts: one
    spaCy Token at a time (its text, lower case, white space, start)."""
    kept: list[tuple[int, int]] = []
    start = 0
    bounds = []
    for token in doc:
        if token.text in {".", "!", "?", "...", "…", "?!", "!?"} or (
            token.is_space and "\n" in token.text
        ):
            bounds.append((start, token.i + 1))
            start = token.i + 1
    if start < len(doc):
        bounds.append((start, len(doc)))
    for low, high in bounds:
        opening = True
        for token in doc[low:high]:
            if not any(ch.isalpha() for ch in token.text):
                continue
            if capitalised(token.text):
                word = token.lower_
                if opening and not (word in STOP_WORDS_NO_NAMES or word in dropped):
                    kept.append((low, high))
                    break
                if not opening and token.text != "I":
                    kept.append((low, high))
                    break
            opening = False
    return kept


def test_runs_read_tokens_as_spacy_tokens_read(nlp: Language) -> None:
    """On varied prose and the hard cases, the gate keeps the sentences a reading of spaCy
    Token objects keeps (capitals, openers, line breaks, "I", scripts without case): each
    run starts and ends with such a sentence and holds every one."""
    dropped = {"invoice", "kitchen", "redis", "the", "please"}
    gate = NerGate(dropped.__contains__)
    texts = [*fresh_texts(40, 7), *(s.text for s in generate_hard_cases()[:200])]
    texts += ["I said: OK.\n\nThe END!? ... Überweisung an Ärztin 会议 Kitchen", "", " \n "]
    for text in texts:
        doc = nlp.make_doc(text)
        runs = gate.runs(doc, text)
        reference = _reference_runs(dropped, doc)
        assert {run.keep_from for run in runs} <= {low for low, _ in reference}, text
        assert {run.keep_to for run in runs} <= {high for _, high in reference}, text
        for low, high in reference:
            assert any(r.keep_from <= low and high <= r.keep_to for r in runs), text


def test_a_token_text_is_judged_once(nlp: Language) -> None:
    """The filter's word lists are asked about a capitalised opener once, however many
    sentences and texts it opens."""
    asked: list[str] = []

    def dropped_alone(word: str) -> bool:
        asked.append(word)
        return word == "invoice"

    gate = NerGate(dropped_alone)
    for text in ("Invoice paid. Invoice sent.", "Invoice late. Kitchen closed."):
        gate.runs(nlp.make_doc(text), text)
    assert sorted(asked) == ["invoice", "kitchen"]
