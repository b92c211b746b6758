"""Context-aware filtering of spaCy NER findings: names and places, not product names.

The small English model tags product and service names ("Redis", "Heroku", "Jenkins"),
capitalised common words ("Invoice", "Tokens") and imperative verbs that open a sentence
("Port the Flask service ...") as PERSON or LOCATION. :class:`NerFilter` drops a PERSON,
LOCATION or NRP finding when

* every word of it is on the allow-list: the technology, product, cloud-service and
  command names in ``data/tech_terms.txt``, the ordinary words in ``data/common_words.txt``
  and the policy's own ``detection.allow_list``;
* it lies in code: a fenced block, an inline `code span`, a URL, a command line;
* it is part of an identifier: snake_case, CamelCase with inner capitals ("FastAPI", but
  not "McDonald"), dotted names ("os.path"), paths, ``key=value``;
* it is one word after a determiner ("the Envoy sidecar"), places such as "the Hague"
  excepted;
* it is a verb from ``data/verbs.txt`` opening a sentence and followed by a determiner,
  pronoun or preposition ("Deploy it", "Port the ..."); such a verb at the start of a
  longer span is cut off and the rest judged alone ("Compare Hasura");

and reports a PERSON next to a street or unit word ("Oak Crescent", "Willow Trail",
"Hayes Apt") as the LOCATION it is, the street word included.

Presidio's own ``allow_list`` argument matches whole spans exactly, case-sensitively; it
cannot say "every word of this span is a product name" or look at the span's surroundings,
so the allow-list is applied here, after Presidio's per-entity score thresholds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from importlib import resources

from detectors.base import Finding

#: The NER entity types this filter judges (ORGANIZATION and DATE_TIME are left alone:
#: a product name is an organisation's, and dates are not names).
FILTERED_TYPES = frozenset({"PERSON", "LOCATION", "NRP"})


def load_terms(name: str) -> frozenset[str]:
    """The lowercase terms of the shipped word list ``detectors/data/<name>``."""
    text = resources.files("detectors").joinpath("data", name).read_text(encoding="utf-8")
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return frozenset(normalise(line) for line in lines if line)


def normalise(term: str) -> str:
    """A term as it is compared: lowercase, single spaces, no possessive "'s"."""
    words = " ".join(term.split()).lower()
    return re.sub(r"['’]s\b", "", words)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_WORD = re.compile(r"[^\W\d_][\w.'’&-]*")
_FUNCTION_WORDS = _words(
    "the a an this that these those my our your their its it them me us him her all any "
    "every each some to on in into onto from with for up out down over off through by at "
    "as how what why whether if and both"
)
_DETERMINERS = _words("the a an this that these those my our your their its each every any no")
# Places and peoples written with "the" ("the Hague", "the Netherlands").
_THE_PLACES = _words(
    "netherlands philippines bahamas gambia hague congo sudan ukraine bronx caribbean "
    "balkans alps andes himalayas midlands maldives seychelles crimea arctic antarctic "
    "mediterranean sahara amazon thames rhine danube nile pacific atlantic vatican gulf "
    "uk us usa uae emirates riviera highlands lowlands ruhr americas dutch french british "
    "germans irish scots welsh"
)
# Verbs that are also first names: "Mark Twain" is not "Mark" + a name.
_ALSO_FIRST_NAMES = _words("mark will bill pat sue rob jack grant drew chase don max wade")
# Name prefixes with an inner capital: "McDonald", "DeShawn", "LaToya", "DiCaprio".
_NAME_PREFIXES = _words("mc mac o de di da la le van von du st fitz al el ben abu")
_CAMEL = re.compile(r"([A-Z]?[a-z]+)[A-Z][\w]*")
_DOTTED_NAME = re.compile(r"[A-Za-z_]\w*(?:\.\w+)*\.[a-z_]\w*")
_IDENTIFIER_CHARS = frozenset("_/\\=@$<>{}[]|")
_EDGE_PUNCTUATION = "\"'`()[]{}<>,;:!?*“”‘’"
_SENTENCE_START = re.compile(r"(?:\A|[.!?;:]\s|\n)[\s>*•\-–—\"'“(#\d.)]*\Z")
_NEXT_WORD = re.compile(r"[ \t]+([A-Za-z']+)")
_STREET_AFTER = re.compile(r"[ \t]+([A-Z][A-Za-zß]*)")

_CODE_REGIONS = (
    re.compile(r"(```|~~~).*?(?:\1|\Z)", re.S),  # fenced blocks, unterminated too
    re.compile(r"`[^`\n]+`"),  # inline code
    re.compile(r"\b(?:[a-z][a-z0-9+.-]*://|www\.)\S+", re.I),  # URLs
    re.compile(r"^[ \t]*(?:\$|>|PS>|%)[ \t]+\S.*$", re.M),  # prompts of shells
)
_COMMANDS = _words(
    "kubectl docker podman git npm npx pip pip3 python python3 node yarn pnpm cargo go make "
    "helm terraform ansible ansible-playbook aws az gcloud curl wget ssh scp rsync sudo apt "
    "apt-get yum dnf brew systemctl journalctl psql mysql redis-cli mongosh export cd ls cat "
    "grep sed awk echo chmod chown mkdir rm cp mv tar uv poetry conda java mvn gradle dotnet "
    "heroku vercel netlify gh openssl nc kubeadm minikube kind k9s jq"
)
_COMMAND_LINE = re.compile(r"^[ \t]*([a-z][\w.-]*)[ \t]+\S.*$", re.M)


def code_regions(text: str) -> list[tuple[int, int]]:
    """Sorted, merged (start, end) ranges of ``text`` that are code, URLs or command lines."""
    ranges = [m.span() for pattern in _CODE_REGIONS for m in pattern.finditer(text)]
    ranges += [m.span() for m in _COMMAND_LINE.finditer(text) if m.group(1) in _COMMANDS]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _inside(regions: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    return any(low <= start and end <= high for low, high in regions)


def _identifier(word: str) -> bool:
    """Whether one whitespace-delimited word reads as code rather than as a name."""
    core = word.strip(_EDGE_PUNCTUATION).rstrip(".")
    if not core:
        return False
    if any(ch in _IDENTIFIER_CHARS for ch in core) or "::" in core or "->" in core:
        return True
    if core.endswith("()") or _DOTTED_NAME.fullmatch(core.rstrip("()")):
        return True
    camel = _CAMEL.fullmatch(core)
    return camel is not None and camel.group(1).lower() not in _NAME_PREFIXES


def in_identifier(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is (part of) an identifier, path or key=value."""
    left = start
    while left > 0 and not text[left - 1].isspace():
        left -= 1
    right = end
    while right < len(text) and not text[right].isspace():
        right += 1
    return any(_identifier(word) for word in text[left:right].split())


