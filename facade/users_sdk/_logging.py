"""The SDK's logger, switched on by USERS_SDK_LOG, and the redaction of secrets.

Nothing here ever formats a request body or an unredacted header: bodies can
hold passwords and reset tokens, headers hold the credential.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping

logger = logging.getLogger("users_sdk")

LOG_ENV = "USERS_SDK_LOG"
REDACTED = "[REDACTED]"
SENSITIVE_HEADERS = frozenset({"authorization", "x-api-key", "cookie", "set-cookie"})


def redact_headers(headers: Iterable[tuple[str, str]] | Mapping[str, str]) -> dict[str, str]:
    """A copy of `headers` that is safe to log: credentials become [REDACTED]."""
    items = headers.items() if isinstance(headers, Mapping) else headers
    return {
        name: (REDACTED if name.lower() in SENSITIVE_HEADERS else value) for name, value in items
    }


def redact_credentials(text: str, headers: Mapping[str, str]) -> str:
    """`text` without the credential that `headers` (a request's) carried.

    For error messages, which quote what the server sent: a debug page or a
    misconfigured proxy may echo the request's Authorization header back.
    """
    for name in ("authorization", "x-api-key"):
        value = headers.get(name)
        if not value:
            continue
        # "Bearer tok_123": the whole value, then the token on its own.
        credential = value.partition(" ")[2] if name == "authorization" else ""
        for secret in (value, credential):
            if secret.strip():
                text = text.replace(secret, REDACTED)
    return text


def redact_secret(secret: str | None) -> str:
    """How a credential appears in repr(): never the value, only that there is one."""
    return "None" if secret is None else REDACTED


def configure_from_environment() -> None:
    """USERS_SDK_LOG=debug|info turns on the SDK's log output on stderr.

    Called once at import. An application that configures logging itself can
    leave the variable unset and attach its own handlers to "users_sdk".
    """
    level_name = os.environ.get(LOG_ENV, "").strip().upper()
    if level_name not in {"DEBUG", "INFO"}:
        return
    if not any(getattr(h, "_users_sdk", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        handler._users_sdk = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(level_name)
