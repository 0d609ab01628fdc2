"""The reference server of the Users API (openapi.yaml): FastAPI + SQLite.

In the users-sdk wheel; it runs with the [server] extra's dependencies
(`pip install "users-sdk[server]"`). `users-sdk-server` (command.py) and
`make serve` run it; tests, `make record`, `make demo` and users_sdk.testing
start it in-process:

    from users_server import Settings, run_server

    with run_server(Settings(port=0, deterministic=True, test_mode=True)) as base_url:
        ...

The package imports each public name on first access (PEP 562), so that
`import users_server` needs nothing but the standard library: the console
script must be able to say what is missing, and `missing_requirements()`
answers before FastAPI is imported.

Layers, lowest first; none imports a higher one (tests/server/test_layers.py):
support/ (clock, entropy, outbox, hashing) and spec/ (openapi.yaml read) and
errors.py; store/ (SQLite); rules/ (the API's rules); http/ (the FastAPI
edge); then the wiring here (settings.py, state.py, app.py, command.py) and
devmode/ (test mode, the in-process server).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # What type checkers see; __getattr__ imports the same names on first access.
    from .app import create_app
    from .devmode.background import RunningServer, run_server, serve_in_thread
    from .requirements import missing_requirements
    from .settings import Settings

# Module (relative to this package) -> the public names it holds.
_HOMES: dict[str, tuple[str, ...]] = {
    ".app": ("create_app",),
    ".devmode.background": ("RunningServer", "run_server", "serve_in_thread"),
    ".requirements": ("missing_requirements",),
    ".settings": ("Settings",),
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = [
    "RunningServer",
    "Settings",
    "create_app",
    "missing_requirements",
    "run_server",
    "serve_in_thread",
]


def _load(name: str) -> Any:
    module = _HOME_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # the next access is a plain attribute read
    return value


if not TYPE_CHECKING:
    # PEP 562. Hidden from type checkers, which see the imports above: a name
    # users_server does not have is then an error for them, not Any.
    __getattr__ = _load


def __dir__() -> list[str]:
    return sorted(__all__)
