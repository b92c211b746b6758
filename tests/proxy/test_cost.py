"""What calls cost: prices from the register, the provider or the shipped table, applied to
the usage each API reports (streamed or not, cached input included), recorded per call."""

from __future__ import annotations

from typing import Any

import anthropic
import openai
import pytest

from proxy.call.apis import Usage, usage_from
from proxy.call.pricing import cost_of, price_of, shipped_prices
from proxy.config.register import Route
from proxy.config.settings import ModelEntry, Price, PricingConfig, ProviderConfig, ProviderKind
from tests.fakes import FakeUpstream
from tests.fakes.behaviour import TokenUsage
from tests.proxy.conftest import Proxy, StartProxy

PRICE = Price(input=2.0, cached_input=0.5, cache_write=2.5, output=8.0)
#: 1,000 prompt tokens of which 400 cached, 100 written to the cache; 300 output tokens.
USAGE = TokenUsage(prompt_tokens=1000, completion_tokens=300, cached_tokens=400)
#: (600 * 2 + 400 * 0.5 + 300 * 8) / 1e6
EXPECTED = (600 * 2.0 + 400 * 0.5 + 300 * 8.0) / 1e6


def route(
    kind: ProviderKind = ProviderKind.OPENAI, provider_price: Price | None = None, **entry: Any
) -> Route:
    version = "2024-10-21" if kind is ProviderKind.AZURE else None
    provider = ProviderConfig(
        kind=kind, base_url="https://api.example.com/v1", api_version=version, price=provider_price
    )
    model = ModelEntry(name=entry.pop("name", "gpt-4o"), provider="p", **entry)
    return Route(entry=model, provider_name="p", provider=provider, listed=True)


# --- usage and arithmetic ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            {"prompt_tokens": 1000, "completion_tokens": 3,
             "prompt_tokens_details": {"cached_tokens": 400}},
            Usage(1000, 3, cached_tokens=400),
        ),
        (
            {"input_tokens": 1000, "output_tokens": 3,
             "input_tokens_details": {"cached_tokens": 400}},
            Usage(1000, 3, cached_tokens=400),
        ),
        (
            {"input_tokens": 500, "cache_read_input_tokens": 400,
             "cache_creation_input_tokens": 100, "output_tokens": 3},
            Usage(1000, 3, cached_tokens=400, cache_write_tokens=100),
        ),
        (
            {"prompt_tokens": 10, "prompt_tokens_details": {"cached_tokens": 99}},
            Usage(10, 0, cached_tokens=10),
        ),
    ],
    ids=["chat-completions", "responses", "anthropic", "cached-more-than-prompt"],
)  # fmt: skip
def test_usage_reads_cached_input_in_every_api_shape(raw: dict[str, Any], expected: Usage) -> None:
    """Cached and cache-write tokens are read from each API's own fields, as parts of the
    prompt tokens (never more than them)."""
    assert usage_from(raw) == expected


def test_each_token_class_is_priced_apart() -> None:
    """Plain input, cache reads, cache writes and output each cost their own price; a
    per-call price is added once."""
    usage = Usage(1000, 300, cached_tokens=400, cache_write_tokens=100)
    assert cost_of(usage, PRICE) == pytest.approx((500 * 2 + 400 * 0.5 + 100 * 2.5 + 300 * 8) / 1e6)
    flat = Price(input=1.0, output=1.0, per_call=0.01)
    assert cost_of(usage, flat) == pytest.approx(1300 / 1e6 + 0.01)


def test_price_comes_from_the_register_then_the_provider_then_the_shipped_table() -> None:
    """A register price wins over the provider's, which wins over the shipped table."""
    pricing = PricingConfig()
    own = Price(input=9.0, output=9.0)
    assert price_of(route(price=own), "gpt-4o", pricing) == own
    assert price_of(route(provider_price=own), "gpt-4o", pricing) == own
    other = Price(input=1.0, output=1.0)
    assert price_of(route(provider_price=other, price=own), "gpt-4o", pricing) == own
    shipped = price_of(route(), "gpt-4o", pricing)
    assert shipped == shipped_prices().lookup("openai", "gpt-4o")
    assert shipped is not None
    assert shipped.input == 2.5


def test_snapshot_names_match_their_model_but_an_exact_entry_wins() -> None:
    """gpt-4o-2024-08-06 is priced as gpt-4o; gpt-4o-2024-05-13 has its own price; an
    Anthropic dated id finds its family."""
    pricing = PricingConfig()
    assert price_of(route(), "gpt-4o-2024-08-06", pricing) == price_of(route(), "gpt-4o", pricing)
    old = price_of(route(), "gpt-4o-2024-05-13", pricing)
    assert old is not None
    assert (old.input, old.output) == (5.0, 15.0)
    sonnet = price_of(route(ProviderKind.ANTHROPIC), "claude-sonnet-4-20250514", pricing)
    assert sonnet is not None
    assert sonnet.cache_write == 3.75


