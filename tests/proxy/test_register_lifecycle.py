"""Register entries record their approval and review date; overdue reviews are reported.

Configuration validation names the key path; the review state and the
``llm_proxy_register_review_overdue`` metric are computed with an injected clock, and the
metric follows the live register across a hot reload.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import yaml
from prometheus_client import CollectorRegistry

from proxy.config.register import Register, ReviewState, review_of, review_overdue
from proxy.config.settings import ConfigError, RegisterConfig, load_settings, parse_settings
from proxy.metrics import Metrics
from tests.proxy.conftest import StartProxy

TODAY = date(2026, 11, 29)
GAUGE = "llm_proxy_register_review_overdue"


def settings_with(*models: dict[str, Any], **register: Any) -> RegisterConfig:
    raw = {"register": {"models": list(models), **register}}
    return parse_settings(raw, environ={}).ai_register


def problems(*models: dict[str, Any], **register: Any) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        settings_with(*models, **register)
    return caught.value.problems


def entry(name: str = "gpt-4o", **fields: Any) -> dict[str, Any]:
    return {"name": name, "provider": "openai", **fields}


def test_approval_fields_parse_from_yaml_dates() -> None:
    """YAML dates and ISO strings both parse into the entry's approval and review dates."""
    text = """
register:
  models:
    - name: gpt-4o
      provider: openai
      approved_by: AI governance board
      approved_at: 2026-01-15
      review_by: "2027-01-15"
      risk_notes: "  No personal data of customers.  "
"""
    (model,) = parse_settings(yaml.safe_load(text), environ={}).ai_register.models or ()
    assert (model.approved_by, model.approved_at, model.review_by) == (
        "AI governance board",
        date(2026, 1, 15),
        date(2027, 1, 15),
    )
    assert model.risk_notes == "No personal data of customers."


def test_existing_registers_without_the_fields_stay_valid() -> None:
    """An entry with none of the new fields is valid and has no review date."""
    (model,) = settings_with(entry()).models or ()
    assert (model.approved_by, model.approved_at, model.review_by) == ("", None, None)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"approved_at": "2026-02-01", "review_by": "2026-01-31"},
            "register.models.0.review_by: must not be before approved_at (2026-02-01) "
            "(got '2026-01-31')",
        ),
        (
            {"review_by": "next spring"},
            "register.models.0.review_by: Input should be a valid date or datetime, "
            "invalid character in year (got 'next spring')",
        ),
        (
            {"approved_at": "2026-02-30"},
            "register.models.0.approved_at: Input should be a valid date or datetime, "
            "day value is outside expected range (got '2026-02-30')",
        ),
        (
            {"approved_by": ["alice", "bob"]},
            "register.models.0.approved_by: Input should be a valid string",
        ),
        (
            {"risk_note": "typo"},
            "register.models.0.risk_note: Extra inputs are not permitted (got 'typo')",
        ),
    ],
)
def test_bad_values_are_reported_with_their_key_path(fields: dict[str, Any], expected: str) -> None:
    """A bad approval or review value is one problem line naming its key path."""
    assert problems(entry(**fields)) == [expected]


def test_review_on_the_approval_day_is_allowed() -> None:
    """review_by equal to approved_at is valid (a same-day re-review)."""
    (model,) = settings_with(entry(approved_at="2026-02-01", review_by="2026-02-01")).models or ()
    assert model.review_by == model.approved_at


def test_required_approval_record_names_each_missing_field() -> None:
    """With require_approval_record, each approved entry lacking a field is one problem
    line; refused entries need none."""
    lines = problems(
        entry("gpt-4o", approved_by="board", approved_at="2026-01-01", review_by="2027-01-01"),
        entry("gpt-4o-mini", approved_by="board"),
        entry("o1", approved=False),
        require_approval_record=True,
    )
    assert lines == [
        "register.models.1.approved_at: required for approved models "
        "(register.require_approval_record is on; model 'gpt-4o-mini')",
        "register.models.1.review_by: required for approved models "
        "(register.require_approval_record is on; model 'gpt-4o-mini')",
    ]


