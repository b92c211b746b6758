"""Configuration: one YAML file validated into frozen pydantic models, parsed once at start-up.

Everything has a default, so the proxy runs with no file at all (zero-config mode). Errors
name the key path and the bad value, one line per problem.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from core.register import Classification
from detectors.settings import DetectorSettings
from proxy.store.settings import ContentMode, StoreSettings

DEFAULT_OPENAI_BASE_URL = "https://api.openai.com/v1"
DEFAULT_ANTHROPIC_BASE_URL = "https://api.anthropic.com"


class ConfigError(Exception):
    """A configuration file that cannot be used. ``problems`` holds one line per problem."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class ProviderKind(StrEnum):
    OPENAI = "openai"
    AZURE = "azure"
    ANTHROPIC = "anthropic"
    OPENAI_COMPATIBLE = "openai_compatible"


class Price(_Model):
    """What a model costs, per million tokens (and per call where a provider bills one).

    Cached input (OpenAI's cached prompt tokens, Anthropic's cache reads) and Anthropic's
    cache writes default to the input price when not given. The currency must be the one
    ``pricing.currency`` names: costs are added up, never converted.
    """

    currency: str = "USD"
    input: float = Field(ge=0)
    output: float = Field(ge=0)
    cached_input: float | None = Field(default=None, ge=0)
    cache_write: float | None = Field(default=None, ge=0)
    per_call: float = Field(default=0.0, ge=0)

    @field_validator("currency")
    @classmethod
    def _code(cls, value: str) -> str:
        if not (len(value) == 3 and value.isalpha()):
            raise ValueError("must be a three-letter currency code such as USD or EUR")
        return value.upper()


class PricingConfig(_Model):
    """How call costs are computed (``llm_proxy_cost_total``, the ``cost`` column)."""

    #: Every cost is in this currency; a price in another one is a configuration error.
    currency: str = "USD"
    #: Use the price table shipped with the proxy (USD, dated) for models whose register
    #: entry and provider carry no price of their own.
    shipped_prices: bool = True

    @field_validator("currency")
    @classmethod
    def _code(cls, value: str) -> str:
        return Price._code(value)


class ProviderConfig(_Model):
    """An upstream AI provider endpoint and the credential the proxy holds for it."""

    kind: ProviderKind
    base_url: str
    #: Environment variable holding the provider key used for virtual-key callers.
    api_key_env: str | None = None
    #: Azure OpenAI ``api-version`` query parameter.
    api_version: str | None = None
    #: Anthropic ``anthropic-version`` header, sent when the caller did not send one.
    anthropic_version: str = "2023-06-01"
    #: Ask for usage in streams (``stream_options.include_usage``) for token accounting.
    #: Defaults to on for OpenAI and Azure; turn it on for OpenAI-compatible servers that
    #: support it (vLLM, recent Ollama). Without usage, output tokens are estimated.
    stream_usage: bool | None = None
    #: The price of every model of this provider that its register entry does not price
    #: (e.g. a self-hosted server billed per token by an internal rate card).
    price: Price | None = None

    @property
    def asks_stream_usage(self) -> bool:
        if self.stream_usage is not None:
            return self.stream_usage
        return self.kind in (ProviderKind.OPENAI, ProviderKind.AZURE)

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @model_validator(mode="after")
    def _azure_needs_version(self) -> ProviderConfig:
        if self.kind is ProviderKind.AZURE and not self.api_version:
            raise ValueError("an azure provider needs api_version (e.g. '2024-10-21')")
        return self


