"""The kinds of API a call can be made through, and the provider family of each."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar


class ApiFamily(StrEnum):
    """Which provider family an endpoint belongs to; picks the default for unlisted models."""

    OPENAI = "openai"
    ANTHROPIC = "anthropic"


class Api(str):
    """An API kind: its name (the string the event log and metrics record) and its family.

    The kinds are open: a wire format (:mod:`wire.apis`) brings its own by registering, and
    the proxy's own kinds are the constants below. Instances are interned, one per name, so
    ``Api("messages") is Api.MESSAGES``; ``Api(name)`` of a name never declared raises
    :class:`ValueError`, and declaring a known name with another family does too.
    """

    # A str subclass cannot have slots of its own; __setattr__ keeps the instance frozen.
    _known: ClassVar[dict[str, Api]] = {}

    CHAT: ClassVar[Api]
    COMPLETIONS: ClassVar[Api]
    EMBEDDINGS: ClassVar[Api]
    RESPONSES: ClassVar[Api]
    MODELS: ClassVar[Api]
    MESSAGES: ClassVar[Api]
    OTHER: ClassVar[Api]

    family: ApiFamily

    def __new__(cls, name: str, family: ApiFamily | None = None) -> Api:
        known = cls._known.get(name)
        if known is not None:
            if family is not None and family is not known.family:
                raise ValueError(f"the API {name!r} is {known.family.value}, not {family.value}")
            return known
        if family is None:
            raise ValueError(f"{name!r} is not a known API")
        api = super().__new__(cls, name)
        object.__setattr__(api, "family", family)
        cls._known[name] = api
        return api

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"Api is immutable (tried to set {name!r})")

    def __repr__(self) -> str:
        return f"Api({str.__repr__(self)})"

    def __reduce__(self) -> tuple[type[Api], tuple[str, ApiFamily]]:
        return (Api, (str(self), self.family))

    def __copy__(self) -> Api:
        return self

    def __deepcopy__(self, memo: object) -> Api:
        return self

    @property
    def value(self) -> str:
        """The recorded name (what ``Api.X.value`` was when the kinds were an enum)."""
        return str(self)


Api.CHAT = Api("chat.completions", ApiFamily.OPENAI)
Api.COMPLETIONS = Api("completions", ApiFamily.OPENAI)
Api.EMBEDDINGS = Api("embeddings", ApiFamily.OPENAI)
Api.RESPONSES = Api("responses", ApiFamily.OPENAI)
Api.MODELS = Api("models", ApiFamily.OPENAI)
Api.MESSAGES = Api("messages", ApiFamily.ANTHROPIC)
Api.OTHER = Api("other", ApiFamily.OPENAI)
