"""NER filtering: product names, code and commands are not people or places; addresses are."""

from __future__ import annotations

from importlib import resources

import pytest
from spacy.language import Language

from core.scanning import Finding
from detectors.ner_filter import NerFilter, load_terms
from detectors.ner_lexicon import normalise, shipped_lexicon
from detectors.pii import PresidioDetector
from detectors.settings import PiiSettings
from detectors.text_regions import code_regions, in_identifier

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
    "Add Detekt to the Gradle build.",
    "Move the mailers from Resque to Sidekiq before the Rails upgrade.",
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
        ("Move the mailers to Sidekiq, then ask Maria Lopez to review.", "Maria Lopez", "PERSON"),
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
        ("Create a playbook that installs Kong.", "installs Kong"),  # only a product capitalised
        ("Then Kong restarts.", "Then Kong"),  # an opener and a product
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
        ("It pages Jenkins at night", "pages Jenkins", "PERSON"),  # a surname and a product
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


# Technical prose of kinds the hand-kept lists did not cover: names from the generated
# vocabulary, English words and compounds, install commands, versions, lists of products,
# phrases. Each produced a PERSON or LOCATION finding before the vocabulary was generated.
NEW_TECH_PROSE = [
    "Ship the logs to Graylog through the collector.",  # compound of two words
    "After pip install Werkzeug the tests hang.",  # install command
    "Chakra or Mantine for the admin UI?",  # generated vocabulary, listed together
    "Why does this fail in CI?",  # two-letter abbreviation
    "Configure Karpenter so Spot nodes drain first.",  # a phrase, not a name
    "We moved the wiki to Backstage last year.",  # an English word
    "Bulma, Bootstrap or Tailwind for a small landing page?",
]


@pytest.mark.parametrize("text", NEW_TECH_PROSE)
def test_new_kinds_of_technical_prose_have_no_finding(pii: PresidioDetector, text: str) -> None:
    """Product names the hand-kept lists never named, and phrases, are no PERSON/LOCATION."""
    assert [(f.entity_type, text[f.start : f.end]) for f in pii.find(text)] == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # an e-mail quote line is not a shell prompt
        ("> Alex Davies wrote: I restarted the consumer.", "Alex Davies"),
        # a string of words inside code is data, not code
        (
            'As a dataclass:\n```python\nuser = {"name": "Melinda Guerra", "age": 41}\n```',
            "Melinda Guerra",
        ),
        # names the model misses, after a greeting, a role noun, a header
        ("Dear Kimberly Smith,\n\nthank you for your order.", "Kimberly Smith"),
        ("hey Chantal, can u send the contract to accounting?", "Chantal"),
        ("The caller, Semra Staude, phoned twice about the refund.", "Semra Staude"),
        # a name the model calls a place
        ("PR comment from Sybille: the retry loop never ends.", "Sybille"),
    ],
)
def test_names_of_kinds_once_missed_are_found(pii: PresidioDetector, text: str, name: str) -> None:
    """Names in quotes, code strings and after cues are PERSON findings with exact spans."""
    start = text.index(name)
    found = [(f.start, f.end) for f in pii.find(text) if f.entity_type == "PERSON"]
    assert found == [(start, start + len(name))]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("My hotel is near 273 Peter Rapid. What should I see?", "Peter Rapid"),
        ("Billing address Kaulring 15, 60268 Marktheidenfeld.", "Marktheidenfeld"),
    ],
)
def test_address_parts_are_locations(pii: PresidioDetector, text: str, place: str) -> None:
    """A street whose type the model did not know, or a town after a postcode, is a
    LOCATION and no PERSON."""
    findings = pii.find(text)
    start = text.index(place)
    assert ("LOCATION", start, start + len(place)) in [
        (f.entity_type, f.start, f.end) for f in findings
    ]
    assert all(f.entity_type != "PERSON" for f in findings)


