"""API kinds are open values: one interned instance per name, recorded as the plain name."""

from __future__ import annotations

import copy
import pickle

import pytest

from core.apis import Api, ApiFamily


def test_the_proxy_kinds_keep_their_recorded_names_and_families() -> None:
    """The constants are the strings the event log and metric labels always held."""
    names = {
        Api.CHAT: "chat.completions",
        Api.COMPLETIONS: "completions",
        Api.EMBEDDINGS: "embeddings",
        Api.RESPONSES: "responses",
        Api.MODELS: "models",
        Api.MESSAGES: "messages",
        Api.OTHER: "other",
    }
    for api, name in names.items():
        assert api == name
        assert api.value == name
        assert f"{api}" == name
        assert Api(name) is api
    assert [api for api in names if api.family is ApiFamily.ANTHROPIC] == [Api.MESSAGES]


def test_a_new_kind_is_declared_once_with_its_family() -> None:
    """Declaring a name makes one instance of it; asking for it again returns that one."""
    toy = Api("test.core.toy", ApiFamily.ANTHROPIC)
    assert Api("test.core.toy") is toy
    assert Api("test.core.toy", ApiFamily.ANTHROPIC) is toy
    assert toy.family is ApiFamily.ANTHROPIC


def test_an_undeclared_name_or_a_second_family_is_refused() -> None:
    """A name no one declared is not an API, and a kind's family cannot change."""
    with pytest.raises(ValueError, match="not a known API"):
        Api("test.core.never-declared")
    with pytest.raises(ValueError, match="openai, not anthropic"):
        Api("chat.completions", ApiFamily.ANTHROPIC)


def test_a_kind_is_immutable_and_stays_itself_when_copied() -> None:
    """Copies and pickles are the interned instance, so ``is`` comparisons keep working."""
    with pytest.raises(AttributeError):
        Api.CHAT.family = ApiFamily.ANTHROPIC
    assert copy.copy(Api.MESSAGES) is Api.MESSAGES
    assert copy.deepcopy({"api": Api.MESSAGES})["api"] is Api.MESSAGES
    assert pickle.loads(pickle.dumps(Api.MESSAGES)) is Api.MESSAGES  # noqa: S301 (our bytes)