@pytest.mark.parametrize(
    ("kind", "model", "pricing"),
    [
        (ProviderKind.OPENAI, "my-finetune-v3", PricingConfig()),
        (ProviderKind.AZURE, "gpt-4o", PricingConfig()),
        (ProviderKind.OPENAI_COMPATIBLE, "llama-3.1-70b", PricingConfig()),
        (ProviderKind.OPENAI, "gpt-4o", PricingConfig(shipped_prices=False)),
        (ProviderKind.OPENAI, "gpt-4o", PricingConfig(currency="EUR")),
    ],
    ids=["unknown-model", "azure", "compatible-server", "table-off", "other-currency"],
)
def test_unknown_prices_are_not_guessed(
    kind: ProviderKind, model: str, pricing: PricingConfig
) -> None:
    """No price for a model the table does not list, for Azure and compatible servers, with
    the table turned off, or in a currency the table is not in."""
    assert price_of(route(kind), model, pricing) is None


# --- through the proxy -------------------------------------------------------------------


def cost_metric(proxy: Proxy, model: str, provider: str = "openai") -> float:
    labels = {"team": "passthrough", "model": model, "provider": provider}
    return proxy.metrics.registry.get_sample_value("llm_proxy_cost_total", labels) or 0.0


PRICED = {
    "register": {
        "models": [
            {"name": "gpt-4o", "provider": "openai", "price": PRICE.model_dump()},
            {"name": "claude-haiku-4-5", "provider": "anthropic", "price": PRICE.model_dump()},
        ]
    }
}


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "streamed"])
@pytest.mark.parametrize("api", ["chat", "responses"])
async def test_openai_calls_cost_their_usage_at_the_register_price(
    start_proxy: StartProxy, fake: FakeUpstream, stream: bool, api: str
) -> None:
    """A chat or Responses call, streamed or not, is recorded and counted at the register's
    price for the tokens the provider reported, cached ones at the cached price."""
    fake.behaviour.usage = USAGE
    proxy = await start_proxy(PRICED)
    client = proxy.openai()
    if api == "chat":
        extra: dict[str, Any] = {"stream_options": {"include_usage": True}} if stream else {}
        result: object = await client.chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": "hi"}], stream=stream, **extra
        )
    else:
        result = await client.responses.create(model="gpt-4o", input="hi", stream=stream)
    if stream:
        assert isinstance(result, openai.AsyncStream)
        async for _ in result:
            pass
    assert proxy.sink.last.cost == pytest.approx(EXPECTED)
    assert cost_metric(proxy, "gpt-4o") == pytest.approx(EXPECTED)


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "streamed"])
async def test_anthropic_cache_reads_and_writes_are_priced(
    start_proxy: StartProxy, fake: FakeUpstream, stream: bool
) -> None:
    """An Anthropic message's cache reads and writes cost their own prices."""
    fake.behaviour.usage = TokenUsage(1000, 300, cached_tokens=400, cache_write_tokens=100)
    proxy = await start_proxy(PRICED)
    client: anthropic.AsyncAnthropic = proxy.anthropic()
    request: dict[str, Any] = {
        "model": "claude-haiku-4-5",
        "max_tokens": 50,
        "messages": [{"role": "user", "content": "hi"}],
    }
    if stream:
        async with client.messages.stream(**request) as events:
            await events.get_final_message()
    else:
        await client.messages.create(**request)
    expected = (500 * 2.0 + 400 * 0.5 + 100 * 2.5 + 300 * 8.0) / 1e6
    assert proxy.sink.last.cost == pytest.approx(expected)
    assert cost_metric(proxy, "claude-haiku-4-5", "anthropic") == pytest.approx(expected)


async def test_an_unpriced_model_is_counted_as_such_not_as_free(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """A model no price covers is recorded with an unknown cost and counted as unpriced."""
    proxy = await start_proxy()  # open register: any model goes through
    await proxy.openai().chat.completions.create(
        model="my-finetune-v3", messages=[{"role": "user", "content": "hi"}]
    )
    assert proxy.sink.last.cost is None
    labels = {"model": "my-finetune-v3", "provider": "openai"}
    assert proxy.metrics.registry.get_sample_value("llm_proxy_unpriced_calls_total", labels) == 1


async def test_a_call_no_provider_answered_costs_nothing(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """A call the provider refused (or never saw) costs 0, even with a per-call price."""
    config = {
        "register": {
            "models": [
                {
                    "name": "gpt-4o",
                    "provider": "openai",
                    "price": {"input": 1.0, "output": 1.0, "per_call": 0.05},
                }
            ]
        }
    }
    fake.behaviour.status = 500
    proxy = await start_proxy(config)
    with pytest.raises(Exception, match="500"):
        await proxy.openai().chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": "hi"}]
        )
    assert proxy.sink.last.cost == 0.0
    assert cost_metric(proxy, "gpt-4o") == 0.0


async def test_embeddings_cost_their_input_tokens(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """An embeddings call costs its input tokens at the shipped table's price."""
    fake.behaviour.usage = TokenUsage(prompt_tokens=50_000, completion_tokens=0)
    proxy = await start_proxy()
    await proxy.openai().embeddings.create(model="text-embedding-3-small", input="hello")
    assert proxy.sink.last.cost == pytest.approx(50_000 * 0.02 / 1e6)
