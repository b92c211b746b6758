"""The evaluation sets are labelled by construction, deterministic, and split honestly."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
from collections.abc import Sequence

import phonenumbers
import pytest
from eval_dataset import Sample, generate_hard_cases, luhn_complete
from evalset.fill import (
    AGAIN,
    INTERNATIONAL_REGIONS,
    PHONE_REGIONS,
    PLACEHOLDER,
    SCRIPT_NAME_LOCALES,
    SLOTS,
)
from evalset.name_lists import census, first_names, has_second_source, last_names, nam_dict
from evalset.parts import PARTS, Part, generate_part, load_templates
from evalset.vocabulary import TOOLS, TUNING14_TOOLS, TUNING15_TOOLS, UNLISTED_TOOLS
from faker import Faker

from tests.bench_eval.conftest import BENCH

LUHN_RUN = re.compile(r"\d{12,19}")


def _luhn_ok(digits: str) -> bool:
    completed: str = luhn_complete(digits[:-1])
    return completed == digits


@pytest.fixture(scope="module")
def hard_cases() -> list[Sample]:
    cases: list[Sample] = generate_hard_cases(rounds=8)
    return cases


#: The parts whose person names come from the second source (name_lists), not Faker: the
#: held-out part and tuning14, the held-out part until 2026-12-01.
SECOND_NAME_PARTS = tuple(sorted(name for name, part in PARTS.items() if part.second_names))


@pytest.fixture(scope="module", params=SECOND_NAME_PARTS)
def second_named(request: pytest.FixtureRequest) -> tuple[str, list[Sample]]:
    return request.param, generate_part(PARTS[request.param], 600)


def _labels(samples: list[Sample], entity_type: str) -> list[str]:
    return [
        sample.text[span.start : span.end]
        for sample in samples
        for span in sample.spans
        if span.entity_type == entity_type
    ]


@pytest.mark.parametrize("part", sorted(PARTS))
def test_every_placeholder_is_known(part: str) -> None:
    """Every placeholder of every template file has a slot, or repeats the one before it
    (``{{again}}``); a typo would fail the bench."""
    names = {
        m.group(1)
        for _, template in load_templates(PARTS[part].template_file)
        for m in PLACEHOLDER.finditer(template)
    }
    assert names <= {*SLOTS, AGAIN}, names - {*SLOTS, AGAIN}


@pytest.mark.parametrize("part", sorted(PARTS))
def test_labels_hold_the_values_and_no_template_syntax_is_left(part: str) -> None:
    """Labelled spans are non-empty, lie in the text, do not overlap, and no placeholder is
    left unfilled (a template's own braces, such as Docker's ``--format '{{.Id}}'``, stay)."""
    for sample in generate_part(PARTS[part], 120):
        assert PLACEHOLDER.search(sample.text) is None or part == "presidio"
        spans = sorted([*sample.spans, *sample.neutral], key=lambda s: s.start)
        for span in spans:
            assert 0 <= span.start < span.end <= len(sample.text)
            assert sample.text[span.start : span.end].strip()
        for left, right in itertools.pairwise(spans):
            assert left.end <= right.start


def test_parts_are_deterministic() -> None:
    """The same part and size give the same texts and labels in every run."""
    assert generate_part(PARTS["tuning2"], 60) == generate_part(PARTS["tuning2"], 60)


_DIGEST = """
import hashlib, sys
sys.path.insert(0, sys.argv[1])
from evalset.parts import PARTS, generate_part
print(hashlib.sha256(repr([generate_part(p, 150) for p in PARTS.values()]).encode()).hexdigest())
"""


def test_parts_are_the_same_in_every_process() -> None:
    """Two processes with different hash seeds generate the same parts (no set order or
    'until now' date leaks into the values)."""
    # both at once: each takes several seconds of CPU, and the suite runs on two cores
    processes = [
        subprocess.Popen(  # noqa: S603 - this interpreter, our own script
            [sys.executable, "-c", _DIGEST, str(BENCH)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            stdout=subprocess.PIPE,
            text=True,
        )
        for seed in ("1", "2")
    ]
    digests = {process.communicate()[0] for process in processes}
    assert [process.returncode for process in processes] == [0, 0]
    assert len(digests) == 1


def test_tuning_parts_share_no_template_locale_or_tool() -> None:
    """The two tuning parts differ in templates, locales, tools and seed."""
    tuning, heldout = PARTS["tuning"], PARTS["tuning2"]
    tuning_templates = {t for _, t in load_templates(tuning.template_file)}
    heldout_templates = {t for _, t in load_templates(heldout.template_file)}
    assert not tuning_templates & heldout_templates
    assert not set(tuning.locales) & set(heldout.locales)
    assert not set(tuning.tools) & set(heldout.tools)
    assert tuning.seed != heldout.seed


@pytest.mark.parametrize("other", ["tuning", "tuning2"])
@pytest.mark.parametrize("name", SECOND_NAME_PARTS)
def test_second_named_parts_share_no_template_locale_tool_or_seed(name: str, other: str) -> None:
    """A part with names from the second source differs from each of the first tuning parts
    in templates, locales, tools and seed, and they draw names from Faker."""
    part, tuning = PARTS[name], PARTS[other]
    own_templates = {t for _, t in load_templates(part.template_file)}
    assert not own_templates & {t for _, t in load_templates(tuning.template_file)}
    assert not set(part.locales) & set(tuning.locales)
    assert not {t.lower() for t in part.tools} & {t.lower() for t in tuning.tools}
    assert part.seed != tuning.seed
    assert part.second_names
    assert not tuning.second_names


@pytest.mark.parametrize("name", SECOND_NAME_PARTS)
def test_second_named_parts_are_mostly_labelled_with_hard_negatives(name: str) -> None:
    """A quarter to 40 % of the templates hold no entity (hard negatives), and every entity
    family of issue 14 occurs in the rest."""
    templates = load_templates(PARTS[name].template_file)
    assert len(templates) >= 180
    labels = [
        {SLOTS[m.group(1)].label for m in PLACEHOLDER.finditer(t) if m.group(1) != AGAIN}
        - {None, "neutral"}
        for _, t in templates
    ]
    assert 0.25 <= sum(not found for found in labels) / len(templates) <= 0.40
    assert set().union(*labels) >= {
        "PERSON", "LOCATION", "EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE",
        "US_SSN", "IP_ADDRESS", "PASSWORD", "GITHUB_TOKEN", "AWS_SECRET_ACCESS_KEY", "JWT",
    }  # fmt: skip


def _script_words(locales: tuple[str, ...]) -> set[str]:
    """The non-Latin words of Faker's name lists of those locales that write names in their
    own script (``{{script_person}}``: Devanagari, Tamil, Arabic)."""
    words: set[str] = set()
    for locale in sorted(set(locales) & set(SCRIPT_NAME_LOCALES)):
        provider = next(p for p in Faker(locale).providers if hasattr(p, "first_names"))
        for listed in (*provider.first_names, *provider.last_names):
            words.update(listed.split(" "))
    return {word for word in words if not word.isascii()}


def _faker_name_words(locale: str) -> set[str]:
    """The words of Faker's names and titles of ``locale``."""
    provider = next(p for p in Faker(locale).providers if hasattr(p, "first_names"))
    lists = ("first_names", "last_names", "prefixes_male", "prefixes_female", "prefixes")
    return {
        word
        for attribute in lists
        for listed in getattr(provider, attribute, None) or ()
        for word in listed.split(" ")
    }


