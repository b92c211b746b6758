"""A prompt is read whole before it is sent: a credential's value is masked (or blocks the
call) wherever the prompt prints it, also above the line that names it, such as psql's
``syntax error at or near "X"`` above ``ALTER USER app PASSWORD 'X'``
(:mod:`detectors.every_printing`)."""

from __future__ import annotations

import openai
import pytest

from policies.inspector import PolicyInspector
from policies.loader import parse_policy_text
from tests.fakes import FakeUpstream
from tests.policies.factories import real_scanner
from tests.proxy.conftest import Proxy, StartProxy

PASSWORD = "S3cr3t!"
#: A pasted psql session: the value near the error, then the statement that names it.
PSQL = (
    "why does this fail?\n"
    f'psql:setup.sql:4: ERROR:  syntax error at or near "{PASSWORD}"\n'
    f"LINE 1: ALTER USER app PASSWORD '{PASSWORD}';\n"
)
#: The default policy, with detection in-process and only the secrets detector (no spaCy).
SECRETS_ONLY = {"detectors": {"enabled": ["secrets"], "service": {"workers": 0}}}
REDACT_SECRETS = parse_policy_text(
    """
name: redact-secrets
rule_sets:
  - name: main
    rules:
      - id: redact-secrets
        action: redact
        mode: enforce
        match: {entities: [SECRETS]}
""",
    source="test",
)


async def chat(proxy: Proxy, *messages: str) -> str:
    reply = await proxy.openai().chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": m} for m in messages]
    )
    return reply.choices[0].message.content or ""


async def test_a_redacted_prompt_never_sends_the_value_printed_above_its_name(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """Under a redacting policy, the provider receives the psql session with both printings
    of the password masked, and the rest of the prompt as it was."""
    proxy = await start_proxy(inspector=PolicyInspector(REDACT_SECRETS, real_scanner()))
    await chat(proxy, PSQL)
    sent = fake.last.body.decode()
    assert PASSWORD not in sent
    content = fake.last.json["messages"][0]["content"]
    assert content.count("<PASSWORD>") == 2
    assert "syntax error at or near" in content
    assert PASSWORD not in proxy.sink.last.prompt


async def test_a_value_named_in_a_later_message_is_masked_in_an_earlier_one(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """A chat's history is one prompt: a value printed in one message and named as a
    password in a later one reaches the provider in neither."""
    proxy = await start_proxy(inspector=PolicyInspector(REDACT_SECRETS, real_scanner()))
    await chat(
        proxy,
        f'psql:setup.sql:4: ERROR:  syntax error at or near "{PASSWORD}"',
        f"the statement was ALTER USER app PASSWORD '{PASSWORD}';",
    )
    assert PASSWORD not in fake.last.body.decode()
    assert [m["content"].count("<PASSWORD>") for m in fake.last.json["messages"]] == [1, 1]


async def test_the_default_policy_blocks_the_session_and_records_neither_printing(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """The default policy blocks the session as a password, sends nothing, and the recorded
    prompt holds the value at neither place."""
    proxy = await start_proxy(SECRETS_ONLY, enforce=True)
    with pytest.raises(openai.PermissionDeniedError) as caught:
        await chat(proxy, PSQL)
    assert fake.requests == []
    error = caught.value.response.json()["error"]
    assert (error["code"], error["rules"]) == ("policy_violation", ["block-secrets"])
    assert PASSWORD not in caught.value.response.text
    assert proxy.sink.last.entity_types == ("PASSWORD",)
    assert PASSWORD not in proxy.sink.last.prompt