class NerFilter:
    """Drops NER findings that are evidently not a person or place (module docstring)."""

    def __init__(self, allow_list: Iterable[str] = (), *, entities: Iterable[str] = ()) -> None:
        """``allow_list`` extends the shipped lists; ``entities`` are the types reported
        (a PERSON relabelled as an address is dropped if LOCATION is not among them)."""
        self._allowed = (
            load_terms("tech_terms.txt")
            | load_terms("common_words.txt")
            | frozenset(normalise(term) for term in allow_list if term.strip())
        )
        self._verbs = load_terms("verbs.txt")
        self._street = load_terms("street_words.txt")
        self._report_locations = "LOCATION" in set(entities)

    def apply(self, text: str, findings: Sequence[Finding]) -> list[Finding]:
        """``findings`` minus those that are not names or places, addresses relabelled."""
        if not any(f.entity_type in FILTERED_TYPES for f in findings):
            return list(findings)
        regions = code_regions(text)
        kept: list[Finding] = []
        for finding in findings:
            if finding.entity_type not in FILTERED_TYPES:
                kept.append(finding)
                continue
            trimmed = self._without_leading_verb(text, finding)
            start, end = trimmed.start, trimmed.end
            if _inside(regions, start, end) or self._noise(text, start, end):
                continue
            address = self._address(text, trimmed)
            if address is None:
                kept.append(trimmed)
            elif self._report_locations:
                kept.append(address)
        return kept

    def _without_leading_verb(self, text: str, finding: Finding) -> Finding:
        """The finding minus an imperative verb NER took as a first name ("Compare Hasura")."""
        first = _WORD.match(text, finding.start)
        if first is None or first.end() >= finding.end:
            return finding
        verb = normalise(first.group())
        if verb in _ALSO_FIRST_NAMES or verb not in self._verbs:
            return finding
        if not _SENTENCE_START.search(text[max(0, finding.start - 40) : finding.start]):
            return finding
        rest = _WORD.search(text, first.end(), finding.end)
        if rest is None:
            return finding
        return Finding(
            finding.entity_type, rest.start(), finding.end, finding.score, finding.detector
        )

    def _noise(self, text: str, start: int, end: int) -> bool:
        span = text[start:end]
        words = [normalise(w).rstrip(".") for w in _WORD.findall(span)]
        if not words:
            return False
        if normalise(span) in self._allowed or all(w in self._allowed for w in words):
            return True
        if in_identifier(text, start, end):
            return True
        if len(words) > 1:
            return False
        before = text[max(0, start - 12) : start].split()
        if before and before[-1].lower() in _DETERMINERS and words[0] not in _THE_PLACES:
            return True
        return self._imperative(text, start, end, words[0])

    def _imperative(self, text: str, start: int, end: int, word: str) -> bool:
        if word not in self._verbs or not _SENTENCE_START.search(text[max(0, start - 40) : start]):
            return False
        following = _NEXT_WORD.match(text, end)
        return following is not None and following.group(1).lower() in _FUNCTION_WORDS

    def _address(self, text: str, finding: Finding) -> Finding | None:
        """The finding as a LOCATION if it is a PERSON that is part of an address."""
        if finding.entity_type != "PERSON":
            return None
        words = [normalise(w).rstrip(".") for w in _WORD.findall(text[finding.start : finding.end])]
        end = finding.end
        if not (words and words[-1] in self._street):
            street = _STREET_AFTER.match(text, end)
            if street is None or normalise(street.group(1)) not in self._street:
                return None
            end = street.end()
        return Finding("LOCATION", finding.start, end, finding.score, finding.detector)
