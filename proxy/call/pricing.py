"""What a call cost: the price of its model, times the usage the provider reported.

A model's price comes from, in order: its register entry's ``price``, its provider's
``price``, the table shipped in ``proxy/data/prices.yaml`` (US dollars, dated; matched by
the name sent upstream, with or without a date suffix). A model none of them prices is
*unpriced*: its calls are counted as such and their cost is unknown (``None``), never a
guess and never zero.

Token classes are priced apart: input, cached input (OpenAI's cached prompt tokens,
Anthropic's cache reads), Anthropic's cache writes, and output. The usage's
``prompt_tokens`` includes the cached and cache-write tokens, as the event log stores it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

import yaml

from proxy.call.apis import Usage
from proxy.config.register import Route
from proxy.config.settings import Price, PricingConfig, ProviderKind, Settings

#: Provider kinds the shipped table covers (Azure and compatible servers price their own).
_SHIPPED_KINDS = {ProviderKind.OPENAI: "openai", ProviderKind.ANTHROPIC: "anthropic"}
#: A snapshot suffix: -2024-08-06, -20250514, -latest.
_SNAPSHOT = re.compile(r"-(?:\d{4}-\d{2}-\d{2}|\d{8}|latest)$")


@dataclass(frozen=True, slots=True)
class PriceTable:
    """The shipped prices: per provider kind, model name → price."""

    as_of: date
    currency: str
    models: dict[str, dict[str, Price]]

    def lookup(self, kind: str, model: str) -> Price | None:
        prices = self.models.get(kind, {})
        return prices.get(model) or prices.get(_SNAPSHOT.sub("", model))


@functools.cache
def shipped_prices() -> PriceTable:
    """The table in ``proxy/data/prices.yaml`` (read once)."""
    text = resources.files("proxy").joinpath("data/prices.yaml").read_text(encoding="utf-8")
    raw: dict[str, Any] = yaml.safe_load(text)
    currency = str(raw["currency"])
    models = {
        kind: {name: Price(currency=currency, **fields) for name, fields in raw[kind].items()}
        for kind in _SHIPPED_KINDS.values()
    }
    return PriceTable(date.fromisoformat(str(raw["as_of"])), currency, models)


def price_of(route: Route, upstream_model: str, pricing: PricingConfig) -> Price | None:
    """The price a call to ``upstream_model`` through ``route`` is charged at, if known."""
    if route.entry.price is not None:
        return route.entry.price
    if route.provider.price is not None:
        return route.provider.price
    kind = _SHIPPED_KINDS.get(route.provider.kind)
    if not pricing.shipped_prices or kind is None:
        return None
    table = shipped_prices()
    if table.currency != pricing.currency:
        return None
    return table.lookup(kind, upstream_model or route.entry.target_model)


def unpriced_models(settings: Settings) -> list[str]:
    """Register entries no price covers (their calls will be counted as unpriced)."""
    missing = []
    for entry in settings.ai_register.models or ():
        provider = settings.providers.get(entry.provider)
        if provider is None or not entry.approved:
            continue
        route = Route(entry=entry, provider_name=entry.provider, provider=provider, listed=True)
        if price_of(route, entry.target_model, settings.pricing) is None:
            missing.append(entry.name)
    return missing


def cost_of(usage: Usage, price: Price) -> float:
    """The cost of ``usage`` at ``price``, in the price's currency."""
    cached = min(usage.cached_tokens, usage.prompt_tokens)
    written = min(usage.cache_write_tokens, usage.prompt_tokens - cached)
    plain = usage.prompt_tokens - cached - written
    per_million = (
        plain * price.input
        + cached * (price.input if price.cached_input is None else price.cached_input)
        + written * (price.input if price.cache_write is None else price.cache_write)
        + usage.completion_tokens * price.output
    )
    return per_million / 1_000_000 + price.per_call


__all__ = ["PriceTable", "cost_of", "price_of", "shipped_prices", "unpriced_models"]
