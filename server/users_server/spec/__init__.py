"""openapi.yaml as the server reads it: `reader.py` parses it into the values of
`declarations.py`; `location.py` finds the file when none is given.

    from users_server.spec import load_schema, Kind

    schema = load_schema()            # the spec installed with the server
    [field.kind for field in schema.user]
"""

from __future__ import annotations

from .declarations import (
    STRING_KINDS,
    ApiSchema,
    Kind,
    Limits,
    Operation,
    Property,
    QueryParameters,
    SpecError,
)
from .location import locate_spec
from .reader import load_schema

__all__ = [
    "STRING_KINDS",
    "ApiSchema",
    "Kind",
    "Limits",
    "Operation",
    "Property",
    "QueryParameters",
    "SpecError",
    "load_schema",
    "locate_spec",
]
