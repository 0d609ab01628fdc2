"""What the sync and async clients share: settings, request building, and the
turning of a response into a value or an SDK error.

The two clients (`_client.py`) only differ in how they send and sleep.
"""

from __future__ import annotations

import json
import logging
import os
import re
import ssl
import sys
from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any, TypeVar

import httpx

from . import _lazy, _retries
from ._exceptions import (
    APIConnectionError,
    APITimeoutError,
    ConfigurationError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    RateLimitError,
    UnexpectedResponseError,
    status_error_class,
)
from ._logging import logger, redact_credentials, redact_secret
from ._response import APIResponse, finish
from ._types import NOT_GIVEN, NotGiven, TimeoutTypes
from ._validation import brief
from ._version import __version__

_T = TypeVar("_T")

BASE_URL_ENV = "USERS_API_BASE_URL"
TOKEN_ENV = "USERS_API_TOKEN"
API_KEY_ENV = "USERS_API_KEY"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
DEFAULT_MAX_RETRIES = _retries.DEFAULT_MAX_RETRIES
# Longer waits than a day are not timeouts; inf and NaN made the sync transport
# raise OverflowError/ValueError at the first request. None means no timeout.
MAX_TIMEOUT = 24 * 3600.0
# RFC 9110 field names; values: visible ASCII, space and tab (no CR/LF to split the header).
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_HEADER_VALUE = re.compile(r"[\t\x20-\x7e]*")

_KNOWN_STATUSES = frozenset(status.value for status in HTTPStatus)
_USER_AGENT = f"users-sdk/{__version__} python/{sys.version_info.major}.{sys.version_info.minor}"


class Headers(httpx.Headers):
    """httpx.Headers whose repr also hides X-API-Key (httpx hides only the
    Authorization headers)."""

    def __repr__(self) -> str:
        shown = httpx.Headers(
            [
                (name, "[secure]" if name.lower() == "x-api-key" else value)
                for name, value in self.multi_items()
            ],
            encoding=self.encoding,
        )
        return repr(shown)