def test_an_impossible_yaml_date_is_a_one_line_config_error(tmp_path: Path) -> None:
    """A YAML date the parser cannot build (month 13) is a ConfigError, not a traceback."""
    path = tmp_path / "proxy.yaml"
    path.write_text(
        "register:\n  models:\n    - {name: a, provider: openai, review_by: 2026-13-01}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(path, environ={})
    assert caught.value.problems == ["invalid YAML value: month must be in 1..12"]


@pytest.mark.parametrize(
    ("review_by", "state", "described"),
    [
        (None, ReviewState.NO_DATE, "no review date"),
        (TODAY + timedelta(days=31), ReviewState.OK, "ok"),
        (TODAY + timedelta(days=30), ReviewState.DUE, "due in 30 days"),
        (TODAY + timedelta(days=1), ReviewState.DUE, "due in 1 day"),
        (TODAY, ReviewState.DUE, "due today"),
        (TODAY - timedelta(days=1), ReviewState.OVERDUE, "overdue by 1 day"),
        (TODAY - timedelta(days=40), ReviewState.OVERDUE, "overdue by 40 days"),
    ],
)
def test_review_state_on_a_given_day(
    review_by: date | None, state: ReviewState, described: str
) -> None:
    """An entry is due within 30 days of review_by and overdue from the day after it."""
    (model,) = settings_with(entry(review_by=review_by)).models or ()
    review = review_of(model, TODAY)
    assert (review.state, review.describe()) == (state, described)


def test_overdue_metric_follows_the_injected_clock_and_the_register() -> None:
    """The gauge is computed at scrape time: 1 only for overdue models, flipping when the
    clock passes review_by, and its series follow a replaced register."""
    register = Register(
        settings_with(
            entry("gpt-4o", review_by="2026-11-28"),
            entry("gpt-4o-mini", review_by="2026-11-29"),
            entry("o1"),
        ),
        parse_settings({}, environ={}).providers,
    )
    metrics = Metrics(CollectorRegistry())
    live = {"register": register}
    days = [0]
    metrics.register_review_overdue.watch(
        lambda: review_overdue(live["register"].entries(), TODAY + timedelta(days=days[0]))
    )

    def sample(model: str) -> float | None:
        return metrics.registry.get_sample_value(GAUGE, {"model": model})

    assert [sample(m) for m in ("gpt-4o", "gpt-4o-mini", "o1")] == [1.0, 0.0, 0.0]
    days[0] = 1
    assert [sample(m) for m in ("gpt-4o", "gpt-4o-mini", "o1")] == [1.0, 1.0, 0.0]
    live["register"] = Register(
        settings_with(entry("gpt-4o", review_by="2027-11-28")),
        parse_settings({}, environ={}).providers,
    )
    assert [sample(m) for m in ("gpt-4o", "gpt-4o-mini", "o1")] == [0.0, None, None]


def _config(path: Path, review_by: date) -> None:
    register = {"models": [{"name": "gpt-4o-mini", "provider": "openai", "review_by": review_by}]}
    path.write_text(yaml.safe_dump({"register": register}), encoding="utf-8")


async def test_a_reload_refreshes_the_overdue_metric(
    start_proxy: StartProxy, tmp_path: Path
) -> None:
    """On a running proxy the metric reads the live register: a reloaded review date clears
    an overdue entry, and /metrics shows it."""
    path = tmp_path / "proxy.yaml"
    today = datetime.now(UTC).date()
    _config(path, today - timedelta(days=3))
    proxy = await start_proxy(yaml.safe_load(path.read_text()), config_path=path)
    registry = proxy.services.metrics.registry
    assert registry.get_sample_value(GAUGE, {"model": "gpt-4o-mini"}) == 1.0
    _config(path, today + timedelta(days=365))
    assert await proxy.services.reloaders[-1]() is True
    assert registry.get_sample_value(GAUGE, {"model": "gpt-4o-mini"}) == 0.0
    async with aiohttp.ClientSession() as session, session.get(f"{proxy.url}/metrics") as got:
        scraped = await got.text()
    assert f'{GAUGE}{{model="gpt-4o-mini"}} 0.0' in scraped
