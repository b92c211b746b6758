"""The ``call_volume_1m`` rollup, made by the writer once per closed step instead of by a
materialized view at every insert (issue 11: the view was 20-28 % of the event log's CPU).

``call_volume_1m`` is a plain view (migration 9): the rows the old view rolled up, the
*closed* steps in ``call_volume_1m_steps``, and the open tail, aggregated from ``requests``
when read. A step is a stretch of ``inserted_at`` (the engine's clock when a row landed),
``[start, start + step)``; it is closed once no row can land in it any more, and the writer
then inserts its aggregate, keyed by the call's minute as before, and records its end in
``call_volume_1m_rolled_up_to``. Readers see every call from the moment it is in
``requests``; the rollup only moves it from the tail to the table.

Exactly once, across crashes and replays, with the real engine's own guarantees:

- a step's bounds depend only on the recorded end and on rows that can no longer change
  (it starts at the recorded end, or at the first row inserted after it), so a step redone
  after a crash is the same step, and its insert carries a deduplication token naming its
  start: a copy of a step that had landed is dropped;
- the view reads a step's rows from the table only once its end is recorded, and from
  ``requests`` until then, never from both;
- a replayed batch of ``requests`` is deduplicated by its own token and adds no rows.

"No row can land in it any more": with the embedded engine the writer is the only one
inserting, and it rolls up only while none of its inserts is running, so every row stamped
before the engine's current second has landed (``lag`` is one second). With a server, other
proxies may be inserting: ``lag`` then covers an insert that started before it
(twice the client timeout). On a cluster ``call_volume_1m`` stays a materialized view
(``deploy/clickhouse/cluster.sql``, summed on the servers), and the rollup does nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from clickhouse_connect.driver.client import Client

from proxy.store.migrations import CALL_VOLUME_AGGREGATE
from proxy.store.settings import StoreSettings


class Rollup:
    """Closes the steps of ``call_volume_1m`` that can no longer change (module docstring).

    Runs on the writer thread, with the writer's chain client, while no insert is running.
    """

    def __init__(
        self,
        settings: StoreSettings,
        *,
        lag: int | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._db = settings.database
        self._step = settings.rollup_step
        default_lag = 1 if settings.embedded else round(2 * settings.timeout)
        self._lag = default_lag if lag is None else lag
        self._clock = clock
        #: Epoch seconds before which no step can close (see :meth:`advance`).
        self._due = float("-inf")
        self._insert = (
            f"INSERT INTO {self._db}.call_volume_1m_steps"  # noqa: S608
            " (minute, team, user, model, provider, decision, step, calls, errors, blocked,"
            " streamed, prompt_tokens, completion_tokens, tokens, latency_ms_sum, cost, unpriced)"
            " SELECT minute, team, user, model, provider, decision,"
            " toDateTime({start:UInt32}, 'UTC') AS step, calls, errors, blocked, streamed,"
            " prompt_tokens, completion_tokens, tokens, latency_ms_sum, cost, unpriced FROM ("
            + CALL_VOLUME_AGGREGATE.replace(
                "{where}",
                "inserted_at >= toDateTime({start:UInt32}, 'UTC')"
                " AND inserted_at < toDateTime({end:UInt32}, 'UTC')",
            ).replace("{db}", self._db)
            + ")"
        )

    def prepare(self, client: Client) -> bool:
        """Whether ``call_volume_1m`` is the plain view this rollup feeds (not a cluster's
        materialized view or Distributed table). Call it before inserting into
        ``requests``: it also waits, once after migration 9, until the engine's clock has
        passed the first step's start (at most a second), so that no new row is stamped
        before it and missed by both the rollup and the view."""
        rows = client.query(
            "SELECT engine FROM system.tables WHERE database = {db:String}"
            " AND name = 'call_volume_1m'",
            parameters={"db": self._db},
        ).result_rows
        if not rows or rows[0][0] != "View":
            return False
        ahead = client.query(
            "SELECT toInt64(toUnixTimestamp(max(upto))) - toInt64(toUnixTimestamp(now()))"  # noqa: S608
            f" FROM {self._db}.call_volume_1m_rolled_up_to"
        ).result_rows[0][0]
        if int(ahead) > 0:
            time.sleep(int(ahead) + 0.05)
        return True

    def advance(self, client: Client, *, max_steps: int = 10) -> int:
        """Close the steps that can no longer change (at most ``max_steps``); return how
        many. Raises the engine's error; the next call then redoes the step it was closing.

        When a call finds no step to close, it also works out when the next one can close
        at the earliest, and until then later calls return 0 without asking the engine (the
        two queries cost ~10 ms of CPU; the writer asks twelve times a step). The recorded
        end only grows and a step starts at it or at a row inserted after it, so that moment
        never comes later than thought: a step is closed at most one turn of the writer
        late, and the view reads its calls from ``requests`` meanwhile. The clock is this
        machine's; the engine's may differ by what ``lag`` allows for."""
        if self._clock() < self._due:
            return 0
        steps = 0
        upto = self._rolled_up_to(client)
        while steps < max_steps:
            first, now = self._first_after(client, upto)
            if first is None:
                # The next row is stamped from about now on (``lag`` covers inserts under way).
                self._due = max(upto, now - self._lag) + self._step + self._lag
                break
            start = max(upto, first)
            end = start + self._step
            if end > now - self._lag:
                self._due = end + self._lag
                break
            client.command(
                self._insert,
                parameters={"start": start, "end": end},
                settings={
                    "insert_deduplicate": 1,
                    "insert_deduplication_token": f"call_volume:{start}",
                    "max_threads": 1,
                },
            )
            client.command(
                f"INSERT INTO {self._db}.call_volume_1m_rolled_up_to (upto)"  # noqa: S608
                " VALUES (toDateTime({end:UInt32}, 'UTC'))",
                parameters={"end": end},
            )
            steps += 1
            upto = end
        return steps

    def _rolled_up_to(self, client: Client) -> int:
        rows = client.query(
            f"SELECT toUnixTimestamp(max(upto)) FROM {self._db}.call_volume_1m_rolled_up_to"  # noqa: S608
        ).result_rows
        return int(rows[0][0])

    def _first_after(self, client: Client, upto: int) -> tuple[int | None, int]:
        """The first ``inserted_at`` at or after ``upto`` (None if none), and the engine's
        clock, in epoch seconds."""
        first, now = client.query(
            "SELECT toUnixTimestamp(minOrNull(inserted_at)), toUnixTimestamp(now())"  # noqa: S608
            f" FROM {self._db}.requests"
            " WHERE inserted_at >= toDateTime({upto:UInt32}, 'UTC')",
            parameters={"upto": upto},
        ).result_rows[0]
        return (None if first is None else int(first)), int(now)