@pytest.mark.parametrize(
    ("text", "word", "entity_type", "expected"),
    [
        ("Upgrade to Tornado 6.4 first", "Tornado", "PERSON", None),  # version after it
        ("Chakra or Mantine for the UI?", "Chakra", "LOCATION", None),  # listed with a tool
        ("Ask Anna or Maria about it", "Anna", "PERSON", "PERSON"),  # listed with a name
        ("Logs go to Graylog now", "Graylog", "PERSON", None),  # two words run together
        ("Parcel for North Ericton is late", "North Ericton", "PERSON", "LOCATION"),
        (
            "Delivery to Sainte Adrien-la-Forêt failed",
            "Sainte Adrien-la-Forêt",
            "PERSON",
            "LOCATION",
        ),
        ("Moving to Koblenz in May", "Koblenz", "PERSON", "LOCATION"),  # a place, no name
        ("cheers, Stephan", "Stephan", "LOCATION", "PERSON"),  # a first name, no place
        ("a meeting in Laurent on Monday", "Laurent", "LOCATION", "LOCATION"),
        ("Customer Dr Karl Fox called", "Karl Fox", "PERSON", "PERSON"),  # "Dr" is no street
        ("She lives in Jordan now", "Jordan", "LOCATION", "LOCATION"),  # a place and a name
    ],
)
def test_context_drops_or_retypes(
    ner_filter: NerFilter, text: str, word: str, entity_type: str, expected: str | None
) -> None:
    """Versions, lists of tools and compounds drop a word; addresses, places and personal
    names get the type they have in context."""
    found = ner_filter.apply(text, [_person(text, word, entity_type)])
    assert [f.entity_type for f in found] == ([expected] if expected else [])


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Hi Anna,\nthe build is green.", ["Anna"]),
        ("Kind regards,\nHonoré-Franck Bonnin", ["Honoré-Franck Bonnin"]),
        ("Reviewed-by: Imre Döring <id@example.org>", ["Imre Döring"]),
        ("Mme Girard called back", ["Girard"]),  # after a title any name
        ("My name is Felicitas Stolze, call me", ["Felicitas Stolze"]),
        ('{"name": "Karen Cunningham", "id": 7}', ["Karen Cunningham"]),  # a name field
        ("a call back by Francesca from billing", ["Francesca"]),
        ("agent: Zoe Riley schreibt, dass", ["Zoe Riley"]),
        ("The tool named Docker", []),
        ("Hi team, Redis is down", []),  # not a name
        ("Dear Customer, your order shipped", []),
        ("We moved from Jordan to Spain", []),  # a country as often as a name
        ("hi anna, lowercase", []),
    ],
)
def test_cued_names(ner_filter: NerFilter, text: str, names: list[str]) -> None:
    """Capitalised known names after a greeting, header, role or title are PERSONs."""
    assert [text[f.start : f.end] for f in ner_filter.cued_names(text, [])] == names


def test_cued_names_skip_spans_already_found(ner_filter: NerFilter) -> None:
    """A cued name overlapping a finding already made is not reported twice."""
    text = "Dear Kimberly Smith, thanks"
    taken = [_person(text, "Kimberly Smith")]
    assert ner_filter.cued_names(text, taken) == []
    assert NerFilter(entities=("LOCATION",)).cued_names(text, []) == []


def test_generated_vocabulary_keeps_names_and_places_out() -> None:
    """The generated technology and English lists hold no first name, surname or place,
    so "Jordan", "Grace" or "Luigi" are never allowed; real tool names are in them."""
    lexicon = shipped_lexicon()
    for generated in (lexicon.tech, lexicon.english):
        assert not generated & lexicon.first_names
        assert not generated & lexicon.surnames
        assert not generated & lexicon.places
    assert {"jordan", "grace", "luigi", "phoenix"} <= lexicon.first_names
    assert {"werkzeug", "mantine", "kafka", "bigtable"} <= lexicon.tech
    assert {"backstage", "invoice"} <= lexicon.english


# A word that is a technology and a name or place ("Ray", "Phoenix", "Dash"), or a word on
# no list ("Zorblax"), used as software: the filter drops it by the words around it.
@pytest.mark.parametrize(
    ("text", "word", "entity_type"),
    [
        ("Why does Ray cluster autoscaling stall?", "Ray", "PERSON"),  # before a product noun
        ("Do Phoenix endpoints leak memory?", "Phoenix", "LOCATION"),
        ("Will Zorblax plugins load on Windows?", "Zorblax", "PERSON"),
        ("Can we containerize Luigi for the nightly batch?", "Luigi", "PERSON"),  # verb
        ("We upgraded Zorblax last week.", "Zorblax", "PERSON"),
        ("The results get exported to Ray afterwards.", "Ray", "PERSON"),
        ("Swap Luigi with Dagster for scheduling.", "Luigi", "PERSON"),  # linked to a tech
        ("Swap Spring Boot with Quarkus.", "Spring Boot", "PERSON"),
    ],
)
def test_technology_used_as_a_product_is_dropped(
    ner_filter: NerFilter, text: str, word: str, entity_type: str
) -> None:
    """A technology name, even one that is a name or place, or an unknown word, is no
    finding where the text uses it as software."""
    assert ner_filter.apply(text, [_person(text, word, entity_type)]) == []


