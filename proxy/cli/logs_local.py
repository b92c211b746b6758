"""Reading the event log in the CLI's own process, while no proxy is running.

An incident responder needs the logs most when the proxy is down. Then the ``logs`` and
``anomalies`` commands open the store themselves: the embedded engine directory (only one
process may hold it, so a live proxy that did not answer makes the open fail, and that is
said in one line) or the configured ClickHouse server. Reads of content are audited as
through the admin API, under the OS user (``via="cli-offline"``): whoever may read the data
directory may read the store, so that is the credential that allowed the read.

:class:`LocalLogs` answers with the admin API's shapes, so the commands print the same
either way; the filter and window checks are the admin API's own.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import orjson
from clickhouse_connect.driver.client import Client
from clickhouse_connect.driver.exceptions import Error as ClickHouseError
from clickhouse_connect.driver.exceptions import ProgrammingError

from proxy.admin.anomalies import parse_since, parse_thresholds, read_anomalies
from proxy.admin.logs import parse_filter
from proxy.admin.spend import parse_grouping, parse_limit, parse_window, read_spend
from proxy.cli.log_source import LogsError
from proxy.errors import ProxyError
from proxy.fingerprint import Fingerprints
from proxy.store import Reader, export, get, open_client, record_audit, search
from proxy.store.chain_verify import proof_for, verify_configured
from proxy.store.config_history import parse_history_params, read_config_history
from proxy.store.queries import find_markers
from proxy.store.settings import StoreSettings
from proxy.store.timespec import parse_time

#: ``Reader.via`` of reads made by the CLI without a proxy.
VIA_OFFLINE = "cli-offline"
#: ``Reader.role`` of those reads: read access to the store's files (or its server URL).
ROLE_OFFLINE = "store-access"

T = TypeVar("T")


class LocalLogs:
    """The log reads of the admin API, run against the store in this process (a
    :class:`proxy.cli.logs.LogSource`)."""

    def __init__(
        self,
        settings: StoreSettings,
        os_user: str,
        *,
        data_dir: Path | None = None,
        currency: str = "USD",
    ) -> None:
        self.settings = settings
        #: ``pricing.currency`` of the configuration, for the spend report.
        self._currency = currency
        self._reader = Reader(actor=os_user, role=ROLE_OFFLINE, via=VIA_OFFLINE)
        #: Where the fingerprint key is (``find_secret``).
        self._data_dir = data_dir

    @property
    def where(self) -> str:
        """What is read, for the notice: the engine directory or the server (no password)."""
        if self.settings.embedded:
            return self.settings.embedded_path
        return f"the ClickHouse server {self.settings.display_url}"

    def check(self) -> None:
        """Fail early when there is nothing to read (no engine directory) or the store
        cannot be opened (another process holds the engine)."""
        path = self.settings.embedded_path
        if self.settings.embedded and not os.path.isdir(path):
            raise LogsError(
                f"no event log at {path}: no proxy has recorded calls with this configuration"
            )
        self._open().close()

    def search(self, params: Mapping[str, str]) -> list[dict[str, Any]]:
        flt = _checked(lambda: parse_filter(params, default_limit=100))
        db = self.settings.database
        records = self._with_client(
            lambda c: search(c, flt, database=db, include_content=False, reader=self._reader)
        )
        return [r.to_dict() for r in records]

    def show(self, request_id: str) -> dict[str, Any]:
        db = self.settings.database
        record = self._with_client(lambda c: get(c, request_id, database=db, reader=self._reader))
        if record is None:
            raise LogsError(f"No logged call has request id {request_id!r}.")
        return record.to_dict()

    def export(self, params: Mapping[str, str]) -> Iterator[bytes]:
        """NDJSON lines; each batch is audited (on a second client) before it is yielded."""
        flt = _checked(lambda: parse_filter(params, default_limit=None))
        stream, audit = self._open(), self._open()
        try:
            batches = export(
                stream,
                flt,
                database=self.settings.database,
                reader=self._reader,
                audit=lambda entry: record_audit(audit, entry, database=self.settings.database),
            )
            try:
                for records in batches:
                    for record in records:
                        yield orjson.dumps(record.to_dict()) + b"\n"
            except ClickHouseError as exc:
                raise LogsError(self._failure(exc)) from None
            finally:
                batches.close()
        finally:
            stream.close()
            audit.close()

    def anomalies(self, params: Mapping[str, str]) -> dict[str, Any]:
        since = _checked(lambda: parse_since(params.get("since") or "7d"))
        thresholds = _checked(lambda: parse_thresholds(params))
        try:
            report = read_anomalies(self.settings, since, datetime.now(UTC), thresholds)
        except ClickHouseError as exc:
            raise LogsError(self._failure(exc)) from None
        return report.to_dict()

    def spend(self, params: Mapping[str, str]) -> dict[str, Any]:
        """As the admin API does: the spend report (metadata, not audited)."""
        by = _checked(lambda: parse_grouping(params.get("by")))
        window = _checked(lambda: parse_window(params, datetime.now(UTC)))
        limit = _checked(lambda: parse_limit(params.get("limit")))
        try:
            report = read_spend(self.settings, by, window, self._currency, limit)
        except ClickHouseError as exc:
            raise LogsError(self._failure(exc)) from None
        return report.to_dict()

    def config_history(self, params: Mapping[str, str]) -> dict[str, Any]:
        """As the admin API does: the configuration history."""
        try:
            parse_history_params(params)
            return read_config_history(self.settings, params)
        except ValueError as exc:
            raise LogsError(str(exc)) from None
        except ClickHouseError as exc:
            raise LogsError(self._failure(exc)) from None

    def verify(self, params: Mapping[str, str]) -> dict[str, Any]:
        """As the admin API does: the hash chain's verification."""
        try:
            since = parse_time(params["since"]) if params.get("since") else None
        except ValueError as exc:
            raise LogsError(str(exc)) from None
        result = self._with_client(lambda c: verify_configured(c, self.settings, since))
        return result.to_dict()

    def chain_proof(self, request_ids: list[str]) -> dict[str, Any]:
        db = self.settings.database
        return self._with_client(lambda c: proof_for(c, db, request_ids))

    def find_secret(self, value: str) -> list[dict[str, Any]]:
        """As the admin API does, with the data directory's key (never created here)."""
        if self._data_dir is None:
            raise LogsError("find-secret needs the data directory, which holds the key")
        try:
            markers = Fingerprints.existing(self._data_dir).markers(value)
        except FileNotFoundError:
            raise LogsError(
                f"no fingerprint key in {self._data_dir}: no masked value was ever stored"
            ) from None
        except (OSError, ValueError):
            raise LogsError(f"cannot read the fingerprint key in {self._data_dir}") from None
        db = self.settings.database
        records = self._with_client(
            lambda c: find_markers(c, markers, database=db, reader=self._reader)
        )
        return [r.to_dict() for r in records]

    def _open(self) -> Client:
        try:
            with _quiet_stderr(self.settings.embedded):
                return open_client(self.settings)
        except ProgrammingError:
            if not self.settings.embedded:
                raise LogsError(f"cannot open {self.where}") from None
            # chdb refuses a directory another process holds: a proxy that did not answer.
            raise LogsError(
                f"the event log {self.where} is in use by another process (a proxy that "
                "does not answer?); stop it or pass --proxy-url"
            ) from None
        except ClickHouseError as exc:
            raise LogsError(self._failure(exc)) from None

    def _with_client(self, call: Callable[[Client], T]) -> T:
        client = self._open()
        try:
            return call(client)
        except ClickHouseError as exc:
            raise LogsError(self._failure(exc)) from None
        finally:
            client.close()

    def _failure(self, exc: ClickHouseError) -> str:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return f"cannot read the event log at {self.where}: {first[:200]}"


@contextlib.contextmanager
def _quiet_stderr(quiet: bool) -> Iterator[None]:
    """Silence file descriptor 2 while the embedded engine starts: refused, it prints its
    own multi-line error there, and the CLI owes the user one line. (A CLI process: no
    other thread writes to stderr meanwhile.)"""
    if not quiet:
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _checked(parse: Callable[[], T]) -> T:
    """The admin API's parsing, its errors as one line."""
    try:
        return parse()
    except ProxyError as exc:
        raise LogsError(str(exc)) from None
