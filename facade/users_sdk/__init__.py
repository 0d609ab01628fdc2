"""users_sdk: a typed Python SDK for the Users API.

    from users_sdk import UsersClient

    with UsersClient() as client:         # USERS_API_BASE_URL + USERS_API_TOKEN or USERS_API_KEY
        user = client.users.create(email="ada@example.com", role="admin")
        for admin in client.users.list(role="admin"):
            print(admin.email)

The models (User, Invitation, ...) are the attrs classes generated from
openapi.yaml. The enums (UserRole, ...) and the TypedDicts of the keyword
arguments (UserCreateParams, ...) are generated from it too. Every name of the
spec is exported: a model the spec gains is here after `make generate`.

Each name loads on first use (`users_sdk.UsersClient`, `from users_sdk import
UsersClient`), so that `import users_sdk` alone stays cheap: pytest imports it
in every run where users-sdk[testing] is installed, for its plugin.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Final

# The names of the spec's models, enums and TypedDicts: tuples of strings,
# which import nothing.
from users_api_client.sdk.names import MODELS as _MODELS
from users_api_client.sdk.names import TYPES as _TYPES

from . import _lazy
from ._version import __version__

if TYPE_CHECKING:
    # What type checkers and IDEs see: every name with its real type. At run
    # time __getattr__ imports the same modules on first access (_HOMES below;
    # tests/guards/test_lazy_root.py keeps the two the same).
    from users_api_client.sdk.exports import *  # noqa: F403
    from users_api_client.sdk.params import *  # noqa: F403

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
        CredentialProviderError,
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
        UsersSDKWarning,
        ValidationError,
    )
    from ._http_clients import (
        DefaultAsyncHttpx2Client,
        DefaultAsyncHttpxClient,
        DefaultHttpx2Client,
        DefaultHttpxClient,
    )
    from ._middleware import RequestContext
    from ._pagination import AsyncPage, AsyncPaginator, SyncPage
    from ._request_ids import last_request_id
    from ._response import APIResponse
    from ._retry_policy import RetryPolicy
    from ._types import NOT_GIVEN, NotGiven

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
    "CredentialProviderError",
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
    "RequestContext",
    "RetryPolicy",
    "SyncPage",
    "UnexpectedResponseError",
    "UsersAPIError",
    "UsersClient",
    "UsersSDKWarning",
    "ValidationError",
    "__version__",
    "last_request_id",
]
if TYPE_CHECKING:
    # The same names, in the form type checkers read (pyright follows a
    # submodule's __all__); at run time the tuples, which import nothing.
    from users_api_client.sdk import exports as _exports
    from users_api_client.sdk import params as _params

    __all__ += _exports.__all__
    __all__ += _params.__all__
else:
    __all__ += _TYPES
    __all__ += _MODELS


# The module each hand-written name comes from, as imported above for type
# checkers. The spec's names come from _lazy.exports (the models, with attrs)
# and _lazy.params (the enums and TypedDicts).
_HOMES: Final[dict[str, tuple[str, ...]]] = {
    "._client": ("AsyncUsersClient", "UsersClient"),
    "._exceptions": (
        "APIConnectionError",
        "APIStatusError",
        "APITimeoutError",
        "AuthenticationError",
        "BadRequestError",
        "ConfigurationError",
        "ConflictError",
        "ContentTooLargeError",
        "CredentialProviderError",
        "InternalServerError",
        "InvalidArgumentError",
        "InvalidArgumentTypeError",
        "NoMorePagesError",
        "NotFoundError",
        "NotImplementedByServerError",
        "PermissionDeniedError",
        "PreconditionFailedError",
        "RateLimitError",
        "UnexpectedResponseError",
        "UsersAPIError",
        "UsersSDKWarning",
        "ValidationError",
    ),
    "._http_clients": (
        "DefaultAsyncHttpx2Client",
        "DefaultAsyncHttpxClient",
        "DefaultHttpx2Client",
        "DefaultHttpxClient",
    ),
    "._middleware": ("RequestContext",),
    "._pagination": ("AsyncPage", "AsyncPaginator", "SyncPage"),
    "._request_ids": ("last_request_id",),
    "._response": ("APIResponse",),
    "._retry_policy": ("RetryPolicy",),
    "._types": ("NOT_GIVEN", "NotGiven"),
}
_HOME_OF: Final = {name: module for module, names in _HOMES.items() for name in names}


def _load(name: str) -> Any:
    """The object `name` stands for, imported from its module; kept in this
    module's globals, so that later accesses are plain attribute reads."""
    if name in _MODELS:
        value = getattr(_lazy.exports, name)
    elif name in _TYPES:
        value = getattr(_lazy.params, name)
    elif name in _HOME_OF:
        value = getattr(importlib.import_module(_HOME_OF[name], __name__), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


if not TYPE_CHECKING:
    # PEP 562. Hidden from type checkers, which see the imports above: a name
    # users_sdk does not have is then an error for them, not Any.
    __getattr__ = _load


def __dir__() -> list[str]:
    return sorted(__all__)