@pytest.mark.parametrize(
    ("text", "word", "entity_type"),
    [
        ("Ask Ray to restart the Kafka consumers.", "Ray", "PERSON"),  # a person's verb
        ("Ray restarted the consumers twice.", "Ray", "PERSON"),  # no product context
        ("Assign Alice tasks for the sprint.", "Alice", "PERSON"),  # no product noun
        ("Please disable Ray's account today.", "Ray", "PERSON"),  # possessive: an owner
        ("I am using Luigi's laptop until Friday.", "Luigi", "PERSON"),
        ("Send the Kafka report to Aoife Brennan.", "Aoife Brennan", "PERSON"),
        ("We flew from Boston to Phoenix on Monday.", "Phoenix", "LOCATION"),
        ("Upload the tax forms to Paris office.", "Paris", "LOCATION"),  # a place, no tech
        ("Ship it to Lake Annetteborough, HI", "Lake Annetteborough", "LOCATION"),
        ("Deliver to 12 Main Street, Port Westbury", "Port Westbury", "LOCATION"),
    ],
)
def test_names_near_technical_words_are_kept(
    ner_filter: NerFilter, text: str, word: str, entity_type: str
) -> None:
    """Names and places keep their findings when nothing uses them as software."""
    finding = _person(text, word, entity_type)
    assert ner_filter.apply(text, [finding]) == [finding]


@pytest.mark.parametrize(
    ("text", "word", "dropped"),
    [
        ("HELP, WHY CAN I NOT PRESS SAVE ANYMORE", "PRESS", True),  # a word, shouted
        ("URGENT: CALL ROSE BACK BEFORE NOON", "ROSE", True),  # a word as much as a name
        ("PLEASE FORWARD THIS TO KOWALCZYK TODAY", "KOWALCZYK", False),  # a name only
        # one word in capitals in ordinary text, no shouting: judged as usual, so a surname
        # is kept and a first name without a cue is an acronym or emphasis (h126)
        ("Why can I not reach KOWALCZYK today?", "KOWALCZYK", False),
        ("Why can I not PRESS save?", "PRESS", True),
    ],
)
def test_dictionary_words_in_shouted_lines(
    ner_filter: NerFilter, text: str, word: str, dropped: bool
) -> None:
    """In a line written in capitals, a dictionary word is no name; a name that is no
    word, and capitals inside ordinary text, are judged as usual."""
    finding = _person(text, word)
    assert ner_filter.apply(text, [finding]) == ([] if dropped else [finding])


# First names common in some country that Faker lacks, ambiguous since bench/ner_vocabulary.py
# reads gender_guesser's nam_dict too.
COMMON_ELSEWHERE = frozenset({
    "aliki", "andi", "anta", "argo", "bing", "chiaki", "dmitry", "duc", "eui", "gita", "hai",
    "jac", "jing", "jora", "jovo", "kiro", "koji", "kui", "loc", "madoka", "moti", "nozomi",
    "peco", "tao", "trang", "xing", "yoshimi", "yuan",
})  # fmt: skip


def test_generated_lists_of_words_that_are_names() -> None:
    """Technology names and dictionary words that are also names are listed apart, and
    products named in package summaries are technologies."""
    lexicon = shipped_lexicon()
    assert {"ray", "luigi", "phoenix"} <= lexicon.ambiguous
    assert {"press", "grant"} <= lexicon.english_names
    others = lexicon.ambiguous - (lexicon.first_names | lexicon.surnames | lexicon.places)
    assert others <= COMMON_ELSEWHERE  # first names Faker lacks (h59)
    assert "portainer" in lexicon.tech


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("the scan reads 'Name: Tobias Ruland | Phone: see below'", ["Tobias Ruland"]),
        ("Her account was locked by Ingrid yesterday.", ["Ingrid"]),  # passive agent
        ("The ticket is assigned by Gustavo Henning on Mondays.", ["Gustavo Henning"]),
        ("The file name: Report final", []),  # a word, no name
        ("The cache was warmed by Redis overnight.", []),  # a technology
        ("It was built by Jordan last year.", []),  # one word that is a place too
    ],
)
def test_name_labels_and_passive_agents_are_cues(
    ner_filter: NerFilter, text: str, names: list[str]
) -> None:
    """A "Name:" label inside a line and the agent of a passive introduce a name."""
    assert [text[f.start : f.end] for f in ner_filter.cued_names(text, [])] == names


