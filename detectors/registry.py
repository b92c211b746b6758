"""Which detectors run, built explicitly from settings, and the chain that runs them."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from core.scanning import Detector, Finding
from detectors.custom import CustomDetector
from detectors.entities import EMAIL_ADDRESS, SECRET_ENTITY_TYPES
from detectors.errors import DetectorConfigError
from detectors.settings import DetectorSettings
from detectors.views import scan_views
from detectors.warm_up import SAMPLES

DetectorFactory = Callable[[DetectorSettings], list[Detector]]
"""Builds the detectors for a configuration. Must be a module-level function: the service
pickles it to hand it to pool workers."""


def check_unique(detectors: Iterable[Detector]) -> list[Detector]:
    """The detectors as a list; raises ValueError if two share a name."""
    result: list[Detector] = []
    seen: set[str] = set()
    for detector in detectors:
        if detector.name in seen:
            raise ValueError(f"duplicate detector name {detector.name!r}")
        seen.add(detector.name)
        result.append(detector)
    return result


def preflight(settings: DetectorSettings) -> None:
    """Cheap start-up checks that need no model loaded (the proxy process runs these).

    Raises DetectorConfigError if the configured spaCy model is not installed, so a bad
    configuration fails at start-up with a clear message instead of inside pool workers.
    """
    if "presidio" not in settings.enabled or not settings.pii.entities:
        return
    model = settings.pii.spacy_model
    if Path(model).exists():
        return
    try:
        installed = importlib.util.find_spec(model) is not None
    except (ImportError, ValueError):  # a dotted or path-like name that is not a package
        installed = False
    if not installed:
        raise DetectorConfigError(
            f"pii.spacy_model: spaCy model {model!r} is not installed "
            f"(pip install it, or run `python -m spacy download {model}` where online)"
        )


def default_detectors(settings: DetectorSettings) -> list[Detector]:
    """The detectors enabled in ``settings``, in the configured order, warmed up.

    Loads the spaCy model when ``presidio`` is enabled: call it once per process (the
    service does, in each worker). The custom detector is left out when it has no rules.
    They have scanned sample texts once (:mod:`detectors.warm_up`): a caller's first scan
    costs what the next one does.
    """
    # Imported where they are built: a process that never runs presidio never imports
    # Presidio and spaCy (0.8 s of CPU, a sixth of a light ``serve``'s start, h183).
    from detectors.secrets import shared_secrets_detector  # noqa: PLC0415

    detectors: list[Detector] = []
    for name in settings.enabled:
        if name == "presidio":
            from detectors.pii import PresidioDetector  # noqa: PLC0415

            detectors.append(PresidioDetector(settings.pii))
        elif name == "secrets":
            detectors.append(shared_secrets_detector(settings.secrets))
        else:
            custom = CustomDetector(settings.custom)
            if not custom.empty:
                detectors.append(custom)
    detectors = check_unique(detectors)
    warm_up(detectors)
    return detectors


def warm_up(detectors: Sequence[Detector]) -> None:
    """Scan the sample texts of :mod:`detectors.warm_up` once with ``detectors``, every
    view and recognizer as a caller's scan would, so that what they build on first use
    is built now; the findings are thrown away."""
    scan_all(detectors, SAMPLES)


def _inside_secret(finding: Finding, secrets: list[Finding]) -> bool:
    return any(
        s.detector != finding.detector and s.start <= finding.start and finding.end <= s.end
        for s in secrets
    )


_AUTHORITY_LOOKBEHIND = 512
_WHITESPACE = re.compile(r"\s")
_SCP_PATH = re.compile(r":[\w~./-]")


def _in_url_authority(start: int, text: str) -> bool:
    """True if ``start`` is in the ``user:password`` part of a ``scheme://`` URL:
    "://" earlier in the same word, and no "/", "?" or "#" since (an address in a URL's
    path or query is still an address), nor a character that ends a URL in text: a
    separator or quote of a CSV row or list ("https://jira.corp.io,ann@corp.io,")."""
    word = _WHITESPACE.split(text[max(0, start - _AUTHORITY_LOOKBEHIND) : start])[-1]
    scheme, sep, userinfo = word.rpartition("://")
    return bool(scheme and sep) and not any(c in userinfo for c in "/?#,;\"'<>|`")


def _not_an_email(finding: Finding, text: str, secrets: list[Finding]) -> bool:
    """True for an "e-mail" that is the ``user:password@host`` of a URL or the ``user@host``
    of an scp-style remote (``git@github.com:org/app.git``), or that overlaps a credential:
    Presidio's e-mail pattern matches ``token@github.com`` in a git remote, and the secret,
    not the e-mail rule, must decide what happens to that text."""
    if finding.entity_type != EMAIL_ADDRESS:
        return False
    if any(s.start < finding.end and finding.start < s.end for s in secrets):
        return True
    if _SCP_PATH.match(text, finding.end):  # git@github.com:org/app.git, an ssh remote
        # unless a secret follows the colon: a login and its password (a postfix sasl_passwd
        # line "[smtp.example.com]:587 ann@example.com:password", "curl -u ann@corp.io:pw")
        return not any(s.start == finding.end + 1 for s in secrets)
    # Presidio's match may start anywhere in the URL; what decides is what precedes its "@".
    at = text.find("@", finding.start, finding.end)
    return _in_url_authority(finding.start if at < 0 else at, text)


def scan_all(detectors: Sequence[Detector], texts: Sequence[str]) -> list[list[Finding]]:
    """Run every detector over ``texts``; findings per text, sorted by offset.

    Detectors see each text's normalised view and the pattern detectors its decoded base64
    and hex runs too (see :mod:`detectors.views`); offsets are always in the original text.
    A finding that lies inside a secret found by another detector is dropped: digits in
    a token are not a phone number, and the secret decides what happens to that text. An
    e-mail that overlaps a secret or is the userinfo and host of a URL is dropped too.
    """
    results: list[list[Finding]] = []
    for text, bucket in zip(texts, scan_views(detectors, texts), strict=True):
        secrets = [f for f in bucket if f.entity_type in SECRET_ENTITY_TYPES]
        kept = [
            f
            for f in bucket
            if not (secrets and _inside_secret(f, secrets)) and not _not_an_email(f, text, secrets)
        ]
        results.append(sorted(kept, key=lambda f: (f.start, f.end, f.entity_type, f.detector)))
    return results
