"""The SDK's logger, switched on by USERS_SDK_LOG, and the redaction of secrets.

Nothing here ever formats a request body or an unredacted header: bodies can
hold passwords and reset tokens, headers hold the credential.
"""

from __future__ import annotations

import json
import logging
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx2

logger = logging.getLogger("users_sdk")

LOG_ENV = "USERS_SDK_LOG"
REDACTED = "[REDACTED]"


# JSON body fields whose values are secrets (the password endpoints).
SECRET_BODY_FIELDS = frozenset({"password", "reset_token"})
# Shorter values are not real credentials, and replacing them would mangle the text.
_MIN_SECRET_LENGTH = 6


def request_secrets(request: httpx2.Request) -> list[str]:
    """The credential and body secrets a request carried, longest first."""
    secrets: list[str] = []
    for name in ("authorization", "x-api-key"):
        value = request.headers.get(name)
        if value:
            # "Bearer tok_123": the whole value, then the token on its own.
            secrets += [value, value.partition(" ")[2]] if name == "authorization" else [value]
    if request.content[:1] == b"{":
        try:
            body = json.loads(request.content)
        except ValueError:
            body = None
        if isinstance(body, dict):
            secrets += [
                v for k, v in body.items() if k in SECRET_BODY_FIELDS and isinstance(v, str)
            ]
    return sorted(
        {s for s in secrets if len(s.strip()) >= _MIN_SECRET_LENGTH}, key=len, reverse=True
    )


def redact_credentials(text: str, request: httpx2.Request) -> str:
    """`text` without the credential, password or reset token `request` carried.

    For error messages, which quote what the server sent: a debug page or a
    misconfigured proxy may echo the request's headers or body back.
    """
    for secret in request_secrets(request):
        text = text.replace(secret, REDACTED)
    return text


def redact_secret(secret: str | None) -> str:
    """How a credential appears in repr(): never the value, only that there is one."""
    return "None" if secret is None else REDACTED


def configure_from_environment() -> None:
    """USERS_SDK_LOG=debug|info turns on the SDK's log output on stderr.

    Called once, when this module is first imported: every module that logs
    imports `logger` from here, so it runs before the SDK logs anything, and
    `import users_sdk` alone (which loads no client) does not pay for it. An
    application that configures logging itself can leave the variable unset
    and attach its own handlers to "users_sdk".
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


configure_from_environment()
