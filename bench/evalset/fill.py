"""Fill ``{{placeholder}}`` templates with Faker values, labelling each value by construction.

A placeholder is one of three kinds:

* an *entity* (``{{person}}``, ``{{phone}}``, ``{{password}}``, ...): the value is a labelled
  span of that entity type;
* *neutral* (``{{company}}``, ``{{date}}``, ``{{user_name}}``, ...): a value that is neither
  labelled nor wrong to report; findings lying mostly inside it are not scored;
* a *filler* (``{{float}}``, ``{{ts}}``, ``{{tool}}``, ``{{long_id}}``, ...): technical
  content that must not be reported; a finding on it is a false positive.

The same vocabulary covers the templates of Microsoft's presidio-evaluator (``{{address}}``,
``{{credit_card_number}}``, ``{{organization}}``, ...), so its sentences can be filled here.

A part may bring its own name source (``name_lists.NameSource``): its person placeholders
then draw from lists Faker did not write. A locale outside the proxy's default phone regions
(``PHONE_REGIONS``) writes ``{{phone}}`` in international form; ``{{phone_national}}`` draws
a national-format number of one of the default regions.
"""

from __future__ import annotations

import base64
import datetime
import functools
import html
import random
import re
import string
import urllib.parse
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import phonenumbers
from eval_dataset import Builder, Sample, human_password, secret_values
from faker import Faker

from evalset.name_lists import Gender, NameSource, census, last_names
from evalset.vendor_keys import PUBLIC, SECRETS
from evalset.vocabulary import (
    HELDOUT_TOWNS,
    TUNING14_TOWNS,
    TUNING15_STREETS,
    TUNING15_TOWNS,
    TUNING16_TOWNS,
)

PLACEHOLDER = re.compile(r"\{\{([a-z_0-9]+)\}\}")
#: ``{{again}}`` repeats the value (and label) of the placeholder before it (tuning7: a
#: log line that echoes a value the line before printed).
AGAIN = "again"
PHONE_REGIONS = {
    "en_US": "US",
    "en_GB": "GB",
    "de_DE": "DE",
    "fr_FR": "FR",
    "nl_NL": "NL",
    "es_ES": "ES",
    "it_IT": "IT",
    "en_IN": "IN",
}
#: Locales outside the default phone regions: their ``{{phone}}`` carries the country code.
INTERNATIONAL_REGIONS = {
    "en_AU": "AU", "en_NZ": "NZ", "de_AT": "AT", "de_CH": "CH", "pt_PT": "PT",
    "en_CA": "CA", "en_IE": "IE", "sv_SE": "SE", "cs_CZ": "CZ", "da_DK": "DK",  # tuning3
    "pl_PL": "PL", "fi_FI": "FI", "no_NO": "NO", "ro_RO": "RO", "sk_SK": "SK",  # tuning4
    "bg_BG": "BG", "el_GR": "GR", "uk_UA": "UA", "vi_VN": "VN", "ja_JP": "JP",  # tuning9
    "en_PK": "PK", "de_LU": "LU", "ru_RU": "RU", "he_IL": "IL", "az_AZ": "AZ",  # tuning10
    "de_LI": "LI", "fr_DZ": "DZ",  # tuning11
    "ko_KR": "KR", "zh_CN": "CN", "th_TH": "TH", "fa_IR": "IR", "ka_GE": "GE",  # tuning12
    "yo_NG": "NG", "tw_GH": "GH", "uz_UZ": "UZ", "zu_ZA": "ZA", "zh_TW": "TW",  # tuning13
    "bs_BA": "BA", "hy_AM": "AM", "mk_MK": "MK", "ne_NP": "NP", "en_BD": "BD",  # heldout
    # tuning15: India is a default region, yet its Hindi and Tamil speakers' numbers are
    # written with +91 here (as WhatsApp and forms show them); {{phone_local}} is national
    "hi_IN": "IN", "ta_IN": "IN", "ar_SA": "SA", "fr_CH": "CH", "sq_AL": "AL",
    "ga_IE": "IE", "mt_MT": "MT", "it_CH": "CH", "ar_EG": "EG", "sw": "KE",  # tuning16
}  # fmt: skip
#: Locales whose Faker has no numbers of their own: drawn from another Faker of the country
#: (en_BD's numbers are en_US's; bn_BD writes Bangladeshi ones, in Bengali digits, which
#: libphonenumber reads and writes back in ASCII).
_PHONE_FAKERS = {"en_BD": "bn_BD"}
#: Locales whose Faker writes American numbers (ar_SA, sq_AL, and tuning16's but it_CH, whose
#: are often invalid): their numbers are made from libphonenumber's example mobile and
#: fixed-line numbers, the subscriber digits drawn anew.
_MADE_PHONES = ("ar_SA", "sq_AL", "ga_IE", "mt_MT", "it_CH", "ar_EG", "sw")
#: tuning11's locales inside a default region (Faker's bare ``de`` and ``es``, and ``es_CA``,
#: whose own numbers are American): national format, drawn from the region's own Faker.
NATIVE_REGIONS = {"de": ("DE", "de_DE"), "es": ("ES", "es_ES"), "es_CA": ("ES", "es_ES")}
#: Regions that dial no trunk zero: no ``(0)`` in their international form.
_NO_TRUNK_ZERO = ("PT", "CA", "CZ", "DK", "PL", "NO", "GR", "LI", "IN", "SA", "AL", "MT")
_IBAN_LOCALES = ("en_GB", "de_DE", "fr_FR", "nl_NL", "es_ES", "it_IT")
#: Locales whose Faker writes their own country's IBANs.
_OWN_IBAN_LOCALES = ("de_AT", "de_CH", "pt_PT", "mk_MK", "fr_CH", "it_CH")
#: Locales whose country has IBANs Faker does not write: (country, BBAN length), digits only.
_MADE_IBANS = {"bs_BA": ("BA", 16), "sq_AL": ("AL", 24), "ar_SA": ("SA", 20)}
_PHONE_FORMATS = phonenumbers.PhoneNumberFormat
#: How tuning15's locales (but fr_CH) write a street address, and their postcodes' length.
_STREET_FORMS = {
    "hi_IN": ("{number}, {street}", "H.No. {number}, {street}", "B-{number}, {street}"),
    "ta_IN": ("No. {number}, {street}", "{number}/4, {street}", "{number}/12, {street}"),
    "ar_SA": ("Building {number}, {street}", "{number} {street}"),
    "sq_AL": ("{street}, Nr. {number}", "{street} {number}"),
}
_POSTCODE_DIGITS = {"hi_IN": 6, "ta_IN": 6, "ar_SA": 5, "sq_AL": 4}
_NZ_PREFIXES = ("Mr", "Ms", "Mrs", "Dr")
_DEPLOYMENTS = ("api", "web", "worker", "checkout", "billing-api", "ingest", "auth-gateway")
_HEX = "0123456789abcdef"
_DJANGO = "abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)"  # get_random_secret_key's
_URLSAFE = string.ascii_letters + string.digits + "-_"
_ALNUM = string.ascii_letters + string.digits
_BCRYPT = string.ascii_letters + string.digits + "./"
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_BORN, _FIRST_DAY, _LAST_DAY = (
    datetime.date(1940, 1, 1),
    datetime.date(2015, 1, 1),
    datetime.date(2026, 12, 31),
)


@dataclass(frozen=True, slots=True)
class Slot:
    """What a placeholder draws: ``label`` is an entity type, ``"neutral"`` or ``None``."""

    label: str | None
    draw: Callable[[Context], str]


