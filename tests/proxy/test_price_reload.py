"""A call's price is decided once per kind of call and configuration snapshot (issue 11,
h106): a reload that changes a model's price, its provider's price or the model sent
upstream (and so its shipped price) reaches the very next call of a caller whose call kind
is already kept, in the recorded cost, the cost metric and the budget's reservation.

Each test calls twice first (so the call kind, and the price with it, is kept), rewrites
the configuration file, runs only the configuration's reload, and calls again through the
real proxy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openai
import pytest
import yaml

from proxy.config.reload import ConfigReloader
from tests.fakes import FakeUpstream
from tests.fakes.behaviour import TokenUsage
from tests.proxy.conftest import Proxy, StartProxy

#: 1,000 prompt tokens and 100 output tokens a call.
USAGE = TokenUsage(prompt_tokens=1000, completion_tokens=100)
CHEAP = {"input": 1.0, "output": 2.0}
DEAR = {"input": 3.0, "output": 5.0}
#: gpt-4o in the shipped table (proxy/data/prices.yaml), US dollars per million tokens.
SHIPPED_GPT_4O = (2.5, 10.0)
SHIPPED_MINI = (0.15, 0.6)
#: A model the shipped table does not price.
HOUSE = "house-tuned-7"


def _cost(price: dict[str, float] | tuple[float, float]) -> float:
    per_input, per_output = price if isinstance(price, tuple) else price.values()
    return (1000 * per_input + 100 * per_output) / 1e6


def _config(
    entry_price: dict[str, float] | None = None,
    provider_price: dict[str, float] | None = None,
    *,
    upstream_model: str | None = None,
    budgets: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": "gpt-4o", "provider": "openai"}
    if entry_price is not None:
        entry["price"] = entry_price
    if upstream_model is not None:
        entry["upstream_model"] = upstream_model
    config: dict[str, Any] = {"register": {"models": [entry]}}
    if provider_price is not None:
        config["providers"] = {"openai": {"price": provider_price}}
    if budgets is not None:
        config["limits"] = {"budgets": budgets}
    return config


class Place:
    """A proxy started from a configuration file, and that file."""

    def __init__(self, start_proxy: StartProxy, tmp_path: Path) -> None:
        self._start = start_proxy
        self.path = tmp_path / "proxy.yaml"
        self._data_dir = str(tmp_path / "data")  # as start_proxy sets it
        self.proxy: Proxy

    def _write(self, config: dict[str, Any]) -> None:
        self.path.write_text(yaml.safe_dump({"data_dir": self._data_dir, **config}))

    async def start(self, config: dict[str, Any]) -> Proxy:
        self._write(config)
        self.proxy = await self._start(config, config_path=self.path)
        reload = self.proxy.services.reloaders[1]
        assert isinstance(getattr(reload, "__self__", None), ConfigReloader)
        return self.proxy

    async def reload(self, config: dict[str, Any]) -> None:
        """Rewrite the file and run the configuration's reload (what its watcher runs)."""
        self._write(config)
        await self.proxy.services.reloaders[1]()

    async def chat(self) -> None:
        await self.proxy.openai().chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": "hi"}], max_tokens=5
        )

    async def warm(self) -> None:
        """Two answered calls: the caller's call kind for gpt-4o is kept now."""
        await self.chat()
        await self.chat()


@pytest.fixture
def place(start_proxy: StartProxy, fake: FakeUpstream, tmp_path: Path) -> Place:
    fake.behaviour.usage = USAGE
    return Place(start_proxy, tmp_path)


def _cost_metric(proxy: Proxy) -> float:
    labels = {"team": "passthrough", "model": "gpt-4o", "provider": "openai"}
    return proxy.metrics.registry.get_sample_value("llm_proxy_cost_total", labels) or 0.0


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        pytest.param(_config(CHEAP), _config(DEAR), _cost(DEAR), id="register-price"),
        pytest.param(_config(CHEAP), _config(), _cost(SHIPPED_GPT_4O), id="register-to-shipped"),
        pytest.param(
            _config(provider_price=CHEAP),
            _config(provider_price=DEAR),
            _cost(DEAR),
            id="provider-price",
        ),
        pytest.param(
            _config(CHEAP, upstream_model=HOUSE),
            _config(upstream_model=HOUSE),
            None,
            id="price-removed",
        ),
        pytest.param(
            _config(upstream_model=HOUSE),
            _config(DEAR, upstream_model=HOUSE),
            _cost(DEAR),
            id="priced",
        ),
        pytest.param(
            _config(),
            _config(upstream_model="gpt-4o-mini"),
            _cost(SHIPPED_MINI),
            id="upstream-model",
        ),
    ],
)
async def test_a_price_changed_by_a_reload_costs_the_next_call(
    place: Place,
    before: dict[str, Any],
    after: dict[str, Any],
    expected: float | None,
) -> None:
    """The first call after a reload that changes what prices the caller's model is
    recorded and counted at the new price (or as unpriced), not at the price its kept call
    kind was charged before."""
    proxy = await place.start(before)
    await place.warm()
    kept = proxy.sink.last.cost
    assert kept != expected  # the reload changes the price: the test can tell them apart
    counted = _cost_metric(proxy)
    await place.reload(after)
    await place.chat()
    assert proxy.sink.last.cost == (None if expected is None else pytest.approx(expected))
    assert _cost_metric(proxy) == pytest.approx(counted + (expected or 0.0))


async def test_a_price_raised_by_a_reload_is_reserved_on_the_next_call(
    place: Place, fake: FakeUpstream
) -> None:
    """A budget's reservation for the first call after a reload that raises the model's
    price is estimated at the new price: the call that fitted the budget at the old price
    is refused (429 budget_exceeded) and never reaches the provider."""
    # At 1,000 $ per million tokens a call's estimate (about 20 input tokens and max_tokens
    # 5) is about 0.025, past the budget; at 1 and 2 $ it is a few hundred-thousandths.
    budget = {"name": "team-day", "scope": "team", "subject": "*", "period": "day", "amount": 0.02}
    await place.start(_config(CHEAP, budgets=[budget]))
    await place.warm()
    forwarded = len(fake.requests)
    await place.reload(_config({"input": 1000.0, "output": 1000.0}, budgets=[budget]))
    with pytest.raises(openai.RateLimitError) as refused:
        await place.chat()
    body: Any = refused.value.body
    assert body["code"] == "budget_exceeded"
    assert len(fake.requests) == forwarded
