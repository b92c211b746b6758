"""A directory to run ``llm-proxy serve`` and ``llm-proxy`` commands in, as an operator would.

``Place.make(tmp_path, fake)`` writes a configuration whose data directory is absolute (the
CLI may run in another working directory than the proxy) and the environment a developer's
shell would hold: the fake provider's base URL, nothing else unless asked.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from tests.fakes import FakeUpstream


@dataclass(frozen=True)
class Place:
    """A working directory with a ``proxy.yaml`` and the environment to serve it."""

    root: Path
    env: dict[str, str]

    @classmethod
    def make(cls, tmp_path: Path, fake: FakeUpstream, *, config: str = "", **env: str) -> Place:
        """``tmp_path/work`` holding a configuration (``config`` appended to its data_dir
        line); ``env`` adds to the environment."""
        root = tmp_path / "work"
        root.mkdir()
        (root / "proxy.yaml").write_text(f"data_dir: {root / 'data'}\n{config}", encoding="utf-8")
        base = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(tmp_path),
            "OPENAI_BASE_URL": f"{fake.url}/v1",
        }
        return cls(root, {**base, **env})

    @property
    def config(self) -> Path:
        return self.root / "proxy.yaml"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def admin_token(self) -> str:
        return (self.data / "admin.token").read_text(encoding="utf-8").strip()
