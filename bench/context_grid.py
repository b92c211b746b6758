"""Which (value shape x context) cells do the secrets detectors miss? A systematic grid.

    .venv/bin/python bench/context_grid.py [--samples 8] [--seed 1127] [--all]
        [--shapes a,b] [--contexts a,b] [--show 3]

Template sets sample contexts unevenly: a value shape that is only ever written after
``password:`` in them may be missed after ``pwd=`` or in a table, and nothing says so. This
benchmark crosses every **value shape** (random alphanumerics of several lengths and
alphabets, hex, base64 and url-safe base64, a UUID used as a secret, dashed licence-style
keys, vendor-prefixed keys, human passwords, passphrases, leetspeak, PINs, JWT-like tokens)
with every **context** (label forms, quoting, positions in a sentence, the label in nine
languages, genres from a chat line to YAML) and scans each text through the proxy's real
detection path (``ScanService(DetectorSettings())`` in process, ``scan_sync``).

* **recall** of a cell: the share of its texts whose value is covered whole by findings of
  a secret type (:data:`detectors.entities.SECRET_ENTITY_TYPES`); a finding that covers
  only part of the value leaves the rest in clear and counts as a miss.
* **negatives** of a context: the same context with a non-secret label and a value of a
  similar shape - a git commit, a UUID used as a request id, a version, a dictionary word,
  a product code, a build tag - and the context with its password label before a
  placeholder (``<password>``, ``${DB_PASSWORD}``, ``changeme``, ``****``); the share of
  those texts with any finding (of any type) that overlaps the value, or with a secret
  finding anywhere.

Every value comes from one seeded ``random.Random`` (the same seed gives the same texts).
The grid uses no held-out locale or tool name and no text of the held-out templates: its
labels, words and sentences are written here. It prints the cells with recall < 0.9 and
the contexts with negatives > 5 %, then a recall summary per shape and per context;
``--all`` prints every cell, ``--show N`` up to N missed texts of each weak cell.
"""

from __future__ import annotations

import argparse
import base64
import logging
import random
import string
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

from core.scanning import Finding
from detectors.entities import SECRET_ENTITY_TYPES
from detectors.service import ScanService
from detectors.settings import DetectorSettings

SEED = 1127
RECALL_FLOOR = 0.9
NEGATIVE_CEILING = 0.05

# --- value shapes -------------------------------------------------------------------------

_WORDS = (  # noqa: SIM905 - a word list reads best as words
    "river sunny maple copper falcon garden winter summer autumn silver orange planet "
    "rocket harbor meadow thunder pepper castle forest candle mirror violet purple jungle "
    "marble banana kitten dragon velvet bridge island lemon cobalt shadow cactus walnut "
    "breeze canyon comet tiger pencil rabbit anchor saddle lantern ginger"
).split()
_SYMBOLS = "!@#$%&*?"
_LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "$", "t": "7"}
_ALNUM = string.ascii_letters + string.digits
_LOWER_ALNUM = string.ascii_lowercase + string.digits
_B64 = string.ascii_letters + string.digits + "+/"
_URLSAFE = string.ascii_letters + string.digits + "-_"


def _draw(rng: random.Random, alphabet: str, length: int) -> str:
    """``length`` characters of ``alphabet``, redrawn until letters and digits both occur
    (a random key of 16+ characters has both; one without is a word or a number)."""
    while True:
        value = "".join(rng.choice(alphabet) for _ in range(length))
        if any(c.isdigit() for c in value) and any(c.isalpha() for c in value):
            return value


def _alnum(length: int, alphabet: str = _ALNUM) -> Callable[[random.Random], str]:
    return lambda rng: _draw(rng, alphabet, length)


def _hex(length: int) -> Callable[[random.Random], str]:
    return lambda rng: _draw(rng, "0123456789abcdef", length)


def _base64(rng: random.Random) -> str:
    return base64.b64encode(rng.randbytes(30)).decode()[:-1] + "="


