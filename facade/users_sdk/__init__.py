"""users_sdk: a typed Python SDK for the Users API.

    from users_sdk import UsersClient

    with UsersClient() as client:         # USERS_API_BASE_URL + USERS_API_TOKEN or USERS_API_KEY
        user = client.users.create(email="ada@example.com", role="admin")
        for admin in client.users.list(role="admin"):
            print(admin.email)

The models (User, Invitation, ...) are the attrs classes generated from
openapi.yaml; they load on first use, so that `import users_sdk` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._client import AsyncUsersClient, UsersClient
from ._exceptions import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    ContentTooLargeError,
    InternalServerError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    NoMorePagesError,
    NotFoundError,
    PermissionDeniedError,
    PreconditionFailedError,
    RateLimitError,
    UnexpectedResponseError,
    UsersAPIError,
    ValidationError,
)
from ._http_clients import DefaultAsyncHttpxClient, DefaultHttpxClient
from ._logging import configure_from_environment as _configure_logging
from ._pagination import AsyncPage, AsyncPaginator, SyncPage
from ._params import UserCreateParams, UserRole, UserStatus, UserUpdateParams
from ._response import APIResponse
from ._types import NOT_GIVEN, NotGiven
from ._version import __version__

if TYPE_CHECKING:
    from ._generated_adapter import FieldError, Invitation, Metadata, Problem, User

__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIResponse",
    "APIStatusError",
    "APITimeoutError",
    "AsyncPage",
    "AsyncPaginator",
    "AsyncUsersClient",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "ContentTooLargeError",
    "DefaultAsyncHttpxClient",
    "DefaultHttpxClient",
    "FieldError",
    "InternalServerError",
    "InvalidArgumentError",
    "InvalidArgumentTypeError",
    "Invitation",
    "Metadata",
    "NoMorePagesError",
    "NotFoundError",
    "NotGiven",
    "PermissionDeniedError",
    "PreconditionFailedError",
    "Problem",
    "RateLimitError",
    "SyncPage",
    "UnexpectedResponseError",
    "User",
    "UserCreateParams",
    "UserRole",
    "UserStatus",
    "UserUpdateParams",
    "UsersAPIError",
    "UsersClient",
    "ValidationError",
    "__version__",
]

_LAZY_MODELS = frozenset({"FieldError", "Invitation", "Metadata", "Problem", "User"})


def __getattr__(name: str) -> Any:
    # The generated models (and attrs, dateutil) load on first access only.
    if name in _LAZY_MODELS:
        from ._generated_adapter import PUBLIC_MODELS

        value = PUBLIC_MODELS[name]
        globals()[name] = value
        return value
    raise AttributeError(f"module 'users_sdk' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)


_configure_logging()
