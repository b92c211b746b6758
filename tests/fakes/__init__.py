"""Fake upstream AI providers for the test suite: real aiohttp apps on loopback."""

from .behaviour import Behaviour, TokenUsage
from .upstream import FakeUpstream, Recorded

__all__ = ["Behaviour", "FakeUpstream", "Recorded", "TokenUsage"]