class ClientSettings:
    """The validated configuration of a client; with_options() derives new ones."""

    __slots__ = ("api_key", "base_url", "headers", "max_retries", "timeout", "token")

    def __init__(
        self,
        *,
        base_url: str | None,
        token: str | None,
        api_key: str | None,
        timeout: TimeoutTypes,
        max_retries: int,
        headers: Mapping[str, str] | None,
    ) -> None:
        base_url = base_url if base_url is not None else os.environ.get(BASE_URL_ENV)
        if token is None and api_key is None:
            token = os.environ.get(TOKEN_ENV) or None
            api_key = None if token else (os.environ.get(API_KEY_ENV) or None)
        self.base_url = _checked_base_url(base_url)
        self.token = _checked_secret("token", token)
        self.api_key = _checked_secret("api_key", api_key)
        if self.token is None and self.api_key is None:
            raise ConfigurationError(
                f"no credential: pass token= or api_key=, or set {TOKEN_ENV} or {API_KEY_ENV}"
            )
        if self.token is not None and self.api_key is not None:
            raise ConfigurationError("pass token= or api_key=, not both")
        self.timeout = _checked_timeout(timeout)
        self.max_retries = _checked_max_retries(max_retries)
        self.headers = _checked_headers(headers)

    def derive(
        self,
        *,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | NotGiven,
        headers: Mapping[str, str] | NotGiven,
    ) -> ClientSettings:
        derived = object.__new__(ClientSettings)
        derived.base_url = self.base_url
        derived.token = self.token
        derived.api_key = self.api_key
        derived.timeout = (
            self.timeout if isinstance(timeout, NotGiven) else _checked_timeout(timeout)
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
        return derived

    def default_headers(self) -> dict[str, str]:
        headers = {"User-Agent": _USER_AGENT, "Accept": "application/json"}
        headers.update(self.headers)
        if self.token is not None:
            headers["Authorization"] = f"Bearer {self.token}"
        else:
            assert self.api_key is not None
            headers["X-API-Key"] = self.api_key
        return headers

    def describe(self) -> str:
        """For repr(): everything but the credential's value."""
        credential = (
            f"token={redact_secret(self.token)}"
            if self.token is not None
            else f"api_key={redact_secret(self.api_key)}"
        )
        return (
            f"base_url={self.base_url!r}, {credential}, timeout={self.timeout!r}, "
            f"max_retries={self.max_retries}"
        )


def _checked_base_url(base_url: str | None) -> str:
    if not base_url:
        raise ConfigurationError(f"no base URL: pass base_url='https://...' or set {BASE_URL_ENV}")
    if not isinstance(base_url, str):
        raise ConfigurationError(f"base_url must be a str, not {type(base_url).__name__}")
    shown = _shown_url(base_url)
    try:
        url = httpx.URL(base_url)
        # Encode it now as the first request would (the path, and the host as the
        # resolver will): a lone surrogate or an empty DNS label ("a..b") escaped
        # as UnicodeError from that request instead of failing here.
        httpx.Request("GET", base_url.rstrip("/") + "/v1/users")
        url.raw_host.decode("ascii").encode("idna")
    except (httpx.InvalidURL, ValueError) as error:  # UnicodeError is a ValueError
        raise ConfigurationError(f"base_url {shown} is not a URL: {error}") from None
    if url.scheme not in {"http", "https"} or not url.host:
        raise ConfigurationError(f"base_url {shown} must be an http:// or https:// URL with a host")
    if url.userinfo:
        # It would show in repr() and in errors, and httpx would send it as Basic auth.
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


def _checked_secret(name: str, value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigurationError(f"{name} must be a non-empty str")
    if not value.isascii() or any(c in value for c in "\r\n\0"):
        # Never echo the value: it is a credential.
        raise ConfigurationError(f"{name} must be printable ASCII without line breaks")
    return value


def _checked_timeout(timeout: object) -> httpx.Timeout:
    if isinstance(timeout, httpx.Timeout):
        for name in ("connect", "read", "write", "pool"):
            value = getattr(timeout, name)
            if value is not None and not _is_seconds(value):
                raise ConfigurationError(
                    f"timeout.{name} must be a positive number of seconds up to "
                    f"{MAX_TIMEOUT:.0f}, or None, not {brief(value)}"
                )
        return timeout
    if timeout is None:
        return httpx.Timeout(None)
    if not _is_seconds(timeout):
        raise ConfigurationError(
            f"timeout must be a positive number of seconds up to {MAX_TIMEOUT:.0f}, "
            f"an httpx.Timeout or None (no timeout), not {brief(timeout)}"
        )
    assert isinstance(timeout, int | float)
    return httpx.Timeout(float(timeout), connect=min(float(timeout), DEFAULT_TIMEOUT.connect or 5))


def _is_seconds(value: object) -> bool:
    # `0 < value` is False for NaN, and `<= MAX_TIMEOUT` for inf.
    return (
        isinstance(value, int | float) and not isinstance(value, bool) and 0 < value <= MAX_TIMEOUT
    )


def tls_verify(verify: object) -> bool | ssl.SSLContext:
    """What httpx gets for `verify=`: True (the default: certifi's CAs), False (only
    ever when asked), or a context that trusts the CA bundle at a path.

    The SDK loads the path itself: httpx 0.28 deprecates `verify=<str>` with a
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
    return dict(headers)


class BaseClient:
    """Request building and response handling shared by both clients."""

    _settings: ClientSettings
    _default_headers: dict[str, str]
    # True when the httpx client was made by this client with its default
    # headers: requests then carry no headers of their own, and httpx does not
    # merge the same few headers again on every request.
    _http_has_default_headers: bool = False

    def _configure(self, settings: ClientSettings) -> None:
        self._settings = settings
        self._default_headers = settings.default_headers()

    def _derive_headers_from(self, parent: BaseClient) -> None:
        """For with_options(): reuse the shared httpx client's headers when they match."""
        self._http_has_default_headers = (
            parent._http_has_default_headers and self._default_headers == parent._default_headers
        )

    @property
    def base_url(self) -> str:
        return self._settings.base_url

    @property
    def timeout(self) -> httpx.Timeout:
        return self._settings.timeout

    @property
    def max_retries(self) -> int:
        return self._settings.max_retries

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._settings.describe()})"

    def _check_open(self, is_closed: bool) -> None:
        # httpx would raise a bare RuntimeError, outside the SDK's error tree.
        if is_closed:
            raise ConfigurationError(
                f"this {type(self).__name__} is closed (its `with` block ended or close() was "
                "called): make a new client, or finish iterating pages inside the block"
            )

    @staticmethod
    def _check_verify_applies(verify: object, http_client: object) -> None:
        if http_client is not None and verify is not True:
            raise ConfigurationError(
                "verify= has no effect with http_client=: configure TLS on the httpx client"
            )

    def _request_timeout(self, timeout: TimeoutTypes | NotGiven) -> httpx.Timeout:
        if timeout is NOT_GIVEN or isinstance(timeout, NotGiven):
            return self._settings.timeout
        try:
            return _checked_timeout(timeout)
        except ConfigurationError as error:
            raise InvalidArgumentError(str(error)) from None

    def _headers_for(self, args: Mapping[str, Any]) -> dict[str, str] | None:
        extra: dict[str, str] | None = args.get("headers")
        if self._http_has_default_headers:
            return extra or None
        return {**self._default_headers, **extra} if extra else self._default_headers

    def _build_request(
        self, http: httpx.Client | httpx.AsyncClient, args: Mapping[str, Any], timeout: Any
    ) -> httpx.Request:
        try:
            request = http.build_request(
                args["method"],
                self._settings.base_url + args["url"],
                params=args.get("params"),
                json=args.get("json"),
                headers=self._headers_for(args),
                timeout=timeout,
            )
            if "x-api-key" in request.headers:
                # The request outlives the call (error.response.request,
                # APIResponse.http_response.request): its repr must not show the key.
                request.headers = Headers(request.headers)
            return request
        except (TypeError, ValueError, httpx.InvalidURL) as error:
            # Only local input gets here: a str with a lone surrogate (not UTF-8),
            # a body value JSON cannot hold (NaN, a set, a tuple key). httpx raised
            # UnicodeEncodeError, ValueError or TypeError, which are not SDK errors.
            kind = (
                InvalidArgumentTypeError if isinstance(error, TypeError) else InvalidArgumentError
            )
            raise kind(
                f"{args['method'].upper()} {args['url']}: the request cannot be encoded "
                f"({type(error).__name__}: {error}); every str must be valid Unicode (no lone "
                "surrogates), and a body may only hold JSON values (str, int, finite float, "
                "bool, None, list, dict with str keys)"
            ) from None

    def _transport_error(self, error: Exception, request: httpx.Request) -> APIConnectionError:
        where = f"{request.method} {request.url.path}"
        kind = APITimeoutError if isinstance(error, httpx.TimeoutException) else APIConnectionError
        what = "timed out" if kind is APITimeoutError else "got no response"
        advice = (
            "raise timeout= or check the server"
            if kind is APITimeoutError
            else f"check that {self._settings.base_url} is reachable"
        )
        if _retries.is_certificate_error(error):
            # "Check that it is reachable" would send the user the wrong way.
            advice = (
                "the server's TLS certificate could not be verified: for a private CA pass "
                "verify='/path/to/ca-bundle.pem' (verify=False only for local testing)"
            )
        return kind(
            redact_credentials(
                f"{where} {what} ({type(error).__name__}: {error}); {advice}", request
            ),
            method=request.method,
            url=str(request.url.copy_with(query=None)),
        )

    def _next_retry_delay(
        self,
        request: httpx.Request,
        retries_done: int,
        *,
        response: httpx.Response | None = None,
        error: Exception | None = None,
    ) -> float | None:
        """How long to wait before sending `request` again, or None when this
        response or error is final. Shared by both clients' send loops; logs each retry."""
        max_retries = self._settings.max_retries
        if retries_done >= max_retries:
            return None
        if response is not None:
            if not _retries.is_retryable_status(response.status_code):
                return None
            wait = _retries.wait_before_retry(retries_done + 1, response)
            if wait is None:
                return None
            delay = wait
            cause = f"status {response.status_code}"
        else:
            if error is None or not _retries.is_retryable_exception(error):
                return None
            delay = _retries.backoff_delay(retries_done + 1)
            cause = type(error).__name__
        logger.info(
            "Retrying %s %s in %.2f s (retry %d of %d) after %s",
            request.method, request.url.path, delay, retries_done + 1, max_retries, cause,
        )  # fmt: skip
        return delay

    def _finish(
        self,
        response: httpx.Response,
        parse: Callable[[httpx.Response], _T],
        retries_taken: int,
    ) -> _T | APIResponse[_T]:
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s %s -> %d (%s, request_id=%s, retries=%d)",
                response.request.method,
                response.request.url.path,
                response.status_code,
                _elapsed(response),
                response.headers.get("x-request-id"),
                retries_taken,
            )
        status = response.status_code
        if 200 <= status < 300:
            return finish(response, lambda: parse(response), retries_taken)
        raise _error_for(response)