def test_person_names_come_from_the_second_source(
    second_named: tuple[str, list[Sample]],
) -> None:
    """Every word of a PERSON label of such a part is a census surname or a first name of the
    part's locales or of the census in the second source (``{{census_person}}``), in any
    case and before a comma (``SMITH``, ``smith``, ``Smith,``), or a word of Faker's names in
    the locale's own script (``{{script_person}}``, tuning15's Hindi, Tamil and Arabic), or
    of Faker's names of a locale the second source has no names for (tuning16's ``sw``)."""
    name, samples = second_named
    locales = PARTS[name].locales
    known = last_names().members.union(
        *(first_names(locale).members for locale in locales if has_second_source(locale)),
        *(_faker_name_words(locale) for locale in locales if not has_second_source(locale)),
        census("dist.male.first").members,
        census("dist.female.first").members,
    )
    folded = {word.casefold() for word in known}
    script = _script_words(PARTS[name].locales)
    words = [
        word.rstrip(",") for person in _labels(samples, "PERSON") for word in person.split(" ")
    ]
    assert len(words) > 300
    unknown = {word for word in words if word not in known and word.casefold() not in folded}
    assert not unknown - script
    # the census's commonest surnames: a part drawing from Faker's lists for its locales
    # would rarely show them
    assert {"Smith", "Johnson", "Williams"} & set(words)


