"""A client's configuration: where the settings come from (arguments, then the
environment), and the checks that turn a bad one into a ConfigurationError
before any request is sent. TLS settings too: what `verify=` may be.
"""

from __future__ import annotations

import os
import re
import ssl
import sys
from collections.abc import Mapping, Sequence

import httpx2

from . import _retries
from ._credentials import CredentialInput, credential_from
from ._environment import API_KEY_ENV, BASE_URL_ENV, TOKEN_ENV
from ._exceptions import ConfigurationError
from ._input.values import brief
from ._legacy_httpx import as_httpx2_timeout
from ._middleware import Middleware, checked_middleware
from ._retry_policy import RetryPolicy, checked_retry_policy
from ._types import NOT_GIVEN, NotGiven, TimeoutTypes
from ._version import __version__

__all__ = [
    "API_KEY_ENV",
    "BASE_URL_ENV",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "MAX_TIMEOUT",
    "TOKEN_ENV",
    "ClientSettings",
    "checked_timeout",
    "tls_verify",
]

DEFAULT_TIMEOUT = httpx2.Timeout(30.0, connect=5.0)
DEFAULT_MAX_RETRIES = _retries.DEFAULT_MAX_RETRIES
# Longer waits than a day are not timeouts; inf and NaN made the sync transport
# raise OverflowError/ValueError at the first request. None means no timeout.
MAX_TIMEOUT = 24 * 3600.0
# RFC 9110 field names; values: visible ASCII, space and tab (no CR/LF to split the header).
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_HEADER_VALUE = re.compile(r"[\t\x20-\x7e]*")

_USER_AGENT = f"users-sdk/{__version__} python/{sys.version_info.major}.{sys.version_info.minor}"


class ClientSettings:
    """The validated configuration of a client; with_options() derives new ones."""

    __slots__ = (
        "base_url",
        "credential",
        "headers",
        "max_retries",
        "middleware",
        "retry",
        "strict_responses",
        "timeout",
    )

    def __init__(
        self,
        *,
        base_url: str | None,
        token: CredentialInput,
        api_key: CredentialInput,
        timeout: TimeoutTypes,
        max_retries: int,
        headers: Mapping[str, str] | None,
        middleware: Sequence[Middleware] | None = None,
        retry: RetryPolicy | None = None,
        strict_responses: bool = True,
    ) -> None:
        base_url = base_url if base_url is not None else os.environ.get(BASE_URL_ENV)
        self.base_url = _checked_base_url(base_url)
        self.credential = credential_from(token, api_key)
        self.timeout = checked_timeout(timeout)
        self.max_retries = _checked_max_retries(max_retries)
        self.headers = _checked_headers(headers)
        self.middleware = checked_middleware(middleware)
        self.retry = checked_retry_policy(retry)
        self.strict_responses = _checked_strict_responses(strict_responses)

    def derive(
        self,
        *,
        base_url: str | NotGiven = NOT_GIVEN,
        token: CredentialInput | NotGiven = NOT_GIVEN,
        api_key: CredentialInput | NotGiven = NOT_GIVEN,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        headers: Mapping[str, str] | NotGiven = NOT_GIVEN,
        middleware: Sequence[Middleware] | NotGiven = NOT_GIVEN,
        retry: RetryPolicy | NotGiven = NOT_GIVEN,
        strict_responses: bool | NotGiven = NOT_GIVEN,
    ) -> ClientSettings:
        """These settings with some replaced (headers are merged, the rest replaced)."""
        derived = object.__new__(ClientSettings)
        derived.base_url = (
            self.base_url if isinstance(base_url, NotGiven) else _checked_base_url(base_url)
        )
        if isinstance(token, NotGiven) and isinstance(api_key, NotGiven):
            derived.credential = self.credential
        else:
            derived.credential = credential_from(
                None if isinstance(token, NotGiven) else token,
                None if isinstance(api_key, NotGiven) else api_key,
            )
        derived.timeout = (
            self.timeout if isinstance(timeout, NotGiven) else checked_timeout(timeout)
        )
        derived.max_retries = (
            self.max_retries
            if isinstance(max_retries, NotGiven)
            else _checked_max_retries(max_retries)
        )
        derived.headers = (
            self.headers
            if isinstance(headers, NotGiven)
            else {**self.headers, **_checked_headers(headers)}
        )
        derived.middleware = (
            self.middleware if isinstance(middleware, NotGiven) else checked_middleware(middleware)
        )
        derived.retry = self.retry if isinstance(retry, NotGiven) else checked_retry_policy(retry)
        derived.strict_responses = (
            self.strict_responses
            if isinstance(strict_responses, NotGiven)
            else _checked_strict_responses(strict_responses)
        )
        return derived

    def default_headers(self) -> dict[str, str]:
        """Every request's headers; a provided credential is added per attempt instead."""
        headers = {"User-Agent": _USER_AGENT, "Accept": "application/json"}
        headers.update(self.headers)
        if self.credential.is_fixed:
            headers[self.credential.header] = self.credential.fixed_header()
        return headers

    def describe(self) -> str:
        """For repr(): everything but the credential's value."""
        described = (
            f"base_url={self.base_url!r}, {self.credential.describe()}, "
            f"timeout={self.timeout!r}, max_retries={self.max_retries}"
        )
        # Shown only when not the default: a tolerant client is worth noticing.
        return described if self.strict_responses else described + ", strict_responses=False"