class ModelEntry(_Model):
    """One entry of the AI use register: an approved (or explicitly refused) model."""

    name: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()
    provider: str
    #: Model name sent upstream when it differs from ``name`` (aliases, pinned versions).
    upstream_model: str | None = None
    #: Azure OpenAI deployment name (defaults to the upstream model name).
    deployment: str | None = None
    approved: bool = True
    owner: str = ""
    description: str = ""
    #: Highest data classification this model may receive.
    data_classification: Classification = Classification.INTERNAL
    region: str = ""
    #: What the provider says it keeps, e.g. "30 days, no training".
    retention: str = ""
    #: What the event log keeps for calls to this model; overrides the store default.
    log_content: ContentMode | None = None
    #: Who approved the model for use (a person or board), and on which day.
    approved_by: str = ""
    approved_at: date | None = None
    #: The day by which the approval must be reviewed; the day after, the entry is overdue
    #: (metric ``llm_proxy_register_review_overdue``, ``llm-proxy register status``).
    review_by: date | None = None
    #: Known risks and the conditions of the approval, for the auditor.
    risk_notes: str = ""
    #: What the model costs; overrides the provider's price and the shipped table.
    price: Price | None = None

    @property
    def target_model(self) -> str:
        return self.upstream_model or self.name

    @field_validator("approved_by", "risk_notes")
    @classmethod
    def _stripped(cls, value: str) -> str:
        return value.strip()

    @field_validator("review_by")
    @classmethod
    def _review_after_approval(cls, value: date | None, info: ValidationInfo) -> date | None:
        approved_at = info.data.get("approved_at")
        if value is not None and approved_at is not None and value < approved_at:
            raise ValueError(f"must not be before approved_at ({approved_at.isoformat()})")
        return value


class RegisterConfig(_Model):
    """The AI use register. With no ``models`` list the register is open (zero-config)."""

    models: tuple[ModelEntry, ...] | None = None
    #: What happens to models not listed: ``deny`` (404) or ``allow`` (routed by API family).
    #: Defaults to ``allow`` while no models are listed, ``deny`` once any are.
    unlisted: Literal["allow", "deny"] | None = None
    #: Told to callers who ask for a model that is not in the register.
    approval_instructions: str = "Ask your AI governance owner to add it to the AI use register."
    #: Path globs of model-less ``/v1/*`` calls (files, batches, ...) passed through while the
    #: register is closed. Such calls name no model the register could check (a batch file
    #: can hold calls to any model), so a closed register refuses them unless listed here,
    #: e.g. ``["/v1/files*"]``. An open register passes every path.
    passthrough_paths: tuple[str, ...] = ()
    #: Require every approved entry to record its approval: ``approved_by``, ``approved_at``
    #: and ``review_by``. Off by default so registers written before these fields stay valid.
    require_approval_record: bool = False

    @model_validator(mode="after")
    def _approvals_recorded(self) -> RegisterConfig:
        if not self.require_approval_record:
            return self
        problems = [
            f"register.models.{i}.{name}: required for approved models "
            f"(register.require_approval_record is on; model {entry.name!r})"
            for i, entry in enumerate(self.models or ())
            if entry.approved
            for name in ("approved_by", "approved_at", "review_by")
            if not getattr(entry, name)
        ]
        if problems:
            raise ValueError("\n".join(problems))
        return self

    @property
    def unlisted_policy(self) -> Literal["allow", "deny"]:
        if self.unlisted is not None:
            return self.unlisted
        return "allow" if self.models is None else "deny"


class AuthConfig(_Model):
    #: ``auto``: pass-through until the keys file holds a virtual key, then virtual keys only.
    mode: Literal["auto", "virtual_keys", "passthrough"] = "auto"
    #: Defaults to ``<data_dir>/keys.yaml``.
    keys_file: Path | None = None
    #: Seconds between checks of the keys file for changes (SIGHUP reloads at once); the
    #: default keeps "a revoked key is refused within 2 s".
    reload_interval: float = Field(default=1.0, gt=0)


class RateLimit(_Model):
    requests_per_minute: int | None = Field(default=None, gt=0)
    tokens_per_minute: int | None = Field(default=None, gt=0)


