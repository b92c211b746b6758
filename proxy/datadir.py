"""The data directory holds what the proxy guards: only its owner may read it.

Prompts rest in the spool and in the embedded ClickHouse tree, next to the admin token and
the fingerprint key. Directories are 0700 and files 0600: those the proxy creates itself,
those the embedded engine creates (the process umask is 0077 once the store is opened),
and those an earlier version left with wider modes (fixed when the directory is opened).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

#: New files and directories: no access for group and others.
PRIVATE_UMASK = 0o077


def ensure_private_dir(path: Path) -> None:
    """Create ``path`` (and missing parents) 0700; narrow it to 0700 if it exists."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    _narrow(path, 0o700)


def secure_tree(path: Path) -> None:
    """Make ``path`` a private directory and narrow everything under it: directories to
    0700, files to 0600 (only what this user owns; symbolic links are not followed)."""
    ensure_private_dir(path)
    for root, dirs, files in os.walk(path):
        for name in dirs:
            _narrow(Path(root, name), 0o700)
        for name in files:
            _narrow(Path(root, name), 0o600)


def restrict_umask() -> None:
    """Give every file this process creates from now on owner-only permissions.

    Process-wide on purpose: the embedded ClickHouse engine creates its parts, logs and
    metadata from its own threads, with modes the proxy cannot pass in.
    """
    os.umask(PRIVATE_UMASK)


def _narrow(path: Path, mode: int) -> None:
    try:
        info = path.lstat()
    except FileNotFoundError:  # removed meanwhile (a merge finished)
        return
    if stat.S_ISLNK(info.st_mode) or info.st_uid != os.getuid():
        return
    if stat.S_IMODE(info.st_mode) & ~mode:
        path.chmod(stat.S_IMODE(info.st_mode) & mode)


def secure_data_dir(path: Path) -> None:
    """At start-up: make the data directory 0700 and give every file the process creates
    from now on owner-only permissions.

    Only the directory itself is narrowed, not what is in it: ``data_dir`` is the
    operator's choice and may hold files that are not ours (a mode change would strip
    their execute bits); with the directory 0700 no other user reaches them anyway. The
    trees that are ours alone (embedded store, spool) are narrowed where they are opened.
    """
    restrict_umask()
    ensure_private_dir(path)
