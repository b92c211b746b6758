"""Render the dashboards to ``dashboards/json/<uid>.json``.

``python -m dashboards.build`` rewrites the files; ``python -m dashboards.build --check``
exits 1 if any committed file differs from what the code renders (tests do the same).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from dashboards.grafana import Dashboard, render
from dashboards.investigation import INVESTIGATION
from dashboards.operations import OPERATIONS
from dashboards.security import SECURITY

#: The folder Grafana's file provider reads (dashboards/provisioning/dashboards.yml).
JSON_DIR: Final = Path(__file__).resolve().parent / "json"

DASHBOARDS: Final[tuple[Dashboard, ...]] = (OPERATIONS, SECURITY, INVESTIGATION)


def rendered() -> dict[str, str]:
    """File name → JSON text of every dashboard, exactly as committed."""
    return {
        f"{d.uid}.json": json.dumps(render(d), indent=2, ensure_ascii=False) + "\n"
        for d in DASHBOARDS
    }


def stale(directory: Path = JSON_DIR) -> list[str]:
    """Names of dashboard files in ``directory`` that are missing, differ, or are extra."""
    expected = rendered()
    present = {p.name for p in directory.glob("*.json")}
    differing = [
        name
        for name, text in expected.items()
        if name not in present or (directory / name).read_text(encoding="utf-8") != text
    ]
    return sorted(differing + sorted(present - expected.keys()))


def write(directory: Path = JSON_DIR) -> list[Path]:
    """Write every dashboard into ``directory``; return the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in rendered().items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python -m dashboards.build", description=__doc__)
    parser.add_argument("--check", action="store_true", help="only report stale files")
    args = parser.parse_args(argv)
    if args.check:
        names = stale()
        for name in names:
            sys.stderr.write(f"stale: dashboards/json/{name} (run python -m dashboards.build)\n")
        return 1 if names else 0
    for path in write():
        sys.stdout.write(f"wrote {path.relative_to(JSON_DIR.parent.parent)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
