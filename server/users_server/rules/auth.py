"""Credentials: bearer tokens and API keys, each belonging to a seeded user.

A credential is configured at start (or, in test mode, issued later: see
tokens.py) and points at a seeded user; what it may do is that user's current
role, read on every request. Writes (create, update, delete, invite) need
`owner` or `admin`; every role may read.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from ..errors import ApiError
from .users import User

MANAGER_ROLES = ("owner", "admin")
Seed = Literal["owner", "viewer"]


@dataclass(frozen=True)
class Credential:
    kind: Literal["bearer", "api_key"]
    secret: str
    seed: Seed

    @property
    def label(self) -> str:
        """Names the credential (never its secret), e.g. for idempotency scopes."""
        return f"{self.kind}:{self.seed}"


@dataclass(frozen=True)
class Principal:
    credential: Credential
    user: User

    def require_manager(self, action: str) -> None:
        if self.user.role not in MANAGER_ROLES:
            raise ApiError(403, f"The role {self.user.role} may not {action}.")


class Authenticator:
    def __init__(
        self,
        credentials: Callable[[], Sequence[Credential]],
        user_of: Callable[[Seed], User | None],
    ):
        # Read on every request: test mode issues and revokes tokens while serving.
        self._credentials = credentials
        self._user_of = user_of

    def _match(self, kind: str, secret: str) -> Credential | None:
        found = None
        for credential in self._credentials():
            # Constant-time, and no early exit, so timing tells nothing about the secrets.
            same = hmac.compare_digest(credential.secret.encode(), secret.encode())
            if credential.kind == kind and same:
                found = credential
        return found

    def credential(self, headers: Mapping[str, str]) -> Credential | None:
        """The credential of a request; None when there is none; 401 when one is wrong."""
        # An empty header is no credential (some clients send `X-API-Key:` unset).
        authorization = headers.get("authorization", "").strip() or None
        api_key = headers.get("x-api-key", "").strip() or None
        if authorization is None and api_key is None:
            return None
        found: Credential | None = None
        if authorization is not None:
            scheme, _, token = authorization.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise ApiError(401, "The Authorization header must be `Bearer <token>`.")
            found = self._match("bearer", token.strip())
            if found is None:
                raise ApiError(401, "The bearer token is not valid.")
        if api_key is not None:
            # Both sent: both must be good.
            by_key = self._match("api_key", api_key)
            if by_key is None:
                raise ApiError(401, "The API key is not valid.")
            found = found or by_key
        return found

    def authenticate(self, headers: Mapping[str, str]) -> Principal:
        credential = self.credential(headers)
        if credential is None:
            raise ApiError(401, "Send a bearer token or an X-API-Key header.")
        user = self._user_of(credential.seed)
        if user is None:
            raise ApiError(401, "The user this credential belongs to no longer exists.")
        return Principal(credential, user)
