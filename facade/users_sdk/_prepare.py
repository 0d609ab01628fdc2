"""A call, checked and made ready for the wire: the one step between what a
resource method was given and what the client sends.

A generated resource method describes its call as a `Call` (the operation and
the caller's values); `prepare()` checks every value by the kind the spec
gives it, before anything is sent, and returns a `PreparedRequest`: method,
path, query, headers and JSON body, with the per-call options. The client
sends it, retries it unchanged (same Idempotency-Key) and parses the answer
by the operation's response shape. `prepare_raw()` does the same for
`client.request()`, the escape hatch to a path the spec does not describe.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx2

from ._config import checked_timeout
from ._exceptions import ConfigurationError, InvalidArgumentError, InvalidArgumentTypeError
from ._input import fields as _fields
from ._input import values as check
from ._types import NOT_GIVEN, NotGiven, TimeoutTypes

if TYPE_CHECKING:
    from users_api_client.sdk.call import Call, Operation

__all__ = ["PreparedRequest", "prepare", "prepare_raw"]

# Methods that change state: each call carries an Idempotency-Key, so that a
# retry after a lost answer is recognised by the server as the same call.
_KEYED_METHODS = frozenset({"POST", "PATCH", "DELETE"})
IDEMPOTENCY_KEY = "Idempotency-Key"
# Query values written the way people write them, tidied for the API:
# "@example.com" is how a domain is often written; the API wants it bare.
_QUERY_TIDY: dict[str, Callable[[str], str]] = {"email_domain": lambda value: value.lstrip("@")}


class PreparedRequest:
    """Everything the client sends, checked; retries send it unchanged.

    A plain class, not a NamedTuple: `import users_sdk` loads this module."""

    __slots__ = (
        "cast_to", "headers", "json", "max_retries", "method", "operation", "params", "path",
        "timeout",
    )  # fmt: skip

    def __init__(
        self,
        *,
        method: str,
        path: str,
        params: dict[str, Any] | None,
        json: Any,  # None: no body
        headers: dict[str, str] | None,
        timeout: httpx2.Timeout | NotGiven,
        max_retries: int | NotGiven,
        operation: Operation | None,  # None for client.request()
        cast_to: Any = None,  # client.request(): the model to parse into, or None for JSON
    ) -> None:
        self.method: str = method
        self.path: str = path
        self.params: dict[str, Any] | None = params
        self.json: Any = json
        self.headers: dict[str, str] | None = headers
        self.timeout: httpx2.Timeout | NotGiven = timeout
        self.max_retries: int | NotGiven = max_retries
        self.operation: Operation | None = operation
        self.cast_to: Any = cast_to

    def at_cursor(self, cursor: str) -> PreparedRequest:
        """The same request for the page at `cursor`: same filters, sort and size."""
        page = self.operation.page if self.operation is not None else None
        if page is None:
            raise TypeError("only a paginated operation's request has a cursor")
        params = {**(self.params or {}), page.cursor: cursor}
        # The spec's order, as on the first page; what extra_query added, after it.
        order = self.operation.query if self.operation and self.operation.query else {}
        moved = copy.copy(self)
        moved.params = {name: params[name] for name in order if name in params}
        moved.params.update((name, value) for name, value in params.items() if name not in order)
        return moved

    @property
    def cursor(self) -> str | None:
        if self.operation is None or self.operation.page is None or not self.params:
            return None
        cursor: str | None = self.params.get(self.operation.page.cursor)
        return cursor

    def __repr__(self) -> str:
        # Names only: a header or a query value (extra_query={"access_token": ...})
        # may be a credential, and a page's repr shows up in debuggers and error reports.
        return f"<PreparedRequest {self.method} {self.path} params={list(self.params or ())}>"


def prepare(call: Call) -> PreparedRequest:
    """Check every value of `call` and lay it out for the wire."""
    operation = call.operation
    return PreparedRequest(
        method=operation.method,
        path=_path(operation, call.path),
        params=_query(operation, call.query, call.extra_query),
        json=_body(operation, call.body, call.fields, call.extra_body),
        headers=_headers(operation.method, call.headers, call.extra_headers),
        timeout=_timeout(call.timeout),
        max_retries=_max_retries(call.max_retries),
        operation=operation,
    )


def prepare_raw(
    method: str,
    path: str,
    *,
    params: Mapping[str, Any] | None,
    json: Any,
    headers: Mapping[str, str] | None,
    cast_to: Any,
    timeout: TimeoutTypes | NotGiven,
    max_retries: int | NotGiven,
) -> PreparedRequest:
    """client.request(): a path the spec does not describe, with the same care."""
    if not isinstance(method, str):
        raise InvalidArgumentTypeError(
            f"method must be a str such as 'GET', not {check.brief(method)}"
        )
    if not method.isascii() or not method.isalpha():
        raise InvalidArgumentError(
            f"method must be an HTTP method such as 'GET', not {check.brief(method)}"
        )
    if not isinstance(path, str) or not path.startswith("/"):
        raise InvalidArgumentError(
            f"path must be a str starting with '/', such as '/v1/users', not {check.brief(path)}; "
            "it is joined to the client's base_url"
        )
    if cast_to is not None and not (
        isinstance(cast_to, type) and callable(getattr(cast_to, "from_dict", None))
    ):
        raise InvalidArgumentTypeError(
            f"cast_to must be a model class of users_sdk (such as users_sdk.User) or None, "
            f"not {check.brief(cast_to)}"
        )
    method = method.upper()
    return PreparedRequest(
        method=method,
        path=path,
        params=check.mapping("params", params) if params is not None else None,
        json=json,
        headers=_headers(method, None, headers),
        timeout=_timeout(timeout),
        max_retries=_max_retries(max_retries),
        operation=None,
        cast_to=cast_to,
    )


def _path(operation: Operation, values: tuple[Any, ...]) -> str:
    if not operation.path_params:
        return operation.path
    segments = {
        param.name: quote(check.path_segment(param.name, value, param.reserved), safe="")
        for param, value in zip(operation.path_params, values, strict=True)
    }
    return operation.path.format(**segments)


def _query(
    operation: Operation, given: Mapping[str, Any] | None, extra: Mapping[str, Any] | None
) -> dict[str, Any] | None:
    query = _fields.query(operation.id, operation.query or {}, given) if given else {}
    for name, tidy in _QUERY_TIDY.items():
        if isinstance(query.get(name), str):
            query[name] = tidy(query[name])
    limit = operation.page.limit if operation.page is not None else None
    default = operation.query[limit].default if limit and operation.query else None
    if (
        limit is not None
        and operation.query is not None
        and default is not None
        and (limit not in query)
    ):
        # Every page of a walk asks for the same size: the spec's default when not
        # given. The query keeps the spec's order, as every other call's does.
        query[limit] = default
        query = {name: query[name] for name in operation.query if name in query}
    if extra:
        query.update(check.mapping("extra_query", extra))
    return query or None


def _body(
    operation: Operation,
    body: Any,
    fields: Mapping[str, Any] | None,
    extra: Mapping[str, Any] | None,
) -> Any:
    if operation.fields is None:
        payload: dict[str, Any] | None = None
    else:
        given = {k: v for k, v in fields.items() if v is not NOT_GIVEN} if fields else {}
        payload = _fields.body(str(operation.body), operation.fields, body, given)
    if extra:
        # Fields this SDK does not know yet: sent as given, unchecked.
        payload = {**(payload or {}), **check.mapping("extra_body", extra)}
    return payload


def _headers(
    method: str, given: Mapping[str, Any] | None, extra: Mapping[str, str] | None
) -> dict[str, str] | None:
    headers: dict[str, str] = {}
    for name, value in (given or {}).items():
        if value is None:
            continue
        if name.lower() == "if-match":
            headers[name] = check.if_match(value)
        elif name.lower() == "idempotency-key":
            headers[name] = check.idempotency_key(value)
        else:
            headers[name] = check.header_value(name, value)
    if extra:
        if not isinstance(extra, Mapping):
            raise InvalidArgumentTypeError(
                f"extra_headers must be a dict of str to str, not {type(extra).__name__}"
            )
        for name, value in extra.items():
            headers[check.header_name(name)] = check.header_value(name, value)
    if method in _KEYED_METHODS and not any(k.lower() == "idempotency-key" for k in headers):
        headers[IDEMPOTENCY_KEY] = str(uuid.uuid4())
    return headers or None


def _timeout(value: TimeoutTypes | NotGiven) -> httpx2.Timeout | NotGiven:
    """Checked now, so that an AsyncPaginator refuses it when made, not when awaited."""
    if isinstance(value, NotGiven):
        return value
    try:
        return checked_timeout(value)
    except ConfigurationError as error:
        raise InvalidArgumentError(str(error)) from None


def _max_retries(value: int | NotGiven) -> int | NotGiven:
    if isinstance(value, NotGiven):
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgumentTypeError(f"max_retries must be an int, not {check.brief(value)}")
    if value < 0:
        raise InvalidArgumentError(f"max_retries must be 0 or more, not {value}")
    return value
