"""CPU of a streamed answer as the answer grows, against the same text redacted whole.

    .venv/bin/python bench/stream_growth.py [--sizes 1 2 4 8 16] [--chunks 1 20]
        [--shape prose --shape secret ...] [--cap 60] [--tree DIR]

Answers of each shape and size (KB: 1,024 characters) are streamed under the default policy
with real pattern detection (the property tests' harness: ``streamed`` of
``tests/policies/test_holdback_properties.py``, one event a read, as from a paced upstream)
in chunks of ``--chunks`` characters, and redacted whole (``redacted``, the non-streamed
path). Printed per shape, size and chunk size: CPU ms per KB streamed, CPU ms per KB
redacted whole, their ratio, and the characters the stream gave detection per character of
the answer (``scanned/char``: unmoved by the machine's load), all measured in this run
(process CPU: the detectors run in a worker thread of this process). A ratio that grows
with the size is a cost per chunk that grows with the answer (quadratic); a flat one,
linear. Once a case of a shape and chunk size takes more than ``--cap`` seconds, its larger
sizes are skipped (printed as such). Each stream is checked to join to the whole answer's
redaction (a mismatch is printed).

Shapes:

* ``prose``: sentences, no secret;
* ``secret``: a Kubernetes Secret as ``kubectl get -o yaml`` prints it (its ``data:`` map
  of base64 values before ``kind: Secret``), grown by entries;
* ``pem``: a PKCS#1 RSA private key block after a line of prose, grown by its key size;
* ``json``: a JSON config of services, each with a host, a user, a password and an API key.

``--tree`` measures another source tree (say, an older commit unpacked with git archive).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

KB = 1024


def _tree(argv: list[str]) -> Path:
    """The source tree to measure: ``--tree`` or this bench's own."""
    if "--tree" in argv:
        return Path(argv[argv.index("--tree") + 1]).resolve()
    return Path(__file__).resolve().parents[1]


def prose(size: int) -> str:
    """Sentences of plain prose, about ``size`` characters."""
    sentence = (
        "The deployment rolled out to the staging cluster after the review, and the team "
        "checked the dashboards for errors before moving on to production. "
    )
    return (sentence * (size // len(sentence) + 1))[:size].rsplit(" ", 1)[0] + "."


def _b64(rng: random.Random, chars: int = 24) -> str:
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return base64.b64encode("".join(rng.choice(alphabet) for _ in range(chars)).encode()).decode()


def secret(size: int) -> str:
    """A Kubernetes Secret as ``kubectl get -o yaml`` prints it, about ``size`` characters."""
    rng = random.Random(size)
    head = "Here is the manifest:\n\napiVersion: v1\ndata:\n"
    tail = "kind: Secret\nmetadata:\n  name: app\n  namespace: prod\ntype: Opaque\n"
    lines: list[str] = []
    while len(head) + sum(map(len, lines)) + len(tail) < size:
        lines.append(f"  service_{len(lines)}_token: {_b64(rng)}\n")
    return head + "".join(lines) + tail


def pem(size: int, pem_body: Callable[[bytes], str], pkcs1_rsa: Callable[..., bytes]) -> str:
    """A line of prose and an RSA private key block, about ``size`` characters: the key's
    size is what grows (its DER is about 0.58 bytes a bit, base64 4/3 of that)."""
    bits = max(256, int((size - 80) / 4 * 3 / 0.58 * 8 / 8))
    body = pem_body(pkcs1_rsa(seed=size, bits=bits - bits % 8))
    return (
        "Here is the key you asked for:\n"
        f"-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----\n"
    )


def config(size: int) -> str:
    """A JSON config of services with credentials, about ``size`` characters."""
    rng = random.Random(size)
    services: dict[str, object] = {}
    while len(json.dumps(services, indent=2)) < size - 40:
        index = len(services)
        services[f"service{index}"] = {
            "host": f"db{index}.internal.example.com",
            "user": f"svc_{index}",
            "password": "".join(rng.choice("abcdefghkmnpqrstuvwxyz23456789!#%") for _ in range(16)),
            "api_key": "sk-proj-"
            + "".join(rng.choice("ABCDEFabcdef0123456789") for _ in range(40)),
        }
    return "The config:\n\n" + json.dumps({"services": services}, indent=2) + "\n"


class CountingScanner:
    """``scanner``, counting the characters it is asked to scan (load-independent)."""

    def __init__(self, scanner: Any) -> None:
        self._scanner = scanner
        self.chars = 0

    async def scan(self, texts: Sequence[str], **options: Any) -> Any:
        """The findings of ``scanner``; see :class:`core.scanning.Scanner`."""
        self.chars += sum(map(len, texts))
        return await self._scanner.scan(texts, **options)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 2, 4, 8, 16])
    parser.add_argument("--chunks", type=int, nargs="+", default=[1, 20])
    parser.add_argument("--shape", action="append", choices=["prose", "secret", "pem", "json"])
    parser.add_argument("--cap", type=float, default=60.0)
    parser.add_argument("--tree", type=Path)
    args = parser.parse_args(argv)
    tree = _tree(argv)
    sys.path.insert(0, str(tree))

    from policies.inspector import PolicyInspector  # noqa: PLC0415
    from tests.detectors.key_samples import pem_body, pkcs1_rsa  # noqa: PLC0415 - the tree's
    from tests.policies.pattern_detection import cached_pack, pattern_scanner  # noqa: PLC0415
    from tests.policies.test_holdback_properties import redacted, streamed  # noqa: PLC0415

    shapes: dict[str, Callable[[int], str]] = {
        "prose": prose,
        "secret": secret,
        "pem": lambda size: pem(size, pem_body, pkcs1_rsa),
        "json": config,
    }
    scanner = CountingScanner(pattern_scanner())
    inspector = PolicyInspector(cached_pack(), scanner)
    runner = asyncio.Runner()
    # Load the detectors and the stream's shapes before timing.
    runner.run(redacted(inspector, prose(KB)))
    runner.run(streamed(inspector, list("warm up 12 ab")))
    print(f"tree: {tree}")
    print(
        f"{'shape':7} {'KB':>3} {'chunk':>5} {'chars':>6} {'stream ms/KB':>13} "
        f"{'whole ms/KB':>12} {'ratio':>8}"
    )
    for name in args.shape or list(shapes):
        for chunk in args.chunks:
            capped = False
            for kb in args.sizes:
                text = shapes[name](kb * KB)
                if capped:
                    print(f"{name:7} {kb:>3} {chunk:>5} {len(text):>6}   skipped (--cap)")
                    continue
                per_kb = len(text) / KB
                start = time.process_time()
                whole = runner.run(redacted(inspector, text))
                whole_cpu = time.process_time() - start
                pieces = [text[at : at + chunk] for at in range(0, len(text), chunk)]
                scanner.chars = 0
                start, wall = time.process_time(), time.perf_counter()
                joined = "".join(runner.run(streamed(inspector, pieces)))
                stream_cpu = time.process_time() - start
                capped = time.perf_counter() - wall > args.cap
                note = "" if joined == whole else "  MISMATCH"
                print(
                    f"{name:7} {kb:>3} {chunk:>5} {len(text):>6} "
                    f"{stream_cpu / per_kb * 1e3:>13.1f} {whole_cpu / per_kb * 1e3:>12.2f} "
                    f"{stream_cpu / whole_cpu:>8.0f}x {scanner.chars / len(text):>13.1f}{note}",
                    flush=True,
                )
    runner.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
