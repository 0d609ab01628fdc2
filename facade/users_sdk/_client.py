"""UsersClient and AsyncUsersClient: explicit twins over one shared base.

with UsersClient(base_url="http://127.0.0.1:8000", token="...") as client:
    user = client.users.get("usr_0001")

async with AsyncUsersClient() as client:      # USERS_API_BASE_URL, USERS_API_TOKEN
    user = await client.users.get("usr_0001")
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, ParamSpec, Self, TypeVar

import httpx2

from users_api_client.sdk.resources import AsyncResources, SyncResources

from ._base_client import BaseClient, sleep_async
from ._config import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, ClientSettings, tls_verify
from ._credentials import AsyncCredentialProvider, CredentialProvider
from ._http_clients import DefaultAsyncHttpx2Client, DefaultHttpx2Client
from ._legacy_httpx import LegacyAsyncClient, LegacyClient, is_legacy_client, wrap, wrap_async
from ._middleware import Middleware
from ._pagination import AsyncPage, AsyncPaginator, SyncPage
from ._prepare import PreparedRequest, prepare, prepare_raw
from ._response import APIResponse, to_async_raw_response, to_raw_response
from ._retry_policy import RetryPolicy
from ._send_loop import send_with_retries, send_with_retries_async
from ._types import NOT_GIVEN, NotGiven, TimeoutTypes

if TYPE_CHECKING:
    from users_api_client.sdk.call import Call

    from ._tracing import OperationTrace

__all__ = ["AsyncUsersClient", "UsersClient"]

_T = TypeVar("_T")
_P = ParamSpec("_P")


class UsersClient(BaseClient, SyncResources):
    """A synchronous client of the Users API.

    Arguments not given are read from the environment: `USERS_API_BASE_URL`,
    and `USERS_API_TOKEN` (a bearer token) or `USERS_API_KEY` (an API key).

    Every tag of openapi.yaml is a resource (`client.users`); `request()`
    reaches a path the spec does not describe.

    A response missing a required field, or with one of the wrong type, raises
    UnexpectedResponseError; with `strict_responses=False` the field is None
    (or the string the API sent, for a date-time that does not parse) and a
    UsersSDKWarning says so once per field.

    Examples:
        ```python
        from users_sdk import UsersClient

        with UsersClient(timeout=10.0, max_retries=3) as client:
            print(client.base_url, client.users.me().email)
        ```
    """

    _page_class = SyncPage

    def __init__(
        self,
        *,
        base_url: str | None = None,
        token: str | CredentialProvider | None = None,
        api_key: str | CredentialProvider | None = None,
        timeout: TimeoutTypes = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        headers: Mapping[str, str] | None = None,
        verify: bool | str | ssl.SSLContext = True,
        http_client: httpx2.Client | None = None,
        middleware: Sequence[Middleware] | None = None,
        retry: RetryPolicy | None = None,
        strict_responses: bool = True,
    ) -> None:
        settings = ClientSettings(
            base_url=base_url, token=token, api_key=api_key, timeout=timeout,
            max_retries=max_retries, headers=headers, middleware=middleware, retry=retry,
            strict_responses=strict_responses,
        )  # fmt: skip
        self._configure(settings)
        self._refuse_async_providers()
        self._check_verify_applies(verify, http_client)
        self._owns_http = http_client is None
        self._http: httpx2.Client | LegacyClient
        if http_client is None:
            self._http = DefaultHttpx2Client(
                verify=tls_verify(verify), headers=self._default_headers
            )
            self._http_has_default_headers = True
            self._http_header_names = frozenset(name.lower() for name in self._default_headers)
        elif is_legacy_client(http_client):
            self._http = wrap(http_client)
        else:
            self._http = self._checked_http_client(http_client, httpx2.Client)
        self._sleep: Callable[[float], None] = time.sleep

    def with_options(
        self,
        *,
        base_url: str | NotGiven = NOT_GIVEN,
        token: str | CredentialProvider | NotGiven = NOT_GIVEN,
        api_key: str | CredentialProvider | NotGiven = NOT_GIVEN,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        headers: Mapping[str, str] | NotGiven = NOT_GIVEN,
        middleware: Sequence[Middleware] | NotGiven = NOT_GIVEN,
        retry: RetryPolicy | NotGiven = NOT_GIVEN,
        strict_responses: bool | NotGiven = NOT_GIVEN,
    ) -> UsersClient:
        """A client with other options that shares this one's connection pool.

        Examples:
            ```python
            fast = client.with_options(timeout=2.0, max_retries=0)
            as_viewer = client.with_options(token="viewer-token")
            print(fast.users.me().role, as_viewer.users.me().role)  # owner viewer
            ```
        """
        derived = object.__new__(UsersClient)
        settings = self._settings.derive(
            base_url=base_url, token=token, api_key=api_key, timeout=timeout,
            max_retries=max_retries, headers=headers, middleware=middleware, retry=retry,
            strict_responses=strict_responses,
        )  # fmt: skip
        derived._configure(settings)
        derived._refuse_async_providers()
        derived._owns_http = False
        derived._http = self._http
        derived._derive_headers_from(self)
        derived._sleep = self._sleep
        return derived

    def close(self) -> None:
        """Close the connection pool (if this client created it); `with` does too.

        Examples:
            ```python
            client.close()
            ```
        """
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        cast_to: type[_T] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Any:
        """Call a path the SDK does not describe, with the same credentials,
        retries, Idempotency-Key (POST, PATCH, DELETE), errors and redaction.

        Returns the decoded JSON (None for an empty answer), or with `cast_to`
        (a model class such as users_sdk.User) that model.

        Examples:
            ```python
            me = client.request("GET", "/v1/users/me", cast_to=users_sdk.User)
            created = client.request("POST", "/v1/users", json={"email": "raw@example.com"})
            ```
        """
        prepared = prepare_raw(
            method, path, params=params, json=json, headers=headers, cast_to=cast_to,
            timeout=timeout, max_retries=max_retries,
        )  # fmt: skip
        return self._execute(prepared)

    def _send(self, call: Call) -> Any:
        """What a generated resource method hands its call to."""
        return self._execute(prepare(call))

    def _paginate(self, call: Call) -> SyncPage[Any]:
        return self._fetch_page(prepare(call))

    def _fetch_page(self, prepared: PreparedRequest) -> SyncPage[Any]:
        """A page, for a resource's list or for a page asking for its neighbour."""
        page: SyncPage[Any] = self._execute(prepared)
        return page

    def _raw_response(self, method: Callable[_P, _T]) -> Callable[_P, APIResponse[_T]]:
        return to_raw_response(method)

    def _execute(self, prepared: PreparedRequest) -> Any:
        """Send one request, retrying where safe; the parsed value or an SDK error.

        Returns an APIResponse instead when called through `with_raw_response`.
        """
        self._check_open(self._http.is_closed)
        request = self._build_request(self._http, prepared)
        trace = self._operation_trace(prepared)
        if trace is None:
            return self._send_with_retries(request, prepared, None)
        with trace:
            return self._send_with_retries(request, prepared, trace)

    def _send_with_retries(
        self, request: httpx2.Request, prepared: PreparedRequest, trace: OperationTrace | None
    ) -> Any:
        return send_with_retries(self, request, prepared, trace)


