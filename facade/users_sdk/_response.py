"""Raw responses: the status code, headers and request id of any call.

    response = client.users.with_raw_response.get(user_id)
    response.status_code, response.headers["etag"], response.request_id
    user = response.parse()

`with_raw_response` wraps each method of a resource; while a wrapped call runs,
a context variable tells the request layer to hand back an APIResponse
instead of the parsed value. Context variables keep this correct across
threads and asyncio tasks.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Awaitable, Callable
from typing import Any, Generic, ParamSpec, TypeVar, cast

import httpx2

_T = TypeVar("_T")
_P = ParamSpec("_P")

_raw_mode: contextvars.ContextVar[bool] = contextvars.ContextVar("users_sdk_raw", default=False)


class APIResponse(Generic[_T]):
    """One HTTP exchange and, on demand, its parsed value.

    Examples:
        ```python
        response = client.users.with_raw_response.me()
        print(response.status_code, response.headers["etag"], response.request_id)
        ```
    """

    def __init__(
        self, http_response: httpx2.Response, parse: Callable[[], _T], retries_taken: int
    ) -> None:
        self.http_response = http_response
        self.retries_taken = retries_taken
        self._parse = parse
        self._parsed: _T | None = None
        self._is_parsed = False

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx2.Headers:
        return self.http_response.headers

    @property
    def request_id(self) -> str | None:
        request_id: str | None = self.http_response.headers.get("x-request-id")
        return request_id

    @property
    def method(self) -> str:
        return self.http_response.request.method

    @property
    def url(self) -> httpx2.URL:
        return self.http_response.request.url

    def parse(self) -> _T:
        """The value the plain method would have returned (parsed once).

        Examples:
            ```python
            me = client.users.with_raw_response.me().parse()
            print(me.email)
            ```
        """
        if not self._is_parsed:
            self._parsed = self._parse()
            self._is_parsed = True
        return cast(_T, self._parsed)

    def __repr__(self) -> str:
        return (
            f"<APIResponse [{self.status_code}] {self.method} {self.url.path} "
            f"request_id={self.request_id!r}>"
        )


def finish(
    http_response: httpx2.Response, parse: Callable[[], _T], retries_taken: int
) -> _T | APIResponse[_T]:
    """What a request returns: the parsed value, or the raw response in raw mode."""
    if _raw_mode.get():
        return APIResponse(http_response, parse, retries_taken)
    return parse()


def to_raw_response(method: Callable[_P, _T]) -> Callable[_P, APIResponse[_T]]:
    @functools.wraps(method)
    def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> APIResponse[_T]:
        token = _raw_mode.set(True)
        try:
            return cast(APIResponse[_T], method(*args, **kwargs))
        finally:
            _raw_mode.reset(token)

    return wrapped


def to_async_raw_response(
    method: Callable[_P, Awaitable[_T]],
) -> Callable[_P, Awaitable[APIResponse[_T]]]:
    @functools.wraps(method)
    async def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> APIResponse[_T]:
        token = _raw_mode.set(True)
        try:
            result: Any = method(*args, **kwargs)
            if isinstance(result, Awaitable):
                result = await result
            return cast(APIResponse[_T], result)
        finally:
            _raw_mode.reset(token)

    return wrapped
