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
    "secret_problem",
]

# What token= and api_key= take besides a str: UsersClient a function, and
# AsyncUsersClient also an async one.
CredentialProvider: TypeAlias = Callable[[], str]
AsyncCredentialProvider: TypeAlias = Callable[[], str | Awaitable[str]]
CredentialInput: TypeAlias = str | AsyncCredentialProvider | None


def checked_secret(name: str, value: object) -> str:
    """A credential value as the API can take it in a header, or ConfigurationError
    saying what is wrong with it (never the value: it is a credential).

    `name` says where the value came from, as the user wrote it: `token=`, or the
    environment variable it was read from (`USERS_API_TOKEN`)."""
    problem = secret_problem(value)
    if problem is not None:
        raise ConfigurationError(f"{name} {problem}")
    assert isinstance(value, str)
    return value


def secret_problem(value: object) -> str | None:
    """What makes `value` no credential, as the end of a sentence; None when it is one."""
    if not isinstance(value, str) or not value:
        return "must be a non-empty str"
    if not value.strip():
        return "must be a non-empty str, not only whitespace"
    if value != value.strip():
        # A copy-paste slip, or a file's last line: the API would refuse it, and
        # httpx2 only at the first request, as a network error (LocalProtocolError).
        return (
            "has leading or trailing whitespace (a space, tab or line break): strip it "
            "(the value is not shown: it is a credential)"
        )
    if not all(c == "\t" or " " <= c <= "~" for c in value):
        # What a header value may hold (RFC 9110): visible ASCII, space and tab.
        return (
            "must be printable ASCII without line breaks or control characters "
            "(the value is not shown)"
        )
    return None


def _name_of(provider: object) -> str:
    name = getattr(provider, "__qualname__", None) or type(provider).__qualname__
    return f"{name}()"


class Credential:
    """Which header carries the credential, and how to get its value."""

    __slots__ = ("header", "kind", "provider", "value")

    def __init__(self, kind: str, source: object, *, origin: str | None = None) -> None:
        self.kind = kind  # "token" or "api_key": the argument's name
        self.header = "Authorization" if kind == "token" else "X-API-Key"
        self.value: str | None = None
        self.provider: Callable[[], Any] | None = None
        if callable(source):
            self.provider = source
        else:
            # origin: the environment variable it was read from, else the argument.
            self.value = checked_secret(origin or f"{kind}=", source)

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
        problem = secret_problem(value)
        if problem is not None:
            raise self._failed(f"returned a value that is not a credential: it {problem}")
        assert isinstance(value, str)
        return value

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
        return _credential_from_environment()
    if token is not None and api_key is not None:
        raise ConfigurationError("pass token= or api_key=, not both")
    return Credential("token", token) if token is not None else Credential("api_key", api_key)


def _credential_from_environment() -> Credential:
    # A variable set but empty counts as unset: `USERS_API_TOKEN= cmd` clears it.
    token = os.environ.get(TOKEN_ENV)
    if token:
        return Credential("token", token, origin=TOKEN_ENV)
    api_key = os.environ.get(API_KEY_ENV)
    if api_key:
        return Credential("api_key", api_key, origin=API_KEY_ENV)
    raise ConfigurationError(
        f"no credential: pass token= or api_key=, or set {TOKEN_ENV} or {API_KEY_ENV}"
    )
