"""Request headers whose repr() hides the API key.

httpx2 (like httpx) hides only the Authorization header in a repr. A request
outlives its call (error.response.request, APIResponse.http_response.request),
so the SDK swaps in these headers whenever a request carries X-API-Key.
"""

from __future__ import annotations

from typing import Any

import httpx2

__all__ = ["Headers", "masked_repr"]


class Headers(httpx2.Headers):
    """httpx2.Headers whose repr also hides X-API-Key (httpx2 hides only the
    Authorization headers)."""

    def __repr__(self) -> str:
        return masked_repr(self, httpx2.Headers)


def masked_repr(headers: Any, plain: type) -> str:
    """repr() of `headers` as an instance of `plain`, with X-API-Key hidden."""
    shown = plain(
        [
            (name, "[secure]" if name.lower() == "x-api-key" else value)
            for name, value in headers.multi_items()
        ],
        encoding=headers.encoding,
    )
    return repr(shown)
