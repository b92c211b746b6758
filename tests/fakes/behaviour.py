"""The knobs a test turns to change how a fake upstream answers."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

# Split after whitespace so the pieces join back to the exact reply text.
_WORD_BOUNDARY = re.compile(r"(?<=\s)(?=\S)")


@dataclass(frozen=True)
class TokenUsage:
    """Token counts the fake reports, mapped onto each provider's own field names."""

    prompt_tokens: int = 12
    completion_tokens: int = 5
    #: Parts of ``prompt_tokens`` read from / written to the provider's prompt cache.
    cached_tokens: int = 0
    cache_write_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        """Return prompt plus completion tokens."""
        return self.prompt_tokens + self.completion_tokens


@dataclass
class Behaviour:
    """How the fake answers; tests may change any field, or swap the whole object, at runtime.

    A request reads the behaviour once when it arrives, so a change reaches the next request,
    except for the events, which a running stream watches (``hold_after_first_chunk``) or sets
    (``stream_cancelled``).
    """

    reply_text: str = "Hello from the fake"
    # Streamed pieces; ``None`` splits the reply into words. Non-stream replies join them.
    chunks: list[str] | None = None
    # Reply with the text of the last user message instead of ``reply_text``/``chunks``.
    echo_prompt: bool = False
    usage: TokenUsage = field(default_factory=TokenUsage)
    # Answer every request with this status and an error body in the caller's API shape.
    status: int | None = None
    error_message: str = "Simulated upstream error"
    error_type: str | None = None  # None picks the provider's usual type for ``status``
    error_code: str | None = None  # OpenAI only; Anthropic has no error code field
    delay_before_headers: float = 0.0
    chunk_interval: float = 0.0
    # A stream sends its first content event, then waits until the test sets this event.
    hold_after_first_chunk: asyncio.Event | None = None
    # Awaited before each stream event after the first piece, with the event's number (the
    # pieces count from 0, the closing events follow them): a test paces the upstream by
    # what its caller has received, instead of by the clock.
    before_event: Callable[[int], Awaitable[None]] | None = None
    # Compress non-stream JSON replies with ``Content-Encoding: gzip``.
    gzip: bool = False
    # Set when a streaming client goes away before the stream finished.
    stream_cancelled: asyncio.Event = field(default_factory=asyncio.Event)
    # Extra headers on ``status`` error replies (``Retry-After`` on a 429, say).
    error_headers: dict[str, str] = field(default_factory=dict)
    # Answer 200 with exactly these bytes (invalid JSON, a huge body, a hand-made stream).
    raw_reply: bytes | None = None
    raw_content_type: str = "application/json"
    # A stream resets the connection (TCP RST) after this many text pieces.
    reset_after_pieces: int | None = None
    # A stream ends without its final event (OpenAI's ``[DONE]``, Anthropic's message_stop).
    omit_final_event: bool = False
    # Stream events written so far (a slow reader makes this stop growing).
    events_sent: int = 0

    def pieces(self, prompt: str) -> list[str]:
        """Return the reply as stream pieces, given the last user message text."""
        if self.echo_prompt:
            return split_words(prompt)
        if self.chunks is not None:
            return list(self.chunks)
        return split_words(self.reply_text)


def split_words(text: str) -> list[str]:
    """Split text into word pieces (trailing whitespace kept) that join back to the text."""
    return _WORD_BOUNDARY.split(text) if text else []
