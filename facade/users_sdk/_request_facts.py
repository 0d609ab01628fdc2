"""What `make generate` wrote about the requests of openapi.yaml, as the
facade uses it (the response side is in `_parsing.py`).

Cheap to import: these generated modules import nothing but the standard
library. Still not loaded by `import users_sdk` alone (which reads the names
of the spec from `users_api_client.sdk.names`), only with the client.
"""

from __future__ import annotations

from users_api_client.sdk.names import MODELS, TYPES
from users_api_client.sdk.params import (
    CREATE_USER_BODY,
    KINDS,
    LIST_USERS_QUERY,
    UPDATE_USER_BODY,
    Kind,
    ListUsersParams,
    UserCreateParams,
    UserUpdateParams,
)

__all__ = [
    "CREATE_USER_BODY",
    "KINDS",
    "LIST_USERS_QUERY",
    "MODELS",
    "TYPES",
    "UPDATE_USER_BODY",
    "Kind",
    "ListUsersParams",
    "UserCreateParams",
    "UserUpdateParams",
]
