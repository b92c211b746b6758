"""Factories for policy tests: calls, policies, and scanners (real, canned, failing)."""

from __future__ import annotations

import functools
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from core.identity import Identity
from core.inspection import CallInfo
from core.register import Classification
from core.scanning import Finding
from detectors.custom import CustomDetector
from detectors.errors import DetectionError
from detectors.secrets import SecretsDetector
from detectors.settings import CustomSettings, KeywordRecognizerSettings, RegexRecognizerSettings
from policies.loader import parse_policy_text
from policies.model import Policy
from policies.scanning import DetectorScanner
from proxy.call.apis import Api
from proxy.config.settings import ModelEntry

#: Detected by the real secrets detector as OPENAI_API_KEY.
OPENAI_KEY = "sk-proj-aB3dE5fG7hJ9kL1mN3pQ5rS7tV9wX1yZ3aB5cD7eF9gH1jK3"
#: Detected as AWS_ACCESS_KEY_ID.
AWS_KEY = "AKIAIOSFODNN7EXAMPLQ"
EMAIL = "alice.smith@example.com"
OTHER_EMAIL = "bob@example.org"
PHONE = "+44 20 7946 0958"
SSN = "078-05-1120"

# Stand-ins for the Presidio entity types, so unit tests need no spaCy model.
STAND_INS = CustomSettings(
    regexes=(
        RegexRecognizerSettings(
            entity_type="EMAIL_ADDRESS", pattern=r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", score=0.9
        ),
        RegexRecognizerSettings(entity_type="PHONE_NUMBER", pattern=r"\+\d[\d ]{8,}\d", score=0.7),
        RegexRecognizerSettings(entity_type="US_SSN", pattern=r"\b\d{3}-\d{2}-\d{4}\b", score=0.85),
    ),
    keywords=(
        KeywordRecognizerSettings(
            entity_type="PERSON", keywords=("Alice Smith", "Bob Jones"), score=0.85
        ),
        KeywordRecognizerSettings(entity_type="LOCATION", keywords=("London",), score=0.85),
    ),
)


@functools.cache
def secrets_detector() -> SecretsDetector:
    """The secrets detector with default settings, built once per session: building one
    reads its word lists and builds its rules (~0.5 s idle); it keeps no state after."""
    return SecretsDetector()


def real_scanner(policy: Policy | None = None) -> DetectorScanner:
    """The real secrets detector, stand-ins for PII, and the policy's custom recognizers."""
    detectors: list[Any] = [secrets_detector(), CustomDetector(STAND_INS)]
    if policy is not None and (policy.recognizers.regexes or policy.recognizers.keywords):
        detectors.append(CustomDetector(policy.recognizers))
    return DetectorScanner(detectors)


class CannedScanner:
    """Returns the findings given for each exact text; records what it was asked."""

    def __init__(self, findings: Mapping[str, Sequence[Finding]] | None = None) -> None:
        self._findings = dict(findings or {})
        self.calls: list[list[str]] = []

    async def scan(
        self,
        texts: Sequence[str],
        *,
        budget: float | None,
        caller: str | None = None,
        ner_chars: int | None = None,
        entities: Collection[str] | None = None,
    ) -> list[list[Finding]]:
        self.calls.append(list(texts))
        return [list(self._findings.get(text, ())) for text in texts]


class FailingScanner:
    """Raises the given detection error on every scan."""

    def __init__(self, error: DetectionError) -> None:
        self._error = error
        self.calls = 0

    async def scan(
        self,
        texts: Sequence[str],
        *,
        budget: float | None,
        caller: str | None = None,
        ner_chars: int | None = None,
        entities: Collection[str] | None = None,
    ) -> list[list[Finding]]:
        self.calls += 1
        raise self._error


def policy(text: str) -> Policy:
    """A policy from YAML text (validated like a file)."""
    return parse_policy_text(text, source="test")


def call_info(
    api: Api = Api.CHAT,
    *,
    model: str = "gpt-4o-mini",
    user: str = "alice",
    team: str = "finance",
    app: str = "notebook",
    key_id: str = "key-1",
    provider: str = "openai",
    region: str = "",
    classification: Classification = Classification.INTERNAL,
    approved: bool = True,
    stream: bool = False,
) -> CallInfo:
    """A call as the pipeline describes it to inspectors."""
    entry = ModelEntry(
        name=model,
        provider=provider,
        region=region,
        data_classification=classification,
        approved=approved,
    )
    return CallInfo(
        request_id="req-test-0001",
        identity=Identity(user=user, team=team, app=app, key_id=key_id),
        api=api,
        endpoint="/v1/" + api.value.replace(".", "/"),
        model=model,
        entry=entry,
        provider=provider,
        stream=stream,
    )


def chat(*contents: str) -> dict[str, Any]:
    """A chat body with one user message per content."""
    return {
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": c} for c in contents],
    }
