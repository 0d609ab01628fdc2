"""OpenTelemetry spans for SDK calls: one per operation, one per HTTP attempt under it.

Why: an application that already exports traces should see each SDK call
("users.create") as one span, its retries as child CLIENT spans, and the Users
API server should receive the caller's trace in W3C `traceparent`, so both sides
of a slow or failing call line up. It needs only the `opentelemetry-api` package
(the `[otel]` extra); which exporter, sampler and provider is the application's
choice. Without an OpenTelemetry SDK configured the API's no-op tracer costs a
few microseconds a call; without the package the send loop skips this module
(`tracing_enabled()`). Nothing here imports opentelemetry until the first span
(about 10 ms, once), so `import users_sdk` never pays for it.

Attribute names follow the OpenTelemetry HTTP semantic conventions (stable).
A span never holds the concrete URL (its path holds ids, its query emails),
a body, a header other than x-request-id, or an exception's message: no
credential, email, password or reset token can reach an exporter. So `url.full`,
which the conventions require on client spans, is left out; `url.template`
(`/v1/users/{user_id}`) stands in for it.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ._version import __version__

if TYPE_CHECKING:
    from contextvars import Token

    import httpx2
    from opentelemetry.context import Context
    from opentelemetry.trace import Span, Tracer, TracerProvider

__all__ = ["AttemptTrace", "OperationTrace", "tracing_enabled"]

# The provider the SDK's spans go to instead of the global one, when set. OTel
# lets the global provider be set once per process; tests set this instead.
_provider_override: TracerProvider | None = None

TRACING_ENV = "USERS_SDK_TRACING"
_enabled: bool | None = None
_tracer_cache: tuple[TracerProvider | None, Tracer] | None = None

_DEFAULT_PORTS = {"http": 80, "https": 443}


def tracing_enabled() -> bool:
    """True if opentelemetry (the API package) can be imported, unless
    USERS_SDK_TRACING=off (an application that has the package, pulled in by
    another, and exports nothing saves the no-op spans' ~8 µs a call). Checked
    once per process, lazily, without importing opentelemetry; later calls read a global."""
    global _enabled
    if _enabled is None:
        switched_off = os.environ.get(TRACING_ENV, "").strip().lower() in {"0", "off", "false"}
        _enabled = not switched_off and _api_installed()
    return _enabled


def _api_installed() -> bool:
    try:
        parent = importlib.util.find_spec("opentelemetry")
        # find_spec("opentelemetry.trace") would import the parent package to look
        # inside it: search the parent's locations instead.
        if parent is None or parent.submodule_search_locations is None:
            return False
        locations = list(parent.submodule_search_locations)
        found = importlib.machinery.PathFinder.find_spec("opentelemetry.trace", locations)
        return found is not None
    except (ImportError, ValueError):
        return False


class _Api:
    """The opentelemetry functions the spans call, imported once, on the first span."""

    __slots__ = ("ERROR", "attach", "detach", "get_tracer", "inject", "kind", "set_span")

    def __init__(self) -> None:
        from opentelemetry import context, propagate, trace

        self.attach = context.attach
        self.detach = context.detach
        # Reads the global propagator on every call: set_global_textmap() later still counts.
        self.inject = propagate.inject
        self.set_span = trace.set_span_in_context
        self.get_tracer = trace.get_tracer
        self.kind = trace.SpanKind
        self.ERROR = trace.Status(trace.StatusCode.ERROR)  # no description: it could hold secrets


_api: _Api | None = None


def _load() -> _Api:
    global _api
    _api = _api or _Api()
    return _api


def _tracer(api: _Api) -> Tracer:
    """The SDK's tracer, from _provider_override or the global provider. A tracer
    from the global proxy follows a provider the application sets later."""
    global _tracer_cache
    provider = _provider_override
    cached = _tracer_cache
    if cached is None or cached[0] is not provider:
        tracer = api.get_tracer("users_sdk", __version__, tracer_provider=provider)
        cached = _tracer_cache = (provider, tracer)
    return cached[1]


@lru_cache(maxsize=256)
def _http_attributes(method: str, url_template: str, base_url: str) -> Mapping[str, str | int]:
    """The attributes both spans start with: the method, the path template, the host.
    Never the concrete URL: base_url's user info and path are not read either."""
    # The SDK's methods are the spec's, all known to semconv: no "_OTHER" case.
    attributes: dict[str, str | int] = {
        "http.request.method": method.upper(),
        "url.template": url_template,
    }
    parts = urlsplit(base_url)
    if parts.hostname:
        attributes["server.address"] = parts.hostname
    try:
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme.lower())
    except ValueError:  # a port that is not a number: leave it out
        port = None
    if port is not None:
        attributes["server.port"] = port
    return attributes


