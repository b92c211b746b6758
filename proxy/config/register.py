"""The AI use register as a routing table: model name → approved entry → provider.

A listed model is routed to its provider; a model that is not listed gets 404 with the
configured instructions for requesting approval (or, in an open register, is routed to the
default provider of the API family it was called through); ``approved: false`` gets 403.

Each entry also records its approval and the day it is due for review; :func:`review_of`
says where an entry stands on a given day, for the ``register_review_overdue`` metric and
``llm-proxy register status``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fnmatch import fnmatchcase as fnmatch

from core.apis import ApiFamily
from core.identity import Identity
from proxy.config.settings import ModelEntry, ProviderConfig, RegisterConfig
from proxy.errors import Forbidden, ModelNotFound


@dataclass(frozen=True, slots=True)
class Route:
    """Where a call goes and under which register entry it is governed."""

    entry: ModelEntry
    provider_name: str
    provider: ProviderConfig
    #: False for models admitted by an open register without being listed.
    listed: bool


#: Days before ``review_by`` from which an entry is reported as due.
REVIEW_DUE_DAYS = 30
#: Days of use ``register status`` reports (calls, shadow AI).
USAGE_WINDOW_DAYS = 30


class ReviewState(StrEnum):
    """Where an entry's review stands on a given day."""

    OK = "ok"
    #: ``review_by`` is within :data:`REVIEW_DUE_DAYS` (today included).
    DUE = "due"
    #: ``review_by`` has passed: the approval has not been reviewed in time.
    OVERDUE = "overdue"
    NO_DATE = "no review date"


@dataclass(frozen=True, slots=True)
class Review:
    """An entry's review state and the days until ``review_by`` (negative when overdue)."""

    state: ReviewState
    days_left: int | None

    def describe(self) -> str:
        """``ok``, ``due in 3 days``, ``due today``, ``overdue by 5 days``, ``no review date``."""
        days = self.days_left
        if self.state is ReviewState.DUE and days is not None:
            return "due today" if days == 0 else f"due in {days} day{'s' * (days != 1)}"
        if self.state is ReviewState.OVERDUE and days is not None:
            return f"overdue by {-days} day{'s' * (days != -1)}"
        return self.state.value


def review_of(entry: ModelEntry, today: date) -> Review:
    """The entry's review state on ``today``; overdue from the day after ``review_by``."""
    if entry.review_by is None:
        return Review(ReviewState.NO_DATE, None)
    days = (entry.review_by - today).days
    if days < 0:
        return Review(ReviewState.OVERDUE, days)
    return Review(ReviewState.DUE if days <= REVIEW_DUE_DAYS else ReviewState.OK, days)


def review_overdue(entries: Iterable[ModelEntry], today: date) -> dict[str, float]:
    """Model name → 1.0 when its review is overdue on ``today``, else 0.0 (the metric)."""
    return {
        entry.name: float(review_of(entry, today).state is ReviewState.OVERDUE) for entry in entries
    }


class Register:
    """Looks models up in the register and checks the caller's entitlement."""

    def __init__(self, config: RegisterConfig, providers: Mapping[str, ProviderConfig]) -> None:
        self._config = config
        self._providers = providers
        self._by_name: dict[str, ModelEntry] = {}
        self._unlisted: dict[tuple[str, ApiFamily], ModelEntry] = {}
        for entry in config.models or ():
            for name in (entry.name, *entry.aliases):
                self._by_name[name] = entry

    @property
    def is_open(self) -> bool:
        return self._config.unlisted_policy == "allow"

    def _unlisted_entry(self, model: str, family: ApiFamily) -> ModelEntry:
        """An open register's entry for an unlisted model: validated once per model, not
        per call (callers name few models; the cache is bounded all the same)."""
        entry = self._unlisted.get((model, family))
        if entry is None:
            if len(self._unlisted) >= 1024:
                self._unlisted.clear()
            entry = ModelEntry(name=model, provider=family.value, approved=True)
            self._unlisted[(model, family)] = entry
        return entry

    def entries(self) -> tuple[ModelEntry, ...]:
        return self._config.models or ()

    def resolve(self, model: str, family: ApiFamily, identity: Identity) -> Route:
        """The route for ``model`` called by ``identity``; raises 404/403 errors."""
        entry = self._by_name.get(model)
        if entry is None:
            if not self.is_open:
                raise self.not_found(model)
            entry = self._unlisted_entry(model, family)
            listed = False
        else:
            listed = True
        if not entry.approved:
            raise Forbidden(
                f"The model {model!r} is in the AI use register but not approved for use. "
                f"{self._config.approval_instructions}",
                param="model",
                code="model_not_approved",
            )
        if not (identity.may_use(model) or identity.may_use(entry.name)):
            raise Forbidden(
                # Not the name: it is the caller's text, and may hold a key (h156).
                "Your key is not entitled to use this model.",
                param="model",
                code="model_not_entitled",
            )
        return Route(
            entry=entry,
            provider_name=entry.provider,
            provider=self._providers[entry.provider],
            listed=listed,
        )

    def check_path(self, path: str) -> None:
        """Refuse a model-less call on ``path`` unless the register lets it through."""
        if self.is_open or any(fnmatch(path, glob) for glob in self._config.passthrough_paths):
            return
        raise Forbidden(
            # Not the path: its segments are the caller's text, and may hold a key (h156).
            "This path is not available through this proxy: it names no model the AI use "
            f"register could check. {self._config.approval_instructions}",
            code="path_not_allowed",
        )

    def not_found(self, model: str) -> ModelNotFound:
        return ModelNotFound(
            f"The model {model!r} is not an approved model in the AI use register. "
            f"{self._config.approval_instructions}",
            param="model",
        )

    def visible_to(self, identity: Identity) -> list[ModelEntry]:
        """Approved listed models the caller may use, for ``GET /v1/models``."""
        return [
            entry
            for entry in self.entries()
            if entry.approved
            and (identity.may_use(entry.name) or any(identity.may_use(a) for a in entry.aliases))
        ]
