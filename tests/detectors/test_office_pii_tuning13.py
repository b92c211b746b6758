"""Personal data as office staff paste it (issue 14, tuning13): an IBAN a customer typed in
lower case is an IBAN; the firmware, software or section number of a document is no IP
address, while a host after other words stays one."""

from __future__ import annotations

import pytest

from detectors.pii import PresidioDetector


def _values(pii: PresidioDetector, text: str, entity_type: str) -> list[str]:
    return [text[f.start : f.end] for f in pii.find(text) if f.entity_type == entity_type]


@pytest.mark.parametrize(
    ("text", "iban"),
    [
        ("iban: gb42rcsj36625528306456\nname: joshua gyamfi", "gb42rcsj36625528306456"),
        ("the customer's iban is it05l8491732874565871777585 but the app says no",
         "it05l8491732874565871777585"),
        ("Refund to es1262460735193081531622, amount 40 EUR.", "es1262460735193081531622"),
        ("[10:02] Visitor: new IBAN is de92134262125384688088", "de92134262125384688088"),
    ],
)  # fmt: skip
def test_an_iban_typed_in_lower_case_is_an_iban(
    pii: PresidioDetector, text: str, iban: str
) -> None:
    """A lower-case IBAN written as one token is found whole, as its capitals would be."""
    assert _values(pii, text, "IBAN_CODE") == [iban]


@pytest.mark.parametrize(
    "text",
    [
        "sha de12abcdef0123456789abcdef01234567 of the build",  # fails the format
        "ref gb42rcsj36625528306457 (one digit off)",  # fails the check digits
        "GB42rcsj36625528306456 mixed case is a token, not an IBAN someone typed",
    ],
)
def test_lower_case_look_alikes_are_no_iban(pii: PresidioDetector, text: str) -> None:
    """A lower-case token that fails the country format or the check digits is no IBAN."""
    assert _values(pii, text, "IBAN_CODE") == []


@pytest.mark.parametrize(
    "text",
    [
        "Our POS terminals run firmware 13.9.25.175 and the vendor wants an upgrade.",
        '{"device":{"model":"Galaxy A54","fw":"16.4.72.239"},"status":"active"}',
        "Our US support line drops calls. The IVR version is 16.1.93.216. Any ideas?",
        "The accounting software 9.0.81.160 fails to import the DATEV file.",
        "Section 12.3.4.1 of the supplier contract limits liability to 139,367.62.",
        "Chapter 14.2.1.3 of the handbook covers overtime.",
    ],
)
def test_firmware_software_and_section_numbers_are_no_address(
    pii: PresidioDetector, text: str
) -> None:
    """A four-part number after firmware/fw/software/'version is' or a section is no IP."""
    assert _values(pii, text, "IP_ADDRESS") == []


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Login from 16.4.72.239 at 03:12, the customer was abroad.", "16.4.72.239"),
        ("Firewall rule 13.9.25.175 blocks the shop's payment callback.", "13.9.25.175"),
        ("The app server 192.168.1.20 runs the firmware portal.", "192.168.1.20"),
    ],
)
def test_hosts_beside_other_words_stay_addresses(
    pii: PresidioDetector, text: str, address: str
) -> None:
    """A host named after a rule, a server or a login is still an IP address."""
    assert _values(pii, text, "IP_ADDRESS") == [address]