class AsyncUsersClient(BaseClient, AsyncResources):
    """An asyncio client of the Users API; the twin of UsersClient.

    Examples:
        ```python
        async with AsyncUsersClient() as client:
            me = await client.users.me()
        ```
    """

    _page_class = AsyncPage

    def __init__(
        self,
        *,
        base_url: str | None = None,
        token: str | AsyncCredentialProvider | None = None,
        api_key: str | AsyncCredentialProvider | None = None,
        timeout: TimeoutTypes = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        headers: Mapping[str, str] | None = None,
        verify: bool | str | ssl.SSLContext = True,
        http_client: httpx2.AsyncClient | None = None,
        middleware: Sequence[Middleware] | None = None,
        retry: RetryPolicy | None = None,
        strict_responses: bool = True,
    ) -> None:
        settings = ClientSettings(
            base_url=base_url, token=token, api_key=api_key, timeout=timeout,
            max_retries=max_retries, headers=headers, middleware=middleware, retry=retry,
            strict_responses=strict_responses,
        )  # fmt: skip
        self._configure(settings)
        self._check_verify_applies(verify, http_client)
        self._owns_http = http_client is None
        self._http: httpx2.AsyncClient | LegacyAsyncClient
        if http_client is None:
            self._http = DefaultAsyncHttpx2Client(
                verify=tls_verify(verify), headers=self._default_headers
            )
            self._http_has_default_headers = True
            self._http_header_names = frozenset(name.lower() for name in self._default_headers)
        elif is_legacy_client(http_client):
            self._http = wrap_async(http_client)
        else:
            self._http = self._checked_http_client(http_client, httpx2.AsyncClient)
        self._sleep: Callable[[float], Coroutine[Any, Any, None]] = sleep_async

    def with_options(
        self,
        *,
        base_url: str | NotGiven = NOT_GIVEN,
        token: str | AsyncCredentialProvider | NotGiven = NOT_GIVEN,
        api_key: str | AsyncCredentialProvider | NotGiven = NOT_GIVEN,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        headers: Mapping[str, str] | NotGiven = NOT_GIVEN,
        middleware: Sequence[Middleware] | NotGiven = NOT_GIVEN,
        retry: RetryPolicy | NotGiven = NOT_GIVEN,
        strict_responses: bool | NotGiven = NOT_GIVEN,
    ) -> AsyncUsersClient:
        """A client with other options that shares this one's connection pool.

        Examples:
            ```python
            as_viewer = client.with_options(token="viewer-token", max_retries=0)
            print((await as_viewer.users.me()).role)  # viewer
            ```
        """
        derived = object.__new__(AsyncUsersClient)
        settings = self._settings.derive(
            base_url=base_url, token=token, api_key=api_key, timeout=timeout,
            max_retries=max_retries, headers=headers, middleware=middleware, retry=retry,
            strict_responses=strict_responses,
        )  # fmt: skip
        derived._configure(settings)
        derived._owns_http = False
        derived._http = self._http
        derived._derive_headers_from(self)
        derived._sleep = self._sleep
        return derived

    async def close(self) -> None:
        """Close the connection pool (if this client created it); `async with` does too.

        Examples:
            ```python
            await client.close()
            ```
        """
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        cast_to: type[_T] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Any:
        """Call a path the SDK does not describe; the async twin of UsersClient.request.

        Examples:
            ```python
            me = await client.request("GET", "/v1/users/me", cast_to=users_sdk.User)
            ```
        """
        prepared = prepare_raw(
            method, path, params=params, json=json, headers=headers, cast_to=cast_to,
            timeout=timeout, max_retries=max_retries,
        )  # fmt: skip
        return await self._execute(prepared)

    async def _send(self, call: Call) -> Any:
        """What a generated resource method hands its call to."""
        return await self._execute(prepare(call))

    def _paginate(self, call: Call) -> AsyncPaginator[Any]:
        # Arguments are checked now; the first page is fetched when awaited or iterated.
        return AsyncPaginator(self, prepare(call))

    async def _fetch_page(self, prepared: PreparedRequest) -> AsyncPage[Any]:
        page: AsyncPage[Any] = await self._execute(prepared)
        return page

    def _raw_response(
        self, method: Callable[_P, Awaitable[_T]]
    ) -> Callable[_P, Awaitable[APIResponse[_T]]]:
        return to_async_raw_response(method)

    async def _execute(self, prepared: PreparedRequest) -> Any:
        """The async twin of UsersClient._execute."""
        self._check_open(self._http.is_closed)
        request = self._build_request(self._http, prepared)
        trace = self._operation_trace(prepared)
        if trace is None:
            return await self._send_with_retries(request, prepared, None)
        with trace:
            return await self._send_with_retries(request, prepared, trace)

    async def _send_with_retries(
        self, request: httpx2.Request, prepared: PreparedRequest, trace: OperationTrace | None
    ) -> Any:
        return await send_with_retries_async(self, request, prepared, trace)
