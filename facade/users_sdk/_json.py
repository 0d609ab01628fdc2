"""Decoding response bodies to plain JSON values: msgspec where it can be
imported, else the standard library.

Most responses never get here: they match the spec and msgspec decodes them
straight into models (`_parsing.py`). The rest (a field or enum value the spec
does not know, a malformed body, an error document) are decoded here, by
msgspec in about half the time of `json.loads`. msgspec is a dependency on
CPython, where it ships wheels for every platform; elsewhere (PyPy, or an
environment without it) the standard library decodes, with the same results.

The answers are the standard library's, and so are the errors: what msgspec
refuses (NaN and Infinity, lone surrogates, a body that is not UTF-8) is
decoded again by `json.loads`, which accepts it or raises its own error.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

__all__ = ["DECODER", "loads"]

_fast_loads: Callable[[bytes], Any] | None
try:
    import msgspec
except ImportError:
    _fast_loads = None
    _FastError: type[Exception] = ValueError
    DECODER = "json (the standard library)"
else:
    _fast_loads = msgspec.json.Decoder().decode
    _FastError = msgspec.DecodeError
    DECODER = f"msgspec {msgspec.__version__}"


def loads(content: bytes) -> Any:
    """`json.loads(content)`, faster where msgspec is installed."""
    if _fast_loads is not None:
        try:
            return _fast_loads(content)
        except _FastError:
            pass  # the standard library has the last word, and the error
    return json.loads(content)
