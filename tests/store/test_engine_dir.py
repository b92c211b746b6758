"""The embedded engine's directory: narrowed whole the first time it is opened, then only
the directory itself at each open (a walk of its files per open cost ~80 ms at 2,600)."""

from __future__ import annotations

import stat
from pathlib import Path

from proxy.store.client import PRIVATE_MARK, secure_engine_dir


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def _older_versions_tree(root: Path) -> Path:
    """An engine tree as a version without the umask left it: 0755 and 0644."""
    part = root / "store" / "abc" / "all_1_1_0"
    part.mkdir(parents=True)
    (part / "data.bin").write_bytes(b"x")
    (part / "data.bin").chmod(0o644)
    for directory in (part, part.parent, part.parent.parent, root):
        directory.chmod(0o755)
    return part


def test_the_first_open_narrows_the_whole_tree_and_marks_it(tmp_path: Path) -> None:
    """A tree without the mark is narrowed to 0700 directories and 0600 files, and the mark
    (itself 0600) says so afterwards."""
    root = tmp_path / "clickhouse"
    part = _older_versions_tree(root)
    secure_engine_dir(root)
    assert (_mode(root), _mode(part), _mode(part / "data.bin")) == (0o700, 0o700, 0o600)
    assert _mode(root / PRIVATE_MARK) == 0o600


def test_a_marked_tree_is_not_walked_again_but_its_directory_is_narrowed(
    tmp_path: Path,
) -> None:
    """Once marked, an open narrows the engine's directory again (an operator widened it)
    and leaves what lies under it alone: no walk of every file per open."""
    root = tmp_path / "clickhouse"
    part = _older_versions_tree(root)
    secure_engine_dir(root)
    later = part / "later.bin"
    later.write_bytes(b"x")
    later.chmod(0o644)
    root.chmod(0o755)
    secure_engine_dir(root)
    assert _mode(root) == 0o700
    assert _mode(later) == 0o644


def test_a_new_directory_is_created_private_and_marked(tmp_path: Path) -> None:
    """An engine directory that does not exist yet is made 0700, with its mark."""
    root = tmp_path / "data" / "clickhouse"
    secure_engine_dir(root)
    assert _mode(root) == 0o700
    assert (root / PRIVATE_MARK).exists()
