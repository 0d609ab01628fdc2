"""users_sdk: a typed Python SDK for the Users API.

    from users_sdk import UsersClient

    with UsersClient() as client:         # USERS_API_BASE_URL + USERS_API_TOKEN or USERS_API_KEY
        user = client.users.create(email="ada@example.com", role="admin")
        for admin in client.users.list(role="admin"):
            print(admin.email)

The models (User, Invitation, ...) are the attrs classes generated from
openapi.yaml; they load on first use, so that `import users_sdk` stays cheap.
The enums (UserRole, ...) and the TypedDicts of the keyword arguments
(UserCreateParams, ...) are generated from it too. Every name of the spec
is exported: a model the spec gains is here after `make generate`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

# The spec's enums and TypedDicts (cheap), and, for type checkers, its models.
from users_api_client.sdk.params import *  # noqa: F403

from . import _lazy
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
    NotImplementedByServerError,
    PermissionDeniedError,
    PreconditionFailedError,
    RateLimitError,
    UnexpectedResponseError,
    UsersAPIError,
    ValidationError,
)
from ._http_clients import (
    DefaultAsyncHttpx2Client,
    DefaultAsyncHttpxClient,
    DefaultHttpx2Client,
    DefaultHttpxClient,
)
from ._pagination import AsyncPage, AsyncPaginator, SyncPage
from ._response import APIResponse
from ._spec import MODELS as _MODELS
from ._spec import TYPES as _TYPES
from ._types import NOT_GIVEN, NotGiven
from ._version import __version__

if TYPE_CHECKING:
    from users_api_client.sdk.exports import *  # noqa: F403

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
    "DefaultAsyncHttpx2Client",
    "DefaultAsyncHttpxClient",
    "DefaultHttpx2Client",
    "DefaultHttpxClient",
    "InternalServerError",
    "InvalidArgumentError",
    "InvalidArgumentTypeError",
    "NoMorePagesError",
    "NotFoundError",
    "NotGiven",
    "NotImplementedByServerError",
    "PermissionDeniedError",
    "PreconditionFailedError",
    "RateLimitError",
    "SyncPage",
    "UnexpectedResponseError",
    "UsersAPIError",
    "UsersClient",
    "ValidationError",
    "__version__",
]
__all__ += _TYPES
__all__ += _MODELS


def __getattr__(name: str) -> Any:
    # The generated models (and attrs) load on first access only.
    if name in _MODELS:
        value = getattr(_lazy.exports, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'users_sdk' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
