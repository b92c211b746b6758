"""A login written before its password (a postfix ``sasl_passwd`` line, ``curl -u``), end to
end under the shipped default policy: the password blocks the call and never reaches the
provider, and the login is recorded as the e-mail address it is (issue 14, tuning5)."""

from __future__ import annotations

import openai
import pytest

from tests.fakes import FakeUpstream
from tests.proxy.conftest import Proxy, StartProxy

MODEL = "gpt-4o-mini"
PASSWORD = "WzRzhXWz30LNhk"
LOGIN = "antonijajovic@example.com"
SASL_LINE = (
    f'echo "[smtp.gmail.com]:587 {LOGIN}:{PASSWORD}" > /etc/postfix/sasl_passwd\n'
    "postmap /etc/postfix/sasl_passwd\nwhy does postfix still say authentication failed?"
)


@pytest.fixture
async def proxy(start_proxy: StartProxy) -> Proxy:
    """The proxy enforcing the shipped default policy with in-process real detectors."""
    return await start_proxy(
        {"detectors": {"service": {"workers": 0, "budget_seconds": 30}}}, enforce=True
    )


async def test_sasl_passwd_line_is_blocked_and_its_login_is_an_email(
    proxy: Proxy, fake: FakeUpstream
) -> None:
    """The password after ``user@example.com:`` gets 403, is not forwarded nor stored in clear,
    and the event records the login as an e-mail address beside the password."""
    with pytest.raises(openai.PermissionDeniedError) as caught:
        await proxy.openai().chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": SASL_LINE}]
        )
    assert fake.requests == []
    error = caught.value.response.json()["error"]
    assert error["code"] == "policy_violation"
    assert "PASSWORD" in error["entity_types"]
    assert PASSWORD not in caught.value.response.text
    event = proxy.sink.last
    assert (event.status_code, event.decision) == (403, "block")
    assert {"PASSWORD", "EMAIL_ADDRESS"} <= set(event.entity_types)
    assert PASSWORD not in event.prompt
