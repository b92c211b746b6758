"""A model name a closed register refuses is caller input: a credential sent as ``model``
rests nowhere in clear (row, access line, metric label) and is not echoed in the error.

h137: with a closed register, ``model="sk-proj-…"``, an AWS secret or a password got 404,
and the refused call's row, its access line and the ``model`` label of the call metrics
kept the name in clear, and the 404's message repeated it.
"""

from __future__ import annotations

import random
import string
from pathlib import Path
from typing import Any

import aiohttp
import openai
import pytest
from structlog.testing import capture_logs

from proxy.fingerprint import Fingerprints
from proxy.store import open_client
from tests.fakes import FakeUpstream
from tests.policies.factories import OPENAI_KEY
from tests.proxy.conftest import Proxy, StartProxy
from tests.proxy.test_event_log import flush
from tests.proxy.test_secrets_at_rest import default_inspector

_RNG = random.Random(137)
#: An AWS secret access key as IAM issues it: 40 characters of base64, no label around it
#: (the detectors cannot tell it alone from a name; its shape can).
AWS_SECRET = "".join(_RNG.choice(string.ascii_letters + string.digits + "+/") for _ in range(40))
#: One whose 40 characters drew no "+" (a quarter of them): only its scattered run tells it.
AWS_SECRET_NO_SIGN = "".join(_RNG.choice(string.ascii_letters + string.digits) for _ in range(40))
PASSWORD = "Autumn2024!"
#: The model column, access line and error of a call are checked for these.
COLUMNS = "model, upstream_model, endpoint, prompt, error, decision, entity_types, status_code"


@pytest.fixture
async def closed_register_proxy(
    start_proxy: StartProxy, clickhouse_url: str, store_database: str, tmp_path: Path
) -> Proxy:
    """A closed register of one model, the default policy, the real embedded event log."""
    return await start_proxy(
        {
            "store": {"url": clickhouse_url, "database": store_database, "flush_interval": 0.05},
            "register": {
                "approval_instructions": "Ask the AI board.",
                "models": [{"name": "gpt-4o-mini", "provider": "openai"}],
            },
        },
        event_log=True,
        inspector=default_inspector(tmp_path / "data"),
    )


async def refused(proxy: Proxy, model: str) -> openai.APIStatusError:
    """Call ``model`` through the official SDK; the error the proxy answered."""
    with pytest.raises(openai.APIStatusError) as caught:
        await proxy.openai().chat.completions.create(
            model=model, messages=[{"role": "user", "content": "hi"}]
        )
    return caught.value


async def stored_rows(proxy: Proxy) -> list[dict[str, Any]]:
    await flush(proxy)
    store = proxy.settings.store
    client = open_client(store)
    try:
        result = client.query(f"SELECT {COLUMNS} FROM {store.database}.requests")
        return [dict(zip(result.column_names, row, strict=True)) for row in result.result_rows]
    finally:
        client.close()


async def metrics_text(proxy: Proxy) -> str:
    async with aiohttp.ClientSession() as session, session.get(f"{proxy.url}/metrics") as sent:
        return await sent.text()


@pytest.mark.parametrize(
    "credential",
    [AWS_SECRET, AWS_SECRET_NO_SIGN, PASSWORD],
    ids=["aws-secret-access-key", "one-with-no-sign", "password"],
)
async def test_a_credential_the_register_refuses_rests_as_a_fingerprint(
    closed_register_proxy: Proxy, fake: FakeUpstream, credential: str
) -> None:
    """A name the detectors find nothing in but that reads as no model name (a random run,
    a sign no model name has) gets the register's 404 naming it masked, and rests as a keyed
    fingerprint in the row and the access line; no metric label carries it."""
    proxy = closed_register_proxy
    with capture_logs() as logs:
        error = await refused(proxy, credential)
    assert (error.status_code, error.code) == (404, "model_not_found")
    assert credential not in error.response.text
    [row] = await stored_rows(proxy)
    mask = Fingerprints.load(proxy.settings.data_dir).mask("UNLISTED_MODEL", credential)
    assert (row["model"], row["status_code"], row["decision"]) == (mask, 404, "reject")
    assert mask in error.message
    assert credential not in str(row)
    [line] = [line for line in logs if line["event"] == "call"]
    assert line["model"] == mask
    assert credential not in repr(logs)
    assert credential not in await metrics_text(proxy)
    assert fake.requests == []


async def test_a_key_the_policy_blocks_gets_403_and_rests_masked(
    closed_register_proxy: Proxy, fake: FakeUpstream
) -> None:
    """A key the policy blocks in a prompt is blocked as the model name too, as an open
    register does: 403 naming the rule and type, never the key; stored as its mask."""
    proxy = closed_register_proxy
    with capture_logs() as logs:
        error = await refused(proxy, OPENAI_KEY)
    body = error.response.json()["error"]
    assert (error.status_code, body["code"]) == (403, "policy_violation")
    assert (body["rules"], body["entity_types"]) == (["block-secrets"], ["OPENAI_API_KEY"])
    assert OPENAI_KEY not in error.response.text
    [row] = await stored_rows(proxy)
    assert row["model"].startswith("<OPENAI_API_KEY:")
    assert (row["decision"], row["entity_types"]) == ("block", ["OPENAI_API_KEY"])
    assert OPENAI_KEY not in str(row)
    assert OPENAI_KEY not in repr(logs)
    assert OPENAI_KEY not in await metrics_text(proxy)
    assert fake.requests == []


async def test_an_unlisted_model_name_is_still_named(
    closed_register_proxy: Proxy, fake: FakeUpstream
) -> None:
    """A name that reads as a model's (shadow AI: what staff tried) is kept in clear in the
    error, the row and the access line, as before; its metric label is 'other' (callers
    invent names, and the register bounds the labels)."""
    proxy = closed_register_proxy
    with capture_logs() as logs:
        error = await refused(proxy, "deepseek-r1-distill-llama-70b")
    assert (error.status_code, error.code) == (404, "model_not_found")
    assert "'deepseek-r1-distill-llama-70b'" in error.message
    [row] = await stored_rows(proxy)
    assert (row["model"], row["decision"]) == ("deepseek-r1-distill-llama-70b", "reject")
    [line] = [line for line in logs if line["event"] == "call"]
    assert line["model"] == "deepseek-r1-distill-llama-70b"
    text = await metrics_text(proxy)
    assert 'model="deepseek-r1-distill-llama-70b"' not in text
    assert 'model="other"' in text


async def test_a_listed_model_keeps_its_label(
    closed_register_proxy: Proxy, fake: FakeUpstream
) -> None:
    """A call to a listed model is counted under its name."""
    proxy = closed_register_proxy
    await proxy.openai().chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}]
    )
    assert 'model="gpt-4o-mini"' in await metrics_text(proxy)


async def test_a_routed_name_that_reads_as_no_model_name_is_no_label(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """An open register routes any name; one that reads as no model's (a bare AWS secret,
    which no detector tells from a name) is counted as 'other', never as a label value."""
    proxy = await start_proxy()
    for model in (AWS_SECRET_NO_SIGN, "gpt-4o-mini"):
        await proxy.openai().embeddings.create(model=model, input="x")
    text = await metrics_text(proxy)
    assert AWS_SECRET_NO_SIGN not in text
    assert 'model="other"' in text
    assert 'model="gpt-4o-mini"' in text
