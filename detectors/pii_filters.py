"""Which of Presidio's results on a text are noise (see ``bench/eval_detectors.py``).

Pattern matches glued to a larger identifier (the numeric tail of an order id), pattern
matches shadowed by a longer or validated match of another type, NER spans that cannot be
a name or a place, and texts in which no NER span could be one.
"""

from __future__ import annotations

import ipaddress
import re

from core.scanning import Finding
from detectors.ner_lexicon import normalise, shipped_lexicon
from detectors.ner_words import georgian

# Pattern findings on these types are dropped when glued to a larger identifier
# ("INV-2024-000123", "order #4529-8812-3301", "build-20240115"): phonenumbers and the
# SSN/card regexes otherwise match the numeric tail of ticket, order and build ids.
GLUE_SENSITIVE = frozenset(
    {
        "PHONE_NUMBER",
        "US_SSN",
        "US_ITIN",
        "US_PASSPORT",
        "US_BANK_NUMBER",
        "US_DRIVER_LICENSE",
        "UK_NHS",
        "CREDIT_CARD",
    }
)
_JOINERS = "-_/"
# A contact label joined after a number names it, it does not make the number part of an
# identifier: "2728062650-Office", "+1-408-843-6646x535-Fax" (presidio-evaluator's cards).
_CONTACT_LABEL = re.compile(r"(?:office|fax|home|mobile|cell|work|direct|desk)\b", re.I)


# A label glued to its value by "#" names it, as "ssn#613688216" or "tel#2125551234" do;
# any other word before a "#" ("order#", "ticket#", "class#") makes an identifier of it.
_HASH_LABELS = {
    "US_SSN": re.compile(r"(?<![^\W_])(?:ssn|ss|social[ _-]?security)#\Z", re.I),
    "CREDIT_CARD": re.compile(r"(?<![^\W_])(?:card|cc|visa|amex|mastercard)#\Z", re.I),
    "PHONE_NUMBER": re.compile(r"(?<![^\W_])(?:tel|ph|phone|mobile|mob|cell|fax)#\Z", re.I),
}
_HASH_LABEL_CHARS = 20


def glued(text: str, start: int, end: int, entity: str | None = None) -> bool:
    """True if ``text[start:end]`` is the tail or head of a longer identifier. With the
    finding's ``entity``, a "#" glued before it after a label naming that type
    (``_HASH_LABELS``) does not count."""
    before = text[start - 1] if start > 0 else " "
    before2 = text[start - 2] if start > 1 else " "
    after = text[end] if end < len(text) else " "
    after2 = text[end + 1] if end + 1 < len(text) else " "
    label = _HASH_LABELS.get(entity or "")
    return (
        before.isalnum()
        or (
            before == "#"
            and not (label and label.search(text, max(0, start - _HASH_LABEL_CHARS), start))
        )
        or (before == ":" and before2.isdigit())  # a clock time's seconds: "15:28:51 2010"
        or (before in _JOINERS and before2.isalnum())
        or after.isalnum()
        or (after in _JOINERS and after2.isalnum() and not _CONTACT_LABEL.match(text, end + 1))
    )


# Characters a person's or place's name can contain besides letters and spaces.
_NAME_PUNCTUATION = frozenset(".,'’-()&")


def ner_plausible(value: str) -> bool:
    """False for NER spans that cannot be a name or place.

    The small English model tags hashes, UUIDs, ticket ids, version pins and lowercase
    tool names ("node") as PERSON/LOCATION. Names contain a letter, no digits or symbols
    such as ``:=/_@#``, no chunk written as a token (:func:`token_shaped`), and in cased
    scripts at least one capital letter.
    """
    if any(ch.isdigit() for ch in value) or not value[:1].isalpha():
        return False  # no name opens with a dot or a quote (".exit Exit")
    if any(not (ch.isalpha() or ch.isspace() or ch in _NAME_PUNCTUATION) for ch in value):
        return False
    if "\n" in value:
        return False
    if written_as_token(value):
        return False
    cased = any(ch.isupper() or (ch.islower() and not georgian(ch)) for ch in value)
    return not cased or any(ch.isupper() for ch in value)


# What the model reads into a name's span at its edges: blanks, and an arrow or a label's
# colon after it ("Thalente Phethela -> 3442 ...", "Ann Lee: owner").
_EDGE_NOISE = " \t\r-–—>:=|;,"


