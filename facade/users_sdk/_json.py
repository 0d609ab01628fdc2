"""Decoding response bodies: orjson where it can be imported, else the standard library.

orjson decodes the API's pages in about half the time of `json.loads`, which
is most of what parsing a page costs (benchmarks/README.md). It is a
dependency on CPython, where it ships wheels for every platform; elsewhere
(PyPy, or an environment without it) the standard library decodes, with the
same results.

The answers are the standard library's for every body the API can send, and
so are the errors: what orjson refuses (NaN and Infinity, lone surrogates,
nesting deeper than 1,024, a body that is not UTF-8) is decoded again by
`json.loads`, which accepts it or raises its own error. The one difference:
orjson reads an integer beyond 64 bits as a float; the API has none (versions
are 64-bit), and a model builder refuses such a value as not an integer.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

__all__ = ["DECODER", "loads"]

_fast_loads: Callable[[bytes], Any] | None
try:
    import orjson
except ImportError:
    _fast_loads = None
    _FastError: type[Exception] = ValueError
    DECODER = "json (the standard library)"
else:
    _fast_loads = orjson.loads
    _FastError = orjson.JSONDecodeError
    DECODER = f"orjson {orjson.__version__}"


def loads(content: bytes) -> Any:
    """`json.loads(content)`, faster where orjson is installed."""
    if _fast_loads is not None:
        try:
            return _fast_loads(content)
        except _FastError:
            pass  # the standard library has the last word, and the error
    return json.loads(content)
