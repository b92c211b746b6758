"""The admin address file: where the running proxy's admin API listens, for the local CLI.

Once listening, the proxy writes its admin URL and process id to ``admin.json`` in its data
directory; ``llm-proxy logs …`` reads it to find the proxy. Kept apart from the admin API so
that reading it imports no aiohttp.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from proxy.datadir import ensure_private_dir

ADMIN_ADDRESS_FILE = "admin.json"


def write_admin_address(data_dir: Path, url: str) -> None:
    """Record where the running proxy's admin API listens, for the local CLI."""
    ensure_private_dir(data_dir)
    target = data_dir / ADMIN_ADDRESS_FILE
    tmp = target.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(json.dumps({"url": url, "pid": os.getpid()}) + "\n")
    tmp.replace(target)


def _admin_record(data_dir: Path) -> dict[str, Any]:
    try:
        data: Any = json.loads((data_dir / ADMIN_ADDRESS_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def read_admin_address(data_dir: Path) -> str | None:
    url = _admin_record(data_dir).get("url")
    return url if isinstance(url, str) else None


def admin_address_is_stale(data_dir: Path) -> bool:
    """True when the recorded admin address is a leftover: the process that wrote it is
    gone (it crashed, or stopped before clean-up). False when it may still be running."""
    pid = _admin_record(data_dir).get("pid")
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, under another user
        return False
    return False