class RedisLimitsConfig(_Model):
    """Where replicas share their rate-limit buckets (``limits.backend: redis``)."""

    #: ``redis://``, ``rediss://`` (TLS) or ``unix://``. A password may be given here or,
    #: better, in the environment variable ``password_env`` names.
    url: str = "redis://127.0.0.1:6379/0"
    password_env: str | None = None
    #: Prefix of every key; also the Cluster hash tag, so all buckets share one slot.
    key_prefix: str = "llm-proxy"
    #: Seconds to wait for Redis on each call before treating it as unavailable. Time the
    #: proxy's own event loop was held (a busy machine) does not count; a refused
    #: connection fails at once anyway.
    timeout: float = Field(default=1.0, gt=0, le=10)
    #: After a failure, Redis is not asked again for this long (the fail mode applies).
    retry_seconds: float = Field(default=1.0, gt=0, le=60)
    #: Seconds start-up keeps trying to reach Redis (connect and load the scripts) before
    #: it serves under ``on_unavailable``. Connected at start, a call is one round trip; the
    #: first call made six (connect, handshake, the scripts' loading), each of which
    #: ``timeout`` could cut short on a busy machine, and then passed unlimited.
    start_timeout: float = Field(default=5.0, gt=0, le=120)
    #: When Redis is unreachable: ``open`` admits calls (limits are not enforced, counted
    #: and logged), ``closed`` refuses them with 503.
    on_unavailable: Literal["open", "closed"] = "open"

    @field_validator("url")
    @classmethod
    def _redis_url(cls, value: str) -> str:
        if not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value


class Budget(_Model):
    """A spend budget for a period, in ``pricing.currency``.

    ``scope`` names what it applies to: a team, a virtual key (by id) or an app; ``subject``
    is that team, key id or app, or ``*`` for a budget of this size for each of them
    (teams and keys only: app names come from callers). Periods are UTC calendar days or
    months.
    """

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
    scope: Literal["team", "key", "app"]
    subject: str = Field(min_length=1)
    period: Literal["day", "month"]
    amount: float = Field(gt=0)
    #: Share of ``amount`` from which the budget is reported as nearly used up (metric
    #: ``llm_proxy_budget_used_ratio``, alert LLMProxyBudgetWarning).
    warn_at: float = Field(default=0.8, gt=0, le=1)
    #: Refuse calls (429 ``budget_exceeded``) once the budget is used up; otherwise only
    #: report it.
    hard: bool = True

    @model_validator(mode="after")
    def _bounded_subjects(self) -> Budget:
        if self.scope == "app" and self.subject == "*":
            raise ValueError("an app budget names its app: app names come from callers")
        return self


class LimitsConfig(_Model):
    #: ``memory``: buckets in this process (one replica). ``redis``: shared by replicas.
    #: The backend is chosen at start; a reload that changes it needs a restart.
    backend: Literal["memory", "redis"] = "memory"
    redis: RedisLimitsConfig = RedisLimitsConfig()
    #: Applied to every virtual key unless its keys-file entry sets its own.
    per_key: RateLimit = RateLimit()
    #: Applied to every team unless ``teams`` names it.
    per_team: RateLimit = RateLimit()
    teams: Mapping[str, RateLimit] = Field(default_factory=dict)
    #: Spend budgets per team, key or app (see :class:`Budget`); kept where the rate-limit
    #: buckets are (``backend``), so replicas sharing Redis share their spend.
    budgets: tuple[Budget, ...] = ()

    @field_validator("budgets")
    @classmethod
    def _unique_names(cls, budgets: tuple[Budget, ...]) -> tuple[Budget, ...]:
        names = [b.name for b in budgets]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(f"budget names must be unique: {', '.join(repeated)}")
        return budgets


class TimeoutsConfig(_Model):
    """Timeouts in seconds: the caller's request body, then the upstream call."""

    #: Longest silence while the caller sends its request body (a stalled or never-ending
    #: upload answers 408 instead of holding its task).
    request_body_idle: float = Field(default=30.0, gt=0)
    #: The whole request body, however steadily it trickles in.
    request_body: float = Field(default=300.0, gt=0)
    connect: float = Field(default=10.0, gt=0)
    #: From sending the request to the provider's response headers.
    ttfb: float = Field(default=120.0, gt=0)
    #: Longest silence between two pieces of a streamed response.
    idle: float = Field(default=120.0, gt=0)
    #: Whole call, streams included.
    total: float = Field(default=900.0, gt=0)