def ner_lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The parts of an NER span ``text[start:end]`` that may be names: its lines, their
    edges' blanks and arrows cut off. The model runs lines of a list into one span ("Isaac
    Hernandez\nAlbert Krekora", "Adeyi Awolowo\nMobile"); a name never crosses a line, and
    each line is judged alone (:func:`ner_plausible`, the NER filter)."""
    parts: list[tuple[int, int]] = []
    at = start
    for line in text[start:end].split("\n"):
        stripped = line.rstrip(_EDGE_NOISE)
        lead = len(stripped) - len(stripped.lstrip())
        if stripped.strip():
            parts.append((at + lead, at + len(stripped)))
        at += len(line) + 1
    return parts


# Where a span splits into the chunks a token is written in ("glpat-XXXX-XXXX", "Ann Lee").
_CHUNK_SEPARATORS = re.compile(r"[\s\-.'’]+")
# Filler of a placeholder or a redaction: one letter four times ("XXXXXXXX", "xxxx").
_FILLER = re.compile(r"([a-z])\1{3}", re.I)
# Letters that carry a syllable in the Latin-script names NER meets: y and w too, for
# Welsh names and places ("Bwlch", "Llwyd").
_VOWELS = frozenset("aeiouyw")


def written_as_token(value: str) -> bool:
    """Whether a chunk of ``value`` is :func:`token_shaped`."""
    return any(token_shaped(chunk) for chunk in _CHUNK_SEPARATORS.split(value))


def token_shaped(chunk: str) -> bool:
    """Whether a chunk of an NER span is written as a token or its placeholder, never a
    name or place: a letter four times in a row ("glpat-XXXXXXXX-XXXXXXXX", "HRKU-AAxxxx"),
    or five or more ASCII letters with no vowel that are no acronym in capitals ("Zxcvbnm",
    "Bcdfgh"; not "NSPCC"). No syllable, no name: spaCy's small model reads the shape of a
    capitalised word after "owner:" or "api_token:" and calls it a PERSON. Names of other
    scripts, and Latin letters beyond ASCII, are left alone (a diacritic marks a vowel)."""
    if _FILLER.search(chunk):
        return True
    return (
        len(chunk) >= 5
        and chunk.isascii()
        and chunk.isalpha()
        and not chunk.isupper()
        and _VOWELS.isdisjoint(chunk.lower())
    )


# Words after which a dotted quad is a release, not an address (after a product's name,
# see _product_release).
# Not after "/": a Windows-style option names the host ("xfreerdp /v:10.0.0.5", "mstsc /v:").
# A device's or a program's firmware, BIOS, driver or software is versioned the same way
# ("POS terminals run firmware 13.9.25.175", "{"fw":"6.6.96.162"}"); "version is" and
# "version was" introduce a version too. So is a program's: "the payment app 11.0.40.129",
# "our accounting add-on is 16.7.16.47", "the agent is 4.9.75.213".
_VERSION_CUE = re.compile(
    r"(?:(?<!/)\b(?:v|ver|version|versions|release|released|rel|changes[ \t]+in|"
    r"bump(?:ed)?[ \t]+to|upgraded?[ \t]+to|updated?[ \t]+to|tag|tagged|build|patchlevel|"
    r"firmware|fw|bios|software|drivers?|app|application|add-?on|plug-?in|extension|sdk|"
    r"agent(?=[ \t]+(?:is|was)))"
    r"(?:[ \t]+(?:is|was))?[\"']?[.:=]?[ \t]*[\"']?)\Z",
    re.I,
)
# Words after which a dotted quad numbers a part of a document ("Section 2.4.1.1", "§ 3.2.1.4")
# or an object ("OID 2.5.29.17").
_NUMBERING_CUE = re.compile(
    r"(?:\b(?:sections?|sect|sec|clauses?|chapters?|paragraphs?|para|annex|appendix|articles?|"
    r"art|figures?|fig|tables?|items?|steps?|requirements?|req|rules?|oids?|arcs?)\.?|§§?)"
    r"[ \t]*\Z",
    re.I,
)
# Of those, the words that number only parts of a document or objects, never hosts, whatever
# the numbers' size ("Section 12.3.4.1", "OID 2.16.840.1"), unlike "rule" or "table".
_DOCUMENT_CUE = re.compile(
    r"(?:\b(?:sections?|clauses?|chapters?|paragraphs?|annex|appendix|oids?)\.?|§§?)[ \t]*\Z",
    re.I,
)
# A numbered heading: a dotted quad opening a line or a quotation, then a capitalised word of
# a title ("2.4.1.1 Overview", "3.2.1.4. The Receiver shall ...").
_HEADING_BEFORE = re.compile(r"(?:\A|\n|[\"“‘'])[ \t]*\Z")
_HEADING_AFTER = re.compile(r"\.?[ \t]+[A-Z][a-z]")
# The word right before the quad: a product's name ("doxygen 1.8.1.2", "XFree86 4.3.0.1").
_NAME_BEFORE = re.compile(r"([A-Za-z][\w+-]*)[ \t]+\Z")
_QUAD = re.compile(r"(\d+)\.(\d+)\.(\d+)\.(\d+)")
_GLUED_NUMBER = re.compile(r"[A-Za-z]\d+\Z")  # "XFree86", "Win32"


# A dotted quad listed right before another ("4.2.1.3 and 4.2.1.4", "2.4.1.1, 2.4.1.2"),
# with the words that tell what the first one is between them at most.
_SIBLING_BEFORE = re.compile(
    r"(?<![\d.])(\d+\.\d+\.\d+\.\d+)(?![\d.]\d)[^\n\d]{0,64}?"
    r"(?:,|\band\b|\bor\b|\bto\b|–|&)[ \t]*\Z"
)


def not_an_address(text: str, start: int, end: int, *, depth: int = 0) -> bool:
    """True if the IP_ADDRESS match ``text[start:end]`` is something else: an IPv6 shape
    without a digit (Perl's "B::CC", C++'s "a::b"); a dotted quad after a word that makes it
    a version ("version 1.2.7.2", "Changes in 4.3.99.16", "v1.8.1.2"), a part of a document
    ("Section 2.4.1.1") or an object identifier ("OID 2.5.29.17"), or one listed after such a
    quad ("Chapter 4.2.1.3 ... and 4.2.1.4"; ``depth``: quads read back so far); a numbered
    heading ("2.4.1.1 Overview"); four numbers of a longer dotted run (an OID "1.3.6.1.4.1.311", a
    build "10.0.19041.1"); or an address that names no host (:func:`names_no_host`)."""
    value = text[start:end]
    if ":" in value and not any(ch.isdigit() for ch in value):
        return True
    if names_no_host(value):
        return True
    if "." not in value:
        return False
    if _longer_dotted_run(text, start, end):
        return True
    before = text[max(0, start - 24) : start]
    if _VERSION_CUE.search(before):
        return True
    if _DOCUMENT_CUE.search(before):
        return True  # "Section 12.3.4.1 of the contract": a part of a document, any numbers
    sibling = _SIBLING_BEFORE.search(text, max(0, start - 90), start)
    if (
        sibling is not None
        and depth < 3
        and not_an_address(text, sibling.start(1), sibling.end(1), depth=depth + 1)
    ):
        return True  # "Chapter 4.2.1.3 ... and 4.2.1.4": listed with one that is no address
    if not _small_numbers(value):
        return False  # "firewall rule 10.0.0.5", "routing table 192.168.1.1": hosts
    return (
        bool(_NUMBERING_CUE.search(before))
        or _heading_number(text, start, end)
        or _product_release(before)
    )


def _small_numbers(value: str) -> bool:
    """Whether the quad reads as a release or section number: a first number below 10, the
    others below 100 ("4.3.99.16"), unlike most hosts ("10.0.0.5", "192.168.1.7")."""
    quad = _QUAD.fullmatch(value)
    if quad is None:
        return False  # an IPv6 shape, or a network ("2.4.1.0/28"): no release has a prefix
    numbers = [int(part) for part in quad.groups()]
    return numbers[0] < 10 and all(n < 100 for n in numbers)


def _product_release(before: str) -> bool:
    """Whether the word before the quad names a product: a technology name or a word glued
    to a number ("doxygen 1.8.1.2", "XFree86 4.3.0.1")."""
    word = _NAME_BEFORE.search(before)
    if word is None:
        return False
    name = word.group(1)
    return bool(_GLUED_NUMBER.search(name)) or shipped_lexicon().is_tech(normalise(name))


def names_no_host(value: str) -> bool:
    """Whether the address names no host, so that reporting it tells a reader nothing.

    Decision (issue 14): these are not IP_ADDRESS findings, because they identify no machine
    and no network, and they fill configuration and troubleshooting prose ("listens on
    0.0.0.0:8080", "dial tcp 127.0.0.1:6443", "netmask 255.255.255.0"), where a finding on
    every Kubernetes question would bury the ones that matter in the dashboards:

    * the unspecified address and its network (``0.0.0.0/8``, ``::``): "any address", a bind
      address or a wildcard mask ("0.0.0.255");
    * loopback (``127.0.0.0/8``, ``::1``): the machine itself, whoever runs the text;
    * the limited broadcast ``255.255.255.255`` and netmasks (ones, then zeros: 255.255.255.0,
      255.255.240.0).

    Private addresses (10/8, 172.16/12, 192.168/16, link-local) stay findings: they map an
    internal network, which a security team wants to know was sent.
    """
    try:
        address = ipaddress.ip_address(value.split("/", 1)[0])  # "0.0.0.0/0": any address
    except ValueError:
        return False
    if address.is_loopback or address.is_unspecified:
        return True
    if address.version != 4:
        return False
    number = int(address)
    if number >> 24 == 0:
        return True  # 0.0.0.0/8: "this network", never a host; wildcard masks
    zeros = ~number & 0xFFFFFFFF
    return number >> 24 == 255 and zeros & (zeros + 1) == 0  # a netmask, or the broadcast


def _longer_dotted_run(text: str, start: int, end: int) -> bool:
    """Whether a digit follows a dot right after the quad or precedes one right before it."""
    after = text[end : end + 2]
    before = text[max(0, start - 2) : start]
    return (len(after) == 2 and after[0] == "." and after[1].isdigit()) or (
        len(before) == 2 and before[1] == "." and before[0].isdigit()
    )


def _heading_number(text: str, start: int, end: int) -> bool:
    """Whether the quad (small numbers) numbers a heading: it opens a line or a quotation and
    a title follows (not "10.0.0.5 Gateway" in a hosts file: see _small_numbers)."""
    return bool(
        _HEADING_BEFORE.search(text[max(0, start - 8) : start]) and _HEADING_AFTER.match(text, end)
    )


# What opens an e-mail match that is not the address: a form body's or query's earlier
# parameters ("grant_type=password&username=ann@corp.io"), then the parameter's or an
# environment entry's name ("username=", "ADMIN_EMAIL="). RFC 5322 lets a local part hold
# "&", "?" and "=", so Presidio's pattern takes them in; addresses that use them are rare, and
# the one common kind, a sender-rewriting bounce ("SRS0=HHH=TT=example.com=ann@fwd.io"), keeps
# its "="s.
_QUERY_HEAD = re.compile(r"[^@]*[&?]")
_KEY_HEAD = re.compile(r"(?!(?i:srs[01])=)[A-Za-z_][\w.-]{0,63}=(?=[^@=]+@)")


def email_start(text: str, start: int, end: int) -> int:
    """Where the address in the e-mail match ``text[start:end]`` starts: after a form body's
    earlier parameters and the name of its own (see ``_QUERY_HEAD``), else at ``start``."""
    at = text.find("@", start, end)
    if at < 0:
        return start
    head = _QUERY_HEAD.match(text, start, at)
    first = head.end() if head is not None else start
    key = _KEY_HEAD.match(text, first, end)
    first = key.end() if key is not None else first
    return first if first < at else start


def may_name(text: str) -> bool:
    """False if every NER span in ``text`` would fail :func:`ner_plausible`: its letters
    are all lower-case (casual prompts, code), so NER need not run on it."""
    if text != text.lower():
        return True
    return not text.isascii() and any(
        ch.isalpha() and (not ch.islower() or georgian(ch)) for ch in text
    )


def drop_shadowed(findings: list[Finding]) -> list[Finding]:
    """Drop a pattern finding inside a longer or higher-scoring one of another type.

    e.g. a Luhn-valid run of digits inside an IBAN, a phone-shaped SSN or IPv4 address,
    the digits of an e-mail address.
    """
    return [
        f
        for f in findings
        if not any(
            g.entity_type != f.entity_type
            and g.start <= f.start
            and f.end <= g.end
            and (g.end - g.start > f.end - f.start or g.score > f.score)
            for g in findings
        )
    ]


# Commands whose ``user@host`` argument is a login on a remote machine, not a mailbox: the
# ssh family, and git's commands that take a remote ("git clone deploy@git.corp.io:app").
_LOGIN_COMMANDS = frozenset(
    {"ssh", "scp", "sftp", "rsync", "mosh", "autossh", "sshfs", "slogin", "rlogin", "ssh-copy-id"}
)
_GIT_REMOTE_COMMANDS = frozenset({"clone", "fetch", "pull", "push", "ls-remote"})
# Every command above contains one of these: a line without any has no login (a fast check).
_LOGIN_HINTS = ("ssh", "scp", "sftp", "rsync", "mosh", "login", "git")
# What may open a command word: a shell's or markdown's delimiter ("`ssh", "$(ssh", "&&ssh").
_COMMAND_OPENERS = "`'\"(;|&$"
# A local path among a command's arguments ("scp dump.sql", "rsync -a ./dist/").
_PATH_CHARS = frozenset("./~*")
_LOGIN_LOOKBEHIND = 256
# An option with its value after "=", the address being the value ("-oProxyJump=", "-J=").
_OPTION_VALUE = re.compile(r"(?:\A|\s)-[\w-]*=\Z")
_OPTION_NAME = re.compile(r"([\w-]+)=[^\s=@]+@")
# Prose after a login command, before where it logs in ("ssh to deploy@build.io", "I can't
# ssh into ops@jump.io").
_PROSE_TO = frozenset({"to", "into", "onto"})


def remote_login(text: str, start: int) -> bool:
    """True if the e-mail match at ``text[start:]`` is the ``user@host`` argument of a remote
    login command on its line: ``ssh deploy@build.corp.io``, ``ssh -i key -p 2222 ops@jump.io``,
    ``sftp backup@files.corp.io``, ``git clone deploy@git.corp.io``.

    Between the command and the address there may be only options, the value after an option
    and local paths, so an address in the same line's prose, comment or remote command stays
    an e-mail ("ssh deploy@build.io # ask ann@corp.com", "I tried ssh but ann@corp.com ...",
    "git config user.email ann@corp.com")."""
    line_start = text.rfind("\n", max(0, start - _LOGIN_LOOKBEHIND), start) + 1
    before = text[max(line_start, start - _LOGIN_LOOKBEHIND) : start]
    if not any(hint in before for hint in _LOGIN_HINTS):
        return False
    if before[-1:] in ("'", '"'):
        before = before[:-1]  # ssh "deploy@build.corp.io"
    glued = _OPTION_VALUE.search(before)
    if glued is not None:
        before = before[: glued.end() - 1] + " "  # ssh -oProxyJump=jump@bastion.corp.io
    elif before.endswith("-") and (named := _OPTION_NAME.match(text, start)) is not None:
        # the match took the option's name in: "-[oProxyJump=jump@bastion.corp.io]"
        before += named.group(1) + " "
    if before and not before[-1].isspace():
        return False  # the address does not open an argument
    words = before.split()
    if len(words) > 1 and words[-1].lower() in _PROSE_TO and _login_word(words[-2]):
        return True  # "ssh to deploy@build.corp.io", "sftp into backup@files.io"
    return any(
        _only_login_arguments(words[first:])
        for first in (_arguments_start(words, i) for i in range(len(words)))
        if first is not None
    )


def _login_word(word: str) -> bool:
    """Whether ``word`` is a login command as prose writes it ("ssh", "`ssh`", "ssh'd")."""
    name = word.strip(_COMMAND_OPENERS).lower()
    return name in _LOGIN_COMMANDS or name in ("ssh'd", "sshing", "ssh-ing")


def _arguments_start(words: list[str], i: int) -> int | None:
    """Where the arguments of a login command at ``words[i]`` begin (None: no such command)."""
    name = words[i].lstrip(_COMMAND_OPENERS).rpartition("/")[2]  # "/usr/bin/ssh"
    if name in _LOGIN_COMMANDS:
        return i + 1
    if name != "git" or i + 1 >= len(words):
        return None
    sub = words[i + 1 : i + 3]
    if sub[0] in _GIT_REMOTE_COMMANDS:
        return i + 2
    if sub == ["submodule", "add"]:
        return i + 3
    if sub in (["remote", "add"], ["remote", "set-url"]):
        return i + 4  # after the remote's name
    return None


def _only_login_arguments(words: list[str]) -> bool:
    """Whether ``words`` are options, option values and local paths (see remote_login)."""
    after_option = False
    for word in words:
        if word.startswith("#"):
            return False  # a comment follows the command
        if word.startswith("-"):
            after_option = True
        elif after_option or not _PATH_CHARS.isdisjoint(word):
            after_option = False
        else:
            return False
    return True
