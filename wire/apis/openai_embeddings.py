"""OpenAI embeddings (``/v1/embeddings``): texts in, vectors out (nothing to read back)."""

from __future__ import annotations

from typing import ClassVar

from core.apis import Api
from wire.apis.base import JsonApi


class OpenAIEmbeddings(JsonApi):
    """Embeddings: the ``input`` texts are inspected; answers and streams carry no text."""

    api: ClassVar[str] = Api.EMBEDDINGS
    paths: ClassVar[tuple[str, ...]] = ("/v1/embeddings",)
    request_roles: ClassVar[dict[str, str]] = {"input": "input"}
    rendered_fields: ClassVar[tuple[str, ...]] = ("input",)
    answer_parts: ClassVar[tuple[str, ...]] = ("embeddings",)
