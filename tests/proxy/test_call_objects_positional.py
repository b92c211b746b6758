"""The pipeline builds its per-call objects positionally, each argument in its field's place.

Keywords to a class are packed into a dict and unpacked again for its ``__init__`` (a class
has no vectorcall in 3.11): about twice the cost of the positional call (h197). Positional
arguments can land in the wrong field silently (several are strings), so each call is held
here to the field each argument was given by keyword before (the correlation id, far down
CallRecord's fields, is set after its construction: tests/proxy/test_arrived_calls.py)."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

from core.inspection import CallInfo
from proxy.call.record import CallRecord
from proxy.call.relay import RelayJob

CALL_DIR = Path(__file__).resolve().parents[2] / "proxy" / "call"

#: (file, the name called, the class, field -> the expression it was given by keyword).
CASES = [
    (
        "pipeline.py",
        "CallInfo",
        CallInfo,
        {
            "request_id": "request_id",
            "identity": "identity",
            "api": "api",
            "endpoint": "path",
            "model": "model",
            "entry": "entry",
            "provider": "route.provider_name",
            "stream": "stream",
        },
    ),
    (
        "pipeline.py",
        "RelayJob",
        RelayJob,
        {
            "method": "request.method",
            "upstream": "upstream",
            "body": "outgoing.body",
            "api": "api",
            "output": "inspection.output",
            "strip_usage_chunk": "outgoing.strip_usage_chunk",
            "request_id": "request_id",
            "before_eof": "partial(_record_now, services, call)",
            "wire": "wire",
        },
    ),
    (
        "record.py",
        "cls",
        CallRecord,
        {
            "request_id": "new_request_id()",
            "ts": "services.clock()",
            "method": "method",
            "endpoint": "endpoint",
            "client_ip": "request.remote or ''",
            "snapshot": "services.snapshot",
            "identity": "identity",
        },
    ),
]


def _calls(source: str, name: str) -> list[ast.Call]:
    tree = ast.parse(source)
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name
    ]


@pytest.mark.parametrize(("module", "name", "cls", "given"), CASES, ids=[c[1] for c in CASES])
def test_per_call_objects_are_built_positionally_in_field_order(
    module: str, name: str, cls: type, given: dict[str, str]
) -> None:
    """Each call passes no keyword, and its n-th argument is what the n-th field was given."""
    calls = _calls((CALL_DIR / module).read_text(), name)
    assert len(calls) == 1, f"{module}: one {name}(...) expected"
    call = calls[0]
    assert not call.keywords, f"{module}: {name}(...) takes keywords again"
    fields = [f.name for f in dataclasses.fields(cls)][: len(call.args)]
    assert fields == list(given), f"{cls.__name__}'s fields moved: {fields}"
    shown = [ast.unparse(arg) for arg in call.args]
    expected = [ast.unparse(ast.parse(text, mode="eval").body) for text in given.values()]
    assert shown == expected
