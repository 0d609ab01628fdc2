"""The client's credential: a fixed token or API key, or a provider asked before each attempt.

    UsersClient(token="...")                  # fixed: sent as it is
    UsersClient(token=lambda: vault.token())  # asked before every attempt
    AsyncUsersClient(token=fetch_token)       # async def fetch_token() -> str, too

A provider decides how long a value lives (it may cache it); the SDK never
keeps one. After a 401 the client asks once more and, if the value changed,
retries once (see `_client`): a rotated token costs one retry, a revoked one
one more attempt, never a loop. A provider that raises, or returns what is not
a credential, gives CredentialProviderError naming the provider; the value
itself is never shown.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Awaitable, Callable
from typing import Any, TypeAlias

from ._environment import API_KEY_ENV, TOKEN_ENV
from ._exceptions import ConfigurationError, CredentialProviderError
from ._logging import REDACTED

__all__ = [
    "AsyncCredentialProvider",
    "Credential",
    "CredentialInput",
    "CredentialProvider",
    "checked_secret",
    "credential_from",
]

# What token= and api_key= take besides a str: UsersClient a function, and
# AsyncUsersClient also an async one.
CredentialProvider: TypeAlias = Callable[[], str]
AsyncCredentialProvider: TypeAlias = Callable[[], str | Awaitable[str]]
CredentialInput: TypeAlias = str | AsyncCredentialProvider | None


def checked_secret(name: str, value: object) -> str:
    """A credential value as the API can take it in a header, or ConfigurationError."""
    if not isinstance(value, str) or not value.strip():
        raise ConfigurationError(f"{name} must be a non-empty str")
    if not value.isascii() or any(c in value for c in "\r\n\0"):
        # Never echo the value: it is a credential.
        raise ConfigurationError(f"{name} must be printable ASCII without line breaks")
    if value != value.strip():
        # A copy-paste slip: the API would refuse it, and httpx2 too (as a network error).
        raise ConfigurationError(f"{name} has leading or trailing whitespace: strip it")
    return value


def _name_of(provider: object) -> str:
    name = getattr(provider, "__qualname__", None) or type(provider).__qualname__
    return f"{name}()"


class Credential:
    """Which header carries the credential, and how to get its value."""

    __slots__ = ("header", "kind", "provider", "value")

    def __init__(self, kind: str, source: object) -> None:
        self.kind = kind  # "token" or "api_key": the argument's name
        self.header = "Authorization" if kind == "token" else "X-API-Key"
        self.value: str | None = None
        self.provider: Callable[[], Any] | None = None
        if callable(source):
            self.provider = source
        else:
            self.value = checked_secret(kind, source)

    @property
    def is_fixed(self) -> bool:
        return self.provider is None

    def header_value(self, value: str) -> str:
        return f"Bearer {value}" if self.kind == "token" else value

    def fixed_header(self) -> str:
        assert self.value is not None
        return self.header_value(self.value)

    def describe(self) -> str:
        """For repr(): never the value; a provider by its name."""
        shown = REDACTED if self.provider is None else f"<provider {_name_of(self.provider)}>"
        return f"{self.kind}={shown}"

    def _failed(self, reason: str) -> CredentialProviderError:
        return CredentialProviderError(
            f"the {self.kind} provider {_name_of(self.provider)} {reason}; "
            f"fix the provider, or pass a fixed {self.kind}="
        )

    def _checked(self, value: object) -> str:
        if inspect.isawaitable(value):
            if hasattr(value, "close"):
                value.close()  # a coroutine never awaited warns at garbage collection
            raise self._failed(
                "returned an awaitable: a sync UsersClient needs a plain function "
                "(use AsyncUsersClient for an async provider)"
            )
        try:
            return checked_secret(self.kind, value)
        except ConfigurationError as error:
            reason = str(error).removeprefix(f"{self.kind} ")
            raise self._failed(f"returned a value that is not a credential: it {reason}") from None

    def current(self) -> str:
        """The value to send now (a provider is asked)."""
        if self.provider is None:
            assert self.value is not None
            return self.value
        try:
            value = self.provider()
        except Exception as error:
            raise self._failed(f"raised {type(error).__name__}") from error
        return self._checked(value)

    async def current_async(self) -> str:
        """The value to send now; an async provider is awaited."""
        if self.provider is None:
            assert self.value is not None
            return self.value
        try:
            value = self.provider()
            if inspect.isawaitable(value):
                value = await value
        except Exception as error:
            raise self._failed(f"raised {type(error).__name__}") from error
        return self._checked(value)


def credential_from(token: object, api_key: object) -> Credential:
    """The credential a client was given, or the environment's."""
    if token is None and api_key is None:
        token = os.environ.get(TOKEN_ENV) or None
        api_key = None if token else (os.environ.get(API_KEY_ENV) or None)
    if token is None and api_key is None:
        raise ConfigurationError(
            f"no credential: pass token= or api_key=, or set {TOKEN_ENV} or {API_KEY_ENV}"
        )
    if token is not None and api_key is not None:
        raise ConfigurationError("pass token= or api_key=, not both")
    return Credential("token", token) if token is not None else Credential("api_key", api_key)
