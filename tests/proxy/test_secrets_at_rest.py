"""Blocked and masked values never rest in clear: not in the spool, not in ClickHouse, not
in an export or ``logs show``; ``logs find-secret`` still tells whether one was sent."""

from __future__ import annotations

import asyncio
import io
import json
import os
import random
import stat
import string
import zlib
from pathlib import Path

import openai
import pytest
from openai.types.chat import ChatCompletionMessageParam

from detectors.checks import base62_encode
from detectors.custom import CustomDetector
from detectors.settings import CustomSettings, RegexRecognizerSettings
from policies.inspector import PolicyInspector
from policies.scanning import DetectorScanner
from proxy.admin.address import write_admin_address
from proxy.fingerprint import KEY_FILE, Fingerprints
from proxy.store import open_client
from proxy.store.spool_segment import HEADER_SIZE
from tests.fakes import FakeUpstream
from tests.policies.factories import EMAIL, STAND_INS, secrets_detector
from tests.policies.pattern_detection import cached_pack
from tests.proxy.admin_helpers import analyst_admin, run_cli
from tests.proxy.conftest import Proxy, StartProxy
from tests.proxy.test_event_log import flush
from tests.proxy.test_multipart import batch_file

_RNG = random.Random(9)
_BODY = "".join(_RNG.choice(string.ascii_letters + string.digits) for _ in range(30))
GITHUB = f"ghp_{_BODY}{base62_encode(zlib.crc32(_BODY.encode()), 6)}"
AWS_ID = "AKIAIOSFODNN7EXAMPLQ"
AWS_SECRET = "".join(_RNG.choice(string.ascii_letters + string.digits + "+/") for _ in range(40))
PEM_LINES = ["".join(_RNG.choice(string.ascii_letters + string.digits) for _ in range(64))] * 4
PEM = "-----BEGIN RSA PRIVATE KEY-----\n" + "\n".join(PEM_LINES) + "\n-----END RSA PRIVATE KEY-----"
CARD = "4111 1111 1111 1111"

#: Prompts the default policy blocks, and the values in them that must never rest in clear.
BLOCKED = {
    "aws-key-pair": (
        f"deploy with\naws_access_key_id = {AWS_ID}\naws_secret_access_key = {AWS_SECRET}\n",
        [AWS_ID, AWS_SECRET],
    ),
    "github-token": (f"clone it with {GITHUB} please", [GITHUB]),
    "pem-key": (f"why does ssh reject this key?\n{PEM}\n", [PEM_LINES[0]]),
    "card": (f"charge card {CARD} again", [CARD, CARD.replace(" ", "")]),
}
ALL_VALUES = [value for _, values in BLOCKED.values() for value in values]

#: The PII stand-ins plus a card recognizer (Presidio's needs spaCy).
WITH_CARDS = CustomSettings(
    regexes=(
        *STAND_INS.regexes,
        RegexRecognizerSettings(
            entity_type="CREDIT_CARD", pattern=r"\b\d{4}(?: \d{4}){3}\b", score=0.9
        ),
    ),
    keywords=STAND_INS.keywords,
)


def default_inspector(data_dir: Path) -> PolicyInspector:
    """The default policy, the real secrets detector, stand-ins for PII and cards, and the
    data directory's fingerprint key (as the proxy wires it)."""
    scanner = DetectorScanner([secrets_detector(), CustomDetector(WITH_CARDS)])
    return PolicyInspector(cached_pack(), scanner, fingerprints=Fingerprints.load(data_dir))


@pytest.fixture
async def guarded_proxy(
    start_proxy: StartProxy, clickhouse_url: str, store_database: str, tmp_path: Path
) -> Proxy:
    """A proxy enforcing the default policy, recording to the session's embedded engine."""
    return await start_proxy(
        {
            "store": {"url": clickhouse_url, "database": store_database, "flush_interval": 0.05},
            "admin": analyst_admin(),
        },
        event_log=True,
        inspector=default_inspector(tmp_path / "data"),
    )


async def send_blocked(proxy: Proxy) -> None:
    for prompt, _ in BLOCKED.values():
        with pytest.raises(openai.PermissionDeniedError):
            await proxy.openai().chat.completions.create(
                model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}]
            )


def stored_rows(proxy: Proxy) -> list[tuple[str, ...]]:
    store = proxy.settings.store
    client = open_client(store)
    try:
        sql = f"SELECT prompt, prompt_forwarded, response FROM {store.database}.requests"
        return [tuple(row) for row in client.query(sql).result_rows]
    finally:
        client.close()