@pytest.mark.parametrize(
    ("text", "known", "names"),
    [
        (
            "Seating plan: Oskar Lindqvist, Helga Brandt-van Dijk, Rufus Oyelaran and Mira",
            "Oskar Lindqvist",
            ["Helga Brandt-van Dijk", "Rufus Oyelaran", "Mira"],
        ),
        ("Stack: Kafka, Redis, Postgres and Oskar Lindqvist", "Oskar Lindqvist", []),
        ("Oskar Lindqvist, Helga Brandt", "Oskar Lindqvist", []),  # two items: no list
        ("12 Elm Road, Springfield, IL 62704", "Elm Road", []),  # an address, state code
    ],
)
def test_names_listed_with_a_person_are_people(
    ner_filter: NerFilter, text: str, known: str, names: list[str]
) -> None:
    """In a list of three or more with one PERSON, items that read as names are PERSONs;
    technologies, words, places, state codes and short lists are not."""
    taken = [_person(text, known)]
    assert [text[f.start : f.end] for f in ner_filter.cued_names(text, taken)] == names


@pytest.mark.parametrize(
    ("text", "word", "kept"),
    [
        ("```\n09:14:02 ERROR billing: refund failed for customer Petra Lindholm\n```",
         "Petra Lindholm", True),
        ("```\n[WARN] [auth] lockout of user Anders Moberg after 5 tries\n```",
         "Anders Moberg", True),
        ("```\nexport OWNER=Petra\nrun --user Petra\n```", "Petra", False),  # code, no log
    ],
)  # fmt: skip
def test_log_messages_in_code_are_text(
    ner_filter: NerFilter, text: str, word: str, kept: bool
) -> None:
    """A name in the message of a log record inside a code block is kept; other names in
    code are still dropped."""
    start = text.rindex(word)
    finding = Finding("PERSON", start, start + len(word), 0.85, "presidio")
    assert ner_filter.apply(text, [finding]) == ([finding] if kept else [])


def test_title_alone_is_no_finding(ner_filter: NerFilter) -> None:
    """A title on its own ("Dott.", "Sig.ra") that NER tags is dropped, a titled name kept."""
    text = "Please thank Dott. Rinaldi and Sig.ra Ferri."
    alone = [_person(text, "Dott", "LOCATION"), _person(text, "Sig.ra")]
    assert ner_filter.apply(text, alone) == []
    titled = _person(text, "Dott. Rinaldi")
    assert ner_filter.apply(text, [titled]) == [titled]


def test_lists_load_as_normalise_reads_each_term() -> None:
    """Normalising a whole list at once gives every term as ``normalise`` gives it alone."""
    for name in ("places.txt", "tech_terms.txt", "common_words.txt", "street_words.txt"):
        text = resources.files("detectors").joinpath("data", name).read_text(encoding="utf-8")
        lines = (line.split("#", 1)[0] for line in text.splitlines())
        expected = {normalise(line).strip() for line in lines} - {""}
        assert load_terms(name) == expected


# Invented names on no list (checked below): a company's staff are not all in Faker.
UNLISTED = ("zelvoria", "quambry", "ottrun", "vasklid", "brimla", "jorvath", "fernwick", "tamsery")