def _urlsafe(rng: random.Random) -> str:
    return _draw(rng, _URLSAFE, 43)


def _uuid(rng: random.Random) -> str:
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


def _licence(rng: random.Random) -> str:
    alphabet = string.ascii_uppercase + string.digits
    return "-".join(_draw(rng, alphabet, 5) for _ in range(5))


def _vendor(rng: random.Random) -> str:
    prefix = rng.choice(("sk-proj-", "ghp_", "xoxb-", "sk_live_", "glpat-", "AKIA", "AIza"))
    if prefix == "AKIA":
        return prefix + _draw(rng, string.ascii_uppercase + string.digits, 16)
    if prefix == "xoxb-":
        digits = "".join(rng.choice(string.digits) for _ in range(12))
        return f"xoxb-{digits}-{digits[::-1]}-{_draw(rng, _ALNUM, 24)}"
    if prefix == "AIza":
        return prefix + _draw(rng, _URLSAFE, 35)
    length = {"sk-proj-": 48, "ghp_": 36, "sk_live_": 24, "glpat-": 20}[prefix]
    return prefix + _draw(rng, _ALNUM, length)


def _word_digits_symbol(rng: random.Random) -> str:
    word = rng.choice(_WORDS).capitalize()
    digits = str(rng.choice((rng.randint(1, 99), rng.randint(1990, 2026))))
    return word + digits + rng.choice(_SYMBOLS)


def _passphrase(rng: random.Random) -> str:
    words = rng.sample(_WORDS, rng.randint(2, 4))
    tail = [str(rng.randint(1, 99))] if rng.random() < 0.5 else []
    return rng.choice(("-", "_", ".", "")).join(words + tail)


def _leet(rng: random.Random) -> str:
    word = rng.choice(_WORDS) + rng.choice(_WORDS)
    leet = "".join(_LEET.get(c, c) if rng.random() < 0.7 else c for c in word)
    return leet[0].upper() + leet[1:] + rng.choice(_SYMBOLS)


def _pin(rng: random.Random) -> str:
    return "".join(rng.choice(string.digits) for _ in range(rng.choice((4, 6))))


