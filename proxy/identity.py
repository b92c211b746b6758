"""Who is calling: :class:`core.identity.Identity`, re-exported for the proxy's modules."""

from __future__ import annotations

from core.identity import Identity

__all__ = ["Identity"]
