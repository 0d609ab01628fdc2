"""What the sync and async clients share: request building, the retry
decision, and the turning of a response into a value or an SDK error.

The two clients (`_client.py`) only differ in how they send and sleep. Their
configuration is checked in `_config.py`; errors are mapped in `_error_mapping.py`.
"""

from __future__ import annotations

import inspect
import logging
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

import httpx2

from . import _lazy, _request_ids, _retries
from ._config import ClientSettings
from ._error_mapping import error_for
from ._exceptions import (
    APIConnectionError,
    ConfigurationError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
)
from ._headers import Headers
from ._legacy_httpx import LegacyAsyncClient, LegacyClient
from ._logging import logger
from ._middleware import RequestContext
from ._prepare import PreparedRequest
from ._response import finish
from ._tracing import tracing_enabled
from ._transport_errors import transport_error
from ._types import NotGiven

if TYPE_CHECKING:
    from ._tracing import OperationTrace

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
    # The headers the httpx2 client adds to every request by itself (those of the
    # client that made it), and those of them a with_options() client must drop:
    # a derived client with another credential must not send the first one's.
    _http_header_names: frozenset[str] = frozenset()
    _stale_header_names: tuple[str, ...] = ()

    def _configure(self, settings: ClientSettings) -> None:
        self._settings = settings
        self._default_headers = settings.default_headers()

    def _derive_headers_from(self, parent: BaseClient) -> None:
        """For with_options(): reuse the shared httpx2 client's headers when they match,
        and never send one of them this client does not have (another credential)."""
        self._http_has_default_headers = (
            parent._http_has_default_headers and self._default_headers == parent._default_headers
        )
        self._http_header_names = parent._http_header_names
        own = {name.lower() for name in self._default_headers}
        self._stale_header_names = tuple(sorted(self._http_header_names - own))

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

    def _refuse_async_providers(self) -> None:
        """For the sync client: an async provider would hand back a coroutine."""
        provider = self._settings.credential.provider
        if provider is not None and inspect.iscoroutinefunction(provider):
            raise ConfigurationError(
                f"{self._settings.credential.kind}= is an async function: a UsersClient needs "
                "a plain one (or use AsyncUsersClient)"
            )

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
            for name in self._stale_header_names:
                request.headers.pop(name, None)
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
        return transport_error(
            error, request, base_url=self._settings.base_url, owns_http=self._owns_http
        )

    def _next_retry_delay(
        self,
        request: httpx2.Request,
        attempts: _Attempts,
        *,
        response: httpx2.Response | None = None,
        error: APIConnectionError | None = None,
    ) -> float | None:
        """How long to wait before sending `request` again, or None when this
        response or error is final. Shared by both clients' send loops; logs each retry."""
        if attempts.retries >= attempts.max_retries:
            return None
        policy = self._settings.retry
        if response is not None:
            retry = response.status_code in policy.statuses
            if policy.should_retry is not None and response.status_code >= 400:
                retry = _decided(policy.should_retry(error_for(response), attempts.number), retry)
            if not retry:
                return None
            delay = _retries.wait_before_retry(
                attempts.retries + 1, response, max_delay=policy.max_delay,
                max_retry_after=policy.max_retry_after,
            )  # fmt: skip
            if delay is None:
                return None
            cause = f"status {response.status_code}"
        else:
            assert error is not None
            cause_error = error.__cause__
            retry = isinstance(cause_error, Exception) and _retries.is_retryable_exception(
                cause_error
            )
            if policy.should_retry is not None:
                retry = _decided(policy.should_retry(error, attempts.number), retry)
            if not retry:
                return None
            delay = _retries.backoff_delay(attempts.retries + 1, max_delay=policy.max_delay)
            cause = type(cause_error).__name__
        logger.info(
            "Retrying %s %s in %.2f s (retry %d of %d) after %s",
            request.method, request.url.path, delay, attempts.retries + 1,
            attempts.max_retries, cause,
        )  # fmt: skip
        return delay

    def _refresh_after_401(self, response: httpx2.Response, attempts: _Attempts) -> bool:
        """Whether to ask a credential provider again after this answer: once per call,
        after a 401. (The loop retries at once, and only if the value changed.)"""
        if response.status_code != 401 or self._settings.credential.is_fixed:
            return False
        if attempts.asked_after_401:
            return False
        attempts.asked_after_401 = True
        logger.info("401 with a provided credential: asking the provider again")
        return True

    def _operation_trace(self, prepared: PreparedRequest) -> OperationTrace | None:
        """The call's span, when OpenTelemetry is installed (the [otel] extra)."""
        if not tracing_enabled():
            return None
        from ._tracing import OperationTrace

        operation = prepared.operation
        return OperationTrace(
            operation.name if operation else f"request {prepared.method}",
            prepared.method,
            operation.path if operation else prepared.path,
            self._settings.base_url,
        )

    def _context(
        self, request: httpx2.Request, prepared: PreparedRequest, attempt: int
    ) -> RequestContext:
        operation = prepared.operation
        return RequestContext(
            operation=operation.name if operation else f"request {prepared.method}",
            operation_id=operation.id if operation else None,
            method=prepared.method,
            url_template=operation.path if operation else prepared.path,
            attempt=attempt,
            idempotency_key=request.headers.get("idempotency-key"),
        )

    def _finish(
        self, response: httpx2.Response, prepared: PreparedRequest, retries_taken: int
    ) -> Any:
        """The parsed value of a 2xx answer (an APIResponse in raw mode), or the SDK error."""
        _request_ids.remember(response)  # request id: see _request_ids
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
        operation = prepared.operation
        raise error_for(
            response,
            base_url=self._settings.base_url,
            path=operation.path if operation else prepared.path,
            has_id=bool(operation.path_params) if operation else True,
        )

    def _parse(self, prepared: PreparedRequest, response: httpx2.Response) -> Any:
        """A 2xx answer by the shape its operation gives: nothing, a model or a page."""
        operation = prepared.operation
        strict = self._settings.strict_responses
        if operation is None:
            return _lazy.parsing.parse_cast(prepared.cast_to, response, strict=strict)
        if operation.page is not None:
            items, next_cursor, previous_cursor = _lazy.parsing.parse_page(
                operation.page, response, strict=strict
            )
            return self._page_class(
                items, cursor=prepared.cursor, next_cursor=next_cursor,
                previous_cursor=previous_cursor, http_response=response,
                client=self, request=prepared,
            )  # fmt: skip
        if operation.response is None:
            return None
        return _lazy.parsing.parse_model(operation.response, response, strict=strict)


async def sleep_async(seconds: float) -> None:
    # anyio (an httpx2 dependency) sleeps under asyncio and trio alike; loaded
    # on first use so that `import users_sdk` does not pay for it.
    await _lazy.anyio.sleep(seconds)


class _Attempts:
    """Where a call's send loop stands: attempts made, retries spent, the credential."""

    __slots__ = ("asked_after_401", "credential", "max_retries", "number", "refreshed", "retries")

    def __init__(self, max_retries: int) -> None:
        self.max_retries = max_retries
        self.number = 0  # attempts made
        self.retries = 0  # retries the policy granted (a 401 refresh is not one)
        self.credential: str | None = None  # the provided value the last attempt sent
        self.refreshed: str | None = None  # the value asked for after a 401, for the next attempt
        self.asked_after_401 = False


def _decided(answer: object, default: bool) -> bool:
    """should_retry's answer: True or False decide, None leaves the default."""
    if answer is None:
        return default
    if not isinstance(answer, bool):
        raise ConfigurationError(
            f"RetryPolicy.should_retry returned {type(answer).__name__}: return True, False or None"
        )
    return answer


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