class OperationTrace:
    """The span of one SDK call, named for the operation (e.g. "users.create"), kind
    INTERNAL. Construct it only when tracing_enabled(); enter it before the first
    attempt and exit it after the last (it becomes the current span in between)."""

    __slots__ = ("_attempt_name", "_attempts", "_attributes", "_name", "_span", "_status", "_token")

    def __init__(self, name: str, method: str, url_template: str, base_url: str) -> None:
        self._name = name
        self._attributes = _http_attributes(method, url_template, base_url)
        self._attempt_name = f"{method.upper()} {url_template}"
        self._attempts = 0
        self._status: int | None = None
        self._span: Span | None = None
        self._token: Token[Context] | None = None

    def __enter__(self) -> OperationTrace:
        api = _api or _load()
        span = _tracer(api).start_span(
            self._name, kind=api.kind.INTERNAL, attributes=self._attributes
        )
        self._span = span
        self._token = api.attach(api.set_span(span))
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: object, tb: object) -> None:
        api, span, token = _api, self._span, self._token
        if api is None or span is None or token is None:
            return
        if span.is_recording():
            span.set_attribute("users_sdk.retry_count", max(self._attempts - 1, 0))
            if self._status is not None:
                span.set_attribute("http.response.status_code", self._status)
            if exc_type is not None:
                span.set_attribute("error.type", exc_type.__name__)  # never the message
                span.set_status(api.ERROR)
        api.detach(token)
        span.end()

    def attempt(self, request: httpx2.Request, attempt: int) -> AttemptTrace:
        """The span of HTTP attempt number `attempt` (1 for the first) of `request`."""
        self._attempts = max(self._attempts, attempt)
        return AttemptTrace(self, request, attempt)


class AttemptTrace:
    """A child span per HTTP attempt, named "{METHOD} {url_template}" (HTTP client
    semconv), kind CLIENT. Entering it injects W3C traceparent (and tracestate)
    into the request's headers through the global propagator, and makes it the
    current span, so a transport's own instrumentation nests under it."""

    __slots__ = ("_attempt", "_operation", "_request", "_span", "_status", "_token")

    def __init__(self, operation: OperationTrace, request: httpx2.Request, attempt: int) -> None:
        self._operation = operation
        self._request = request
        self._attempt = attempt
        self._status: int | None = None
        self._span: Span | None = None
        self._token: Token[Context] | None = None

    def __enter__(self) -> AttemptTrace:
        api = _api or _load()
        operation = self._operation
        attributes = operation._attributes
        if self._attempt > 1:
            attributes = {**attributes, "http.request.resend_count": self._attempt - 1}
        # The parent explicitly: right even if the caller's context moved.
        parent = None if operation._span is None else api.set_span(operation._span)
        span = _tracer(api).start_span(
            operation._attempt_name,
            context=parent,
            kind=api.kind.CLIENT,
            attributes=attributes,
        )
        self._span = span
        context = api.set_span(span, parent)
        api.inject(self._request.headers, context=context)
        self._token = api.attach(context)
        return self

    def response(self, response: httpx2.Response) -> None:
        """Record the attempt's answer: its status and the server's request id."""
        status = response.status_code
        self._status = self._operation._status = status
        span = self._span
        if span is None or not span.is_recording():
            return
        attributes: dict[str, int | str | list[str]] = {"http.response.status_code": status}
        request_ids = response.headers.get_list("x-request-id")
        if request_ids:
            attributes["http.response.header.x-request-id"] = request_ids
        if status >= 400:
            attributes["error.type"] = str(status)
            span.set_status((_api or _load()).ERROR)
        span.set_attributes(attributes)

    def __exit__(self, exc_type: type[BaseException] | None, exc: object, tb: object) -> None:
        api, span, token = _api, self._span, self._token
        if api is None or span is None or token is None:
            return
        # A status of 400 or more already set error.type: semconv prefers it to
        # the exception the SDK raised from it.
        failed = self._status is not None and self._status >= 400
        if exc_type is not None and not failed and span.is_recording():
            span.set_attribute("error.type", exc_type.__name__)  # never the message
            span.set_status(api.ERROR)
        api.detach(token)
        span.end()