class ListenConfig(_Model):
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)

    @property
    def is_loopback(self) -> bool:
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False


#: The admin listener when the main one is not loopback and ``admin.listen`` is not set.
DEFAULT_ADMIN_LISTEN = ListenConfig(host="127.0.0.1", port=8081)


class MetricsConfig(_Model):
    #: Serve /metrics on a listener of its own; ``None`` serves it with the admin API.
    listen: ListenConfig | None = None


class LogContentConfig(_Model):
    """What the event log keeps of prompt and answer text, per team.

    A register entry's ``log_content`` and its team's mode may both apply: the more private
    one wins (full < redacted < hash < none). Neither set: ``store.default_content_mode``.
    """

    teams: Mapping[str, ContentMode] = Field(default_factory=dict)


class PolicyConfig(_Model):
    #: The acceptable-use policy file; ``None`` applies the shipped default pack.
    file: Path | None = None
    #: Seconds between checks of the policy file for changes (SIGHUP reloads at once).
    reload_interval: float = Field(default=2.0, gt=0)


class AdminReader(_Model):
    """An additional admin API credential, e.g. for a SOC analyst's tooling."""

    name: str = Field(min_length=1)
    #: SHA-256 (hex) of the token: ``printf %s "$TOKEN" | sha256sum``. Never the token.
    token_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    #: ``metadata``: who/when/which model/decision/findings; ``content``: also prompt and
    #: response text (every such read is recorded in the audit log).
    role: Literal["metadata", "content"] = "metadata"


class AdminConfig(_Model):
    #: File holding the local admin token (created 0600 on first start).
    #: Defaults to ``<data_dir>/admin.token``. Its holder has the ``content`` role.
    token_file: Path | None = None
    readers: tuple[AdminReader, ...] = ()
    #: A listener of its own for /admin (and /metrics, unless ``metrics.listen``). Unset:
    #: the main listener when that is loopback, else ``DEFAULT_ADMIN_LISTEN`` (loopback).
    listen: ListenConfig | None = None
    #: Serve /admin (and /metrics) on a non-loopback main listener, to everyone who can
    #: reach the API. Off by default; it cannot be combined with ``listen``.
    expose_on_main_listener: bool = False

    @model_validator(mode="after")
    def _one_place(self) -> AdminConfig:
        if self.listen is not None and self.expose_on_main_listener:
            raise ValueError(
                "admin.expose_on_main_listener: cannot be true when admin.listen is set "
                "(the admin API is served in one place)"
            )
        return self