def _elapsed(response: httpx.Response) -> str:
    try:
        return f"{response.elapsed.total_seconds() * 1000:.1f} ms"
    except RuntimeError:
        # A transport that hands back an already-read response (a test double,
        # a cache) never starts httpx's clock.
        return "time unknown"


def _error_for(response: httpx.Response) -> Exception:
    status = response.status_code
    if status < 400 or status not in _KNOWN_STATUSES:
        return UnexpectedResponseError(
            f"status {status} is not one the API uses",
            response=response,
            body=_body_of(response),
        )
    body = _body_of(response)
    problem = _lazy.models.parse_problem(body)
    error_class = status_error_class(status)
    if error_class is RateLimitError:
        return RateLimitError(
            response=response,
            body=body,
            problem=problem,
            retry_after=_retries.retry_after(response.headers),
        )
    return error_class(response=response, body=body, problem=problem)


def _body_of(response: httpx.Response) -> object:
    """The decoded body of an error response: JSON when it is JSON, else text."""
    content = response.content
    if not content:
        return None
    if "json" in response.headers.get("content-type", ""):
        try:
            return json.loads(content)
        except (ValueError, UnicodeDecodeError, RecursionError):
            pass  # kept as text; RecursionError: nested too deeply ("[[[[...")
    return content[:2000].decode("utf-8", errors="replace")