def assert_clear_of(text: str, values: list[str]) -> None:
    leaked = [value[:8] + "…" for value in values if value in text]
    assert not leaked, f"stored in clear: {leaked}"


async def test_blocked_secrets_are_stored_as_fingerprints_only(
    guarded_proxy: Proxy, fake: FakeUpstream
) -> None:
    """An AWS key pair, a GitHub token, a PEM key and a card number, each blocked, rest in
    ClickHouse only as ``<TYPE:fingerprint>`` masks."""
    await send_blocked(guarded_proxy)
    await flush(guarded_proxy)
    assert fake.requests == []
    rows = stored_rows(guarded_proxy)
    assert len(rows) == len(BLOCKED)
    stored = "\n".join(text for row in rows for text in row)
    assert_clear_of(stored, ALL_VALUES)
    fingerprints = Fingerprints.load(guarded_proxy.settings.data_dir)
    for kind, value in [
        ("AWS_SECRET_ACCESS_KEY", AWS_SECRET),
        ("AWS_ACCESS_KEY_ID", AWS_ID),
        ("GITHUB_TOKEN", GITHUB),
        ("PRIVATE_KEY", PEM),
        ("CREDIT_CARD", CARD),
    ]:
        assert fingerprints.mask(kind, value) in stored
    assert "clone it with <GITHUB_TOKEN:" in stored  # the rest of the prompt is kept


