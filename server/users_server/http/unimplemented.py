"""Operations of the spec the server does not implement yet: 501, not 404.

The spec may run ahead of this server: a maintainer adds an operation to
openapi.yaml, `make generate` gives it to SDK users, and its handler here comes
later. Until then a request for it is answered 501 with a problem document that
names the operation, rather than a 404 that would say the path does not exist.

Which operations those are is derived, never listed: the operations of the spec
the server loaded (`ApiSchema.operations`) minus those its routes serve, compared
by method and path template (parameter names aside). The conformance battery
reads the same answer (`unimplemented_operations`) to leave them out.

A request is matched to the spec's paths as OpenAPI says: a literal segment wins
over a template (`/v1/users/me` over `/v1/users/{user_id}`). Only a request
whose path resolves to a spec path with an unimplemented operation is answered
here; everything else (implemented operations, paths the spec does not declare)
goes to the routes as before, so their 404s and 405s are unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import cast

from fastapi import FastAPI
from starlette.requests import Request
from starlette.routing import BaseRoute, Match
from starlette.types import Receive, Scope, Send

from ..errors import ApiError
from ..spec import ApiSchema, Operation

_PARAMETER = re.compile(r"\{[^{}/]*\}")


def _shape(path: str) -> str:
    """`/v1/users/{user_id}` -> `/v1/users/{}`: templates equal but for parameter names."""
    return _PARAMETER.sub("{}", path)


def missing_operations(
    operations: Iterable[Operation], routes: Iterable[BaseRoute]
) -> tuple[Operation, ...]:
    """The `operations` no route serves (same method, same path template), in their order."""
    served = {
        (method, _shape(path))
        for route in routes
        # Route, APIRoute: a path template and methods. Others (mounts) serve no operation.
        if isinstance(path := getattr(route, "path", None), str)
        for method in getattr(route, "methods", None) or ()
    }
    return tuple(op for op in operations if (op.method, _shape(op.path)) not in served)


def unimplemented_operations(app: FastAPI) -> tuple[Operation, ...]:
    """The operations of the app's spec that it answers 501, in the spec's order."""
    return cast(tuple[Operation, ...], app.state.unimplemented)


def install(app: FastAPI, schema: ApiSchema, routes: Iterable[BaseRoute]) -> tuple[Operation, ...]:
    """Answer 501 for the operations of `schema` that none of `routes` (the app's) serves.

    Returns those operations. With none missing (the repository's spec), the app
    is left exactly as it was.
    """
    # The routers' own routes: the app's list holds them behind an included-router wrapper.
    missing = missing_operations(schema.operations, routes)
    app.state.unimplemented = missing
    if missing:
        # First: `/v1/users/export` must be this 501, not get_user's 404 for id "export".
        # It steps aside for every request whose spec path has no missing operation.
        app.router.routes.insert(0, UnimplementedRoute(schema.operations, missing))
    return missing


@dataclass
class _SpecPath:
    template: str
    regex: re.Pattern[str]
    # Per segment, 0 for a literal and 1 for a template: the smallest is the most specific.
    rank: tuple[int, ...]
    methods: set[str] = field(default_factory=set)  # every method the spec declares here
    missing: dict[str, Operation] = field(default_factory=dict)  # method -> unimplemented op


def _spec_paths(operations: Sequence[Operation], missing: Sequence[Operation]) -> list[_SpecPath]:
    paths: dict[str, _SpecPath] = {}
    for op in operations:
        spec_path = paths.get(op.path)
        if spec_path is None:
            pattern = _template_regex(op.path)
            rank = tuple(int("{" in segment) for segment in op.path.split("/"))
            spec_path = paths[op.path] = _SpecPath(op.path, re.compile(pattern), rank)
        spec_path.methods.add(op.method)
    for op in missing:
        paths[op.path].missing[op.method] = op
    return list(paths.values())


def _template_regex(template: str) -> str:
    """`/v1/users/{user_id}/invite` -> a regex of its paths: a parameter is one segment."""
    pieces: list[str] = []
    position = 0
    for match in _PARAMETER.finditer(template):
        pieces += [re.escape(template[position : match.start()]), "[^/]+"]
        position = match.end()
    pieces.append(re.escape(template[position:]))
    return "".join(pieces)


class UnimplementedRoute(BaseRoute):
    """One route for every unimplemented operation: a 501 that names it.

    It matches a request only when the most specific spec path of the request's
    path has an unimplemented operation, and then answers it: 501 for that
    operation's method (after the credential check, if the operation needs one,
    as its neighbours do), 405 for a method the spec does not declare there.
    Every other request is left to the routes after it.
    """

    def __init__(self, operations: Sequence[Operation], missing: Sequence[Operation]) -> None:
        self._paths = _spec_paths(operations, missing)

    def resolve(self, path: str) -> _SpecPath | None:
        """The spec path a request path addresses: literal segments win over templates."""
        matching = [spec_path for spec_path in self._paths if spec_path.regex.fullmatch(path)]
        return min(matching, key=lambda spec_path: spec_path.rank, default=None)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http":
            return Match.NONE, {}
        spec_path = self.resolve(scope["path"])
        if spec_path is None or not spec_path.missing:
            return Match.NONE, {}
        method = scope["method"]
        if method in spec_path.methods and method not in spec_path.missing:
            return Match.NONE, {}  # implemented: its own route serves it
        return Match.FULL, {"unimplemented_path": spec_path}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        spec_path: _SpecPath = scope["unimplemented_path"]
        request = Request(scope, receive)
        operation = spec_path.missing.get(request.method)
        if operation is None:
            # What the routes' 405 says, with every method the spec declares here:
            # the routes alone would not know those nobody implemented.
            detail = f"{request.method} is not allowed on {request.url.path}."
            raise ApiError(405, detail, headers={"Allow": ", ".join(sorted(spec_path.methods))})
        if not operation.public:
            # As the implemented operations do: a 401 says more than a 501 to a
            # client without a (good) credential, and tells nobody what exists.
            request.app.state.server.auth.authenticate(request.headers)
        name = operation.operation_id or "this operation"
        detail = (
            f"The reference server does not implement {name} ({operation.label}) yet;"
            " the API contract declares it."
        )
        raise ApiError(501, detail)
