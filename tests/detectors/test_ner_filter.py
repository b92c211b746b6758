"""NER filtering: product names, code and commands are not people or places; addresses are."""

from __future__ import annotations

import pytest
from spacy.language import Language

from detectors.base import Finding
from detectors.ner_filter import NerFilter, code_regions, in_identifier, load_terms
from detectors.pii import PresidioDetector
from detectors.settings import PiiSettings

# Developer questions: NER tags the product names in them as PERSON/LOCATION unfiltered.
DEVELOPER_QUESTIONS = [
    "Should we put Envoy in front of the Redis cache?",
    "Port the Flask service to FastAPI and deploy on Heroku",
    "Ansible or Chef for the Jenkins agents?",
    "Deploy to AWS Lambda with Terraform and Datadog monitoring",
    "Use kubectl apply -f deploy.yaml then check Grafana",
    "Invoice INV-2019-040441 is overdue, PO-53499-32.",
    "Tokens look like ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx and must never be committed.",
    "Refactor the UserService class in `user_service.py` to use SQLAlchemy.",
    "Why does `Sentry.init()` crash when Kafka is down?",
]


@pytest.mark.parametrize("text", DEVELOPER_QUESTIONS)
def test_developer_question_has_no_finding(pii: PresidioDetector, text: str) -> None:
    """Technical prose about products and code produces no PII finding."""
    assert [(f.entity_type, text[f.start : f.end]) for f in pii.find(text)] == []


@pytest.mark.parametrize(
    ("text", "name", "entity_type"),
    [
        ("Please e-mail Maria Gonzalez about the invoice", "Maria Gonzalez", "PERSON"),
        ("Draft an apology to Maria Garcia for the delay.", "Maria Garcia", "PERSON"),
        ("We are opening an office in Toronto next year.", "Toronto", "LOCATION"),
        ("Mark Twain wrote about the Mississippi.", "Mark Twain", "PERSON"),
    ],
)
def test_names_in_ordinary_sentences_are_still_found(
    pii: PresidioDetector, text: str, name: str, entity_type: str
) -> None:
    """Real names and places keep their findings, with exact spans."""
    start = text.index(name)
    found = [(f.start, f.end) for f in pii.find(text) if f.entity_type == entity_type]
    assert (start, start + len(name)) in found


def _person(text: str, word: str, entity_type: str = "PERSON") -> Finding:
    start = text.index(word)
    return Finding(entity_type, start, start + len(word), 0.85, "presidio")


@pytest.fixture(scope="module")
def ner_filter() -> NerFilter:
    """The filter with the shipped lists and every NER type reported."""
    return NerFilter(entities=("PERSON", "LOCATION", "NRP"))


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Run:\n```\nexport OWNER=Maria\n```\nthen retry", "Maria"),  # fenced block
        ("The flag `--owner Maria` is ignored", "Maria"),  # inline code
        ("See https://wiki.example.com/Maria/notes for details", "Maria"),  # URL
        ("$ ssh Maria@build-host", "Maria"),  # shell prompt
        ("git commit --author Maria -m wip", "Maria"),  # command line
        ("call maria_lopez() before saving", "maria_lopez"),  # snake_case
        ("the MariaService bean fails", "MariaService"),  # CamelCase
        ("import Maria.utils first", "Maria.utils"),  # dotted name
        ("open /home/Maria/report.txt", "Maria"),  # path
        ("set OWNER=Maria in the env", "Maria"),  # key=value
        ("Put the Envoy sidecar in front", "Envoy"),  # allow-list
        ("Is the Brigadoon module slow?", "Brigadoon"),  # after a determiner
        ("Deploy it to staging tonight", "Deploy"),  # imperative verb
    ],
)
def test_noise_is_dropped(ner_filter: NerFilter, text: str, word: str) -> None:
    """A PERSON inside code, identifiers, URLs or commands, or an allowed term, is dropped."""
    assert ner_filter.apply(text, [_person(text, word)]) == []


@pytest.mark.parametrize(
    ("text", "word", "entity_type"),
    [
        ("Ask Maria about the invoice", "Maria", "PERSON"),
        ("Mr McDonald signed it", "McDonald", "PERSON"),  # a name prefix, not CamelCase
        ("Mark said the build is green", "Mark", "PERSON"),  # verb list, but no imperative
        ("She moved to the Hague last year", "Hague", "LOCATION"),
        ("Julia Roberts called", "Julia Roberts", "PERSON"),  # not every word allowed
    ],
)
def test_names_are_kept(ner_filter: NerFilter, text: str, word: str, entity_type: str) -> None:
    """Names and places in prose pass the filter unchanged."""
    finding = _person(text, word, entity_type)
    assert ner_filter.apply(text, [finding]) == [finding]


