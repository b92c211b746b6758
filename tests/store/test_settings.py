"""Store settings: defaults, validation and credential redaction."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from proxy.store import ContentMode, StoreSettings


def test_defaults_use_the_embedded_engine() -> None:
    """With no settings the store is the embedded engine under ./data."""
    settings = StoreSettings()
    assert settings.embedded
    assert settings.embedded_path == "./data/clickhouse"
    assert settings.database == "llm_proxy"
    assert settings.spool_dir == Path("./data/spool")
    assert settings.on_overflow == "keep_serving"
    assert settings.default_content_mode is ContentMode.FULL
    assert settings.text_retention_days < settings.retention_days


def test_password_never_appears_in_repr_or_display_url() -> None:
    """A server URL's password is redacted wherever the settings are shown."""
    settings = StoreSettings(url="https://ops:s3cr%40t@ch.internal:8443/audit")
    assert "s3cr" not in repr(settings)
    assert "s3cr" not in str(settings)
    assert settings.display_url == "https://ops:***@ch.internal:8443/audit"


def test_database_comes_from_the_url_path() -> None:
    """A database in a server URL's path is used when none is given separately."""
    assert StoreSettings(url="http://ch:8123/evidence").database == "evidence"


def test_conflicting_database_is_rejected() -> None:
    """A URL database that disagrees with ``database`` is an error naming both."""
    with pytest.raises(ValidationError, match=r"'evidence'.*'other'"):
        StoreSettings(url="http://ch:8123/evidence", database="other")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"url": "mysql://db"}, "scheme must be"),
        ({"url": "chdb://"}, "needs a directory path"),
        ({"url": "http://:8123"}, "no host"),
        ({"database": "llm-proxy; DROP"}, "not a plain identifier"),
        ({"retention_days": 10, "text_retention_days": 30}, "exceeds"),
        ({"batch_size": 0}, "batch_size"),
        ({"on_overflow": "panic"}, "on_overflow"),
        ({"default_content_mode": "everything"}, "default_content_mode"),
        ({"flush_intervall": 1}, "flush_intervall"),
    ],
)
def test_invalid_settings_are_rejected(changes: dict[str, object], message: str) -> None:
    """Bad values fail at parse time with a message naming the problem."""
    with pytest.raises(ValidationError, match=message):
        StoreSettings.model_validate(changes)
