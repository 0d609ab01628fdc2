"""The reference server of the Users API (openapi.yaml): FastAPI + SQLite.

Not part of the SDK wheel. `make serve` runs it; tests, `make record` and
`make demo` start it in-process with `background.run_server`.
"""

from __future__ import annotations

from .app import create_app
from .settings import Settings

__all__ = ["Settings", "create_app"]