def _jwt(rng: random.Random) -> str:
    def part(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    header = part(b'{"alg":"HS256","typ":"JWT"}')
    claims = part(f'{{"sub":"{rng.randint(1000, 99999)}","iat":{rng.randint(1, 2**31)}}}'.encode())
    return f"{header}.{claims}.{part(rng.randbytes(32))}"


@dataclass(frozen=True, slots=True)
class Shape:
    """A kind of secret value: its name, what a label calls it, how to draw one."""

    name: str
    kind: str  # "password", "key" or "pin": which label words name it
    draw: Callable[[random.Random], str]


SHAPES: tuple[Shape, ...] = (
    Shape("alnum12", "password", _alnum(12)),
    Shape("alnum20", "key", _alnum(20)),
    Shape("alnum32", "key", _alnum(32)),
    Shape("lower24", "key", _alnum(24, _LOWER_ALNUM)),
    Shape("upper16", "key", _alnum(16, string.ascii_uppercase + string.digits)),
    Shape("hex32", "key", _hex(32)),
    Shape("hex64", "key", _hex(64)),
    Shape("base64", "key", _base64),
    Shape("urlsafe43", "key", _urlsafe),
    Shape("uuid", "key", _uuid),
    Shape("licence", "key", _licence),
    Shape("vendor", "key", _vendor),
    Shape("jwt", "key", _jwt),
    Shape("word+digits", "password", _word_digits_symbol),
    Shape("passphrase", "password", _passphrase),
    Shape("leet", "password", _leet),
    Shape("pin", "pin", _pin),
)

# --- non-secrets of a similar shape: (label, value) ------------------------------------------

NegativeDraw = Callable[[random.Random], str]


def _version(rng: random.Random) -> str:
    return f"{rng.randint(1, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 20)}"


def _product_code(rng: random.Random) -> str:
    letters = "".join(rng.choice(string.ascii_uppercase) for _ in range(3))
    return f"{letters}-{rng.randint(1000, 9999)}-{rng.choice(string.ascii_uppercase)}"


def _build_tag(rng: random.Random) -> str:
    return f"build-{rng.randint(100, 9999)}-{rng.choice(('rc1', 'beta', 'final'))}"


# what each negative value is called, per label language
NEGATIVES: dict[str, tuple[dict[str, str], NegativeDraw]] = {
    "commit": (
        {
            "en": "commit",
            "de": "Commit",
            "fr": "commit",
            "es": "commit",
            "nl": "commit",
            "it": "commit",
            "pl": "commit",
            "pt": "commit",
            "tr": "commit",
        },
        _hex(40),
    ),
    "request-id": (
        {
            "en": "request id",
            "de": "Anfrage-ID",
            "fr": "identifiant de requête",
            "es": "ID de solicitud",
            "nl": "aanvraag-ID",
            "it": "ID richiesta",
            "pl": "identyfikator żądania",
            "pt": "ID da solicitação",
            "tr": "istek kimliği",
        },
        _uuid,
    ),
    "version": (
        {
            "en": "version",
            "de": "Version",
            "fr": "version",
            "es": "versión",
            "nl": "versie",
            "it": "versione",
            "pl": "wersja",
            "pt": "versão",
            "tr": "sürüm",
        },
        _version,
    ),
    "word": (
        {
            "en": "codename",
            "de": "Codename",
            "fr": "nom de code",
            "es": "nombre en clave",
            "nl": "codenaam",
            "it": "nome in codice",
            "pl": "kryptonim",
            "pt": "codinome",
            "tr": "kod adı",
        },
        lambda rng: rng.choice(_WORDS),
    ),
    "product-code": (
        {
            "en": "product code",
            "de": "Artikelnummer",
            "fr": "référence produit",
            "es": "código de producto",
            "nl": "productcode",
            "it": "codice prodotto",
            "pl": "kod produktu",
            "pt": "código do produto",
            "tr": "ürün kodu",
        },
        _product_code,
    ),
    "build-tag": (
        {
            "en": "build tag",
            "de": "Build-Tag",
            "fr": "tag de build",
            "es": "etiqueta de build",
            "nl": "buildtag",
            "it": "tag della build",
            "pl": "tag kompilacji",
            "pt": "tag do build",
            "tr": "derleme etiketi",
        },
        _build_tag,
    ),
}

# --- label words ----------------------------------------------------------------------------

LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "password": ("password", "Password", "pwd", "passwd"),
        "key": ("API key", "token", "secret", "access token", "api_key"),
        "pin": ("PIN", "pin code"),
    },
    "de": {
        "password": ("Passwort", "Kennwort"),
        "key": ("API-Schlüssel", "Token", "Zugangsschlüssel"),
        "pin": ("PIN", "Geheimzahl"),
    },
    "fr": {
        "password": ("mot de passe", "Mot de passe"),
        "key": ("clé API", "jeton", "clé secrète"),
        "pin": ("code PIN", "code confidentiel"),
    },
    "es": {
        "password": ("contraseña", "clave"),
        "key": ("clave API", "token", "clave secreta"),
        "pin": ("PIN", "código PIN"),
    },
    "nl": {
        "password": ("wachtwoord", "Wachtwoord"),
        "key": ("API-sleutel", "token", "geheime sleutel"),
        "pin": ("pincode", "PIN"),
    },
    "it": {
        "password": ("password", "parola d'ordine"),
        "key": ("chiave API", "token", "chiave segreta"),
        "pin": ("PIN", "codice PIN"),
    },
    "pl": {
        "password": ("hasło", "Hasło"),
        "key": ("klucz API", "token", "klucz tajny"),
        "pin": ("PIN", "kod PIN"),
    },
    "pt": {
        "password": ("senha", "Senha"),
        "key": ("chave de API", "token", "chave secreta"),
        "pin": ("PIN", "senha do cartão"),
    },
    "tr": {
        "password": ("şifre", "parola"),
        "key": ("API anahtarı", "token", "gizli anahtar"),
        "pin": ("PIN", "PIN kodu"),
    },
}
# identifier-like names for configs, flags, JSON and YAML, by kind
KEYS = {
    "password": ("password", "db_password", "DB_PASSWORD", "admin_pass", "smtp_password"),
    "key": ("api_key", "API_TOKEN", "secret_key", "access_token", "client_secret"),
    "pin": ("pin", "card_pin", "door_pin"),
}
NEGATIVE_KEYS = {
    "commit": "commit_sha",
    "request-id": "request_id",
    "version": "version",
    "word": "codename",
    "product-code": "product_code",
    "build-tag": "build_tag",
}
# what stands where a password would in templates and documentation: said with a real
# password label, it must stay quiet (issue 14's placeholders)
PLACEHOLDERS = (
    "<password>",
    "${DB_PASSWORD}",
    "changeme",
    "********",
    "xxx",
    "{0}",
    "$(cat /run/secrets/db)",
    "YOUR_PASSWORD_HERE",
    "{{ vault_db_password }}",
    "%s",
)