async def test_export_and_show_hold_no_blocked_value(
    guarded_proxy: Proxy, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``logs export`` (to a file only its owner may read) and ``logs show`` (even with
    ``--reveal``) print masks, not values."""
    await send_blocked(guarded_proxy)
    await flush(guarded_proxy)
    target = tmp_path / "evidence.jsonl"
    target.write_text("an earlier export\n")
    target.chmod(0o644)
    code, _, _ = await run_cli(guarded_proxy, capsys, "logs", "export", "--output", str(target))
    assert code == 0
    exported = [json.loads(line) for line in target.read_text().splitlines()]
    assert len(exported) == len(BLOCKED)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert_clear_of(target.read_text(), ALL_VALUES)
    for row in exported:
        for flag in ((), ("--reveal",)):
            code, out, _ = await run_cli(
                guarded_proxy, capsys, "logs", "show", row["request_id"], *flag
            )
            assert code == 0
            assert_clear_of(out, ALL_VALUES)
            assert "[user]" in out


async def test_find_secret_tells_whether_a_value_was_sent(
    guarded_proxy: Proxy, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``logs find-secret`` finds a blocked value by its fingerprint (a pasted PEM file with
    its trailing newline too), says "not sent" for another, and audits each search without
    the value."""
    await send_blocked(guarded_proxy)
    await flush(guarded_proxy)

    async def find(value: str) -> tuple[int, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(value))
        code, out, _ = await run_cli(guarded_proxy, capsys, "logs", "find-secret")
        return code, out

    code, out = await find(AWS_SECRET + "\n")
    assert code == 0
    assert out.startswith("sent in 1 call(s)")
    code, out = await find(PEM + "\n")
    assert (code, out.splitlines()[0]) == (0, "sent in 1 call(s):")
    code, out = await find("AKIAGYLW2FGSIORRGXT6")  # another key
    assert code == 1
    assert out.startswith("not sent")

    store = guarded_proxy.settings.store
    client = open_client(store)
    try:
        audit = client.query(
            f"SELECT action, include_content, row_count, filters FROM {store.database}.audit_log"
            " WHERE action = 'find-secret'"
        ).result_rows
    finally:
        client.close()
    assert sorted(row[2] for row in audit) == [0, 1, 1]  # one audited search each
    assert all(row[1] for row in audit)
    assert_clear_of(json.dumps([row[3] for row in audit]), [AWS_SECRET, PEM_LINES[0]])


async def test_find_secret_needs_the_content_role(
    guarded_proxy: Proxy, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A metadata-only reader may not test values against the log."""
    from tests.proxy.admin_helpers import ANALYST_TOKEN

    monkeypatch.setattr("sys.stdin", io.StringIO(AWS_SECRET))
    code, _, err = await run_cli(guarded_proxy, capsys, "logs", "find-secret", token=ANALYST_TOKEN)
    assert code != 0
    assert "content role" in err


async def test_pseudonymised_value_restored_in_the_answer_is_masked_at_rest(
    guarded_proxy: Proxy, fake: FakeUpstream
) -> None:
    """An e-mail address the caller sees restored in the answer is stored as its mask, in
    the prompt and in the answer, plain and streamed."""
    fake.behaviour.echo_prompt = True
    client = guarded_proxy.openai()
    messages: list[ChatCompletionMessageParam] = [
        {"role": "user", "content": f"Write to {EMAIL} about the invoice"}
    ]
    reply = await client.chat.completions.create(model="gpt-4o-mini", messages=messages)
    assert EMAIL in (reply.choices[0].message.content or "")
    stream = await client.chat.completions.create(
        model="gpt-4o-mini",
        messages=messages,
        stream=True,
    )
    streamed = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
    assert EMAIL in streamed
    await flush(guarded_proxy)
    rows = stored_rows(guarded_proxy)
    assert len(rows) == 2
    mask = Fingerprints.load(guarded_proxy.settings.data_dir).mask("EMAIL_ADDRESS", EMAIL)
    for prompt, _, response in rows:
        assert_clear_of(prompt + response, [EMAIL])
        assert mask in prompt
        assert mask in response


async def test_blocked_upload_is_stored_as_a_masked_text_view(
    guarded_proxy: Proxy, fake: FakeUpstream
) -> None:
    """A multipart upload blocked for a secret is stored as the masked text view the policy
    judged, not as the raw multipart body."""
    upload = ("batch.jsonl", io.BytesIO(batch_file(f"key {GITHUB}")), "application/jsonl")
    with pytest.raises(openai.PermissionDeniedError):
        await guarded_proxy.openai().files.create(file=upload, purpose="batch")
    await flush(guarded_proxy)
    [(prompt, _, _)] = stored_rows(guarded_proxy)
    assert_clear_of(prompt, [GITHUB])
    assert "batch.jsonl" in prompt
    assert "<GITHUB_TOKEN:" in prompt


async def test_blocked_secret_never_reaches_the_spool_in_clear(
    monkeypatch: pytest.MonkeyPatch, start_proxy: StartProxy, tmp_path: Path
) -> None:
    """With ClickHouse unreachable every event stays in the spool: it holds masks only."""
    # The store never answers, so the proxy's stop would wait its whole flush allowance
    # (10 s) for nothing; the spool is what this test reads. (``monkeypatch`` is set up
    # before ``start_proxy``, so it is undone after the proxy stopped.)
    monkeypatch.setattr("proxy.app.SHUTDOWN_FLUSH_SECONDS", 0.5)
    spool = tmp_path / "spool"
    proxy = await start_proxy(
        {
            "store": {
                "url": "http://127.0.0.1:9/",
                "spool_dir": str(spool),
                "timeout": 0.2,
                "retry_backoff_max": 0.2,
            }
        },
        event_log=True,
        inspector=default_inspector(tmp_path / "data"),
    )
    await send_blocked(proxy)
    segments = [p.read_bytes() for p in spool.glob("*.seg")]
    spooled = b"".join(segments).decode("utf-8", "replace")
    assert spooled.count('"decision":"block"') == len(BLOCKED)
    assert_clear_of(spooled, ALL_VALUES)
    assert "<GITHUB_TOKEN:" in spooled


async def test_committed_events_leave_the_spool_promptly(guarded_proxy: Proxy) -> None:
    """Once ClickHouse holds the events, no spool segment on disk holds them any more."""
    await send_blocked(guarded_proxy)
    await flush(guarded_proxy)
    segments = list(guarded_proxy.settings.store.spool_dir.glob("*.seg"))
    assert all(p.stat().st_size <= HEADER_SIZE for p in segments)


def _modes(root: Path) -> tuple[set[int], set[int]]:
    """Permission bits of the directories and of the files under ``root`` (symbolic
    links, whose own bits mean nothing, left out)."""

    def modes(base: str, names: list[str]) -> set[int]:
        infos = [Path(base, name).lstat() for name in names]
        return {stat.S_IMODE(i.st_mode) for i in infos if not stat.S_ISLNK(i.st_mode)}

    dirs, files = {stat.S_IMODE(root.stat().st_mode)}, set()
    for base, names, filenames in os.walk(root):
        dirs |= modes(base, names)
        files |= modes(base, filenames)
    return dirs, files


async def test_data_directory_and_embedded_store_are_private(
    guarded_proxy: Proxy, clickhouse_url: str
) -> None:
    """The data directory (key, token, admin address, spool) and the embedded ClickHouse
    tree are 0700 directories of 0600 files."""
    await send_blocked(guarded_proxy)
    await flush(guarded_proxy)
    data_dir = guarded_proxy.settings.data_dir
    write_admin_address(data_dir, guarded_proxy.url)
    assert (data_dir / KEY_FILE).exists()
    assert _modes(data_dir) == ({0o700}, {0o600})
    dirs, files = _modes(Path(clickhouse_url.removeprefix("chdb://")))
    assert (dirs, files) == ({0o700}, {0o600})


def test_wide_modes_left_by_an_older_version_are_narrowed(tmp_path: Path) -> None:
    """Opening the embedded store narrows a tree an older version left 0755/0644."""
    from proxy.datadir import secure_tree

    (tmp_path / "store" / "data").mkdir(parents=True)
    (tmp_path / "store").chmod(0o755)
    (tmp_path / "store" / "data" / "part.bin").write_bytes(b"x")
    (tmp_path / "store" / "data" / "part.bin").chmod(0o644)
    secure_tree(tmp_path / "store")
    assert _modes(tmp_path / "store") == ({0o700}, {0o600})


@pytest.mark.slow
async def test_the_proxy_as_shipped_stores_what_find_secret_finds(
    start_proxy: StartProxy,
    clickhouse_url: str,
    store_database: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With the production wiring (default policy, real detectors), the inspector and the
    admin API fingerprint under the same data-directory key: a blocked AWS secret is stored
    masked and found by value."""
    proxy = await start_proxy(
        {
            "store": {"url": clickhouse_url, "database": store_database, "flush_interval": 0.05},
            "detectors": {"service": {"workers": 1, "spare_workers": 0}},
        },
        event_log=True,
        enforce=True,
    )
    prompt, values = BLOCKED["aws-key-pair"]
    with pytest.raises(openai.PermissionDeniedError):
        await proxy.openai().chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}]
        )
    await flush(proxy)
    assert_clear_of("\n".join(text for row in stored_rows(proxy) for text in row), values)
    monkeypatch.setattr("sys.stdin", io.StringIO(AWS_SECRET))
    code, out, _ = await run_cli(proxy, capsys, "logs", "find-secret")
    assert (code, out.splitlines()[0]) == (0, "sent in 1 call(s):")


