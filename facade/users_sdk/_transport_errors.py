"""A request that got no response, as the SDK's APIConnectionError or
APITimeoutError: what failed, why it likely did, and what to do.

A timeout names its phase (connect, read, write or pool, from httpx2's
exception class) and the limit of that phase the call ran with, since "timed
out" alone does not say which setting to raise. The message never relies on
the cause's own text: under trio it is empty. The count of attempts is only
known when the send loop gives up, so it is added then (`gave_up`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx2

from . import _retries
from ._config import MAX_TIMEOUT
from ._exceptions import APIConnectionError, APITimeoutError
from ._logging import redact_credentials

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["gave_up", "transport_error"]

# Each phase: what did not happen in time, and what to do about it.
_PHASES: dict[type[httpx2.TimeoutException], tuple[str, str, str]] = {
    httpx2.ConnectTimeout: (
        "connect",
        "no connection was made",
        "check that {base_url} is reachable, or raise the connect timeout",
    ),
    httpx2.ReadTimeout: (
        "read",
        "the server sent nothing",
        "the server may be slow or overloaded: check it, or raise the read timeout",
    ),
    httpx2.WriteTimeout: (
        "write",
        "the request could not be sent",
        "the network may be slow: raise the write timeout",
    ),
    httpx2.PoolTimeout: (
        "pool",
        "no connection of the pool was free",
        "too many calls share the connection pool: make fewer at once, pass an "
        "http_client with larger httpx2.Limits, or raise the pool timeout",
    ),
}
_PHASE_NAMES = ("connect", "read", "write", "pool")


def transport_error(
    error: Exception, request: httpx2.Request, *, base_url: str, owns_http: bool
) -> APIConnectionError:
    """The SDK's error for `error`, raised by the transport while sending `request`."""
    where = f"{request.method} {request.url.path}"
    if isinstance(error, httpx2.TimeoutException):
        kind: type[APIConnectionError] = APITimeoutError
        head, tail = _timeout(error, where, request.extensions.get("timeout") or {}, base_url)
    else:
        kind = APIConnectionError
        head = f"{where} got no response ({_cause(error)})"
        tail = f"; check that {base_url} is reachable"
    if _retries.is_certificate_error(error):
        # "Check that it is reachable" would send the user the wrong way.
        how = "pass" if owns_http else "configure your http_client with"
        tail = (
            f"; the server's TLS certificate could not be verified: for a private CA {how} "
            "verify='/path/to/ca-bundle.pem' (verify=False only for local testing)"
        )
    head, tail = redact_credentials(head, request), redact_credentials(tail, request)
    connection_error = kind(head + tail, method=request.method, url=_shown_url(request))
    connection_error._parts = (head, tail)
    return connection_error


def gave_up(error: APIConnectionError, attempts: int) -> APIConnectionError:
    """`error` as the call raises it after its last attempt: with the count of attempts."""
    error.attempts = attempts
    if error._parts is not None:
        head, tail = error._parts
        retries = attempts - 1
        count = (
            f"{attempts} attempt{'s' if attempts > 1 else ''} "
            f"({retries or 'no'} retr{'y' if retries < 2 else 'ies'})"
        )
        error.args = (f"{head}, after {count}{tail}",)
    return error


def _timeout(
    error: httpx2.TimeoutException, where: str, limits: Mapping[str, float | None], base_url: str
) -> tuple[str, str]:
    """What timed out, with its limit; then what to do."""
    phase = next((v for cls, v in _PHASES.items() if isinstance(error, cls)), None)
    if phase is None:  # a TimeoutException of no known phase
        return f"{where} timed out ({_cause(error)})", "; raise timeout= or check the server"
    name, what, advice = phase
    limit = limits.get(name)
    within = f"within the {name} timeout of {limit:g} s" if limit is not None else "in time"
    head = f"{where} timed out: {what} {within} ({_cause(error)})"
    return head, f"; {advice.format(base_url=base_url)} ({_raised(limits, name)})"


def _raised(limits: Mapping[str, float | None], name: str) -> str:
    """The call's timeout with phase `name` doubled, as the user would write it."""
    limit = limits.get(name)
    values = {
        **{phase: limits.get(phase) for phase in _PHASE_NAMES},
        name: min(2 * limit, MAX_TIMEOUT) if limit else 60.0,
    }
    shown = ", ".join(f"{phase}={_seconds(values[phase])}" for phase in _PHASE_NAMES)
    return f"e.g. timeout=httpx2.Timeout({shown})"


def _seconds(value: float | None) -> str:
    return "None" if value is None else f"{float(value):g}"


def _cause(error: Exception) -> str:
    """The transport's exception, named; its text only when it has one (trio's is empty)."""
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _shown_url(request: httpx2.Request) -> str:
    return str(request.url.copy_with(query=None))
