"""Modules the SDK loads on first use, not with `import users_sdk`.

`_lazy.parsing` (the response parsers, with the generated attrs models and
attrs), `_lazy.exports` (the generated models users_sdk re-exports),
`_lazy.params` (the spec's enums and TypedDicts users_sdk re-exports) and
`_lazy.anyio` (only async retries sleep) each cost milliseconds that a script
which never reaches them should not pay. The first access imports the module
and stores it here (PEP 562), so later accesses are plain attribute reads.
Type checkers see the real modules.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import anyio as anyio

    from users_api_client.sdk import exports as exports
    from users_api_client.sdk import params as params

    from . import _parsing as parsing

__all__ = ["anyio", "exports", "params", "parsing"]

_MODULES = {
    "anyio": "anyio",
    "exports": "users_api_client.sdk.exports",
    "parsing": "users_sdk._parsing",
    "params": "users_api_client.sdk.params",
}


def __getattr__(name: str) -> Any:
    target = _MODULES.get(name)
    if target is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(target)
    globals()[name] = module
    return module
