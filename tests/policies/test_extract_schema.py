"""Every free-text field of each API, as the official SDKs type it, is inspected.

The request types of the ``openai`` and ``anthropic`` packages are walked recursively. For
every string the schema allows (a string field, a list item, a map value, a map key, free
JSON) a body is built with a real-looking GitHub token at exactly that place, and the token
must come out of :func:`extract_request` at that location, where the secrets detector
finds it. The only exemptions are the fields that :func:`carries_no_free_text` names. So a
field that a new SDK release adds is checked the day the SDK is upgraded.
"""

from __future__ import annotations

import collections.abc
import itertools
import os
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

import anthropic.types.beta.message_create_params as anthropic_beta
import anthropic.types.message_create_params as anthropic_messages
import openai.types.chat.completion_create_params as chat
import openai.types.completion_create_params as completions
import openai.types.embedding_create_params as embeddings
import openai.types.responses.response_create_params as responses
import pydantic
import pytest
import typing_extensions

from detectors.entities import GITHUB_TOKEN
from policies.extract import (
    FREE_FORM_FIELDS,
    Location,
    Step,
    carries_no_free_text,
    extract_request,
)
from proxy.call.apis import Api
from tests.detectors.secret_samples import github_token
from tests.policies.factories import secrets_detector

SECRET = github_token()

#: Objects whose keys need not be inspected (schema paths; their values still are): token
#: ids, references to defined tools, nested search filters (keys are filter field names),
#: and the error object of a replayed MCP call (only keys of known free-form JSON are read).
MAPS_WITHOUT_TEXT_KEYS = (
    "CompletionCreateParamsBase.logit_bias{key}",
    "AllowedToolsParam.tools[]",
    "ToolChoiceAllowedParam.tools[]",
    "CompoundFilter.filters[]{key}",
    "McpToolExecutionError.content{key}",
)

ROOTS = {
    "openai chat": (Api.CHAT, chat.CompletionCreateParamsBase),
    "openai completions": (Api.COMPLETIONS, completions.CompletionCreateParamsBase),
    "openai embeddings": (Api.EMBEDDINGS, embeddings.EmbeddingCreateParams),
    "openai responses": (Api.RESPONSES, responses.ResponseCreateParamsBase),
    "anthropic messages": (Api.MESSAGES, anthropic_messages.MessageCreateParamsBase),
    "anthropic beta messages": (Api.MESSAGES, anthropic_beta.MessageCreateParamsBase),
}

_WRAPPERS = (typing.Required, typing.NotRequired, typing.Annotated, typing_extensions.ReadOnly)
_LISTS = (list, collections.abc.Iterable, collections.abc.Sequence)
_MAPS = (dict, collections.abc.Mapping)
#: What the SDKs accept besides JSON: file objects and paths they encode themselves, and
#: their own response models (Anthropic accepts a previous answer's blocks as they are).
_NOT_JSON = (bytes, os.PathLike, typing.IO, pydantic.BaseModel)


@dataclass(frozen=True)
class Case:
    """A body with the secret at one place the schema allows a string."""

    #: The schema path, e.g. ``MessageParam.content[]TextBlockParam.text``.
    where: str
    value: Any
    #: Where the secret is in ``value``.
    location: Location


def _unwrap(hint: Any) -> Any:
    while get_origin(hint) in _WRAPPERS:
        hint = get_args(hint)[0]
    return hint


def _is_typed_dict(hint: Any) -> bool:
    return isinstance(hint, type) and typing_extensions.is_typeddict(hint)


def _is_not_json(hint: Any) -> bool:
    origin = get_origin(hint) or hint
    return isinstance(origin, type) and issubclass(origin, _NOT_JSON)


def _sample(hint: Any) -> Any:
    """A plain value of ``hint``'s type, for the value side of a map-key case."""
    hint = _unwrap(hint)
    options = get_args(hint) if get_origin(hint) in (Union, types.UnionType) else (hint,)
    return "v" if str in options or object in options else {}


def _discriminators(typed_dict: Any, hints: dict[str, Any], skip: str) -> dict[str, Any]:
    """The literal fields that tell a union member apart (``type``, ``role``), filled in."""
    fixed: dict[str, Any] = {}
    for name, hint in hints.items():
        literal = _unwrap(hint)
        is_tag = name in typed_dict.__required_keys__ or name in ("type", "role")
        if name != skip and is_tag and get_origin(literal) is Literal:
            fixed[name] = get_args(literal)[0]
    return fixed


