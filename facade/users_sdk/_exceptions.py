"""Every exception the SDK raises, under one root.

```
UsersAPIError
├── InvalidArgumentError (also ValueError)     bad local input, caught before any request
├── InvalidArgumentTypeError (also TypeError)  a value of the wrong type, before any request
├── ConfigurationError (also ValueError)       no base URL, no credential, conflicting options
├── CredentialProviderError                    a token=/api_key= provider failed
├── NoMorePagesError (also LookupError)        next_page() on the last page
├── APIConnectionError                         the request did not get a response
│   └── APITimeoutError
├── APIStatusError                             the API answered with an error status
│   ├── BadRequestError            400
│   ├── AuthenticationError        401
│   ├── PermissionDeniedError      403
│   ├── NotFoundError              404
│   ├── ConflictError              409
│   ├── PreconditionFailedError    412
│   ├── ContentTooLargeError       413
│   ├── ValidationError            422  (.errors: field, message, code)
│   ├── RateLimitError             429  (.retry_after)
│   └── InternalServerError        5xx
│       └── NotImplementedByServerError 501 (the spec is ahead of the server)
└── UnexpectedResponseError                    a response the spec does not allow
                                               (bad JSON, HTML, a status such as 520)
```

`except UsersAPIError` catches everything the SDK raises.

UsersSDKWarning (a UserWarning, not an error) is what the SDK warns with: a
response that strict_responses=False let through although it breaks the spec.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ._logging import redact_credentials

if TYPE_CHECKING:
    import httpx2

    from users_api_client.models import FieldError, Problem

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "ContentTooLargeError",
    "CredentialProviderError",
    "InternalServerError",
    "InvalidArgumentError",
    "InvalidArgumentTypeError",
    "NoMorePagesError",
    "NotFoundError",
    "NotImplementedByServerError",
    "PermissionDeniedError",
    "PreconditionFailedError",
    "RateLimitError",
    "UnexpectedResponseError",
    "UsersAPIError",
    "UsersSDKWarning",
    "ValidationError",
]

# How much of a body that is not a problem document an error message quotes.
_BODY_EXCERPT = 200
# How a 412's detail says to read the user again (the reference server's: "Read
# it again and reapply your change.").
_REREAD_ADVICE = ("reapply", "read it again", "get it again", "fetch it again")


class UsersAPIError(Exception):
    """The root of every exception this SDK raises."""


class UsersSDKWarning(UserWarning):
    """Something the SDK let through but wants known: with strict_responses=False,
    a response whose required field was missing or of the wrong type (issued
    once per model and field in a process). Not a UsersAPIError: it is no error
    unless the warnings filter makes it one (`-W error`)."""


class InvalidArgumentError(UsersAPIError, ValueError):
    """A local argument is not valid; nothing was sent."""


class InvalidArgumentTypeError(UsersAPIError, TypeError):
    """A local argument has the wrong type; nothing was sent."""


class ConfigurationError(UsersAPIError, ValueError):
    """The client cannot be built as configured (no base URL, no credential, ...)."""


class CredentialProviderError(UsersAPIError):
    """The token= or api_key= provider raised, or returned what is not a credential.

    The provider's own exception, if any, is the __cause__; the value is never shown.
    """


class NoMorePagesError(UsersAPIError, LookupError):
    """There is no next (or previous) page; check `has_next_page()` first."""


class APIConnectionError(UsersAPIError):
    """The request got no response: the connection failed or broke.

    When the SDK retries, this is raised only after the last attempt failed;
    `attempts` says how many were made (None on an error not raised by a call,
    such as the one a middleware sees for a single attempt).
    """

    # The message as the SDK wrote it, in two parts (what failed; why and what
    # to do), so that the count of attempts can go between them when the call
    # gives up (_transport_errors.gave_up). None for an error made elsewhere.
    _parts: tuple[str, str] | None = None

    def __init__(self, message: str, *, method: str, url: str) -> None:
        super().__init__(message)
        self.method: str = method
        """The request's method, such as `GET`."""
        self.url: str = url
        """The URL requested, without credentials in its query."""
        self.attempts: int | None = None
        """How many attempts the call made, retries included."""


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, read, write or pool)."""


class _ResponseError(UsersAPIError):
    """Shared fields of errors that carry an HTTP response."""

    def __init__(self, message: str, *, response: httpx2.Response, body: object) -> None:
        # The message quotes the body; never the credential a server echoed into it.
        super().__init__(redact_credentials(message, response.request))
        self.response: httpx2.Response = response
        """The HTTP response, body read."""
        self.status_code: int = response.status_code
        """The HTTP status, such as 404."""
        self.request_id: str | None = response.headers.get("x-request-id")
        """The answer's `X-Request-ID`: quote it when you report a problem."""
        self.method: str = response.request.method
        """The request's method, such as `GET`."""
        self.path: str = response.request.url.path
        """The request's path, such as `/v1/users/usr_1`."""
        self.body: object = body
        """The body received: parsed JSON, or the text when it was not JSON."""


