"""The FastAPI application: routes, problem handlers and middlewares, assembled."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from .devmode import testmode
from .http import routes, unimplemented
from .http.middleware import BodyLimitMiddleware, RequestContextMiddleware
from .http.problems import install_problem_handlers
from .settings import Settings
from .state import ServerState


def create_app(settings: Settings) -> FastAPI:
    state = ServerState(settings)
    try:
        return _assemble(settings, state)
    except BaseException:
        # A spec the routes cannot serve stops the start here, after the state
        # opened its database: close it, or it lingers until garbage collection
        # (Python 3.13 then warns, ResourceWarning, about the unclosed database).
        state.close()
        raise


def _assemble(settings: Settings, state: ServerState) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        state.close()

    app = FastAPI(
        title="Users API reference server",
        # The contract is openapi.yaml; FastAPI's generated schema and docs would
        # be a second, slightly different one, so none is served.
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        # `/v1/users/` is not `/v1/users`: a 404, not a 307 the contract does not know.
        redirect_slashes=False,
        lifespan=lifespan,
    )
    # What the routes read it as; annotated so that mypy holds the state to it.
    served: routes.ServedState = state
    app.state.server = served
    install_problem_handlers(app)
    api = routes.build_router(state.schema)
    routers = [api, testmode.router] if settings.test_mode else [api]
    for router in routers:
        app.include_router(router)
    # Every route, for the Allow header of a 405.
    app.state.api_routes = [route for router in routers for route in router.routes]
    # Last: the spec's operations that none of the routes above serves get a 501.
    unimplemented.install(app, state.schema, app.state.api_routes)
    # add_middleware puts each one outside the previous: the order of a request
    # is RequestContext -> Faults (test mode) -> BodyLimit -> routes.
    app.add_middleware(BodyLimitMiddleware)
    if settings.test_mode:
        app.add_middleware(testmode.FaultMiddleware, faults=state.faults)
    app.add_middleware(RequestContextMiddleware, entropy=state.entropy)
    return app