def test_invented_names_are_on_no_list() -> None:
    """The invented names of the tests below are no known name, word, place or technology."""
    lexicon = shipped_lexicon()
    assert all(lexicon.unknown(word) for word in UNLISTED)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Dear Zelvoria Quambry,\nyour badge is ready.", ["Zelvoria Quambry"]),
        ("Hi Brimla,\nthe build is green.", ["Brimla"]),
        ("Best regards,\nOttrun Vasklid", ["Ottrun Vasklid"]),
        ("Dr Quambry reviewed the scan.", ["Quambry"]),
        ("Reviewed-by: Ottrun Vasklid <ov@example.org>", ["Ottrun Vasklid"]),
        ("> Zelvoria Quambry wrote: the server rebooted", ["Zelvoria Quambry"]),
        ("My name is Ottrun Vasklid and I need help", ["Ottrun Vasklid"]),
        ("can you thank my colleague Brimla for the slides?", ["Brimla"]),
        ("ping Jorvath about the Terraform lock", ["Jorvath"]),
        ("the technician Jorvath arrived late", ["Jorvath"]),
        ("Me and Brimla have decided to move the workshop", ["Brimla"]),
        ("Summarise what Quambry said in standup", []),  # no cue before "said" mid-sentence
        ("Standup notes: Quambry said the upgrade is done.", ["Quambry"]),
        ("Write an e-mail telling Zelvoria Quambry that the key expires", ["Zelvoria Quambry"]),
        ("PR comment from Zelvoria: the retry loop never stops", ["Zelvoria"]),
        ("Account owner Ottrun Vasklid disputes the charge", ["Ottrun Vasklid"]),
        ("the caller, Brimla Quambry, phoned twice", ["Brimla Quambry"]),
    ],
)
def test_cued_names_not_on_any_list(ner_filter: NerFilter, text: str, names: list[str]) -> None:
    """After a greeting, sign-off, title, header, "X wrote", a role or a request to reach
    someone, capitalised words on no list are a PERSON, with their exact span."""
    assert [text[f.start : f.end] for f in ner_filter.cued_names(text, [])] == names


@pytest.mark.parametrize(
    "text",
    [
        "We should migrate to Zorblax.",  # a preposition is said of software too
        "The logs came from Jorvath: nothing else",
        "Hi ACME,\nplease send the invoice",  # an acronym
        "cc QA, the build is red",
        "Dear Customer, your order shipped",  # a word
        "Hi Kubernetes folks, the cluster is down",  # a technology
        "Thanks, Grafana looks great",
        "Hi team, Zorblax is down",  # the cue's next word is no capital
        "The Princess Royal arrived at Springfield this morning.",  # a stop word, a title
    ],
)
def test_unlisted_words_without_a_strong_cue_are_no_names(ner_filter: NerFilter, text: str) -> None:
    """A word on no list after a preposition, an acronym, a word or a technology after a
    greeting names nobody."""
    assert ner_filter.cued_names(text, []) == []


@pytest.mark.parametrize(
    ("text", "word", "entity_type", "expected"),
    [
        ("the technician Fernwick arrived late", "Fernwick", "PERSON", "PERSON"),
        ("Did you try Fernwick for the dashboards?", "Fernwick", "PERSON", None),  # compound
        ("my wife Brimla and I want to move", "Brimla", "LOCATION", "PERSON"),
        ("ping Jorvath about the lock", "Jorvath", "LOCATION", "PERSON"),
        ("caller Brimla Paris, reached at home", "Brimla Paris", "LOCATION", "PERSON"),
        ("my colleague Main Street", "Main Street", "LOCATION", "LOCATION"),  # a street
        ("We opened an office in Jorvath last year", "Jorvath", "LOCATION", "LOCATION"),
    ],
)
def test_a_cue_keeps_an_unlisted_name(
    ner_filter: NerFilter, text: str, word: str, entity_type: str, expected: str | None
) -> None:
    """After a cue, a model's finding on a word on no list is not taken for a compound of
    two words ("fern" + "wick"), and a LOCATION there is a PERSON; without one it is."""
    found = ner_filter.apply(text, [_person(text, word, entity_type)])
    assert [(f.entity_type, text[f.start : f.end]) for f in found] == (
        [(expected, word)] if expected else []
    )


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("the technician Fernwick arrived late", "Fernwick"),  # no compound after a role
        ("Me and Tamsery have decided to move the workshop", "Tamsery"),  # the model misses it
    ],
)
def test_unlisted_names_are_found_end_to_end(pii: PresidioDetector, text: str, name: str) -> None:
    """The detector reports a name on no list where the text says a person is named."""
    start = text.index(name)
    found = [(f.start, f.end) for f in pii.find(text) if f.entity_type == "PERSON"]
    assert (start, start + len(name)) in found