def cases(hint: Any, seen: frozenset[Any] = frozenset()) -> Iterator[Case]:
    """Every place in a value of type ``hint`` where the secret can be put as a string."""
    hint = _unwrap(hint)
    origin = get_origin(hint)
    if hint is str:
        yield Case("", SECRET, ())
    elif hint is object or hint is Any:  # free JSON: a string, a value or a key
        yield Case("", SECRET, ())
        yield Case("{}", {"k": SECRET}, ("k",))
        yield Case("{key}", {SECRET: "v"}, (SECRET, Step.KEY))
    elif origin in (Union, types.UnionType):
        for member in get_args(hint):
            yield from cases(member, seen)
    elif origin is Literal or hint in (int, float, bool, type(None)) or _is_not_json(hint):
        return  # fixed values, numbers, or what the SDK turns into JSON itself
    elif origin in _LISTS:
        for case in cases(get_args(hint)[0], seen):
            yield Case(f"[]{case.where}", [case.value], (0, *case.location))
    elif origin in _MAPS:
        _, value_hint = get_args(hint)
        yield Case("{key}", {SECRET: _sample(value_hint)}, (SECRET, Step.KEY))
        for case in cases(value_hint, seen):
            yield Case(f"{{}}{case.where}", {"k": case.value}, ("k", *case.location))
    elif _is_typed_dict(hint):
        if hint in seen:
            return
        hints = get_type_hints(hint, include_extras=True)
        for name, field in hints.items():
            tags = _discriminators(hint, hints, name)
            for case in cases(field, seen | {hint}):
                where = f"{hint.__name__}.{name}{case.where}"
                yield Case(where, {**tags, name: case.value}, (name, *case.location))
    else:
        raise TypeError(f"the schema walk does not know {hint!r}")


def _in_free_form(location: Location) -> bool:
    """Whether the place is inside an object of free-form JSON (metadata, a tool input)."""
    return any(
        step in FREE_FORM_FIELDS and isinstance(after, str)
        for step, after in itertools.pairwise(location)
    )


def _exempt(case: Case) -> bool:
    """Whether the extractor may skip the place: a no-free-text field, a structural key."""
    location = case.location
    if location[-1] == Step.KEY:
        return any(path in case.where for path in MAPS_WITHOUT_TEXT_KEYS)
    fields = [step for step in location if isinstance(step, str)]
    return bool(fields) and not _in_free_form(location) and carries_no_free_text(fields[-1])


def _missed(api: Api, all_cases: list[Case]) -> list[str]:
    detector = secrets_detector()
    missed = []
    for case in all_cases:
        texts = extract_request(api, case.value).texts
        found = [part for part in texts if part.location == case.location]
        findings = detector.scan([part.text for part in found])
        if not any(f.entity_type == GITHUB_TOKEN for fs in findings for f in fs):
            missed.append(case.where)
    return missed


@pytest.mark.parametrize("name", list(ROOTS))
def test_every_free_text_field_of_the_sdk_types_is_inspected(name: str) -> None:
    """A secret in any string the SDK types allow is extracted where it is, and detected."""
    api, root = ROOTS[name]
    inspected = [case for case in cases(root) if not _exempt(case)]
    assert inspected
    assert _missed(api, inspected) == []


def test_the_skipped_sdk_fields_are_reviewed() -> None:
    """Each SDK field the extractor skips is one reviewed as carrying no free text."""
    skipped = {
        next(step for step in reversed(case.location) if isinstance(step, str))
        for _, root in ROOTS.values()
        for case in cases(root)
        if _exempt(case) and case.location[-1] != Step.KEY
    }
    assert skipped - REVIEWED_SKIPS == set(), "new skipped fields: check they carry no text"


#: The SDK fields skipped today, each checked: the model name, identifiers the provider
#: issued, type tags, and encrypted or signed blobs only the provider can read.
REVIEWED_SKIPS = frozenset(
    {
        "model",
        "type",
        "id",
        "approval_request_id",
        "call_id",
        "caller_id",
        "comparison_response_id",
        "container_id",
        "continuation_id",
        "download_id",
        "file_id",
        "file_ids",
        "previous_message_id",
        "previous_response_id",
        "skill_id",
        "tab_id",
        "tool_call_id",
        "tool_id",
        "tool_use_id",
        "tunnel_id",
        "user_profile_id",
        "vector_store_ids",
        "workspace_id",
        "encrypted_content",
        "encrypted_index",
        "encrypted_stdout",
        "signature",
    }
)


#: The places issue 8 found unread, as schema paths: the walk must reach each of them.
REPORTED_UNREAD = {
    "openai chat": (
        "ChatCompletionFunctionToolParam.functionFunctionDefinition.description",
        "ResponseFormatJSONSchema.json_schemaJSONSchema.description",
        "predictionChatCompletionPredictionContentParam.content",
        "ChatCompletionUserMessageParam.name",
        "FileFile.file_data",
    ),
    "openai responses": (
        "tools[]FunctionToolParam.description",
        "ResponseReasoningItemParam.summary[]Summary.text",
        "ResponsePromptParam.variables{}",
    ),
    "anthropic messages": (
        "tools[]ToolParam.description",
        "DocumentBlockParam.sourceContentBlockSourceParam.content",
        "DocumentBlockParam.title",
        "DocumentBlockParam.context",
        "SearchResultBlockParam.title",
        "ThinkingBlockParam.thinking",
    ),
}


@pytest.mark.parametrize("name", list(REPORTED_UNREAD))
def test_the_fields_reported_unread_are_among_those_checked(name: str) -> None:
    """The walk reaches every field the issue reported, and none of them is exempt."""
    _, root = ROOTS[name]
    checked = [case.where for case in cases(root) if not _exempt(case)]
    for field in REPORTED_UNREAD[name]:
        assert any(field in where for where in checked), field