def test_second_source_lists_follow_their_files() -> None:
    """Census names are title-cased (McDonald), rare surnames can be drawn, and a name that
    nam_dict.txt rates for Portugal but not Austria is only in Portugal's list."""
    surnames = census("dist.all.last")
    assert {"Smith", "McDonald"} <= surnames.members
    assert "Aalderink" in surnames.members  # printed with frequency 0.000, still drawable
    assert "João" in nam_dict("portugal", "male").members
    assert "João" not in nam_dict("austria", None).members
    assert "Maria de Fátima" in nam_dict("portugal", "female").members
    assert "Maria" not in nam_dict("portugal", "male").members


def test_second_named_phones_are_valid_international_or_national_numbers(
    second_named: tuple[str, list[Sample]],
) -> None:
    """A phone of such a part in international form is a valid number (of a region outside
    the default ones unless the template asked for a default region's); one dialled with
    ``00`` is a valid number; any other is a valid national-format number of a default
    region (after its extension) or of the part's own regions (``{{phone_local}}``)."""
    name, samples = second_named
    phones = _labels(samples, "PHONE_NUMBER")
    international = [phone for phone in phones if phone.startswith("+")]
    dialled = [phone for phone in phones if phone.startswith("00")]
    national = [phone for phone in phones if not phone.startswith(("+", "00"))]
    assert len(international) > 30
    assert len(national) > 10
    own = {INTERNATIONAL_REGIONS[locale] for locale in PARTS[name].locales}
    regions = set(INTERNATIONAL_REGIONS.values()) | set(PHONE_REGIONS.values())
    for phone in international + [f"+{phone[2:]}" for phone in dialled]:
        number = phonenumbers.parse(phone)
        assert phonenumbers.is_valid_number(number), phone
        assert phonenumbers.region_code_for_number(number) in regions, phone
    own_international = [
        phone
        for phone in international
        if phonenumbers.region_code_for_number(phonenumbers.parse(phone)) in own
    ]
    assert len(own_international) > len(international) / 2
    for phone in national:
        base = re.split(r"\s*(?:x|ext\.)\s*\d+$", phone)[0]
        assert any(
            phonenumbers.is_valid_number(phonenumbers.parse(base, region))
            for region in {*PHONE_REGIONS.values(), *own}
        ), phone
    assert any(re.search(r"(x|ext\. )\d+$", phone) for phone in national)


def test_the_presidio_templates_are_the_shipped_file() -> None:
    """All 210 sentences of presidio-evaluator 0.3.2's templates.txt are loaded."""
    assert len(load_templates(PARTS["presidio"].template_file)) == 210


def test_hard_case_cards_cover_every_length_from_12_to_19(hard_cases: list[Sample]) -> None:
    """Card labels are Luhn-valid, 12 to 19 digits, and every length occurs."""
    lengths = set()
    for sample in hard_cases:
        for span in sample.spans:
            if span.entity_type == "CREDIT_CARD":
                digits = sample.text[span.start : span.end].replace(" ", "")
                assert _luhn_ok(digits)
                lengths.add(len(digits))
    assert lengths == set(range(12, 20))


def test_hard_case_phones_are_valid_numbers_of_their_region(hard_cases: list[Sample]) -> None:
    """Each national-format phone label is a valid number of its region without a country
    code."""
    national = [s for s in hard_cases if s.group.startswith("hard:phone-national-")]
    assert len(national) == 8 * 7
    for sample in national:
        span = sample.spans[0]
        written = sample.text[span.start : span.end]
        assert not written.startswith(("+", "00"))
        region = sample.group.rsplit("-", 1)[1]
        assert phonenumbers.is_valid_number(phonenumbers.parse(written, region)), written


def test_numeric_hard_negatives_hold_luhn_valid_runs(hard_cases: list[Sample]) -> None:
    """The id negatives are card-shaped on purpose: each holds a Luhn-valid 12-19 digit run."""
    ids = [s for s in hard_cases if s.group in ("negative:json-id", "negative:url-id")]
    assert ids
    for sample in ids:
        assert not sample.spans
        assert any(_luhn_ok(run) for run in LUHN_RUN.findall(sample.text)), sample.text