def _checked_base_url(base_url: str | None) -> str:
    if not base_url:
        raise ConfigurationError(f"no base URL: pass base_url='https://...' or set {BASE_URL_ENV}")
    if not isinstance(base_url, str):
        raise ConfigurationError(f"base_url must be a str, not {type(base_url).__name__}")
    shown = _shown_url(base_url)
    try:
        url = httpx2.URL(base_url)
        # Encode it now as the first request would (the path, and the host as the
        # resolver will): a lone surrogate or an empty DNS label ("a..b") escaped
        # as UnicodeError from that request instead of failing here.
        httpx2.Request("GET", base_url.rstrip("/") + "/v1/users")
        url.raw_host.decode("ascii").encode("idna")
    except (httpx2.InvalidURL, ValueError) as error:  # UnicodeError is a ValueError
        raise ConfigurationError(f"base_url {shown} is not a URL: {error}") from None
    if url.scheme not in {"http", "https"} or not url.host:
        raise ConfigurationError(f"base_url {shown} must be an http:// or https:// URL with a host")
    if url.userinfo:
        # It would show in repr() and in errors, and httpx2 would send it as Basic auth.
        raise ConfigurationError(
            "base_url must not contain a user name or password; "
            "pass the credential as token= or api_key="
        )
    if url.query or url.fragment:
        raise ConfigurationError(f"base_url {shown} must not have a query or a fragment")
    return base_url.rstrip("/")


def _shown_url(base_url: str) -> str:
    """base_url for an error message: quoted, shortened, any user:password@ hidden."""
    return brief(re.sub(r"(?<=//)[^/?#]*@", "[REDACTED]@", base_url))


def checked_timeout(timeout: object) -> httpx2.Timeout:
    timeout = as_httpx2_timeout(timeout)
    if isinstance(timeout, httpx2.Timeout):
        for name in ("connect", "read", "write", "pool"):
            value = getattr(timeout, name)
            if value is not None and not _is_seconds(value):
                raise ConfigurationError(
                    f"timeout.{name} must be a positive number of seconds up to "
                    f"{MAX_TIMEOUT:.0f}, or None, not {brief(value)}"
                )
        return timeout
    if timeout is None:
        return httpx2.Timeout(None)
    if not _is_seconds(timeout):
        raise ConfigurationError(
            f"timeout must be a positive number of seconds up to {MAX_TIMEOUT:.0f}, "
            f"an httpx2.Timeout or None (no timeout), not {brief(timeout)}"
        )
    assert isinstance(timeout, int | float)
    return httpx2.Timeout(float(timeout), connect=min(float(timeout), DEFAULT_TIMEOUT.connect or 5))


def _is_seconds(value: object) -> bool:
    # `0 < value` is False for NaN, and `<= MAX_TIMEOUT` for inf.
    return (
        isinstance(value, int | float) and not isinstance(value, bool) and 0 < value <= MAX_TIMEOUT
    )


def tls_verify(verify: object) -> bool | ssl.SSLContext:
    """What httpx2 gets for `verify=`: True (the default: the operating system's
    trust store, or SSL_CERT_FILE / SSL_CERT_DIR when set), False (only ever when
    asked), an ssl.SSLContext as it is, or a context that trusts the CA bundle at
    a path.

    The SDK loads the path itself: httpx2 deprecates `verify=<str>` with a
    DeprecationWarning, an error wherever warnings are errors.
    """
    if isinstance(verify, bool | ssl.SSLContext):
        return verify
    if isinstance(verify, str) and verify:
        try:
            if os.path.isdir(verify):
                return ssl.create_default_context(capath=verify)
            return ssl.create_default_context(cafile=verify)
        except (OSError, ssl.SSLError) as error:
            raise ConfigurationError(
                f"verify={brief(verify)}: no CA bundle could be loaded from that path ({error})"
            ) from None
    raise ConfigurationError(
        f"verify must be True, False or the path of a CA bundle, not {brief(verify)}"
    )


def _checked_max_retries(max_retries: object) -> int:
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise ConfigurationError(f"max_retries must be an int >= 0, not {brief(max_retries)}")
    return max_retries


def _checked_strict_responses(strict_responses: object) -> bool:
    # A truthy string ("false") or 0 would silently pick a mode: only a bool says which.
    if not isinstance(strict_responses, bool):
        raise ConfigurationError(
            f"strict_responses must be True or False, not {brief(strict_responses)}"
        )
    return strict_responses


def _checked_headers(headers: Mapping[str, str] | None) -> dict[str, str]:
    if headers is None:
        return {}
    if not isinstance(headers, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
    ):
        raise ConfigurationError("headers must be a dict of str to str")
    for name, value in headers.items():
        # Checked here, not by the transport at the first request, where a bad
        # name read as "got no response" and a non-ASCII value as UnicodeEncodeError.
        if not _HEADER_NAME.fullmatch(name):
            raise ConfigurationError(f"header name {brief(name)} is not a valid HTTP field name")
        if not _HEADER_VALUE.fullmatch(value):
            # Never echo the value: it may be a credential.
            raise ConfigurationError(
                f"the value of header {name!r} must be printable ASCII without line breaks"
            )
        if value != value.strip():
            # httpx2 refuses it at the first request, as a network error.
            raise ConfigurationError(
                f"the value of header {name!r} has leading or trailing whitespace: strip it "
                "(the value is not shown: it may be a credential)"
            )
    return dict(headers)
