"""JSON as the callers' SDKs read it: :mod:`wire.sdkjson`, re-exported for the proxy."""

from __future__ import annotations

from wire.sdkjson import dumps_like_clients, json_object, loads_like_clients

__all__ = ["dumps_like_clients", "json_object", "loads_like_clients"]