class APIStatusError(_ResponseError):
    """The API answered with an error status (4xx or 5xx).

    `problem` is the parsed RFC 9457 problem document, or None when the body
    was not one (a proxy's HTML page, say); `body` is what was received.
    """

    # The advice the message ends with: the class's, unless this error has its
    # own (`error.hint` is always the one shown; "" when there is none).
    hint: str = "See the detail above."
    """The advice the message ends with: the likely cause and what to do."""

    def __init__(self, *, response: httpx2.Response, body: object, problem: Problem | None) -> None:
        self.problem: Problem | None = problem
        """The RFC 9457 problem document, or None when the body was not one."""
        detail = redact_credentials(_detail(problem, body), response.request)
        self.detail: str = detail
        """What the API said went wrong (the problem's `detail`, or the body)."""
        self.hint = self._advice_after(detail)
        message = (
            f"{response.request.method} {response.request.url.path} -> "
            f"{response.status_code} {_reason(response)}: {detail.rstrip('.')}"
        )
        request_id = response.headers.get("x-request-id")
        if request_id:
            message += f" (request_id={request_id})"
        message += f". {self.hint}" if self.hint else "."
        super().__init__(message, response=response, body=body)

    def _advice_after(self, detail: str) -> str:
        """The advice to give after the API's `detail`."""
        return self.hint


class BadRequestError(APIStatusError):
    """400: the request is malformed (a bad cursor, sort or token)."""

    hint = "The request is malformed: check the cursor, the sort or the token you sent."


class AuthenticationError(APIStatusError):
    """401: the credential is missing, wrong or expired."""

    hint = "Check the credential: pass token= or api_key=, or set USERS_API_TOKEN or USERS_API_KEY."


class PermissionDeniedError(APIStatusError):
    """403: the credential is valid, but its role may not do this."""

    hint = "The credential is valid but its role may not do this; use an owner or admin one."


class NotFoundError(APIStatusError):
    """404: no user has the id; or, on a path without one, or when the body is
    not the API's problem document, most likely a wrong base URL (`hint` says
    which, with the URL requested)."""

    hint: str = "Check the id; the user may have been deleted."

    def __init__(
        self,
        *,
        response: httpx2.Response,
        body: object,
        problem: Problem | None,
        hint: str | None = None,
    ) -> None:
        if hint:
            self.hint = hint  # this 404's own cause (_not_found), instead of the class's
        super().__init__(response=response, body=body, problem=problem)


class ConflictError(APIStatusError):
    """409: the request conflicts with the current state (an email in use, say)."""

    hint = "The request conflicts with the current state; read it again and adjust."


class PreconditionFailedError(APIStatusError):
    """412: the user changed since you read it (`if_match` no longer matches)."""

    hint = "The user changed since you read it: get it again and reapply your change."

    def _advice_after(self, detail: str) -> str:
        # The API's detail gives this advice itself ("Read it again and reapply
        # your change."): said twice, it reads as a stutter.
        said = detail.lower()
        return "" if any(words in said for words in _REREAD_ADVICE) else self.hint