@pytest.mark.parametrize(
    ("text", "word", "address"),
    [
        ("Send it to Oak Crescent, please", "Oak", "Oak Crescent"),
        ("She lives at 12 Willow Trail", "Willow Trail", "Willow Trail"),
        ("Deliver to Hayes Apt 4", "Hayes", "Hayes Apt"),
        ("The Lark Viaduct is closed", "Lark Viaduct", "Lark Viaduct"),
    ],
)
def test_person_next_to_a_street_word_is_a_location(
    ner_filter: NerFilter, text: str, word: str, address: str
) -> None:
    """A PERSON followed by (or ending in) a street or unit word is reported as a LOCATION."""
    start = text.index(address)
    expected = Finding("LOCATION", start, start + len(address), 0.85, "presidio")
    assert ner_filter.apply(text, [_person(text, word)]) == [expected]


@pytest.mark.parametrize(
    ("text", "span", "rest"),
    [
        ("Compare Hasura and Kestrel for us.", "Compare Hasura", None),  # rest allowed
        ("Ping Maria Lopez about the invoice.", "Ping Maria Lopez", "Maria Lopez"),
        ("Mark Twain wrote it.", "Mark Twain", "Mark Twain"),  # a verb that is a name
    ],
)
def test_leading_imperative_verb_is_cut_off(
    ner_filter: NerFilter, text: str, span: str, rest: str | None
) -> None:
    """A sentence-opening verb NER took into a name is cut off; the rest is judged alone."""
    found = [text[f.start : f.end] for f in ner_filter.apply(text, [_person(text, span)])]
    assert found == ([rest] if rest else [])


def test_address_is_dropped_when_locations_are_not_reported() -> None:
    """Without LOCATION among the entity types, an address is not reported as a PERSON."""
    text = "Send it to Oak Crescent, please"
    assert NerFilter(entities=("PERSON",)).apply(text, [_person(text, "Oak")]) == []


def test_allow_list_extends_the_shipped_terms(ner_filter: NerFilter) -> None:
    """A configured term is dropped, case-insensitively; without it the name is kept."""
    text = "Ask Zorblax about the rollout"
    finding = _person(text, "Zorblax")
    assert ner_filter.apply(text, [finding]) == [finding]
    assert NerFilter(["zorblax"]).apply(text, [finding]) == []


def test_allow_list_setting_reaches_the_detector(nlp: Language) -> None:
    """``pii.allow_list`` silences a name the model finds."""
    text = "Please e-mail Maria Gonzalez about the invoice"
    settings = PiiSettings(entities=("PERSON",), allow_list=("Maria Gonzalez",))
    assert PresidioDetector(settings, nlp=nlp).find(text) == []


def test_other_entity_types_pass_untouched(ner_filter: NerFilter) -> None:
    """Pattern findings and ORGANIZATION are not judged by the NER filter."""
    text = "`redis` at redis@example.com"
    findings = [
        Finding("ORGANIZATION", 1, 6, 0.85, "presidio"),
        Finding("EMAIL_ADDRESS", 11, 28, 1.0, "presidio"),
    ]
    assert ner_filter.apply(text, findings) == findings


def test_code_regions_cover_fences_spans_urls_and_commands() -> None:
    """Fenced blocks, inline code, URLs and command lines are found as code regions."""
    text = "a `b` c\n```\nd\n```\nsee https://x.io/y\nkubectl get pods\nprose line"
    covered = "".join(text[s:e] for s, e in code_regions(text))
    assert covered == "`b`" + "```\nd\n```" + "https://x.io/y" + "kubectl get pods"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the FastAPI app", True),
        ("the LaToya file", False),
        ("os.path.join", True),
        ("U.S. office", False),
        ("Maria, hello", False),
    ],
)
def test_in_identifier(text: str, expected: bool) -> None:
    """Identifiers are told apart from names with inner capitals and abbreviations."""
    word = text.split()[1] if text.startswith("the ") else text.split(maxsplit=1)[0]
    start = text.index(word)
    assert in_identifier(text, start, start + len(word)) is expected


def test_shipped_lists_are_lowercase_and_not_empty() -> None:
    """Every shipped list loads, and every term is normalised."""
    for name in ("tech_terms.txt", "common_words.txt", "verbs.txt", "street_words.txt"):
        terms = load_terms(name)
        assert terms
        assert all(t == t.lower().strip() for t in terms)
