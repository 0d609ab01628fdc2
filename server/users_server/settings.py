"""How a server is configured (flags and environment variables map onto this)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .support.clock import Clock


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    # A file path, or ":memory:" for a database that lives as long as the server.
    database: str = ":memory:"
    owner_token: str = "owner-token"
    viewer_token: str = "viewer-token"
    owner_api_key: str = "owner-key"
    viewer_api_key: str = "viewer-key"
    # Counting ids, a stepping clock and seeded secrets: byte-stable recordings.
    deterministic: bool = False
    # Enables /_test/* and forced statuses (`Prefer: code=429`). Never in production.
    test_mode: bool = False
    # Tests may inject a clock (e.g. to expire a reset token); None picks the
    # stepping clock in deterministic mode and real time otherwise.
    clock: Clock | None = None
    # The openapi.yaml the users' fields are read from; None: the one installed
    # with the server (spec/location.py).
    # Tests point it at an evolved copy to serve a changed spec.
    spec: Path | None = None