class ContentTooLargeError(APIStatusError):
    """413: the request body is larger than the API accepts."""

    hint = "Send a smaller request body."


class ValidationError(APIStatusError):
    """422: `errors` lists each field that is not valid (field, message, code)."""

    hint = "Fix the fields listed and send again."
    args: tuple[Any, ...]  # declared, as BaseException's: __init__ rewrites it

    def __init__(self, *, response: httpx2.Response, body: object, problem: Problem | None) -> None:
        self.errors: Sequence[FieldError] = _field_errors(problem)
        """Each field that is not valid: `field`, `message` and `code`."""
        super().__init__(response=response, body=body, problem=problem)
        if self.errors:
            listed = "; ".join(f"{e.field}: {e.message} ({e.code})" for e in self.errors)
            listed = redact_credentials(listed, response.request)
            self.args = (f"{self.args[0]} Fields: {listed}",)


class RateLimitError(APIStatusError):
    """429: `retry_after` is the wait in seconds the server asked for, if any."""

    hint = "Too many requests: wait `retry_after` seconds, or raise max_retries."

    def __init__(
        self,
        *,
        response: httpx2.Response,
        body: object,
        problem: Problem | None,
        retry_after: float | None = None,
    ) -> None:
        self.retry_after: float | None = retry_after
        """The wait in seconds the server asked for (`Retry-After`), if any."""
        super().__init__(response=response, body=body, problem=problem)


class InternalServerError(APIStatusError):
    """5xx: the server failed (retried for 500, 502, 503 and 504)."""

    hint = "The server failed; try again later (5xx statuses that may pass are retried)."


class NotImplementedByServerError(InternalServerError):
    """501: the server does not implement this operation (yet).

    The spec the SDK was generated from may be ahead of the server: the
    reference server answers 501 for an operation of the spec it lacks."""

    hint = (
        "The server does not implement this operation; the SDK's spec may be ahead of it. "
        "It is not retried: use a server version that has it."
    )


class UnexpectedResponseError(_ResponseError):
    """A response the spec does not allow: bad JSON, an HTML page, a missing or
    mistyped field, or a status such as 520."""

    def __init__(self, reason: str, *, response: httpx2.Response, body: object = None) -> None:
        self.reason: str = reason
        """What is wrong with the response, such as the field that is missing."""
        request_id = response.headers.get("x-request-id")
        message = (
            f"{response.request.method} {response.request.url.path} -> "
            f"{response.status_code}: unexpected response: {reason}"
        )
        if request_id:
            message += f" (request_id={request_id})"
        message += (
            ". The server answered outside its contract (openapi.yaml); "
            "report it with the request id, or upgrade users-sdk if the API has changed."
        )
        super().__init__(message, response=response, body=body)


_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    412: PreconditionFailedError,
    413: ContentTooLargeError,
    422: ValidationError,
    429: RateLimitError,
    501: NotImplementedByServerError,
}


def status_error_class(status_code: int) -> type[APIStatusError]:
    """The class for an error status: one of the table, else by range."""
    if status_code in _STATUS_ERRORS:
        return _STATUS_ERRORS[status_code]
    if status_code >= 500:
        return InternalServerError
    return APIStatusError


def _reason(response: httpx2.Response) -> str:
    return response.reason_phrase or "Unknown Status"


def _detail(problem: Problem | None, body: object) -> str:
    if problem is not None:
        detail = getattr(problem, "detail", None)
        if isinstance(detail, str) and detail:
            return detail
        return str(problem.title)
    if isinstance(body, str) and body.strip():
        text = " ".join(body.split())
        excerpt = text[:_BODY_EXCERPT] + ("..." if len(text) > _BODY_EXCERPT else "")
        return f"the body is not a problem document: {excerpt!r}"
    return "no problem document in the response"


def _field_errors(problem: Problem | None) -> Sequence[FieldError]:
    errors: Any = getattr(problem, "errors", None)
    return list(errors) if isinstance(errors, list) else []