class Context:
    """Seeded value sources for one template instance's locale."""

    def __init__(
        self,
        rng: random.Random,
        fakers: dict[str, Faker],
        locale: str,
        tools: Sequence[str],
        names: NameSource | None = None,
    ) -> None:
        self.rng = rng
        self.fakers = fakers
        self.locale = locale
        self.faker = fakers[locale]
        self.us = fakers["en_US"]
        self.tools = tools
        self.names = names
        self.secrets = secret_values(rng, self.us)

    def phone(self) -> str:
        """A number Faker writes for the locale that libphonenumber calls valid there
        (Faker draws random digits; an invalid area code is not anyone's number); outside
        the default regions in international form."""
        if self.locale in INTERNATIONAL_REGIONS:
            return self._international_phone(INTERNATIONAL_REGIONS[self.locale])
        if self.locale in NATIVE_REGIONS:
            region, locale = NATIVE_REGIONS[self.locale]
            return _valid_phone(self.fakers[locale], region)[0]
        return _valid_phone(self.faker, PHONE_REGIONS[self.locale])[0]

    def _international_phone(self, region: str) -> str:
        """``+43 662 29972200``, ``+43662299722``, or with the trunk zero in brackets as
        people write it where there is one (``+43 (0)662 29972200``)."""
        number = self._own_number(region)
        written = phonenumbers.format_number(number, _PHONE_FORMATS.INTERNATIONAL)
        style = self.rng.random()
        if style < 0.25:
            return phonenumbers.format_number(number, _PHONE_FORMATS.E164)
        if style < 0.45 and region not in _NO_TRUNK_ZERO:
            code, rest = written.split(" ", 1)
            return f"{code} (0){rest}"
        return written

    def _phone_faker(self) -> Faker:
        other = _PHONE_FAKERS.get(self.locale)
        return _seeded(self, other) if other else self.faker

    def _own_number(self, region: str) -> phonenumbers.PhoneNumber:
        if self.locale in _MADE_PHONES:
            return _made_phone(self.rng, region)
        return _valid_phone(self._phone_faker(), region)[1]

    def local_phone(self) -> str:
        """The instance locale's own number as people there write it at home (national
        format, trunk zero, no country code): ``(010) 123456``, ``02 201 2345``. A locale of
        a default region writes its ``{{phone}}``."""
        region = INTERNATIONAL_REGIONS.get(self.locale)
        if region is None:
            return self.phone()
        number = self._own_number(region)
        return phonenumbers.format_number(number, _PHONE_FORMATS.NATIONAL)

    def national_phone(self) -> str:
        """A national-format number of a default region, as people write it there: US
        with dots, dashes or brackets and sometimes an extension, French with dots, German
        with a slash, Dutch with a dash, British landlines with a bracketed area code."""
        locale = self.rng.choice(sorted(PHONE_REGIONS))
        region = PHONE_REGIONS[locale]
        number = _valid_phone(self.fakers[locale], region)[1]
        number.extension = None
        written = phonenumbers.format_number(number, _PHONE_FORMATS.NATIONAL)
        variant = _national_variant(written, region, self.rng)
        if phonenumbers.is_valid_number(phonenumbers.parse(variant, region)):
            written = variant
        if region in ("US", "GB") and self.rng.random() < 0.35:
            extension = str(self.rng.randint(1, 9999))
            written += self.rng.choice([f"x{extension}", f" x{extension}", f" ext. {extension}"])
        return written

    def person(self, gender: Gender | None = None) -> str:
        return self.names.full(self.rng, gender) if self.names else self.faker.name()

    def first_name(self, gender: Gender | None = None) -> str:
        return self.names.first(self.rng, gender) if self.names else self.faker.first_name()

    def last_name(self) -> str:
        return self.names.last(self.rng) if self.names else self.faker.last_name()

    def city(self) -> str:
        """Faker's city for the locale; it_IT keeps its cities in set order (the draw would
        follow the hash seed), so its list is sorted first. Faker invents the towns of
        en_AU and en_NZ (and of tuning15's locales, or writes them in their own script):
        real ones are drawn there."""
        if self.locale in TUNING14_TOWNS:
            return self.rng.choice(TUNING14_TOWNS[self.locale])
        if self.locale in TUNING15_TOWNS:
            return self.rng.choice(TUNING15_TOWNS[self.locale])
        if self.locale in HELDOUT_TOWNS:
            return self.rng.choice(HELDOUT_TOWNS[self.locale])
        if self.locale in TUNING16_TOWNS:
            return self.rng.choice(TUNING16_TOWNS[self.locale])
        if self.locale != "it_IT":
            return str(self.faker.city())
        return self.rng.choice(_sorted_cities(self.faker))

    def card(self) -> str:
        number = self.us.credit_card_number()
        if len(number) == 16 and self.rng.random() < 0.3:
            return " ".join(number[i : i + 4] for i in range(0, 16, 4))
        return number

    def iban(self) -> str:
        if self.locale in _MADE_IBANS:
            value = _made_iban(self, *_MADE_IBANS[self.locale])
            return _grouped(value) if self.rng.random() < 0.3 else value
        own = self.locale in _IBAN_LOCALES or self.locale in _OWN_IBAN_LOCALES
        locale = self.locale if own else self.rng.choice(_IBAN_LOCALES)
        value = self.fakers[locale].iban()
        if self.rng.random() < 0.3:
            return " ".join(value[i : i + 4] for i in range(0, len(value), 4))
        return value

    def ip(self) -> str:
        kind = self.rng.choice(["ipv4_public", "ipv4_public", "ipv4_private", "ipv6"])
        return str(getattr(self.us, kind)())

    def street_name(self) -> str:
        if self.locale in TUNING15_STREETS:
            return self.rng.choice(TUNING15_STREETS[self.locale])
        return str(self.faker.street_name())

    def street_address(self) -> str:
        """Faker's; tuning15's locales but fr_CH write a real street as people there do
        (``B-204, Civil Lines``, ``No. 14, Anna Salai``, ``Rruga e Kavajës, Nr. 34``)."""
        if self.locale not in TUNING15_STREETS:
            return str(self.faker.street_address()).replace("\n", ", ")
        form = self.rng.choice(_STREET_FORMS[self.locale])
        return form.format(street=self.street_name(), number=self.rng.randint(1, 420))

    def address(self) -> str:
        """Faker's address on one line; tuning15's locales but fr_CH: a street address, the
        town and a postcode of the country's length."""
        if self.locale in TUNING15_STREETS:
            code = self._chars(string.digits, _POSTCODE_DIGITS[self.locale])
            return f"{self.street_address()}, {self.city()} {code}"
        return ", ".join(line.strip() for line in self.faker.address().splitlines())

    def float_(self) -> str:
        return self.rng.choice(
            [
                repr(self.rng.random()),  # 16-17 digits after the point, as Python prints
                f"{self.rng.uniform(0, 1000):.2f}",
                f"{self.rng.uniform(0, 1):.4f}",
                repr(self.rng.uniform(-50, 50)),
            ]
        )

    def date(self) -> str:
        return self.faker.date_between_dates(_FIRST_DAY, _LAST_DAY).isoformat()

    def date_of_birth(self) -> str:
        return self.faker.date_between_dates(_BORN, _FIRST_DAY).isoformat()

    def time(self) -> str:
        hour, minute, second = (self.rng.randint(0, n) for n in (23, 59, 59))
        return f"{hour:02d}:{minute:02d}:{second:02d}"

    def date_time(self) -> str:
        start = datetime.datetime.combine(_FIRST_DAY, datetime.time())
        end = datetime.datetime.combine(_LAST_DAY, datetime.time())
        return str(self.faker.date_time_between_dates(start, end))

    def hex_(self, length: int = 0) -> str:
        length = length or self.rng.choice([8, 12, 16])
        return "".join(self.rng.choice(_HEX) for _ in range(length))

    def api_token(self) -> str:
        """A service token as services issue them, in shapes other than ``GENERIC_SECRET``'s
        random alphanumerics: hex of 32, 40 or 64 digits, standard base64 of 32 bytes
        (padded), or URL-safe base64 as ``secrets.token_urlsafe(32)`` writes it."""
        raw = self.rng.randbytes(32)
        return self.rng.choice(
            [
                self.hex_(32),
                self.hex_(40),
                self.hex_(64),
                base64.b64encode(raw).decode(),
                base64.urlsafe_b64encode(raw).rstrip(b"=").decode(),
            ]
        )

    def request_id(self) -> str:
        """An id that looks random and is no secret: a Stripe-style ``req_`` id, a bare hex
        trace id, an AWS X-Ray trace header or a ULID."""
        return self.rng.choice(
            [
                "req_" + "".join(self.rng.choice(_ALNUM) for _ in range(14)),
                self.hex_(32),
                f"Root=1-{self.hex_(8)}-{self.hex_(24)}",
                "01" + "".join(self.rng.choice(_CROCKFORD) for _ in range(24)),
            ]
        )

    def b64_blob(self, size: int = 0) -> str:
        """Base64 of random bytes: the body of an image, a certificate, a hash."""
        return base64.b64encode(self.rng.randbytes(size or self.rng.randint(48, 180))).decode()

    def pod(self) -> str:
        """A Kubernetes pod name: deployment, replica-set hash, random suffix."""
        suffix = "".join(self.rng.choice("bcdfghjklmnpqrstvwxz2456789") for _ in range(5))
        return f"{self.rng.choice(_DEPLOYMENTS)}-{self.hex_(10)[:9]}-{suffix}"

    # added for tuning4 (issue 14): credential shapes a shape-based detector may miss

    def _chars(self, alphabet: str, length: int) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(length))

    def _one_of(self, draws: Sequence[Callable[[], str]]) -> str:
        """One of ``draws``, chosen by the seeded generator, then drawn."""
        return self.rng.choice(draws)()

    def uuid_key(self) -> str:
        """An API key issued as a UUID (Heroku, many SaaS), sometimes upper case."""
        value = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        return value.upper() if self.rng.random() < 0.2 else value

    def hex_key(self) -> str:
        """A 32-, 40- or 64-digit hex secret, sometimes upper case (Twilio, Databricks)."""
        value = self.hex_(self.rng.choice([32, 40, 64]))
        return value.upper() if self.rng.random() < 0.2 else value

    def b64_key(self) -> str:
        """Standard base64 of 16 to 64 random bytes, with its ``+/=``."""
        return base64.b64encode(
            self.rng.randbytes(self.rng.choice([16, 24, 32, 33, 48, 64]))
        ).decode()

    def urlsafe_key(self) -> str:
        """``secrets.token_urlsafe(n)`` for n of 16 to 48: ``-`` and ``_``, no padding."""
        raw = self.rng.randbytes(self.rng.choice([16, 18, 24, 32, 48]))
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    def letters_key(self) -> str:
        """A token of letters only, no digit (20 to 40 characters)."""
        return self._chars(string.ascii_letters, self.rng.randint(20, 40))

    def short_key(self) -> str:
        """A short key of 12 to 16 characters, letters and digits."""
        return self._chars(_ALNUM, self.rng.randint(12, 16))

    def passphrase(self) -> str:
        """Three to five dictionary words as people join them."""
        words = [w.lower() for w in self.us.words(self.rng.randint(3, 5))]
        style = self.rng.choice(["space", "hyphen", "dot", "camel", "underscore"])
        if style == "camel":
            return "".join(w.capitalize() for w in words)
        return {"space": " ", "hyphen": "-", "dot": ".", "underscore": "_"}[style].join(words)

    def pin(self) -> str:
        """A numeric code used as a password or PIN: 4 to 8 digits."""
        return self._chars(string.digits, self.rng.choice([4, 4, 6, 6, 8]))

    def otp_seed(self) -> str:
        """A TOTP seed in base32: 16 or 32 characters, or in groups of four, lower case, as
        authenticator set-up pages show it."""
        value = self._chars(string.ascii_uppercase + "234567", self.rng.choice([16, 32]))
        if self.rng.random() < 0.3:
            return " ".join(value[i : i + 4].lower() for i in range(0, len(value), 4))
        return value

    def basic_auth(self) -> str:
        """The base64 of ``user:password`` as an HTTP Basic header carries it."""
        pair = f"{self.faker.user_name()}:{human_password(self.rng, self.us)}"
        return base64.b64encode(pair.encode()).decode()

    def symbol_password(self) -> str:
        """A password with the characters that break naive parsing: ``;#$@&:'`` and spaces."""
        core = self._chars(_ALNUM, self.rng.randint(6, 12))
        cut = self.rng.randint(1, len(core) - 1)
        mark = self.rng.choice(["#", "$", ";", "@", "&", ":", "%", "!", "^", "*", "+="])
        return f"{core[:cut]}{mark}{core[cut:]}{self.rng.choice(['', '!', '#', '$$', '?'])}"

    def vendor_token(self) -> str:
        """A service token with its vendor's prefix, of vendors the provider slots lack."""
        c, hx = self._chars, self.hex_
        return self.rng.choice(
            [
                "npm_" + c(_ALNUM, 36),
                "pypi-AgEIcHlwaS5vcmc" + c(_ALNUM + "-_", 60),
                "dop_v1_" + hx(64),
                "shpat_" + hx(32),
                "SG." + c(_ALNUM + "-_", 22) + "." + c(_ALNUM + "-_", 43),
                "hf_" + c(string.ascii_letters, 34),
                "dapi" + hx(32),
                "glsa_" + c(_ALNUM, 32) + "_" + hx(8),
                "secret_" + c(_ALNUM, 43),
                "lin_api_" + c(_ALNUM, 40),
                "sq0atp-" + c(_ALNUM + "-_", 22),
                "AGE-SECRET-KEY-1" + c("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L".upper(), 58),
                "ya29.a0" + c(_ALNUM + "-_", 100),
            ]
        )

    def random_password(self) -> str:
        """A generated password where a password goes (``-p``, ``PASS=``, ``password``): the
        shapes of a key, labelled a password because of where it stands."""
        return self.rng.choice([self.short_key, self.urlsafe_key, self.hex_key, self.b64_key])()

    def placeholder(self) -> str:
        """What stands for a secret in docs and templates: no secret."""
        return self.rng.choice(
            [
                "<YOUR_API_KEY>", "${API_KEY}", "${{ secrets.API_TOKEN }}", "****************",
                "xxxxxxxxxxxxxxxxxxxx", "changeme", "REPLACE_ME", "<redacted>", "[REDACTED]",
                "{{ .Values.db.password }}", "%DB_PASSWORD%", "$env:API_KEY", "your-api-key-here",
                "sk-...", "<token>", "$(cat /run/secrets/db_password)", "{{ vault_db_password }}",
                "os.environ['API_KEY']", "process.env.API_KEY", "None", "null", "''",
            ]
        )  # fmt: skip

    def docs_key(self) -> str:
        """A key printed in vendors' documentation as an example: public, no secret."""
        return self.rng.choice(
            [
                "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "AKIAI44QH8DHBEXAMPLE", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
                "sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                "xoxb-not-a-real-token-this-will-not-work", "0123456789abcdef0123456789abcdef",
            ]
        )  # fmt: skip

    def nonce(self) -> str:
        """A random value that protects nothing once seen: a CSP nonce, an OAuth ``state``,
        a cache buster, a trace or span id."""
        return self.rng.choice(
            [
                base64.b64encode(self.rng.randbytes(16)).decode(),
                self._chars(_ALNUM, self.rng.choice([16, 22, 32])),
                self.hex_(16),
                self.hex_(32),
            ]
        )

    # added for tuning7 (issue 14): a Kubernetes Secret's ``data:`` holds values base64-encoded

    def b64_token(self) -> str:
        """The base64 of a service token, as ``kubectl get secret -o yaml`` prints it."""
        return base64.b64encode(self.api_token().encode()).decode()

    def b64_password(self) -> str:
        """The base64 of a password a person picked, as a Secret's ``data:`` holds it."""
        return base64.b64encode(human_password(self.rng, self.faker).encode()).decode()

    # added for tuning9 (issue 14): a long token a mail client or terminal wrapped

    def wrapped_token(self) -> str:
        """A token too long for one line (base64 of 64 to 96 bytes), cut by a mail client
        or a terminal every 64 or 76 characters, its first cut earlier (the line began
        with its name)."""
        value = base64.b64encode(self.rng.randbytes(self.rng.choice([64, 72, 96]))).decode()
        width = self.rng.choice([64, 76])
        first = self.rng.randint(20, width - 10)
        lines = [value[:first]] + [value[i : i + width] for i in range(first, len(value), width)]
        return "\n".join(lines)

    # added for tuning10 (h146, issue 14): secrets by kind, values programs generate with no
    # vendor prefix (or a framework's own), and the public ids and docs values beside them

    def webhook_secret(self) -> str:
        """A webhook signing secret: Stripe's ``whsec_`` and 32 alphanumerics, Svix's
        ``whsec_`` and base64, or a random value the team generated (hex, url-safe)."""
        return self._one_of(
            [
                lambda: "whsec_" + self._chars(_ALNUM, 32),
                lambda: "whsec_" + base64.b64encode(self.rng.randbytes(24)).decode(),
                lambda: self.hex_(self.rng.choice([32, 64])),
                self.urlsafe_key,
            ]
        )

    def django_key(self) -> str:
        """Django's ``SECRET_KEY`` as ``startproject`` writes it: 50 characters of
        ``get_random_secret_key``'s alphabet, sometimes ``django-insecure-`` first."""
        value = self._chars(_DJANGO, 50)
        return "django-insecure-" + value if self.rng.random() < 0.3 else value

    def encryption_key(self) -> str:
        """A symmetric key: AES-128/256 in hex or base64, or a Fernet key (url-safe base64
        of 32 bytes, padded)."""
        raw = self.rng.randbytes(self.rng.choice([16, 32]))
        return self.rng.choice(
            [
                raw.hex(),
                base64.b64encode(raw).decode(),
                base64.urlsafe_b64encode(self.rng.randbytes(32)).decode(),
            ]
        )

    def client_secret(self) -> str:
        """An OAuth client secret: Google's ``GOCSPX-``, Entra ID's ``Q~`` secrets, or an
        identity provider's random 40 or 64 characters."""
        return self._one_of(
            [
                lambda: "GOCSPX-" + self._chars(_URLSAFE, 28),
                lambda: (
                    self._chars(_ALNUM, 3)
                    + str(self.rng.randint(1, 9))
                    + "Q~"
                    + self._chars(_ALNUM + "~._-", 34)
                ),
                lambda: self._chars(_ALNUM, 40),
                lambda: self._chars(_URLSAFE, 64),
            ]
        )

    def refresh_token(self) -> str:
        """An opaque OAuth refresh token: Google's ``1//0`` form or random url-safe text."""
        return self._one_of(
            [
                lambda: "1//0" + self._chars(_URLSAFE, self.rng.randint(90, 100)),
                lambda: self._chars(_ALNUM, self.rng.choice([48, 64])),
                self.urlsafe_key,
            ]
        )

    def session_cookie(self) -> str:
        """A session cookie's value: Django's ``sessionid``, PHP's ``PHPSESSID``, Express's
        signed ``s%3A`` form, a Flask signed cookie or a Rails encrypted one."""
        return self._one_of(
            [
                lambda: self._chars(string.ascii_lowercase + string.digits, 32),
                lambda: self._chars("abcdefghijklmnopqrstuv0123456789", 26),
                lambda: "s%3A" + self._chars(_URLSAFE, 32) + "." + self._chars(_ALNUM, 43),
                lambda: (
                    base64.urlsafe_b64encode(self.rng.randbytes(24)).rstrip(b"=").decode()
                    + "."
                    + self._chars(_URLSAFE, 6)
                    + "."
                    + self._chars(_URLSAFE, 27)
                ),
                lambda: base64.b64encode(self.rng.randbytes(60)).decode() + "--" + self.hex_(40),
            ]
        )

    def url_signature(self) -> str:
        """A signed URL's signature: SigV4's 64 hex digits, a SAS ``sig`` (base64 of 32
        bytes, percent-encoded) or CloudFront's base64 with ``-~_``."""
        return self._one_of(
            [
                lambda: self.hex_(64),
                lambda: urllib.parse.quote(
                    base64.b64encode(self.rng.randbytes(32)).decode(), safe=""
                ),
                lambda: (
                    base64.b64encode(self.rng.randbytes(128))
                    .decode()
                    .translate(str.maketrans("+=/", "-_~"))
                ),
            ]
        )

    def api_secret(self) -> str:
        """The secret half of a key pair (the id is public): Cloudinary's 27 url-safe
        characters, Mailjet's 32 hex digits, or 40 base64 characters."""
        return self._one_of(
            [
                lambda: self._chars(_URLSAFE, 27),
                lambda: self.hex_(32),
                lambda: self._chars(_ALNUM + "+/", 40),
            ]
        )

    def totp_secret(self) -> str:
        """A TOTP seed as an ``otpauth://`` URI carries it: base32, 16 or 32, no spaces."""
        return self._chars(string.ascii_uppercase + "234567", self.rng.choice([16, 32]))

    def key_id(self) -> str:
        """The public half of a key pair: Cloudinary's 15-digit key, a Twilio ``AC``/``SK``
        sid, an Algolia application id, a UUID or a short hex key id."""
        return self._one_of(
            [
                lambda: self._chars(string.digits, 15),
                lambda: self.rng.choice(["AC", "SK"]) + self.hex_(32),
                lambda: self._chars(string.ascii_uppercase + string.digits, 10),
                lambda: str(uuid.UUID(int=self.rng.getrandbits(128), version=4)),
                lambda: self.hex_(16),
            ]
        )

    def client_id(self) -> str:
        """An OAuth client id, public by design: Google's, Entra ID's GUID, a GitHub App's
        ``Iv1.``, a GitHub OAuth app's ``Ov23li`` or an identity provider's 32 characters."""
        return self._one_of(
            [
                lambda: (
                    f"{self._chars(string.digits, 12)}-"
                    f"{self._chars(string.ascii_lowercase + string.digits, 32)}"
                    ".apps.googleusercontent.com"
                ),
                lambda: str(uuid.UUID(int=self.rng.getrandbits(128), version=4)),
                lambda: "Iv1." + self.hex_(16),
                lambda: "Ov23li" + self._chars(_ALNUM, 14),
                lambda: self._chars(_ALNUM, 32),
            ]
        )

    def public_key(self) -> str:
        """A key that ships to browsers: a Stripe publishable key, a reCAPTCHA site key or
        a Web Push VAPID public key."""
        return self._one_of(
            [
                lambda: f"pk_{self.rng.choice(['live', 'test'])}_" + self._chars(_ALNUM, 99),
                lambda: "6L" + self._chars(_URLSAFE, 38),
                lambda: "B" + self._chars(_URLSAFE, 86),
            ]
        )

    def docs_secret(self) -> str:
        """A secret printed as an example in a standard or a vendor's docs: RFC 4226/6238's
        test seeds, RFC 4231's HMAC key, jwt.io's, Google Authenticator's sample seed."""
        return self.rng.choice(
            [
                "JBSWY3DPEHPK3PXP", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "12345678901234567890",
                "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "your-256-bit-secret",
                "whsec_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "django-insecure-CHANGE_ME",
            ]
        )  # fmt: skip

    def traceparent(self) -> str:
        """A W3C ``traceparent``: version, trace id, span id, flags."""
        return f"00-{self.hex_(32)}-{self.hex_(16)}-0{self.rng.choice('01')}"


