"""E-mail addresses in form bodies and before a password, hosts after a Windows-style option,
and values that document a credential's field (issue 14, found on tuning5)."""

from __future__ import annotations

import pytest
from faker.providers.lorem.en_US import Provider as LoremProvider

from core.scanning import Finding
from detectors import entities as E
from detectors.field_docs import _MARKERS, documents_a_field, strip_emphasis
from detectors.pii import PresidioDetector
from detectors.registry import scan_all
from detectors.secrets import SecretsDetector

IP_ADDRESS = "IP_ADDRESS"


def _spans(findings: list[Finding], entity: str) -> set[tuple[int, int]]:
    return {(f.start, f.end) for f in findings if f.entity_type == entity}


# (text before, e-mail, text after): the address's span leaves a form's or env entry's key out.
EMAILS_AFTER_KEYS = [
    ("grant_type=password&client_id=88063&username=", "igne91@example.com", "&password=x"),
    ("GET /invite?team=7&email=", "ann.lee@example.org", " HTTP/1.1"),
    ("ADMIN_EMAIL=", "ops@corp.example.io", ""),
    ("curl -d 'username=", "heather04@example.org", "' https://api.example.com/login"),
    ("mail=", "o'neil@corp.io", ""),
]


@pytest.mark.parametrize(("before", "email", "after"), EMAILS_AFTER_KEYS)
def test_email_after_a_key_starts_after_it(
    pii: PresidioDetector, before: str, email: str, after: str
) -> None:
    """An address that is a form parameter's or an environment entry's value is found exactly."""
    text = before + email + after
    assert _spans(pii.find(text), E.EMAIL_ADDRESS) == {(len(before), len(before) + len(email))}


@pytest.mark.parametrize(
    "email", ["SRS0=HHH=TT=example.com=alice@forwarder.example.net", "ann+news@example.com"]
)
def test_address_with_its_own_marks_is_kept_whole(pii: PresidioDetector, email: str) -> None:
    """A bounce address's "=" and a tag's "+" belong to the address: its span is all of it."""
    assert _spans(pii.find(f"from {email} today"), E.EMAIL_ADDRESS) == {(5, 5 + len(email))}


def test_form_body_with_a_client_secret_keeps_both_findings(
    pii: PresidioDetector, secrets_detector: SecretsDetector
) -> None:
    """The address after a client secret in an OAuth form is an e-mail beside the secret."""
    before = (
        "grant_type=password&client_id=81548"
        "&client_secret=Nf8rcG1tQGQ8ftCC20GS6VnXBxUfzxd&username="
    )
    text = before + "heather04@example.org&password=dHQOtUbr%17J7"
    [findings] = scan_all([pii, secrets_detector], [text])
    assert _spans(findings, E.EMAIL_ADDRESS) == {(len(before), len(before) + 21)}
    assert E.GENERIC_SECRET in {f.entity_type for f in findings}


# (text before, e-mail, password after its colon, text after)
SASL_LINES = [
    ("[smtp.gmail.com]:587 ", "antonijajovic@example.com", "WzRzhXWz30LNhk", ""),
    ('echo "[smtp.example.com]:587 ', "simonsara@example.com", "ab99cf51b917903", '" > x'),
    ("curl -u ", "ann@corp.example.io", "Sup3rS3cret!", " https://api.example.com"),
]


@pytest.mark.parametrize("line", SASL_LINES)
def test_login_before_its_password_is_an_email(
    pii: PresidioDetector, secrets_detector: SecretsDetector, line: tuple[str, str, str, str]
) -> None:
    """``user@example.com:password`` (postfix sasl_passwd, curl -u) is an e-mail and a password."""
    before, email, password, after = line
    text = f"{before}{email}:{password}{after}"
    [findings] = scan_all([pii, secrets_detector], [text])
    at = len(before)
    assert _spans(findings, E.EMAIL_ADDRESS) == {(at, at + len(email))}
    secret_at = at + len(email) + 1
    assert (secret_at, secret_at + len(password)) in _spans(findings, E.PASSWORD)


@pytest.mark.parametrize(
    "text",
    [
        "git clone git@github.com:org/app.git",
        "scp backup@files.example.org:dump.sql .",
        "rsync -a deploy@build.example.com:/srv/app/ ./app/",
    ],
)
def test_remote_with_a_path_is_still_no_email(
    pii: PresidioDetector, secrets_detector: SecretsDetector, text: str
) -> None:
    """An scp-style remote's ``user@host:path`` stays a login, not an e-mail."""
    [findings] = scan_all([pii, secrets_detector], [text])
    assert E.EMAIL_ADDRESS not in {f.entity_type for f in findings}


@pytest.mark.parametrize(
    ("before", "address", "after"),
    [
        ("xfreerdp /u:Administrator /p:'x' /v:", "93.155.69.225", " /cert:ignore"),
        ("xfreerdp /u:username /pth:b707e5c0957255e967ac104ee676e2eb /v:", "37.95.25.124", ""),
        ("mstsc /v:", "10.20.30.40", " /admin"),
        ("net use \\\\", "10.0.0.5", "\\share"),
        ("smbclient //", "10.0.0.5", "/share -U user"),
    ],
)
def test_host_after_an_option_is_an_address(
    pii: PresidioDetector, before: str, address: str, after: str
) -> None:
    """A host after ``/v:`` (RDP clients) or in a UNC path is an IP address, found exactly."""
    text = before + address + after
    expected = {(len(before), len(before) + len(address))}
    assert _spans(pii.find(text), IP_ADDRESS) == expected


