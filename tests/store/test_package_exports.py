"""``proxy.store``'s names are imported on first use, and are the defining modules' own."""

from __future__ import annotations

import importlib

import pytest

import proxy.store


def test_star_import_gives_every_exported_name() -> None:
    """``from proxy.store import *`` binds exactly the names of ``__all__``."""
    namespace: dict[str, object] = {}
    exec("from proxy.store import *", namespace)  # noqa: S102 - a fixed import statement
    assert sorted(set(namespace) - {"__builtins__"}) == sorted(proxy.store.__all__)


@pytest.mark.parametrize(
    ("name", "home"),
    [("EventLog", "eventlog"), ("open_client", "client"), ("search", "queries")],
)
def test_an_exported_name_is_its_modules_own(name: str, home: str) -> None:
    """The package's name is the very object its submodule defines."""
    module = importlib.import_module(f"proxy.store.{home}")
    assert getattr(proxy.store, name) is getattr(module, name)


def test_an_unknown_name_is_an_attribute_error() -> None:
    """A name the package does not export raises AttributeError, as for any module."""
    with pytest.raises(AttributeError, match="no attribute 'EventLogs'"):
        _ = proxy.store.EventLogs  # type: ignore[attr-defined]