def _valid_phone(faker: Faker, region: str) -> tuple[str, phonenumbers.PhoneNumber]:
    """The first number Faker writes that libphonenumber calls valid in ``region``: as
    written, and parsed."""
    for _ in range(200):
        raw = faker.phone_number()
        base = re.split(r"\s*(?:x|ext\.?)\s*\d+$", raw)[0]
        try:
            number = phonenumbers.parse(base, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return raw, number
    raise RuntimeError(f"Faker gave no valid {region} number in 200 draws")


def _national_variant(written: str, region: str, rng: random.Random) -> str:
    """Another way people of ``region`` write the national-format number ``written``."""
    digits = re.sub(r"\D", "", written)
    if region == "US":
        area, exchange, line = digits[:3], digits[3:6], digits[6:]
        return rng.choice([written, f"{area}-{exchange}-{line}", f"{area}.{exchange}.{line}"])
    if region == "FR" and rng.random() < 0.5:
        return written.replace(" ", ".")
    if region == "DE" and " " in written and rng.random() < 0.5:
        return written.replace(" ", "/", 1)
    if region == "NL" and " " in written and rng.random() < 0.5:
        return written.replace(" ", "-", 1)
    if region == "GB" and written.startswith("02") and rng.random() < 0.5:
        return f"({written[:3]}){written[3:]}"
    return written


def _made_phone(rng: random.Random, region: str) -> phonenumbers.PhoneNumber:
    """A valid number of ``region`` made from libphonenumber's example mobile or fixed-line
    number: its first two national digits kept (the network or area), the rest drawn."""
    kind = rng.choice(
        [phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE]
    )
    example = phonenumbers.example_number_for_type(region, kind)
    if example is None:
        raise KeyError(f"libphonenumber has no example number for {region}")
    national = str(example.national_number)
    # Malta's mobile numbers are valid in few ranges of "96": 2 % of the draws keeping two
    # digits; after 200 misses four are kept (no draw of earlier parts got that far)
    for kept in (2, 4):
        for _ in range(200):
            digits = national[:kept] + "".join(rng.choice(string.digits) for _ in national[kept:])
            number = phonenumbers.PhoneNumber(
                country_code=example.country_code, national_number=int(digits)
            )
            if phonenumbers.is_valid_number(number):
                return number
    raise RuntimeError(f"no valid {region} number made in 400 draws")


def _creditor_reference(context: Context) -> str:
    """An ISO 11649 structured creditor reference, as an invoice prints it (``RF18 5390
    0754 7034``): its check digits make it pass an IBAN-style mod-97 test, yet it names
    no account."""
    body = context._chars(string.digits + string.ascii_uppercase[:6], context.rng.randint(8, 16))
    numeric = "".join(str(int(ch, 36)) for ch in body + "RF00")
    value = f"RF{98 - int(numeric) % 97:02d}{body}"
    if context.rng.random() < 0.5:
        return " ".join(value[i : i + 4] for i in range(0, len(value), 4))
    return value


@functools.cache
def _sorted_cities(faker: Faker) -> list[str]:
    providers = [p for p in faker.providers if isinstance(getattr(p, "cities", None), list)]
    return sorted(providers[0].cities)


def _vendor(draw: Callable[[random.Random], str]) -> Callable[[Context], str]:
    return lambda c: draw(c.rng)


def _secret(kind: str) -> Callable[[Context], str]:
    return lambda c: c.secrets[kind]()


# added for tuning13 (h186): personal data as office staff paste it; values of a wider world
#: Locales whose Faker writes names of Latin script (or romanises them): names from many
#: cultures in one export, whatever the instance's own locale.
_WORLD_NAME_LOCALES = (
    "yo_NG", "ig_NG", "ha_NG", "tw_GH", "zu_ZA", "uz_UZ", "ga_IE", "vi_VN", "tr_TR",
    "en_IN", "es_MX", "pl_PL", "hu_HU", "ro_RO", "fr_FR", "de_DE", "ja_JP", "zh_CN",
)  # fmt: skip
#: Locales whose Faker writes IBANs of their own country (checked: pl..fa).
_WORLD_IBAN_LOCALES = (
    "pl_PL", "fi_FI", "no_NO", "ro_RO", "sk_SK", "nl_BE", "cs_CZ", "da_DK", "el_GR",
    "tr_TR", "en_IE", "az_AZ", "en_GB", "de_DE", "fr_FR", "nl_NL", "es_ES", "it_IT",
)  # fmt: skip
_COUNTRY_CODES = {"US": "1", "GB": "44", "DE": "49", "FR": "33", "NL": "31", "ES": "34",
                  "IT": "39", "IN": "91"}  # fmt: skip
_BICS = (
    "DEUTDEFF", "COBADEFFXXX", "BNPAFRPP", "INGBNL2A", "RABONL2U", "BSCHESMM", "CAIXESBBXXX",
    "UNCRITMM", "BCITITMM", "HSBCGB2L", "BARCGB22", "NWBKGB2L", "CHASUS33", "SBININBB",
    "HDFCINBB", "ABNANL2A", "SOGEFRPP", "DABADKKK", "NDEAFIHH", "PKOPPLPW",
)  # fmt: skip


@functools.cache
def _world_faker(locale: str) -> Faker:
    return Faker(locale)


def _seeded(context: Context, locale: str) -> Faker:
    """A Faker of ``locale`` seeded from the instance's generator (deterministic)."""
    faker = _world_faker(locale)
    faker.seed_instance(context.rng.getrandbits(32))
    return faker


def _world_person(context: Context) -> str:
    locale = context.rng.choice(_WORLD_NAME_LOCALES)
    faker = _seeded(context, locale)
    if locale in ("ja_JP", "zh_CN"):
        return str(faker.romanized_name())
    return f"{faker.first_name()} {faker.last_name()}"


def _world_first(context: Context) -> str:
    return str(_seeded(context, context.rng.choice(_WORLD_NAME_LOCALES)).first_name())


# added for heldout (h194): a name of another culture than the instance's, beside its own
def _census_first(context: Context) -> str:
    """A part with a second name source: a first name of the US Census lists (English
    names, foreign to the part's locales); any other part: a Faker world name."""
    if context.names is None:
        return _world_first(context)
    return census(f"dist.{context.rng.choice(['male', 'female'])}.first").draw(context.rng)


def _census_person(context: Context) -> str:
    if context.names is None:
        return _world_person(context)
    return f"{_census_first(context)} {last_names().draw(context.rng)}"


def _phone_ext(context: Context) -> str:
    """A US or British office number with an extension, as signatures and directories write
    it: national (``202.555.0147x311``, ``(020) 7946 0018 ext. 204``) or international
    (``+1 415-555-0199 x12``, ``+1-415-555-0199x12``)."""
    locale = context.rng.choice(["en_US", "en_GB"])
    region = PHONE_REGIONS[locale]
    number = _valid_phone(context.fakers[locale], region)[1]
    number.extension = None
    if context.rng.random() < 0.5:
        written = phonenumbers.format_number(number, _PHONE_FORMATS.NATIONAL)
        variant = _national_variant(written, region, context.rng)
        if phonenumbers.is_valid_number(phonenumbers.parse(variant, region)):
            written = variant
    else:
        written = phonenumbers.format_number(number, _PHONE_FORMATS.INTERNATIONAL)
        if region == "US" and context.rng.random() < 0.5:
            written = written.replace(" ", "-")
    extension = str(context.rng.randint(1, 9999))
    return written + context.rng.choice(
        [f"x{extension}", f" x{extension}", f" ext. {extension}", f" ext {extension}"]
    )


#: tuning15's locales whose Faker writes names in the locale's own script.
SCRIPT_NAME_LOCALES = ("hi_IN", "ta_IN", "ar_SA")


def _script_name(context: Context) -> tuple[str, str]:
    """A first and a last name from Faker's lists of the instance locale where they are
    of its own script; elsewhere (Latin-script locales) the part's own names."""
    if context.locale not in SCRIPT_NAME_LOCALES:
        return _plain_name(context)
    return context.faker.first_name(), context.faker.last_name()


def _script_person(context: Context) -> str:
    return " ".join(_script_name(context))


# added for tuning16 (h219): a credential read out on a call, as a transcriber writes it
_SPOKEN_DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_SPOKEN_MARKS = {
    "!": "exclamation mark", "#": "hash", "@": "at", "$": "dollar sign", "-": "dash",
    "_": "underscore", ".": "dot", "*": "star", "%": "percent", "&": "and sign",
    "?": "question mark", "+": "plus", "=": "equals", "/": "slash",
}  # fmt: skip


def _spelled_password(context: Context) -> str:
    """A password of up to 12 characters spelled out on a call, one character a word, as a
    transcriber writes it: ``capital k 7 m hash q``; the whole run is the password."""
    value = human_password(context.rng, context.us)
    if len(value) > 12 or not value.isascii():
        value = context._chars(_ALNUM, context.rng.randint(6, 10))
    capital = context.rng.choice(["capital", "big", "uppercase"])
    words = []
    for ch in value:
        if ch.isupper():
            words.append(f"{capital} {ch.lower()}")
        else:
            words.append(_SPOKEN_MARKS.get(ch, ch))
    return " ".join(words)


def _spoken_pin(context: Context) -> str:
    """A PIN or door code of 4 to 6 digits read out on a call: ``four seven oh one``."""
    digits = context._chars(string.digits, context.rng.choice([4, 4, 6]))
    zero = context.rng.choice(["zero", "oh"])
    return " ".join(zero if d == "0" else _SPOKEN_DIGITS[int(d)] for d in digits)


def _plain_name(context: Context) -> tuple[str, str]:
    """A first and a last name of the instance's locale, no title."""
    return context.first_name(), context.last_name()


def _luhn_complete(body: str) -> str:
    """``body`` with the Luhn check digit appended."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return body + str((10 - total % 10) % 10)


def _gs1_complete(body: str) -> str:
    """``body`` with the GS1 (EAN/GTIN/ISBN-13) check digit appended."""
    total = sum(int(ch) * (3 if i % 2 == 0 else 1) for i, ch in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


def _grouped(value: str, size: int = 4, sep: str = " ") -> str:
    return sep.join(value[i : i + size] for i in range(0, len(value), size))


def _made_iban(context: Context, country: str, length: int) -> str:
    """An IBAN of ``country`` with a random all-digit BBAN and valid check digits."""
    bban = context._chars(string.digits, length)
    numeric = "".join(str(int(ch, 36)) for ch in bban + country + "00")
    return f"{country}{98 - int(numeric) % 97:02d}{bban}"


def _world_iban(context: Context) -> str:
    return str(_seeded(context, context.rng.choice(_WORLD_IBAN_LOCALES)).iban())


def _iban_lower(context: Context) -> str:
    """An IBAN in lower case, grouped in fours or as one run."""
    forms: list[Callable[[str], str]] = [_grouped, str]
    return context.rng.choice(forms)(_world_iban(context)).lower()


def _iban_wrapped(context: Context) -> str:
    """A spaced IBAN a form or a PDF broke over two lines."""
    groups = _grouped(_world_iban(context)).split(" ")
    cut = context.rng.randint(2, len(groups) - 1)
    return " ".join(groups[:cut]) + "\n" + " ".join(groups[cut:])


def _card_grouped(context: Context, sep: str) -> str:
    """A card number as printed on the card: 4-4-4-4, or 4-6-5 for American Express."""
    number = context.us.credit_card_number(
        context.rng.choice(["visa16", "mastercard", "discover", "amex", "jcb16"])
    )
    if len(number) == 15:
        return sep.join((number[:4], number[4:10], number[10:]))
    return _grouped(number, 4, sep)


def _card_masked(context: Context) -> str:
    last4 = context._chars(string.digits, 4)
    bin6 = context.rng.choice(["411111", "545454", "401288", "371449", "601100", "522222"])
    return context.rng.choice(
        [
            f"**** **** **** {last4}", f"XXXX-XXXX-XXXX-{last4}", f"{bin6}******{last4}",
            f"•••• {last4}", f"ending in {last4}", f"xxxxxxxxxxxx{last4}", f"{bin6}XXXXXX{last4}",
        ]
    )  # fmt: skip


def _phone_00(context: Context) -> str:
    """A default region's number dialled from abroad with ``00`` (``001-`` from Europe to
    the US, as Faker's American numbers are written)."""
    locale = context.rng.choice(sorted(PHONE_REGIONS))
    region = PHONE_REGIONS[locale]
    number = _valid_phone(context.fakers[locale], region)[1]
    national = str(number.national_number)
    if region == "US":
        a, b, c = national[:3], national[3:6], national[6:]
        return context.rng.choice([f"001-{a}-{b}-{c}", f"001 {a} {b} {c}", f"001{national}"])
    written = phonenumbers.format_number(number, _PHONE_FORMATS.INTERNATIONAL)
    return "00" + written[1:] if context.rng.random() < 0.7 else "00" + written[1:].replace(" ", "")


def _phone_intl(context: Context) -> str:
    """A default region's number in international form, as an export writes it."""
    locale = context.rng.choice(sorted(PHONE_REGIONS))
    number = _valid_phone(context.fakers[locale], PHONE_REGIONS[locale])[1]
    fmt = context.rng.choice([_PHONE_FORMATS.INTERNATIONAL, _PHONE_FORMATS.E164])
    return phonenumbers.format_number(number, fmt)


def _imei(context: Context) -> str:
    return _luhn_complete(
        context.rng.choice(["35", "86", "01", "99"]) + context._chars(string.digits, 12)
    )


def _iccid(context: Context) -> str:
    """A SIM card's ICCID: 89, country and issuer, Luhn-checked (19 digits)."""
    return _luhn_complete(
        "89"
        + context.rng.choice(["44", "49", "33", "31", "01"])
        + context._chars(string.digits, 14)
    )


def _loyalty_no(context: Context) -> str:
    """A Luhn-checked membership/loyalty/customer number outside card issuers' ranges."""
    first = context.rng.choice("0789")
    return _luhn_complete(
        first + context._chars(string.digits, context.rng.choice([9, 11, 12, 15]))
    )


def _amount(context: Context) -> str:
    value = context.rng.uniform(5, 250_000)
    us = f"{value:,.2f}"
    eu = us.replace(",", " ").replace(".", ",").replace(" ", ".")
    return context.rng.choice(
        [f"${us}", f"{us} USD", f"€{eu}", f"{eu} €", f"£{us}", f"EUR {eu}", f"INR {us}", us]
    )


def _dotted_version(context: Context) -> str:
    """A four-part build or file version that reads like an IPv4 address."""
    r = context.rng.randint
    return context.rng.choice(
        [f"10.0.{r(10000, 22631)}.{r(1, 4000)}", f"{r(1, 16)}.{r(0, 9)}.{r(0, 99)}.{r(0, 255)}"]
    )


def _oid(context: Context) -> str:
    r = context.rng.randint
    return context.rng.choice(
        [
            f"1.3.6.1.4.1.{r(100, 60000)}.{r(1, 20)}.{r(1, 99)}",
            f"2.16.840.1.{r(100000, 114000)}.{r(1, 9)}.{r(1, 9)}",
            f"1.2.840.{r(10000, 113999)}.{r(1, 9)}.{r(1, 9)}",
        ]
    )


def _office_ref(context: Context, kind: str) -> str:
    """An invoice, customer, policy/member number or an ISO timestamp: no personal data."""
    rng, chars = context.rng, context._chars
    if kind == "invoice":
        prefix = rng.choice(["INV-", "RE-", "FA-", "F", "INV"])
        return f"{prefix}{rng.randint(2023, 2026)}-{chars(string.digits, 5)}"
    if kind == "customer":
        prefix = rng.choice(["CUST-", "KD", "C-", "", "ACC"])
        return prefix + chars(string.digits, rng.choice([6, 7, 8, 10]))
    if kind == "policy":
        prefix = rng.choice(["POL", "HX", "AXA-", "MBR"])
        return prefix + chars(string.digits + string.ascii_uppercase[:6], 9)
    suffix = rng.choice(["Z", "+00:00", ".000Z", "+01:00"])
    return context.date_time().split(".")[0].replace(" ", "T") + suffix


def _product_code(context: Context, kind: str) -> str:
    """An EAN-13, ISBN-13 or GTIN-14 with its check digit."""
    if kind == "ean":
        body = context.rng.choice(["40", "50", "76", "87", "84", "80"]) + context._chars(
            string.digits, 10
        )
    elif kind == "isbn":
        body = context.rng.choice(["978", "979"]) + context._chars(string.digits, 9)
    else:
        body = "1" + context._chars(string.digits, 12)
    return _gs1_complete(body)


def _role_mailbox(role: str) -> Callable[[Context], str]:
    """A role's mailbox (``noreply@``) at a drawn domain."""
    return lambda context: f"{role}@{context.faker.domain_name()}"


SLOTS: dict[str, Slot] = {
    # people
    **{name: Slot("PERSON", Context.person) for name in ("person", "name")},
    "name_male": Slot("PERSON", lambda c: c.person("male")),
    "name_female": Slot("PERSON", lambda c: c.person("female")),
    **{
        name: Slot("PERSON", Context.first_name)
        for name in ("first_name", "first_name_nonbinary")
    },
    "first_name_male": Slot("PERSON", lambda c: c.first_name("male")),
    "first_name_female": Slot("PERSON", lambda c: c.first_name("female")),
    **{
        name: Slot("PERSON", Context.last_name)
        for name in ("last_name", "last_name_male", "last_name_female")
    },
    # places
    "city": Slot("LOCATION", Context.city),
    "country": Slot("LOCATION", lambda c: c.faker.country()),
    "street_address": Slot("LOCATION", Context.street_address),
    "street_name": Slot("LOCATION", Context.street_name),
    "address": Slot("LOCATION", Context.address),
    # structured identifiers
    "email": Slot("EMAIL_ADDRESS", lambda c: c.faker.email()),
    "phone": Slot("PHONE_NUMBER", Context.phone),
    "phone_number": Slot("PHONE_NUMBER", Context.phone),
    "phone_national": Slot("PHONE_NUMBER", Context.national_phone),
    "card": Slot("CREDIT_CARD", Context.card),
    "credit_card_number": Slot("CREDIT_CARD", Context.card),
    "iban": Slot("IBAN_CODE", Context.iban),
    "ssn": Slot("US_SSN", lambda c: c.us.ssn()),
    "ip": Slot("IP_ADDRESS", Context.ip),
    "ip_address": Slot("IP_ADDRESS", Context.ip),
    "ipv4": Slot("IP_ADDRESS", lambda c: c.us.ipv4()),  # where a port follows
    # credentials
    "password": Slot("PASSWORD", lambda c: human_password(c.rng, c.faker)),
    "generic_secret": Slot("GENERIC_SECRET", _secret("GENERIC_SECRET")),
    "aws_key_id": Slot("AWS_ACCESS_KEY_ID", _secret("AWS_ACCESS_KEY_ID")),
    "aws_secret": Slot("AWS_SECRET_ACCESS_KEY", _secret("AWS_SECRET_ACCESS_KEY")),
    "github_token": Slot("GITHUB_TOKEN", _secret("GITHUB_TOKEN")),
    "openai_key": Slot("OPENAI_API_KEY", _secret("OPENAI_API_KEY")),
    "slack_token": Slot("SLACK_TOKEN", _secret("SLACK_TOKEN")),
    "stripe_key": Slot("STRIPE_API_KEY", _secret("STRIPE_API_KEY")),
    "jwt": Slot("JWT", _secret("JWT")),
    # added for tuning3: the provider kinds the labelled set draws and the slots lacked, and
    # service tokens in shapes other than random alphanumerics
    "anthropic_key": Slot("ANTHROPIC_API_KEY", _secret("ANTHROPIC_API_KEY")),
    "gitlab_token": Slot("GITLAB_TOKEN", _secret("GITLAB_TOKEN")),
    "google_api_key": Slot("GOOGLE_API_KEY", _secret("GOOGLE_API_KEY")),
    "slack_webhook": Slot("SLACK_WEBHOOK_URL", _secret("SLACK_WEBHOOK_URL")),
    "private_key": Slot("PRIVATE_KEY", _secret("PRIVATE_KEY")),
    "api_token": Slot("GENERIC_SECRET", Context.api_token),
    # neutral: neither labelled nor wrong to report
    **{
        name: Slot("neutral", lambda c: c.faker.company())
        for name in ("company", "organization")
    },
    # Faker's dates default to "until now": fixed ranges keep the set the same every day.
    "date": Slot("neutral", Context.date),
    "date_time": Slot("neutral", Context.date_time),
    "date_of_birth": Slot("neutral", Context.date_of_birth),
    "time": Slot("neutral", Context.time),
    "day_of_week": Slot("neutral", lambda c: c.faker.day_of_week()),
    "year": Slot("neutral", lambda c: str(c.rng.randint(1990, 2026))),
    "age": Slot("neutral", lambda c: str(c.rng.randint(18, 90))),
    "user_name": Slot("neutral", lambda c: c.faker.user_name()),
    "domain": Slot("neutral", lambda c: c.faker.domain_name()),
    "url": Slot("neutral", lambda c: c.faker.url()),
    "job": Slot("neutral", lambda c: c.faker.job()),
    "postcode": Slot("neutral", lambda c: c.faker.postcode()),
    "zipcode": Slot("neutral", lambda c: c.us.zipcode()),
    "building_number": Slot("neutral", lambda c: c.faker.building_number()),
    "secondary_address": Slot("neutral", lambda c: c.us.secondary_address()),
    "state_abbr": Slot("neutral", lambda c: c.us.state_abbr()),
    # en_NZ has no prefixes in Faker: written the New Zealand way (the other locales'
    # prefixes are never empty, so they draw as before)
    "prefix": Slot("neutral", lambda c: c.faker.prefix() or c.rng.choice(_NZ_PREFIXES)),
    "prefix_male": Slot("neutral", lambda c: c.faker.prefix_male() or "Mr"),
    "prefix_female": Slot("neutral", lambda c: c.faker.prefix_female() or "Ms"),
    "us_driver_license": Slot("neutral", lambda c: c.us.bothify("?#######").upper()),
    **{
        name: Slot("neutral", lambda c: c.rng.choice(["German", "French", "Dutch", "Indian"]))
        for name in ("nationality", "nation_woman", "nation_plural")
    },
    # technical content: a finding here is a false positive
    "int": Slot(None, lambda c: str(c.rng.randint(2, c.rng.choice([99, 99999])))),
    "float": Slot(None, Context.float_),
    "hex": Slot(None, Context.hex_),
    "git_sha": Slot(None, lambda c: c.hex_(40)),
    "short_sha": Slot(None, lambda c: c.hex_(7)),
    "pod": Slot(None, Context.pod),
    "uuid": Slot(None, lambda c: str(uuid.UUID(int=c.rng.getrandbits(128), version=4))),
    "version": Slot(
        None, lambda c: f"{c.rng.randint(0, 20)}.{c.rng.randint(0, 30)}.{c.rng.randint(0, 40)}"
    ),
    "ts": Slot(None, lambda c: str(c.rng.randint(1_300_000_000, 1_800_000_000))),
    "ts_ms": Slot(None, lambda c: str(c.rng.randint(1_300_000_000_000, 1_800_000_000_000))),
    "long_id": Slot(
        None, lambda c: str(c.rng.randint(10 ** c.rng.randint(11, 18), 10**19 - 1))
    ),
    "order_id": Slot(
        None,
        lambda c: c.rng.choice(
            [
                f"#{c.rng.randint(10**6, 10**9)}",
                f"ORD-{c.rng.randint(10**5, 10**7)}",
                f"{c.rng.choice(string.ascii_uppercase)}{c.rng.randint(10**8, 10**10)}",
            ]
        ),
    ),
    "day": Slot(None, lambda c: f"{c.rng.randint(1, 28):02d}"),
    "port": Slot(None, lambda c: str(c.rng.choice([22, 80, 443, 5432, 6379, 8080, 9090]))),
    # added for tuning3: random-looking values that are no secret
    "sha256": Slot(None, lambda c: c.hex_(64)),
    "md5": Slot(None, lambda c: c.hex_(32)),
    "request_id": Slot(None, Context.request_id),
    "b64_blob": Slot(None, Context.b64_blob),
    "sri": Slot(None, lambda c: "sha512-" + c.b64_blob(64)),
    "go_sum": Slot(None, lambda c: "h1:" + c.b64_blob(32)),
    "ssh_pubkey": Slot(
        None, lambda c: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + c.b64_blob(33)[1:]
    ),
    "bcrypt": Slot(
        None, lambda c: "$2b$12$" + "".join(c.rng.choice(_BCRYPT) for _ in range(53))
    ),
    # added for tuning4: credential shapes and their look-alikes
    "uuid_key": Slot("GENERIC_SECRET", Context.uuid_key),
    "hex_key": Slot("GENERIC_SECRET", Context.hex_key),
    "b64_key": Slot("GENERIC_SECRET", Context.b64_key),
    "urlsafe_key": Slot("GENERIC_SECRET", Context.urlsafe_key),
    "letters_key": Slot("GENERIC_SECRET", Context.letters_key),
    "short_key": Slot("GENERIC_SECRET", Context.short_key),
    "otp_seed": Slot("GENERIC_SECRET", Context.otp_seed),
    # the base64 of "user:password" is the password, encoded (the project's convention)
    "basic_auth": Slot("PASSWORD", Context.basic_auth),
    "vendor_token": Slot("GENERIC_SECRET", Context.vendor_token),
    "wg_private_key": Slot("GENERIC_SECRET", lambda c: c.b64_blob(32)),
    "passphrase": Slot("PASSWORD", Context.passphrase),
    "random_password": Slot("PASSWORD", Context.random_password),
    "uuid_password": Slot("PASSWORD", Context.uuid_key),  # a UUID key where a password goes
    # a vendor's token where a password goes (.pypirc): the place decides, as for any value
    "vendor_password": Slot("PASSWORD", Context.vendor_token),
    # a registry login's "auth" (~/.docker/config.json): a token there, whatever it encodes
    "registry_auth": Slot("GENERIC_SECRET", Context.basic_auth),
    "pin": Slot("PASSWORD", Context.pin),
    "symbol_password": Slot("PASSWORD", Context.symbol_password),
    "placeholder": Slot(None, Context.placeholder),
    "docs_key": Slot(None, Context.docs_key),
    "nonce": Slot(None, Context.nonce),
    "wg_public_key": Slot(None, lambda c: c.b64_blob(32)),
    # added for tuning7: values as machine output prints them
    "b64_token": Slot("GENERIC_SECRET", Context.b64_token),
    "b64_password": Slot("PASSWORD", Context.b64_password),
    "last4": Slot(None, lambda c: c._chars(_ALNUM, 4)),
    "tool": Slot(None, lambda c: c.rng.choice(c.tools)),
    "tool_lower": Slot(None, lambda c: c.rng.choice(c.tools).lower().replace(" ", "-")),
    # added for tuning8 (h115): office values. A recovery/backup code is typed where a
    # password goes, once: PASSWORD. A licence/product key is a vendor-issued key: a token.
    "recovery_code": Slot(
        "PASSWORD",
        lambda c: c.rng.choice(
            [
                f"{c._chars(_HEX, 5)}-{c._chars(_HEX, 5)}",
                f"{c._chars(string.digits, 4)} {c._chars(string.digits, 4)}",
                "-".join(c._chars(string.ascii_lowercase + string.digits, 4) for _ in "ab"),
            ]
        ),
    ),
    "licence_key": Slot(
        "GENERIC_SECRET",
        lambda c: "-".join(
            c._chars(string.ascii_uppercase + string.digits, n)
            for n in c.rng.choice([(5,) * 5, (4,) * 4, (6,) * 4, (4,) * 5])
        ),
    ),
    # a gift card's claim code spends money but opens no account: neither labelled nor wrong
    "gift_card": Slot("neutral", lambda c: "-".join(c._chars(_CROCKFORD, 4) for _ in range(4))),
    # reference numbers of office work: no secret
    "booking_ref": Slot(None, lambda c: c._chars(_CROCKFORD[10:], 6)),
    "tracking_no": Slot(
        None,
        lambda c: c.rng.choice(
            [
                "1Z" + c._chars(string.ascii_uppercase + string.digits, 16),
                c._chars(string.digits, 12),
                c._chars(string.ascii_uppercase, 2) + c._chars(string.digits, 9) + "GB",
            ]
        ),
    ),
    "serial_no": Slot(None, lambda c: c._chars(_CROCKFORD, c.rng.choice([10, 12]))),
    "promo_code": Slot(
        None,
        lambda c: c.rng.choice(["SPRING", "WELCOME", "SAVE", "BLACKFRIDAY", "STAFF", "VIP"])
        + str(c.rng.choice([10, 15, 20, 25, 50])),
    ),
    "case_no": Slot(
        None,
        lambda c: c.rng.choice(["INC", "REQ", "CS", "TKT", "CHG", "RITM"])
        + c._chars(string.digits, c.rng.choice([6, 7, 8])),
    ),
    "po_number": Slot(
        None, lambda c: f"PO-{c.rng.randint(2024, 2026)}-{c._chars(string.digits, 5)}"
    ),
    # added for tuning9 (h124): values after the layer they were pasted through encoded them;
    # the encoded value is still the credential or the address, and labelled as such
    "url_password": Slot(
        "PASSWORD", lambda c: urllib.parse.quote_plus(c.symbol_password())
    ),  # a form body or query string
    "url_email": Slot("EMAIL_ADDRESS", lambda c: urllib.parse.quote(c.faker.email(), safe="")),
    "html_password": Slot(
        "PASSWORD", lambda c: html.escape(c.symbol_password().replace("+=", "&"))
    ),  # an HTML page or an XML attribute
    "wrapped_token": Slot("GENERIC_SECRET", Context.wrapped_token),
    # added for tuning10 (h146): secrets by kind, generated by programs for programs
    # (GENERIC_SECRET); the public ids and docs values beside them are fillers
    "webhook_secret": Slot("GENERIC_SECRET", Context.webhook_secret),
    "django_key": Slot("GENERIC_SECRET", Context.django_key),
    "rails_secret": Slot("GENERIC_SECRET", lambda c: c.hex_(128)),
    "laravel_key": Slot("GENERIC_SECRET", lambda c: c.b64_blob(32)),  # after "base64:"
    "encryption_key": Slot("GENERIC_SECRET", Context.encryption_key),
    "client_secret": Slot("GENERIC_SECRET", Context.client_secret),
    "refresh_token": Slot("GENERIC_SECRET", Context.refresh_token),
    "session_cookie": Slot("GENERIC_SECRET", Context.session_cookie),
    "url_signature": Slot("GENERIC_SECRET", Context.url_signature),
    "api_secret": Slot("GENERIC_SECRET", Context.api_secret),
    "totp_secret": Slot("GENERIC_SECRET", Context.totp_secret),
    "key_id": Slot(None, Context.key_id),
    "client_id": Slot(None, Context.client_id),
    "public_key": Slot(None, Context.public_key),
    "docs_secret": Slot(None, Context.docs_secret),
    "traceparent": Slot(None, Context.traceparent),
    "sha1": Slot(None, lambda c: c.hex_(40)),
    # added for tuning11 (h160): reference numbers of European office work that look like an
    # IBAN or a secret and are neither: an ISO 11649 creditor reference (RF, two check
    # digits, up to 21 characters; mod 97 like an IBAN) and an EU VAT number
    "creditor_ref": Slot(None, _creditor_reference),
    "vat_id": Slot(
        None,
        lambda c: c.rng.choice(["DE", "ATU", "FR", "NL", "IT", "ES", "PL", "SE"])
        + c._chars(string.digits, c.rng.choice([9, 11])),
    ),
    # a carriage return: Windows line endings (a template file's lines cannot hold one)
    "cr": Slot(None, lambda c: "\r"),
    # added for tuning12 (h174): vendors' keys in the formats they issue, and the public
    # values vendors print beside them (evalset.vendor_keys)
    **{f"vkey_{name}": Slot(label, _vendor(draw)) for name, (label, draw) in SECRETS.items()},
    **{f"vpub_{name}": Slot(None, _vendor(draw)) for name, draw in PUBLIC.items()},
    # the same keys where a password goes (.netrc, -p, a password property): the place decides
    **{f"vpass_{name}": Slot("PASSWORD", _vendor(draw)) for name, (_, draw) in SECRETS.items()},
    # a role mailbox at a drawn domain (the same draw as {{domain}}): an address all the same
    **{
        f"{role}_mailbox": Slot("EMAIL_ADDRESS", _role_mailbox(role))
        for role in ("noreply", "devops", "shop")
    },
    # added for tuning13 (h186): personal data as office staff paste it, and the reference
    # numbers, masked values and product codes beside it in the same documents
    "world_person": Slot("PERSON", _world_person),
    "world_first": Slot("PERSON", _world_first),
    "person_reversed": Slot("PERSON", lambda c: "{1}, {0}".format(*_plain_name(c))),
    "person_upper": Slot("PERSON", lambda c: " ".join(_plain_name(c)).upper()),
    "person_lower": Slot("PERSON", lambda c: " ".join(_plain_name(c)).lower()),
    "last_upper": Slot("PERSON", lambda c: c.last_name().upper()),
    "iban_world": Slot("IBAN_CODE", _world_iban),
    "iban_spaced": Slot("IBAN_CODE", lambda c: _grouped(_world_iban(c))),
    "iban_lower": Slot("IBAN_CODE", _iban_lower),
    "iban_wrapped": Slot("IBAN_CODE", _iban_wrapped),
    "card_spaced": Slot("CREDIT_CARD", lambda c: _card_grouped(c, " ")),
    "card_dashed": Slot("CREDIT_CARD", lambda c: _card_grouped(c, "-")),
    "ssn_plain": Slot("US_SSN", lambda c: c.us.ssn().replace("-", "")),
    "ssn_spaced": Slot("US_SSN", lambda c: c.us.ssn().replace("-", " ")),
    "phone_00": Slot("PHONE_NUMBER", _phone_00),
    "phone_intl": Slot("PHONE_NUMBER", _phone_intl),
    "ipv6": Slot("IP_ADDRESS", lambda c: str(c.us.ipv6())),
    "ipv4_public": Slot("IP_ADDRESS", lambda c: str(c.us.ipv4_public())),
    "card_masked": Slot(None, _card_masked),
    "imei": Slot(None, _imei),
    "iccid": Slot(None, _iccid),
    "loyalty_no": Slot(None, _loyalty_no),
    "ean13": Slot(None, lambda c: _product_code(c, "ean")),
    "isbn13": Slot(None, lambda c: _product_code(c, "isbn")),
    "gtin14": Slot(None, lambda c: _product_code(c, "gtin")),
    "bic": Slot(None, lambda c: c.rng.choice(_BICS)),
    "ein": Slot(None, lambda c: f"{c.rng.randint(10, 99)}-{c._chars(string.digits, 7)}"),
    "sort_code": Slot(None, lambda c: "-".join(c._chars(string.digits, 2) for _ in "abc")),
    "account_no": Slot("neutral", lambda c: c._chars(string.digits, c.rng.choice([8, 10]))),
    "invoice_no": Slot(None, lambda c: _office_ref(c, "invoice")),
    "customer_no": Slot(None, lambda c: _office_ref(c, "customer")),
    "policy_no": Slot(None, lambda c: _office_ref(c, "policy")),
    "amount": Slot(None, _amount),
    "dotted_version": Slot(None, _dotted_version),
    "oid": Slot(None, _oid),
    "mac": Slot(None, lambda c: ":".join(c.hex_(2) for _ in range(6))),
    "iso_ts": Slot(None, lambda c: _office_ref(c, "timestamp")),
    # added for heldout (h192): the part's own locales' numbers as written at home
    "phone_local": Slot("PHONE_NUMBER", Context.local_phone),
    # added for heldout (h194): a colleague or customer of another culture (census names)
    "census_person": Slot("PERSON", _census_person),
    "census_first": Slot("PERSON", _census_first),
    # a US or British office number with its extension (national or international form)
    "phone_ext": Slot("PHONE_NUMBER", _phone_ext),
    # added for tuning15 (h209): a name as the locale's own script writes it (Faker's lists:
    # Devanagari, Tamil, Arabic), beside the second source's romanised ones
    "script_person": Slot("PERSON", _script_person),
    "script_first": Slot("PERSON", lambda c: _script_name(c)[0]),
    # added for tuning16 (h219): transcripts of calls and meetings write no capitals and
    # spell what is read out
    "first_lower": Slot("PERSON", lambda c: c.first_name().lower()),
    "spelled_password": Slot("PASSWORD", _spelled_password),
    "spoken_pin": Slot("PASSWORD", _spoken_pin),
}  # fmt: skip


def fill(template: str, context: Context, group: str) -> Sample:
    """The template with every placeholder drawn from ``context``, spans labelled."""
    builder = Builder()
    position = 0
    last: tuple[Slot, str] | None = None
    for match in PLACEHOLDER.finditer(template):
        builder.text(template[position : match.start()])
        if match.group(1) == AGAIN and last is not None:
            slot, value = last  # a program printing the same value twice
        else:
            found = SLOTS.get(match.group(1))
            if found is None:
                raise KeyError(f"unknown placeholder {match.group(0)} in template of {group}")
            slot, value = found, found.draw(context)
        last = slot, value
        if slot.label is None:
            builder.text(value)
        elif slot.label == "neutral":
            builder.neutral(value)
        else:
            builder.entity(slot.label, value)
        position = match.end()
    builder.text(template[position:])
    sample = builder.build(group)
    return sample if sample.spans else Sample(sample.text, (), f"negative:{group}", sample.neutral)
