"""What the sync and async clients share: request building, the retry
decision, and the turning of a response into a value or an SDK error.

The two clients (`_client.py`) only differ in how they send and sleep. Their
configuration is checked in `_config.py`; errors are mapped in `_error_mapping.py`.
"""

from __future__ import annotations

import logging
from typing import Any, TypeAlias, TypeVar

import httpx2

from . import _lazy, _retries
from ._config import ClientSettings
from ._error_mapping import error_for
from ._exceptions import (
    APIConnectionError,
    APITimeoutError,
    ConfigurationError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
)
from ._headers import Headers
from ._legacy_httpx import LegacyAsyncClient, LegacyClient
from ._logging import logger, redact_credentials
from ._prepare import PreparedRequest
from ._response import finish
from ._types import NotGiven

_H = TypeVar("_H", httpx2.Client, httpx2.AsyncClient)
_HTTP: TypeAlias = httpx2.Client | httpx2.AsyncClient | LegacyClient | LegacyAsyncClient


class BaseClient:
    """Request building and response handling shared by both clients."""

    _settings: ClientSettings
    # The page a paginated operation answers with: SyncPage or AsyncPage.
    _page_class: Any
    _default_headers: dict[str, str]
    _owns_http: bool = True  # False for an http_client the caller passed
    # True when the httpx2 client was made by this client with its default
    # headers: requests then carry no headers of their own, and httpx2 does not
    # merge the same few headers again on every request.
    _http_has_default_headers: bool = False

    def _configure(self, settings: ClientSettings) -> None:
        self._settings = settings
        self._default_headers = settings.default_headers()

    def _derive_headers_from(self, parent: BaseClient) -> None:
        """For with_options(): reuse the shared httpx2 client's headers when they match."""
        self._http_has_default_headers = (
            parent._http_has_default_headers and self._default_headers == parent._default_headers
        )

    @property
    def base_url(self) -> str:
        return self._settings.base_url

    @property
    def timeout(self) -> httpx2.Timeout:
        return self._settings.timeout

    @property
    def max_retries(self) -> int:
        return self._settings.max_retries

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._settings.describe()})"

    def _check_open(self, is_closed: bool) -> None:
        # httpx2 would raise a bare RuntimeError, outside the SDK's error tree.
        if is_closed:
            raise ConfigurationError(
                f"this {type(self).__name__} is closed (its `with` block ended or close() was "
                "called): make a new client, or finish iterating pages inside the block"
            )

    @staticmethod
    def _checked_http_client(http_client: object, expected: type[_H]) -> _H:
        if not isinstance(http_client, expected):
            raise ConfigurationError(
                f"http_client must be an httpx2.{expected.__name__} (or a legacy "
                f"httpx.{expected.__name__}), not {type(http_client).__name__}"
            )
        return http_client

    @staticmethod
    def _check_verify_applies(verify: object, http_client: object) -> None:
        if http_client is not None and verify is not True:
            raise ConfigurationError(
                "verify= has no effect with http_client=: configure TLS on the httpx2 client"
            )

    def _request_timeout(self, timeout: httpx2.Timeout | NotGiven) -> httpx2.Timeout:
        # Checked already (_prepare): NOT_GIVEN is the client's own.
        return self._settings.timeout if isinstance(timeout, NotGiven) else timeout

    def _max_retries_for(self, prepared: PreparedRequest) -> int:
        if isinstance(prepared.max_retries, NotGiven):
            return self._settings.max_retries
        return prepared.max_retries

    def _headers_for(self, prepared: PreparedRequest) -> dict[str, str] | None:
        extra = prepared.headers
        if self._http_has_default_headers:
            return extra or None
        return {**self._default_headers, **extra} if extra else self._default_headers

    def _build_request(self, http: _HTTP, prepared: PreparedRequest) -> httpx2.Request:
        timeout = self._request_timeout(prepared.timeout)
        try:
            request = http.build_request(
                prepared.method,
                self._settings.base_url + prepared.path,
                params=prepared.params,
                json=prepared.json,
                headers=self._headers_for(prepared),
                timeout=timeout,
            )
            if "x-api-key" in request.headers and type(request.headers) is httpx2.Headers:
                # The request outlives the call (error.response.request,
                # APIResponse.http_response.request): its repr must not show the key.
                # (A legacy httpx client's wrapper does the same with httpx's class.)
                request.headers = Headers(request.headers)
            return request
        except (TypeError, ValueError, httpx2.InvalidURL) as error:
            # Only local input gets here: a str with a lone surrogate (not UTF-8),
            # a body value JSON cannot hold (NaN, a set, a tuple key). httpx2 raised
            # UnicodeEncodeError, ValueError or TypeError, which are not SDK errors.
            kind = (
                InvalidArgumentTypeError if isinstance(error, TypeError) else InvalidArgumentError
            )
            raise kind(
                f"{prepared.method} {prepared.path}: the request cannot be encoded "
                f"({type(error).__name__}: {error}); every str must be valid Unicode (no lone "
                "surrogates), and a body may only hold JSON values (str, int, finite float, "
                "bool, None, list, dict with str keys)"
            ) from None

    def _transport_error(self, error: Exception, request: httpx2.Request) -> APIConnectionError:
        where = f"{request.method} {request.url.path}"
        kind = APITimeoutError if isinstance(error, httpx2.TimeoutException) else APIConnectionError
        what = "timed out" if kind is APITimeoutError else "got no response"
        advice = (
            "raise timeout= or check the server"
            if kind is APITimeoutError
            else f"check that {self._settings.base_url} is reachable"
        )
        if _retries.is_certificate_error(error):
            # "Check that it is reachable" would send the user the wrong way.
            where = "pass" if self._owns_http else "configure your http_client with"
            advice = (
                f"the server's TLS certificate could not be verified: for a private CA {where} "
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
        request: httpx2.Request,
        retries_done: int,
        max_retries: int,
        *,
        response: httpx2.Response | None = None,
        error: Exception | None = None,
    ) -> float | None:
        """How long to wait before sending `request` again, or None when this
        response or error is final. Shared by both clients' send loops; logs each retry."""
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
        self, response: httpx2.Response, prepared: PreparedRequest, retries_taken: int
    ) -> Any:
        """The parsed value of a 2xx answer (an APIResponse in raw mode), or the SDK error."""
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
        if 200 <= response.status_code < 300:
            return finish(response, _Parse(self, prepared, response), retries_taken)
        raise error_for(response)

    def _parse(self, prepared: PreparedRequest, response: httpx2.Response) -> Any:
        """A 2xx answer by the shape its operation gives: nothing, a model or a page."""
        operation = prepared.operation
        if operation is None:
            return _lazy.models.parse_cast(prepared.cast_to, response)
        if operation.page is not None:
            items, next_cursor, previous_cursor = _lazy.models.parse_page(operation.page, response)
            return self._page_class(
                items, cursor=prepared.cursor, next_cursor=next_cursor,
                previous_cursor=previous_cursor, http_response=response,
                client=self, request=prepared,
            )  # fmt: skip
        if operation.response is None:
            return None
        return _lazy.models.parse_model(operation.response, response)


class _Parse:
    """The parsing of one answer, run now or, in raw mode, when asked
    (APIResponse.parse()). An object rather than a closure: it names what it holds."""

    __slots__ = ("client", "prepared", "response")

    def __init__(
        self, client: BaseClient, prepared: PreparedRequest, response: httpx2.Response
    ) -> None:
        self.client, self.prepared, self.response = client, prepared, response

    def __call__(self) -> Any:
        return self.client._parse(self.prepared, self.response)


def _elapsed(response: httpx2.Response) -> str:
    try:
        return f"{response.elapsed.total_seconds() * 1000:.1f} ms"
    except RuntimeError:
        # A transport that hands back an already-read response (a test double,
        # a cache) never starts httpx2's clock.
        return "time unknown"
