"""The environment variables users-sdk reads: names only, so that the pytest
plugin can read them without importing the client (and httpx2)."""

from __future__ import annotations

__all__ = ["API_KEY_ENV", "BASE_URL_ENV", "TOKEN_ENV"]

BASE_URL_ENV = "USERS_API_BASE_URL"
TOKEN_ENV = "USERS_API_TOKEN"
API_KEY_ENV = "USERS_API_KEY"