class Settings(_Model):
    """The whole configuration, resolved: every path absolute, every default filled in."""

    listen: ListenConfig = ListenConfig()
    data_dir: Path = Path("data")
    #: Largest request body accepted (bytes); larger ones get 413.
    max_body_bytes: int = Field(default=16 * 1024 * 1024, gt=0)
    timeouts: TimeoutsConfig = TimeoutsConfig()
    providers: Mapping[str, ProviderConfig] = Field(default_factory=dict)
    #: The AI use register (YAML key ``register``; ``register`` itself is taken by pydantic).
    ai_register: RegisterConfig = Field(default=RegisterConfig(), alias="register")
    auth: AuthConfig = AuthConfig()
    limits: LimitsConfig = LimitsConfig()
    pricing: PricingConfig = PricingConfig()
    metrics: MetricsConfig = MetricsConfig()
    admin: AdminConfig = AdminConfig()
    #: The event log (ClickHouse). Paths default to ``<data_dir>/clickhouse`` and
    #: ``<data_dir>/spool``.
    store: StoreSettings = StoreSettings()
    log_content: LogContentConfig = LogContentConfig()
    policy: PolicyConfig = PolicyConfig()
    #: Detection: spaCy model, PII entities and thresholds, secrets, worker pool, budget.
    detectors: DetectorSettings = DetectorSettings()
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    #: The event loop ``serve`` runs on: ``uvloop`` when installed (``llm-proxy[fast]``)
    #: under ``auto``; ``asyncio`` turns it off (see proxy/server.py).
    event_loop: Literal["auto", "uvloop", "asyncio"] = "auto"

    # A field validator rather than a model validator: pydantic skips model validators
    # when any field is invalid, so a file with a typo elsewhere would hide these problems.
    # ``providers`` is declared before the register, so it is in ``info.data`` when valid.
    @field_validator("ai_register")
    @classmethod
    def _references_resolve(cls, register: RegisterConfig, info: ValidationInfo) -> RegisterConfig:
        providers = info.data.get("providers")
        problems: list[str] = []
        names: dict[str, int] = {}
        for i, entry in enumerate(register.models or ()):
            if providers is not None and entry.provider not in providers:
                known = ", ".join(sorted(providers))
                problems.append(
                    f"register.models.{i}.provider: unknown provider {entry.provider!r} "
                    f"(configured: {known})"
                )
            for name in (entry.name, *entry.aliases):
                if name in names:
                    problems.append(
                        f"register.models.{i}: model name {name!r} already used by "
                        f"register.models.{names[name]}"
                    )
                names.setdefault(name, i)
        if problems:
            # One line per problem; ``_describe`` splits them again.
            raise ValueError("\n".join(problems))
        return register

    @field_validator("pricing")
    @classmethod
    def _one_currency(cls, pricing: PricingConfig, info: ValidationInfo) -> PricingConfig:
        priced: list[tuple[str, Price | None]] = [
            (f"providers.{name}.price", provider.price)
            for name, provider in (info.data.get("providers") or {}).items()
        ]
        register = info.data.get("ai_register")
        if register is not None:
            priced += [
                (f"register.models.{i}.price", entry.price)
                for i, entry in enumerate(register.models or ())
            ]
        problems = [
            f"{where}: currency {price.currency} differs from pricing.currency "
            f"{pricing.currency} (costs are added up, never converted)"
            for where, price in priced
            if price is not None and price.currency != pricing.currency
        ]
        if problems:
            raise ValueError("\n".join(problems))
        return pricing

    @property
    def keys_file(self) -> Path:
        return self.auth.keys_file or self.data_dir / "keys.yaml"

    @property
    def admin_token_file(self) -> Path:
        return self.admin.token_file or self.data_dir / "admin.token"

    @property
    def admin_listen(self) -> ListenConfig | None:
        """The admin API's own listener; ``None`` when it shares the main listener.

        Shared only when the main listener is loopback or ``admin.expose_on_main_listener``
        says so: a proxy on the network never serves /admin and /metrics to its callers by
        default. A property, so ``serve --host`` is taken into account.
        """
        if self.admin.listen is not None:
            return self.admin.listen
        if self.listen.is_loopback or self.admin.expose_on_main_listener:
            return None
        return DEFAULT_ADMIN_LISTEN