def test_tuning12_has_locales_of_its_own_and_a_share_of_hard_negatives() -> None:
    """tuning12 (written blind, h174) fills its values with locales no other part uses and
    none of the held-out ones, and about 40 % of its templates hold no entity."""
    part = PARTS["tuning12"]
    others = {locale for name, p in PARTS.items() if name != "tuning12" for locale in p.locales}
    assert not set(part.locales) & (others | {"en_AU", "en_NZ", "de_AT", "de_CH", "pt_PT"})
    templates = load_templates(part.template_file)
    assert len(templates) >= 250
    labels = [
        {SLOTS[m.group(1)].label for m in PLACEHOLDER.finditer(t) if m.group(1) != AGAIN}
        - {None, "neutral"}
        for _, t in templates
    ]
    assert 0.35 <= sum(not found for found in labels) / len(templates) <= 0.45


def _written_blind(name: str, earlier_tools: tuple[Sequence[str], ...]) -> Part:
    """The part called ``name``, checked as a part written blind must be: locales and a seed
    no other part uses, technology names on none of ``earlier_tools`` (in any case), 250 or
    more templates in at least 20 genres, 35 to 40 % of them hard negatives spread over at
    least 15 genres."""
    part = PARTS[name]
    others = {locale for other, p in PARTS.items() if other != name for locale in p.locales}
    assert not set(part.locales) & others
    own_tools = {tool.casefold() for tool in part.tools}
    assert len(own_tools) == len(part.tools)
    for listed in earlier_tools:
        assert not own_tools & {tool.casefold() for tool in listed}
    assert part.seed not in {p.seed for other, p in PARTS.items() if other != name}
    templates = load_templates(part.template_file)
    assert len(templates) >= 250
    negative_genres = [
        genre
        for genre, template in templates
        if not {SLOTS[m.group(1)].label for m in PLACEHOLDER.finditer(template)} - {None, "neutral"}
    ]
    assert 0.35 <= len(negative_genres) / len(templates) <= 0.40
    assert len({genre for genre, _ in templates}) >= 20
    assert len(set(negative_genres)) >= 15
    return part


def test_tuning15_is_its_own_and_mixed_as_written() -> None:
    """tuning15 (written blind, h209) fills its values with locales no other part uses, draws
    technology names on no other list (in any case; the held-out part's are checked in
    test_heldout), has 250 or more templates in at least 20 genres, 35 to 40 % of them hard
    negatives spread over at least 15 genres, and names in the locales' own scripts."""
    part = _written_blind("tuning15", (TOOLS, UNLISTED_TOOLS, TUNING14_TOOLS))
    scripts = {
        "Devanagari": (0x0900, 0x097F),
        "Tamil": (0x0B80, 0x0BFF),
        "Arabic": (0x0600, 0x06FF),
    }
    letters = {ord(ch) for person in _labels(generate_part(part, 300), "PERSON") for ch in person}
    assert {
        script for script, (low, high) in scripts.items() if any(low <= c <= high for c in letters)
    } == set(scripts)


def test_tuning16_is_its_own_and_mixed_as_written() -> None:
    """tuning16 (written blind, h219) fills its values with locales no other part uses and
    a seed of its own, draws technology names on no other list (in any case; the held-out
    part's are checked in test_heldout), has 250 or more templates in at least 20 genres,
    35 to 40 % of them hard negatives spread over at least 15 genres; its ``sw`` names are
    Faker's Swahili ones, and passwords and PINs are also spelled out as a call's
    transcript writes them (one word a character)."""
    part = _written_blind("tuning16", (TOOLS, UNLISTED_TOOLS, TUNING14_TOOLS, TUNING15_TOOLS))
    samples = generate_part(part, 600)
    swahili = _faker_name_words("sw")
    assert any(set(person.split(" ")) <= swahili for person in _labels(samples, "PERSON"))
    spelled = [p for p in _labels(samples, "PASSWORD") if re.fullmatch(r"(\S+ )+\S+", p)]
    assert any(re.search(r"\b(capital|big|uppercase) [a-z]\b", p) for p in spelled)
    assert any(
        re.fullmatch(r"((zero|oh|one|two|three|four|five|six|seven|eight|nine) ?)+", p)
        for p in spelled
    )