@pytest.mark.parametrize("text", ["doxygen v: 1.8.1.2", "Changes in v 4.3.99.16"])
def test_version_after_v_is_still_no_address(pii: PresidioDetector, text: str) -> None:
    """A release after a "v" that is no option stays a version."""
    assert not _spans(pii.find(text), IP_ADDRESS)


FIELD_DOCS = [
    'curl -H "X-Api-Key: v2-required-header" https://api.example.com/v2/items',
    "X-Api-Key: v2-required-header",
    "Password: **required**",
    "| Password | **required** |",
    "token: *optional*",
    "api_key: string (required)",
    "client_secret: __required__",
]


@pytest.mark.parametrize("text", FIELD_DOCS)
def test_documented_field_is_no_secret(secrets_detector: SecretsDetector, text: str) -> None:
    """A value that says the field is required or what type it is holds no secret."""
    assert secrets_detector.find(text) == []


# (text before, value, text after, entity): values of the same shape that are real secrets.
REAL_VALUES = [
    ("X-Api-Key: ", "v2-3f9a8c7b2e1d4a6c", "", E.GENERIC_SECRET),
    ("Password: **", "Tr0ub4dor&3", "**", E.PASSWORD),
    ("password: __", "Winter2024!", "__", E.PASSWORD),
    ("Password: ", "required-9fK2mQ7x!", "", E.PASSWORD),
]


@pytest.mark.parametrize(("before", "value", "after", "entity"), REAL_VALUES)
def test_real_value_in_emphasis_is_found_without_it(
    secrets_detector: SecretsDetector, before: str, value: str, after: str, entity: str
) -> None:
    """A real value is still a finding; Markdown's emphasis around it is not in its span."""
    findings = secrets_detector.find(before + value + after)
    assert _spans(findings, entity) == {(len(before), len(before) + len(value))}


def test_markers_are_no_passphrase_words() -> None:
    """No word that marks a documented field is a word generated passphrases are made of."""
    assert _MARKERS.isdisjoint(LoremProvider.word_list)


@pytest.mark.parametrize(
    ("value", "inner"),
    [("**x1**", "x1"), ("__a b__", "a b"), ("*opt*", "opt"), ("**", "**"), ("a*b*", "a*b*")],
)
def test_strip_emphasis_takes_only_a_whole_wrap(value: str, inner: str) -> None:
    """Only emphasis around the whole value is taken off."""
    start, end = strip_emphasis(value)
    assert value[start:end] == inner


@pytest.mark.parametrize("value", ["required-9fK2mQ7x", "Optional2024!", "stringbean", "v2"])
def test_value_with_anything_else_documents_nothing(value: str) -> None:
    """A marker beside a random part, glued into a word, or absent is no documentation."""
    assert not documents_a_field(value)


# (text before, key, text after): a Wi-Fi network's key after its SSID.
WIFI_KEYS = [
    ("> Wi-Fi for guests: SSID `eszter94-Guest`, key `", "article-kitchen-save-key-hope", "`"),
    ("Wi-Fi for guests: SSID `jolanta06-Guest`, key `", "computer about even player", "`"),
    ("ssid Lab5G psk '", "water similar road movie", "'"),
    ("SSID Guest-5G, key ", "sunny-river-lake", ""),
    ("SSID Office, pw ", "hunter42", " (ask IT for the other one)"),
]


@pytest.mark.parametrize(("before", "key", "after"), WIFI_KEYS)
def test_wifi_key_after_its_ssid_is_a_password(
    secrets_detector: SecretsDetector, before: str, key: str, after: str
) -> None:
    """The key written after a network's SSID is a password, words alone included."""
    findings = secrets_detector.find(before + key + after)
    assert _spans(findings, E.PASSWORD) == {(len(before), len(before) + len(key))}


@pytest.mark.parametrize(
    "text",
    [
        'network={\n  ssid="Office"\n  key_mgmt=WPA-PSK\n}',
        "SSID Guest, key provided separately at the desk",
        "SSID `Office`, key `YOUR_WIFI_PASSWORD`",
        "the SSID is hidden and the password is on the fridge",
        "SSID Guest, key `$WIFI_PSK`",
        "https://wifi.example.com/setup?ssid=Office&psk=wpa2-personal",
        "SSID Office, key: WPA2-Personal",
    ],
)
def test_wifi_words_without_a_key_are_quiet(secrets_detector: SecretsDetector, text: str) -> None:
    """Settings, prose, placeholders and variables near an SSID are no password."""
    assert secrets_detector.find(text) == []