def default_providers(environ: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """The providers that exist without configuration, honouring the SDKs' env variables."""
    return {
        "openai": {
            "kind": "openai",
            "base_url": environ.get("OPENAI_BASE_URL") or DEFAULT_OPENAI_BASE_URL,
            "api_key_env": "OPENAI_API_KEY",
        },
        "anthropic": {
            "kind": "anthropic",
            "base_url": environ.get("ANTHROPIC_BASE_URL") or DEFAULT_ANTHROPIC_BASE_URL,
            "api_key_env": "ANTHROPIC_API_KEY",
        },
    }


def _describe(loc: tuple[int | str, ...], message: str, value: Any) -> list[str]:
    """The lines reporting one validation error, each starting with its key path."""
    if message.startswith("Value error, "):
        message = message.removeprefix("Value error, ")
    path = ".".join(str(part) for part in loc)
    if not loc or message.startswith(f"{path}."):
        # Cross-field checks name the key paths themselves, one problem per line.
        return message.splitlines()
    shown = repr(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    if isinstance(value, (dict, list)) or value is None:
        return [f"{path}: {message}"]
    return [f"{path}: {message} (got {shown})"]


def parse_settings(
    raw: Mapping[str, Any],
    *,
    environ: Mapping[str, str],
    source: str = "configuration",
    base_dir: Path | None = None,
) -> Settings:
    """Validate a configuration mapping. Relative paths resolve against ``base_dir``."""
    data = dict(raw)
    configured = data.get("providers")
    if configured is None or isinstance(configured, Mapping):
        # Anything else is left for the model to reject with its key path.
        providers: dict[str, Any] = default_providers(environ)
        for name, value in (configured or {}).items():
            # Settings given for a default provider refine it (e.g. only its base_url).
            base = providers.get(name)
            providers[name] = {**base, **value} if base and isinstance(value, Mapping) else value
        data["providers"] = providers
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        problems = [
            line for e in exc.errors() for line in _describe(e["loc"], e["msg"], e.get("input"))
        ]
        raise ConfigError(source, problems) from None
    root = base_dir or Path.cwd()
    data_dir = (root / settings.data_dir).resolve()
    updates: dict[str, Any] = {"data_dir": data_dir}
    updates["store"] = _resolve_store(raw.get("store"), settings.store, data_dir, root, environ)
    if settings.auth.keys_file is not None:
        updates["auth"] = settings.auth.model_copy(
            update={"keys_file": (root / settings.auth.keys_file).resolve()}
        )
    if settings.policy.file is not None:
        updates["policy"] = settings.policy.model_copy(
            update={"file": (root / settings.policy.file).resolve()}
        )
    if settings.admin.token_file is not None:
        updates["admin"] = settings.admin.model_copy(
            update={"token_file": (root / settings.admin.token_file).resolve()}
        )
    return settings.model_copy(update=updates)


def _resolve_store(
    raw: Any, store: StoreSettings, data_dir: Path, root: Path, environ: Mapping[str, str]
) -> StoreSettings:
    """Store paths default to the data directory; ``LLM_PROXY_CLICKHOUSE_URL`` wins."""
    given = raw if isinstance(raw, Mapping) else {}
    update: dict[str, Any] = {}
    url = environ.get("LLM_PROXY_CLICKHOUSE_URL") or given.get("url")
    if url is None:
        update["url"] = f"chdb://{data_dir / 'clickhouse'}"
    elif url.startswith("chdb://") and not url.startswith("chdb:///"):
        update["url"] = f"chdb://{(root / url.removeprefix('chdb://')).resolve()}"
    else:
        update["url"] = url
    spool = given.get("spool_dir")
    update["spool_dir"] = (root / spool).resolve() if spool else data_dir / "spool"
    merged = {**store.model_dump(), **update}
    if "database" not in given:
        del merged["database"]  # let a server URL's path name it
    try:
        return StoreSettings.model_validate(merged)
    except ValidationError as exc:
        problems = [f"store.url: {e['msg'].removeprefix('Value error, ')}" for e in exc.errors()]
        raise ConfigError("LLM_PROXY_CLICKHOUSE_URL", problems) from None


def load_settings(path: Path | None, *, environ: Mapping[str, str]) -> Settings:
    """Read the YAML file at ``path`` (or ``LLM_PROXY_CONFIG``; none means all defaults).

    Relative paths inside a file resolve against the working directory, like the defaults,
    so ``data_dir: ./data`` means the same with and without a file.
    """
    if path is None and environ.get("LLM_PROXY_CONFIG"):
        path = Path(environ["LLM_PROXY_CONFIG"])
    raw: Any = {}
    source = "defaults"
    if path is not None:
        source = str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(source, [f"cannot read: {exc.strerror or exc}"]) from None
        except UnicodeDecodeError as exc:
            raise ConfigError(
                source, [f"not UTF-8 text (invalid byte at offset {exc.start})"]
            ) from None
        try:
            raw = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
            problem = getattr(exc, "problem", None) or str(exc)
            raise ConfigError(source, [f"{where}invalid YAML: {problem}"]) from None
        except ValueError as exc:  # a scalar YAML cannot build, e.g. the date 2026-13-01
            raise ConfigError(source, [f"invalid YAML value: {exc}"]) from None
        if not isinstance(raw, dict):
            raise ConfigError(source, ["(top level): must be a mapping of settings"])
    return parse_settings(raw, environ=environ, source=source)