# sentences that put a label before the value, per language: {L} label, {V} value
SENTENCES = {
    "en": "The {L} for the staging server is {V} - please keep it safe.",
    "de": "Das {L} für den Testserver lautet {V}, bitte nicht weitergeben.",
    "fr": "Le {L} du serveur de test est {V}, merci de ne pas le partager.",
    "es": "La {L} del servidor de pruebas es {V}, no la compartas.",
    "nl": "Het {L} voor de testserver is {V}, deel het niet.",
    "it": "La {L} del server di prova è {V}, non condividerla.",
    "pl": "{L} do serwera testowego to {V}, nie udostępniaj go.",
    "pt": "A {L} do servidor de testes é {V}, não compartilhe.",
    "tr": "Test sunucusunun {L} {V} olarak ayarlandı, kimseyle paylaşma.",
}

# --- contexts ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Filled:
    """A label slot's words: the label in prose (``label``) and as an identifier (``key``)."""

    label: str
    key: str


Render = Callable[[Filled, str], str]


@dataclass(frozen=True, slots=True)
class Context:
    """A way of writing a value with its label; ``lang`` picks the label words."""

    name: str
    render: Render
    lang: str = "en"


def _ctx(name: str, template: str, lang: str = "en") -> Context:
    """A context from a template with ``{L}`` (label), ``{K}`` (identifier), ``{F}`` (the
    identifier as a command-line flag) and ``{V}`` (value)."""
    return Context(
        name,
        lambda f, v: (
            template.replace("{L}", f.label)
            .replace("{K}", f.key)
            .replace("{F}", f.key.lower().replace("_", "-"))
            .replace("{V}", v)
        ),
        lang,
    )


