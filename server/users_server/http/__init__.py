"""The HTTP edge (FastAPI and Starlette): the routes of openapi.yaml, their query
parameters and request bodies built from the spec, the bounded headers, the
middlewares, problem+json rendering and the 501s of operations not implemented.
Imports the rules/, store/, support/ and spec/ layers and errors.py; never the
wiring above it (state.py, app.py) nor devmode/."""
