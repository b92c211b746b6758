"""Which rate limits a call is counted under, and which log content mode it is recorded
under: worked out from the configuration in force, with nothing built for what is unset."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from core.identity import Identity
from proxy.call.admission import limit_subjects
from proxy.call.content_modes import content_mode_for
from proxy.config.keys import KeyStore
from proxy.config.settings import ModelEntry, Settings, parse_settings

PASSTHROUGH = Identity(user="pt-1", team="passthrough", app="", key_id="pt-1", passthrough=True)
VIRTUAL = Identity(user="alice", team="blue", app="", key_id="k1")


def _settings(tmp_path: Path, **raw: Any) -> Settings:
    return parse_settings({"data_dir": str(tmp_path), **raw}, environ={}, base_dir=tmp_path)


def _no_keys(tmp_path: Path) -> Any:
    return KeyStore(tmp_path / "keys.yaml").current


@pytest.mark.parametrize(
    ("limits", "identity", "expected"),
    [
        ({}, PASSTHROUGH, []),
        ({}, VIRTUAL, []),
        ({"per_key": {"requests_per_minute": 5}}, VIRTUAL, [("key", "k1", 5, None)]),
        ({"per_key": {"requests_per_minute": 5}}, PASSTHROUGH, [("key", "pt-1", 5, None)]),
        ({"per_team": {"tokens_per_minute": 900}}, VIRTUAL, [("team", "blue", None, 900)]),
        ({"teams": {"blue": {"requests_per_minute": 2}}}, VIRTUAL, [("team", "blue", 2, None)]),
        ({"teams": {"red": {"requests_per_minute": 2}}}, VIRTUAL, []),
        (
            {"per_key": {"requests_per_minute": 5}, "per_team": {"requests_per_minute": 50}},
            VIRTUAL,
            [("key", "k1", 5, None), ("team", "blue", 50, None)],
        ),
    ],
)
def test_subjects_are_the_limits_that_limit_something(
    tmp_path: Path,
    limits: dict[str, Any],
    identity: Identity,
    expected: list[tuple[str, str, int | None, int | None]],
) -> None:
    """A call is counted under its key's and its team's limits when they are set, and under
    nothing when no limit applies to it (key before team)."""
    settings = _settings(tmp_path, limits=limits)
    subjects = limit_subjects(settings, _no_keys(tmp_path), identity)
    got = [
        (s.scope, s.name, s.limit.requests_per_minute, s.limit.tokens_per_minute) for s in subjects
    ]
    assert got == expected


@pytest.mark.parametrize(
    ("entry_mode", "team_modes", "expected"),
    [
        (None, {}, ""),
        ("hash", {}, "hash"),
        (None, {"blue": "redacted"}, "redacted"),
        (None, {"red": "none"}, ""),
        ("redacted", {"blue": "hash"}, "hash"),
        ("none", {"blue": "full"}, "none"),
        ("full", {"blue": "full"}, "full"),
    ],
)
def test_content_mode_is_the_more_private_of_entry_and_team(
    tmp_path: Path, entry_mode: str | None, team_modes: dict[str, str], expected: str
) -> None:
    """The register entry's and the caller's team's log content modes: the more private one,
    either alone, or "" (the store's default) when neither is set."""
    settings = _settings(tmp_path, log_content={"teams": team_modes})
    entry = ModelEntry.model_validate(
        {"name": "m", "provider": "openai", **({"log_content": entry_mode} if entry_mode else {})}
    )
    assert content_mode_for(settings, VIRTUAL, entry) == expected
