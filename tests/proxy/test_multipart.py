"""Multipart uploads are judged before they are forwarded: text files and form fields are
inspected, the form's ``model`` is checked against the register, and the body goes out
unchanged."""

from __future__ import annotations

import io

import aiohttp
import openai
import orjson
import pytest

from policies.inspector import PolicyInspector
from proxy.call.multipart import parse_form
from tests.fakes import FakeUpstream
from tests.policies.factories import EMAIL, OPENAI_KEY, real_scanner
from tests.policies.pattern_detection import cached_pack
from tests.proxy.conftest import CALLER_KEY, StartProxy

WAV = b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00" + bytes(range(256)) * 4


def batch_file(content: str) -> bytes:
    line = {
        "custom_id": "r1",
        "method": "POST",
        "url": "/v1/chat/completions",
        "body": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": content}]},
    }
    return orjson.dumps(line) + b"\n"


@pytest.fixture
def inspector() -> PolicyInspector:
    """The default pack with the real secrets detector and PII stand-ins."""
    return PolicyInspector(cached_pack(), real_scanner())


async def test_secret_in_an_uploaded_batch_file_is_blocked(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """A JSONL batch file uploaded with files.create is read: a secret in it is a 403."""
    proxy = await start_proxy(inspector=inspector)
    upload = ("batch.jsonl", io.BytesIO(batch_file(f"key {OPENAI_KEY}")), "application/jsonl")
    with pytest.raises(openai.PermissionDeniedError) as caught:
        await proxy.openai().files.create(file=upload, purpose="batch")
    assert caught.value.response.json()["error"]["entity_types"] == ["OPENAI_API_KEY"]
    assert fake.requests == []
    assert proxy.sink.last.decision == "block"


async def test_clean_upload_is_forwarded_byte_for_byte(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """An upload with nothing to find reaches the provider exactly as the caller sent it."""
    proxy = await start_proxy(inspector=inspector)
    content = batch_file("Summarise the attached minutes")
    await proxy.openai().with_raw_response.files.create(
        file=("batch.jsonl", io.BytesIO(content), "application/jsonl"), purpose="batch"
    )
    assert fake.last.path == "/v1/files"
    assert fake.last.body == proxy.sink.last.prompt.encode()
    assert content in fake.last.body


async def test_upload_the_policy_would_rewrite_is_blocked_not_altered(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """An e-mail the default policy pseudonymises cannot be masked inside an upload, so the
    upload is refused with a message saying why, and nothing is forwarded."""
    proxy = await start_proxy(inspector=inspector)
    upload = ("notes.txt", io.BytesIO(f"write to {EMAIL}\n".encode()), "text/plain")
    with pytest.raises(openai.PermissionDeniedError) as caught:
        await proxy.openai().files.create(file=upload, purpose="user_data")
    error = caught.value.response.json()["error"]
    assert error["code"] == "policy_violation"
    assert "forwarded unchanged" in error["message"]
    assert EMAIL not in caught.value.response.text
    assert fake.requests == []


async def test_binary_audio_is_not_read_but_its_prompt_field_is(
    start_proxy: StartProxy, fake: FakeUpstream, inspector: PolicyInspector
) -> None:
    """A transcription's audio passes as data; a secret in its text prompt is blocked."""
    proxy = await start_proxy(inspector=inspector)
    client = proxy.openai()
    await client.with_raw_response.audio.transcriptions.create(
        model="whisper-1", file=("a.wav", io.BytesIO(WAV), "audio/wav")
    )
    assert fake.last.path == "/v1/audio/transcriptions"
    assert WAV in fake.last.body
    fake.clear()
    with pytest.raises(openai.PermissionDeniedError):
        await client.audio.transcriptions.create(
            model="whisper-1",
            file=("a.wav", io.BytesIO(WAV), "audio/wav"),
            prompt=f"vocabulary: {OPENAI_KEY}",
        )
    assert fake.requests == []


async def test_the_register_governs_the_model_of_a_multipart_call(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """With a closed register, an unlisted transcription model is a 404 like any call."""
    proxy = await start_proxy(
        {
            "register": {
                "models": [{"name": "whisper-1", "provider": "openai"}],
                "passthrough_paths": ["/v1/audio/*"],
            }
        }
    )
    client = proxy.openai()
    with pytest.raises(openai.NotFoundError):
        await client.audio.transcriptions.create(
            model="unapproved-asr", file=("a.wav", io.BytesIO(WAV), "audio/wav")
        )
    assert fake.requests == []
    await client.with_raw_response.audio.transcriptions.create(
        model="whisper-1", file=("a.wav", io.BytesIO(WAV), "audio/wav")
    )
    assert proxy.sink.last.model == "whisper-1"
    assert len(fake.requests) == 1


async def test_malformed_multipart_gets_400(start_proxy: StartProxy, fake: FakeUpstream) -> None:
    """A body that claims to be multipart but is not is refused, not forwarded."""
    proxy = await start_proxy()
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{proxy.url}/v1/files",
            data=b"not multipart at all",
            headers={
                "Authorization": f"Bearer {CALLER_KEY}",
                "Content-Type": "multipart/form-data; boundary=xyz",
            },
        ) as response,
    ):
        assert response.status == 400
        assert (await response.json())["error"]["type"] == "invalid_request_error"
    assert fake.requests == []


def test_form_fields_and_files_are_told_apart() -> None:
    """Text fields become fields; files keep their name, and only text files their text."""
    body = (
        b'--b\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nbatch\r\n'
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="x.jsonl"\r\n'
        b'Content-Type: application/octet-stream\r\n\r\n{"a": 1}\n\r\n'
        b'--b\r\nContent-Disposition: form-data; name="img"; filename="p.png"\r\n'
        b"Content-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n\x00\x00\r\n"
        b"--b--\r\n"
    )
    form = parse_form("multipart/form-data; boundary=b", body)
    assert form.fields == {"purpose": "batch"}
    assert [(f.filename, f.text) for f in form.files] == [
        ("x.jsonl", '{"a": 1}\n'),
        ("p.png", None),
    ]