@pytest.mark.parametrize(
    ("before", "value", "after"),
    [("- **密码**: `", "$$0C2JJq", "`"), ("**Password**: `", "9$Kd8x!", "`")],
)
def test_backticked_value_with_a_dollar_is_a_password(
    secrets_detector: SecretsDetector, before: str, value: str, after: str
) -> None:
    """A "$" before a digit or symbol in a backticked value is the password's own character."""
    findings = secrets_detector.find(before + value + after)
    assert _spans(findings, E.PASSWORD) == {(len(before), len(before) + len(value))}


@pytest.mark.parametrize("value", ["$DB_PASSWORD", "${pw}", "$(cat /run/secrets/db)"])
def test_backticked_variable_is_no_password(secrets_detector: SecretsDetector, value: str) -> None:
    """A variable or a command substitution in backticks reads the password, it is none."""
    assert secrets_detector.find(f"- **Password**: `{value}`") == []


HEX_KEY = "a336e38e7567851d6ddac0cb997aa34f53cec216bcce1a45c31a38f8a7626a25"


@pytest.mark.parametrize(
    ("before", "value", "after"),
    [
        ('VPN_IPSEC_PSK="', HEX_KEY, '"'),
        ('  WIFI_PSK="', "deep chair hit manager finish", '" \\\n  ./provision.sh'),
    ],
)
def test_pre_shared_key_under_its_name_is_a_password(
    secrets_detector: SecretsDetector, before: str, value: str, after: str
) -> None:
    """An IPsec key of 64 hex digits and a Wi-Fi passphrase of words are passwords."""
    findings = secrets_detector.find(before + value + after)
    assert _spans(findings, E.PASSWORD) == {(len(before), len(before) + len(value))}


def test_wifi_passphrase_hash_is_no_password(secrets_detector: SecretsDetector) -> None:
    """64 hex digits under a Wi-Fi name are wpa_passphrase's hash, not the passphrase."""
    assert secrets_detector.find(f'WIFI_PSK="{HEX_KEY}"') == []


@pytest.mark.parametrize(
    "text", ["#sshpass -p 'sk-...' ssh pi@$pi \"touch $pi\"", "token: ghp_…", "api_key: xoxb-..."]
)
def test_elided_example_is_no_secret(secrets_detector: SecretsDetector, text: str) -> None:
    """A key's prefix and an ellipsis, as docs show a key, is no secret."""
    assert secrets_detector.find(text) == []


@pytest.mark.parametrize(
    ("before", "value"),
    [("sshpass -p '", "Hunter42..."), ("sshpass -p '", "sk-proj-9fK2mQ7xA8...")],
)
def test_value_with_more_than_a_prefix_before_dots_is_kept(
    secrets_detector: SecretsDetector, before: str, value: str
) -> None:
    """A password ending in dots, or a truncated key longer than a prefix, is still found."""
    findings = secrets_detector.find(f"{before}{value}' ssh pi@host")
    assert _spans(findings, E.PASSWORD) == {(len(before), len(before) + len(value))}


# (text before, password, text after): a ";" inside a config value or a connection string's
# last entry of brackets and symbols.
SEMICOLONS_AND_BRACKETS = [
    ("DB_CONNECTION=mysql\nDB_USERNAME=kk\nDB_PASSWORD=", "q3;rN7Q$$", "\n"),
    ("[windows:vars]\nansible_password=", "gp2;QE1PjiI#", "\nansible_connection=winrm"),
    ('dotnet user-secrets set "ConnectionStrings:Default" "Host=db;Username=u;Password=',
     ")KEd*PeP7rr", '"'),
    ('"Host=localhost;Port=5432;Username=ugne75;Password=', "Y)(0A!oan", '"'),
]  # fmt: skip


@pytest.mark.parametrize(("before", "password", "after"), SEMICOLONS_AND_BRACKETS)
def test_whole_config_value_is_the_password(
    secrets_detector: SecretsDetector, before: str, password: str, after: str
) -> None:
    """A ";" not followed by another key, and brackets in a connection string's last entry,
    are the password's own characters."""
    findings = secrets_detector.find(before + password + after)
    assert _spans(findings, E.PASSWORD) == {(len(before), len(before) + len(password))}


@pytest.mark.parametrize(
    ("text", "password"),
    [
        ("Server=tcp:sql.example.net,1433;User ID=sa;Password=bluebird;Encrypt=True;", "bluebird"),
        ("password=Summer2024!; then run make", "Summer2024!"),
        ('$password="Pa55w0rd!";$user="root";', "Pa55w0rd!"),
    ],
)
def test_semicolon_before_a_key_or_a_blank_ends_the_value(
    secrets_detector: SecretsDetector, text: str, password: str
) -> None:
    """A ";" before the next entry, a blank or the line's end still ends the value."""
    at = text.index(password)
    assert _spans(secrets_detector.find(text), E.PASSWORD) == {(at, at + len(password))}


@pytest.mark.parametrize(
    "text", ['"Host=db;Username=u;Password=get_pw()"', "conn = connect(password=get_pw());x=1"]
)
def test_call_in_a_connection_entry_is_no_password(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """A call where the value would be reads the password: no finding."""
    assert _spans(secrets_detector.find(text), E.PASSWORD) == set()