async def test_a_secret_in_the_answer_is_stored_as_the_caller_saw_it_masked(
    guarded_proxy: Proxy, fake: FakeUpstream
) -> None:
    """A token the model writes back is redacted by the output rule; the stored answer,
    plain or streamed (the token split over chunks), holds the mask, never the token."""
    fake.behaviour.reply_text = f"Use {GITHUB} to clone."
    fake.behaviour.chunks = ["Use ", GITHUB[:12], GITHUB[12:], " to clone."]
    client = guarded_proxy.openai()
    messages: list[ChatCompletionMessageParam] = [{"role": "user", "content": "what token?"}]
    reply = await client.chat.completions.create(model="gpt-4o-mini", messages=messages)
    assert reply.choices[0].message.content == "Use <GITHUB_TOKEN> to clone."
    stream = await client.chat.completions.create(
        model="gpt-4o-mini",
        messages=messages,
        stream=True,
    )
    streamed = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
    assert streamed == "Use <GITHUB_TOKEN> to clone."
    await flush(guarded_proxy)
    rows = stored_rows(guarded_proxy)
    assert len(rows) == 2
    for _, _, response in rows:
        assert_clear_of(response, [GITHUB, GITHUB[:12], GITHUB[12:]])
        assert "<GITHUB_TOKEN>" in response


async def test_find_secret_works_while_the_proxy_is_down(
    guarded_proxy: Proxy, tmp_path: Path
) -> None:
    """Read offline (the CLI opening the store itself), find-secret uses the data
    directory's key as it is, audits the search, and creates no key where there is none."""
    from proxy.cli.logs import LogsError, run_find_secret
    from proxy.cli.logs_local import LocalLogs

    await send_blocked(guarded_proxy)
    await flush(guarded_proxy)
    settings = guarded_proxy.settings
    local = LocalLogs(settings.store, "responder", data_dir=settings.data_dir)
    out = io.StringIO()
    code = await asyncio.to_thread(run_find_secret, local, io.StringIO(GITHUB + "\n"), out)
    assert (code, out.getvalue().splitlines()[0]) == (0, "sent in 1 call(s):")
    assert await asyncio.to_thread(local.find_secret, "ghp_not-sent") == []

    empty = tmp_path / "elsewhere"
    keyless = LocalLogs(settings.store, "responder", data_dir=empty)
    with pytest.raises(LogsError, match="no fingerprint key"):
        await asyncio.to_thread(keyless.find_secret, GITHUB)
    assert not (empty / KEY_FILE).exists()
