"""The [server] extra: the modules the server needs beyond the standard library,
and the one line that says how to install them.

Standard library only, and imported before anything else of the server: the
console script checks here before it imports FastAPI, so that a plain
`pip install users-sdk` gets an install command instead of a traceback.
"""

from __future__ import annotations

import importlib.util

# pyproject.toml's `[project.optional-dependencies] server`, distribution ->
# the module it installs (tests/server/test_cli.py keeps the two the same).
SERVER_EXTRA = {"fastapi": "fastapi", "uvicorn": "uvicorn", "pyyaml": "yaml"}
INSTALL_COMMAND = 'pip install "users-sdk[server]"'


def missing_requirements() -> list[str]:
    """The distributions of the [server] extra that are not installed (by their module)."""
    return [
        distribution
        for distribution, module in SERVER_EXTRA.items()
        if importlib.util.find_spec(module) is None
    ]
