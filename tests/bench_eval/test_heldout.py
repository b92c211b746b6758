"""The held-out part (h194) is its own: no template, locale, tool or seed of another part,
every template fills in every locale, and every label holds the value drawn for it."""

from __future__ import annotations

import ipaddress
import random
import re
from collections.abc import Iterator

import phonenumbers
import pytest
from eval_dataset import Builder, Sample, luhn_complete
from evalset import fill as fill_module
from evalset.fill import AGAIN, PHONE_REGIONS, PLACEHOLDER, SLOTS, Context, fill
from evalset.name_lists import NameSource
from evalset.parts import PARTS, generate_part, load_templates
from faker import Faker

HELDOUT = PARTS["heldout"]
OTHERS = [part for name, part in PARTS.items() if name != "heldout"]


@pytest.fixture
def recording(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """The labelled values ``fill`` gives its builder, in order (type, value)."""
    values: list[tuple[str, str]] = []

    # bench/ is on sys.path only at run time (conftest), so mypy sees Builder as Any.
    class Recording(Builder):  # type: ignore[misc]
        def entity(self, entity_type: str, value: str) -> Builder:
            values.append((entity_type, value))
            return super().entity(entity_type, value)

    monkeypatch.setattr(fill_module, "Builder", Recording)
    return values


def _fakers() -> dict[str, Faker]:
    fakers: dict[str, Faker] = {}
    for offset, locale in enumerate(sorted({*HELDOUT.locales, "en_US", *PHONE_REGIONS})):
        fakers[locale] = Faker(locale)
        fakers[locale].seed_instance(HELDOUT.seed * 100 + offset)
    return fakers


def test_heldout_shares_no_template_locale_tool_or_seed_with_any_other_part() -> None:
    """No other part (tuning ... tuning14, negatives, presidio) holds one of the held-out
    part's templates, locales, technology names (in any case) or its seed."""
    own_templates = {template for _, template in load_templates(HELDOUT.template_file)}
    own_tools = {tool.casefold() for tool in HELDOUT.tools}
    for other in OTHERS:
        assert not own_templates & {t for _, t in load_templates(other.template_file)}, other.name
        assert not set(HELDOUT.locales) & set(other.locales), other.name
        assert not own_tools & {tool.casefold() for tool in other.tools}, other.name
        assert HELDOUT.seed != other.seed, other.name
    assert HELDOUT.locales == ("bs_BA", "hy_AM", "mk_MK", "ne_NP", "en_BD")
    assert HELDOUT.second_names


def test_heldout_is_sized_and_mixed_as_written() -> None:
    """280 to 320 templates in at least 20 genres, 35 to 40 % of them hard negatives (no
    labelled placeholder) spread over at least 15 genres."""
    templates = load_templates(HELDOUT.template_file)
    assert 280 <= len(templates) <= 320
    negative_genres = []
    for genre, template in templates:
        labels = {
            SLOTS[m.group(1)].label for m in PLACEHOLDER.finditer(template) if m.group(1) != AGAIN
        } - {None, "neutral"}
        if not labels:
            negative_genres.append(genre)
    assert 0.35 <= len(negative_genres) / len(templates) <= 0.40
    assert len({genre for genre, _ in templates}) >= 20
    assert len(set(negative_genres)) >= 15


def test_every_heldout_template_fills_with_labels_on_their_values(
    recording: list[tuple[str, str]],
) -> None:
    """Each template, filled in one of the part's locales (each locale in turn), leaves no
    placeholder, and each labelled span's text is exactly the value drawn for it, of its
    slot's type (generate_part's samples fill every template in every locale over time)."""
    rng, fakers = random.Random(HELDOUT.seed), _fakers()
    locales = HELDOUT.locales
    for index, (genre, template) in enumerate(load_templates(HELDOUT.template_file)):
        for locale in (locales[index % len(locales)],):
            recording.clear()
            context = Context(rng, fakers, locale, HELDOUT.tools, NameSource(locale))
            sample = fill(template, context, f"heldout:{genre}")
            assert PLACEHOLDER.search(sample.text) is None, template
            spans = [(s.entity_type, sample.text[s.start : s.end]) for s in sample.spans]
            assert spans == recording, template
            assert sample.hard_negative == (not recording)


def _compact(value: str) -> str:
    return re.sub(r"\s+", "", value)


def _labels(samples: list[Sample]) -> Iterator[tuple[str, str]]:
    for sample in samples:
        for span in sample.spans:
            yield span.entity_type, sample.text[span.start : span.end]


def test_heldout_structured_values_are_valid() -> None:
    """Cards pass Luhn with 12 to 19 digits, IBANs pass mod 97, IP labels parse, SSNs have
    nine digits and e-mail addresses one ``@``: a miss on them is the detector's."""
    seen: set[str] = set()
    for entity, value in _labels(generate_part(HELDOUT, 900)):
        seen.add(entity)
        if entity == "CREDIT_CARD":
            digits = re.sub(r"[ -]", "", value)
            assert digits.isdigit(), value
            assert 12 <= len(digits) <= 19, value
            assert luhn_complete(digits[:-1]) == digits, value
        elif entity == "IBAN_CODE":
            iban = _compact(value).upper()
            numeric = "".join(str(int(ch, 36)) for ch in iban[4:] + iban[:4])
            assert int(numeric) % 97 == 1, value
        elif entity == "IP_ADDRESS":
            ipaddress.ip_address(value)
        elif entity == "US_SSN":
            assert len(re.sub(r"\D", "", value)) == 9, value
        elif entity == "EMAIL_ADDRESS":
            assert value.count("@") == 1, value
    assert {"CREDIT_CARD", "IBAN_CODE", "IP_ADDRESS", "US_SSN", "EMAIL_ADDRESS"} <= seen


def test_census_names_fall_back_to_faker_for_parts_without_a_second_source() -> None:
    """``{{census_person}}`` draws census names for a part with name lists and Faker's
    world names for one without (no part loses its values to a missing source)."""
    fakers = _fakers()
    with_lists = Context(random.Random(1), fakers, "bs_BA", (), NameSource("bs_BA"))
    without = Context(random.Random(1), fakers, "bs_BA", ())
    for context in (with_lists, without):
        value = SLOTS["census_person"].draw(context)
        assert len(value.split(" ")) >= 2, value
        assert SLOTS["census_first"].draw(context).strip()


def test_phone_ext_is_a_valid_us_or_british_number_with_an_extension() -> None:
    """``{{phone_ext}}`` writes a valid US or British number, national or international,
    followed by an extension (``x12``, `` ext. 204``)."""
    context = Context(random.Random(7), _fakers(), "bs_BA", (), NameSource("bs_BA"))
    forms = set()
    for _ in range(60):
        value = SLOTS["phone_ext"].draw(context)
        base, extension = re.fullmatch(r"(.+?)\s*(?:x|ext\.?)\s*(\d+)", value).groups()  # type: ignore[union-attr]
        assert 1 <= int(extension) <= 9999, value
        region = None if base.startswith("+") else ("GB" if base.startswith(("0", "(0")) else "US")
        number = phonenumbers.parse(base, region)
        assert phonenumbers.is_valid_number(number), value
        assert number.country_code in (1, 44), value  # North American plan or British
        forms.add(base.startswith("+"))
    assert forms == {True, False}
