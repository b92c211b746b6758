"""Personal data in business records (issue 14, tuning13, h195): an SSN a column or key
names, a number dialled with "00", names in the columns of CSV/TSV/semicolon exports in
capitals, lower case or Chinese characters, names the model runs across lines; and what
is named after a person or a place without being one (a product, a firm, a form's label)."""

from __future__ import annotations

import pytest

from detectors.pii import PresidioDetector


def _values(pii: PresidioDetector, text: str, entity_type: str) -> list[str]:
    return [text[f.start : f.end] for f in pii.find(text) if f.entity_type == entity_type]


@pytest.mark.parametrize(
    ("text", "ssn"),
    [
        ("name|ssn|plan\nAnn Lee|114-97-1390|HMO\nBo Chan|004339288|HDHP", "004339288"),
        ("employee_id,ssn,name\n16,006825163,Alan Bulanda\n17,203-58-5210,Ann Lee", "006825163"),
        ('{"name": "Ann Lee", "social_security": "601543333"}', "601543333"),
        ("SSN: 697652992", "697652992"),
    ],
)
def test_nine_bare_digits_a_column_or_key_names_an_ssn(
    pii: PresidioDetector, text: str, ssn: str
) -> None:
    """Nine digits without dashes under an ssn column or after an ssn key are an SSN."""
    assert ssn in _values(pii, text, "US_SSN")


@pytest.mark.parametrize(
    "text",
    [
        "order_id,total\n408034516,12.00\n408034517,13.50",
        "Order 525821486 shipped on Monday.",
    ],
)
def test_nine_digits_of_another_column_are_no_ssn(pii: PresidioDetector, text: str) -> None:
    """An order number of nine digits stays no SSN."""
    assert _values(pii, text, "US_SSN") == []


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("Format these numbers to E.164 for the SMS tool:\n00441184960431", "00441184960431"),
        ("NOMATHEMBA NGWENYA | Operations Lead\n0039092220746", "0039092220746"),
        ("Ann^12 Oak Street^0039379140340", "0039379140340"),
    ],
)
def test_a_number_glued_to_its_00_prefix_is_a_phone(
    pii: PresidioDetector, text: str, phone: str
) -> None:
    """Digits opening with "00" and a country code are a number dialled abroad."""
    assert _values(pii, text, "PHONE_NUMBER") == [phone]


def test_digits_opening_with_00_under_a_product_code_are_no_phone(pii: PresidioDetector) -> None:
    """An EAN or GTIN opening with "00" is a product code."""
    text = "sku;ean;qty\nA-1;0034806938208;3\nA-2;0039379140340;1"
    assert _values(pii, text, "PHONE_NUMBER") == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "customer_id,full_name,email\nC-1,mandla dukada,a@b.com\nC-2,林俊宇,c@d.com\n"
            'C-3,MUBINA BILOLOV,e@f.com\nC-4,"吳, 永昌",g@h.com',
            ["mandla dukada", "林俊宇", "MUBINA BILOLOV", "吳, 永昌"],
        ),
        (
            "id;name;phone;created\n12;Similoluwa Oyeyemi;0803 123 4567;2024-01-02\n"
            "13;phillip boakye;0044 20 7946 0018;2024-01-03",
            ["Similoluwa Oyeyemi", "phillip boakye"],
        ),
        (
            "employee_id,ssn,name,gross,net\n94181,662-57-0941,Elizabeth Ampoma-Baa,"
            "EUR 150.250,03,233.746,07\n4576,601543333,Musa Yahaya,64,395.86 USD,199.170,57",
            ["Elizabeth Ampoma-Baa", "Musa Yahaya"],
        ),
    ],
)
def test_names_in_a_column_headed_as_people(
    pii: PresidioDetector, text: str, names: list[str]
) -> None:
    """A name column's cells are people in capitals, lower case or Chinese characters, in a
    semicolon export, and in CSV rows whose later cells hold unquoted commas."""
    assert _values(pii, text, "PERSON") == names