CONTEXTS: tuple[Context, ...] = (
    # label forms
    _ctx("label: value", "Here you go.\n{L}: {V}\n"),
    _ctx("key=value", "connect with {K}={V} and retry\n"),
    _ctx("label - value", "staging {L} - {V}\n"),
    _ctx("label → value", "{L} → {V}\n"),
    _ctx("label newline", "{L}:\n{V}\n"),
    _ctx("label 2 lines above", "{L} (staging, rotated monthly):\n\n{V}\n"),
    _ctx("heading + code", "### {L}\n\n```\n{V}\n```\n"),
    _ctx("table header", "| host | user | {L} |\n|---|---|---|\n| db-01 | app | {V} |\n"),
    _ctx("value is the label", "{V} is the {L} for the staging box.\n"),
    # separators and quoting
    _ctx("double quotes", 'The {L} is "{V}".\n'),
    _ctx("single quotes", "The {L} is '{V}'.\n"),
    _ctx("backticks", "The {L} is `{V}`.\n"),
    _ctx("brackets", "The {L} is [{V}].\n"),
    _ctx("bold", "**{L}:** {V}\n"),
    _ctx("bold value", "The {L} is **{V}**\n"),
    # positions
    _ctx("end of sentence", "I reset it this morning, the new {L} is {V}."),
    _ctx("in parenthesis", "Log in as admin (the {L} is {V}) and open the settings page."),
    _ctx("before comma", "Use {L} {V}, then restart the service."),
    _ctx("end of text", "ok so the {L} is {V}"),
    # genres
    _ctx("chat line", "[10:42] anna: can you try again, {L} {V} should work now\n"),
    _ctx(
        "e-mail",
        "Hi Tom,\n\nas discussed, the {L} for the vendor portal is {V}\n\nBest regards,\nAnna\n",
    ),
    _ctx("config line", "[database]\nhost = db-01.internal\n{K} = {V}\n"),
    _ctx("cli flag", "$ deploy-tool push --env staging --{F} {V} --verbose\n"),
    _ctx("log line", "2026-11-30T10:42:01Z INFO auth.login user=app {K}={V} status=ok\n"),
    _ctx("json", '{"host": "db-01.internal", "user": "app", "{K}": "{V}"}'),
    _ctx("yaml", "database:\n  host: db-01.internal\n  user: app\n  {K}: {V}\n"),
    *(_ctx(f"{lang}: label colon", "{L}: {V}\n", lang) for lang in SENTENCES),
    *(_ctx(f"{lang}: sentence", template, lang) for lang, template in SENTENCES.items()),
)

# --- scanning and scoring ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sample:
    """One text of a cell and where its value stands."""

    text: str
    start: int
    end: int


def _place(context: Context, filled: Filled, value: str) -> Sample:
    """The text of ``context`` for ``value``; the value's span is found by a marker."""
    marker = "\x00"
    with_marker = context.render(filled, marker)
    start = with_marker.index(marker)
    return Sample(with_marker.replace(marker, value), start, start + len(value))


def _fill(rng: random.Random, lang: str, kind: str) -> Filled:
    return Filled(rng.choice(LABELS[lang][kind]), rng.choice(KEYS[kind]))


def covered(sample: Sample, findings: Sequence[Finding]) -> bool:
    """True if secret findings cover every character of the value."""
    spans = sorted((f.start, f.end) for f in findings if f.entity_type in SECRET_ENTITY_TYPES)
    position = sample.start
    for start, end in spans:
        if start > position:
            break
        position = max(position, end)
    return position >= sample.end


