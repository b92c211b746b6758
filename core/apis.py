"""The kinds of API a call can be made through, and the provider family of each."""

from __future__ import annotations

from enum import StrEnum


class ApiFamily(StrEnum):
    """Which provider family an endpoint belongs to; picks the default for unlisted models."""

    OPENAI = "openai"
    ANTHROPIC = "anthropic"


class Api(StrEnum):
    CHAT = "chat.completions"
    COMPLETIONS = "completions"
    EMBEDDINGS = "embeddings"
    RESPONSES = "responses"
    MODELS = "models"
    MESSAGES = "messages"
    OTHER = "other"

    @property
    def family(self) -> ApiFamily:
        return ApiFamily.ANTHROPIC if self is Api.MESSAGES else ApiFamily.OPENAI