def test_cells_in_capitals_or_lower_case_of_other_columns_are_no_people(
    pii: PresidioDetector,
) -> None:
    """Only a column headed as people's makes capitals or lower case a name."""
    text = "product,status,owner_team\nOAK TABLE,in stock,sales ops\ndesk lamp,sold out,web shop"
    assert _values(pii, text, "PERSON") == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "Please check the spelling of the names on these certificates:\n"
            "Isaac Hernandez\nAlbert Krekora\nAndrás Kovács\nBen Yaamoa",
            ["Isaac Hernandez", "Albert Krekora", "András Kovács", "Ben Yaamoa"],
        ),
        (
            "Corporate card assignment: Thalente Phethela -> 3442 779262 34187; "
            "Lucie Maillard -> 3724-229396-41227.",
            ["Thalente Phethela", "Lucie Maillard"],
        ),
    ],
)
def test_a_name_the_model_runs_across_lines_or_into_an_arrow_is_kept(
    pii: PresidioDetector, text: str, names: list[str]
) -> None:
    """The model's span across lines is judged line by line, an arrow after it cut off."""
    assert _values(pii, text, "PERSON") == names


@pytest.mark.parametrize(
    "text",
    [
        "| 13 | Florence desk lamp | 5012345678900 | 3 |\n| 14 | Austin bar stool | 50123 | 3 |",
        "Our refund rate by product: Lincoln chair 3.1%, Austin stool 2.2%.",
        'Write a description for the "Charlotte" dining table from our spring collection.',
        "Returns policy for the Jordan and Sydney product lines: 30 days, unused.",
        "Compare Jordan Logistics, Victoria Freight and Austin Couriers for next-day parcels.",
        "Which carrier tier is that for DPD and Royal Mail?",
        "Regions are North, South, Midlands.",
        "VAT Reg. GB123456789 | Company No. 1234",
        "Affected badges were cut. Max length is 24 characters.",
        "INVOICE F2023-05958\nBill to: Acme Group, 12 High Street",
        "Agent notes:\nANI: 0044 20 7496 0412\nReason: address change",
        "Our top customers: Ruby Tuesday and Georgia-Pacific.",
        "commit a7d10a2\nAuthor: janeduong\nDate:   2017-08-23 14:45:33\n\n    Merge pull request",
    ],
)
def test_named_after_a_person_or_place_is_no_person_or_place(
    pii: PresidioDetector, text: str
) -> None:
    """Products, ranges and firms named after a person or place, form labels that are
    also names, and compass regions are neither a person nor a place."""
    assert [f for f in pii.find(text) if f.entity_type in ("PERSON", "LOCATION")] == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Maria chairs the meeting on Friday.", "Maria"),
        ("Max said the parcel left Leeds.", "Max"),
        ("Bill: can you send the report?", "Bill"),
    ],
)
def test_names_before_look_alike_words_stay_names(
    pii: PresidioDetector, text: str, name: str
) -> None:
    """A verb or a speaker's colon after a name does not make it a product or a label."""
    assert name in _values(pii, text, "PERSON")


@pytest.mark.parametrize(
    "text",
    [
        "Chapter 4.2.1.3 of the employee handbook covers overtime and 4.2.1.4 covers on-call.",
        "POS terminals run firmware 15.4.91.80 and the payment app 11.0.40.129.",
        "The export format version is 14.9.36.135 and our accounting add-on is 16.7.16.47.",
        "The agent is 4.9.75.213 now.",
    ],
)
def test_versions_of_programs_and_listed_sections_are_no_address(
    pii: PresidioDetector, text: str
) -> None:
    """A quad after app/add-on/'agent is', or listed after a section's quad, is no IP."""
    assert _values(pii, text, "IP_ADDRESS") == []


def test_hosts_listed_together_stay_addresses(pii: PresidioDetector) -> None:
    """Hosts listed together, or after an app's "at", stay addresses."""
    text = "Block 10.0.0.5 and 10.0.0.6 at the firewall. The app at 10.1.2.3 is slow."
    assert _values(pii, text, "IP_ADDRESS") == ["10.0.0.5", "10.0.0.6", "10.1.2.3"]


@pytest.mark.parametrize(
    "text",
    [
        "What is the difference between an EIN like 98-7612124 and an ITIN?",
        "Our membership card numbers (09146093298224) get flagged by the DLP tool.",
    ],
)
def test_tax_and_loyalty_card_numbers_are_no_phone(pii: PresidioDetector, text: str) -> None:
    """A number an EIN or a membership card labels is no phone."""
    assert _values(pii, text, "PHONE_NUMBER") == []


def test_a_phone_after_an_ein_stays_a_phone(pii: PresidioDetector) -> None:
    """The EIN's label reaches its own number only."""
    text = "Our EIN is 12-3456789 and the phone is 0151 2345 6789."
    assert _values(pii, text, "PHONE_NUMBER") == ["0151 2345 6789"]