def noisy(sample: Sample, findings: Sequence[Finding]) -> bool:
    """True if a finding overlaps the (non-secret) value, or any secret is reported."""
    return any(
        f.entity_type in SECRET_ENTITY_TYPES or (f.start < sample.end and f.end > sample.start)
        for f in findings
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=int, default=8, help="texts per cell")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--all", action="store_true", help="print every cell")
    parser.add_argument("--show", type=int, default=0, help="missed texts shown per weak cell")
    parser.add_argument("--shapes", help="comma-separated shape names (default: all)")
    parser.add_argument("--contexts", help="comma-separated context names (default: all)")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    shapes = _chosen(SHAPES, args.shapes)
    contexts = _chosen(CONTEXTS, args.contexts)

    settings = DetectorSettings()
    service_settings = settings.service.model_copy(update={"workers": 0, "cache_size": 0})
    service = ScanService(settings.model_copy(update={"service": service_settings}))
    service.load()
    rng = random.Random(args.seed)
    started = time.perf_counter()

    weak: list[str] = []
    by_shape: dict[str, list[float]] = {s.name: [] for s in shapes}
    by_context: dict[str, list[float]] = {c.name: [] for c in contexts}
    texts = 0
    for context in contexts:
        for shape in shapes:
            samples = [
                _place(context, _fill(rng, context.lang, shape.kind), shape.draw(rng))
                for _ in range(args.samples)
            ]
            found = service.scan_sync([s.text for s in samples])
            texts += len(samples)
            hits = [covered(s, f) for s, f in zip(samples, found, strict=True)]
            recall = sum(hits) / len(hits)
            by_shape[shape.name].append(recall)
            by_context[context.name].append(recall)
            line = f"  recall {recall:4.2f}  {shape.name:<12} x {context.name}"
            if args.all:
                print(line)
            if recall < RECALL_FLOOR:
                weak.append(line)
                missed = [s for s, hit in zip(samples, hits, strict=True) if not hit]
                weak.extend(f"      {s.text!r}" for s in missed[: args.show])

    noisy_contexts: list[str] = []
    negative_rates: dict[str, float] = {}
    for context in contexts:
        samples, kinds = [], []
        for kind, (labels, draw) in NEGATIVES.items():
            for _ in range(args.samples):
                filled = Filled(labels[context.lang], NEGATIVE_KEYS[kind])
                samples.append(_place(context, filled, draw(rng)))
                kinds.append(kind)
        for _ in range(args.samples):
            filled = _fill(rng, context.lang, "password")
            samples.append(_place(context, filled, rng.choice(PLACEHOLDERS)))
            kinds.append("placeholder")
        found = service.scan_sync([s.text for s in samples])
        texts += len(samples)
        flags = [noisy(s, f) for s, f in zip(samples, found, strict=True)]
        rate = sum(flags) / len(flags)
        negative_rates[context.name] = rate
        if rate > NEGATIVE_CEILING:
            which = sorted({k for k, flag in zip(kinds, flags, strict=True) if flag})
            noisy_contexts.append(f"  negatives {rate:4.0%}  {context.name}  ({', '.join(which)})")
            shown = [(s, f) for s, f, flag in zip(samples, found, flags, strict=True) if flag][
                : args.show
            ]
            noisy_contexts.extend(
                f"      {s.text!r} -> {[(x.entity_type, s.text[x.start : x.end]) for x in f]}"
                for s, f in shown
            )

    cells = len(shapes) * len(contexts)
    weak_cells = sum(1 for line in weak if line.startswith("  recall"))
    print(
        f"\n{cells} cells ({len(shapes)} shapes x {len(contexts)} contexts), "
        f"{args.samples} texts each, seed {args.seed}; {texts} texts in "
        f"{time.perf_counter() - started:.0f} s"
    )
    print(f"\ncells with recall < {RECALL_FLOOR}: {weak_cells}")
    print("\n".join(weak))
    noisy_count = sum(1 for rate in negative_rates.values() if rate > NEGATIVE_CEILING)
    print(f"\ncontexts with negatives > {NEGATIVE_CEILING:.0%}: {noisy_count}")
    print("\n".join(noisy_contexts))
    print("\nrecall by shape (mean over contexts):")
    for name, values in by_shape.items():
        print(f"  {sum(values) / len(values):4.2f}  {name}")
    print("\nrecall by context (mean over shapes), negatives:")
    for name, values in by_context.items():
        print(f"  {sum(values) / len(values):4.2f}  {negative_rates[name]:4.0%}  {name}")
    mean = sum(sum(v) for v in by_shape.values()) / cells
    negatives = sum(negative_rates.values()) / len(negative_rates)
    print(
        f"\nall cells: recall {mean:.3f}, weak cells {weak_cells}/{cells}; "
        f"negatives {negatives:.1%}, noisy contexts "
        f"{noisy_count}/{len(contexts)}"
    )
    return 0


_T = TypeVar("_T", Shape, Context)


def _chosen(items: tuple[_T, ...], names: str | None) -> tuple[_T, ...]:
    """``items`` whose names are in the comma-separated ``names`` (all when None)."""
    if names is None:
        return items
    wanted = set(names.split(","))
    unknown = wanted - {item.name for item in items}
    if unknown:
        raise SystemExit(f"unknown name(s): {sorted(unknown)}")
    return tuple(item for item in items if item.name in wanted)


if __name__ == "__main__":
    raise SystemExit(main())
