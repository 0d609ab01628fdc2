"""Why a 404 happened: no such user, or a base URL that sends requests elsewhere.

In the spec, only the operations with an id in their path (`/v1/users/{user_id}`)
answer 404, with the API's problem document: that 404 means "no user has this
id". Any other 404 (on a listing, `me`, a create; or one whose body is
not a problem document, such as another server's HTML page) most often means
the requests go to the wrong place: a base URL with a path the API does not
have (`http://host:8000/api`), `/v1` given twice, or another server on that
port. Its message says so, with the URL requested and what base_url should be.
"""

from __future__ import annotations

import httpx2

__all__ = ["not_found_hint"]

_LIKELY = "The base URL is likely wrong"


def not_found_hint(
    request: httpx2.Request, *, base_url: str, path: str, has_id: bool, is_problem: bool
) -> str | None:
    """The advice for a 404, or None for NotFoundError's own ("check the id").

    `path` is the operation's path template (`/v1/users/{user_id}`), or the path
    of a raw `client.request()`; `has_id` whether the path names a resource
    (True for a raw request: it may); `is_problem` whether the body was the
    API's problem document.
    """
    prefix = _first_segment(path)
    base = httpx2.URL(base_url)
    base_path = base.path.rstrip("/")
    requested = f"{request.method} {request.url.copy_with(query=None, fragment=None)}"
    if prefix and base_path.endswith(prefix):
        fixed = base_url.rstrip("/").removesuffix(prefix)
        return (
            f"{_LIKELY}: the request was {requested}. base_url {base_url!r} ends with "
            f"{prefix}, which the API's paths begin with already: use base_url={fixed!r}."
        )
    if has_id and is_problem:
        return None
    root = f"{base.scheme}://{base.netloc.decode('ascii')}"
    answer = "" if is_problem else ", and the answer is not the API's problem document"
    if base_path:
        return (
            f"{_LIKELY}: the request was {requested}{answer}. base_url is the part of the "
            f"API's URLs before {prefix or 'its paths'}, usually the scheme, host and port only "
            f"(such as {root!r}), not {base_url!r}."
        )
    return (
        f"{_LIKELY}: the request was {requested}{answer}. Check that base_url {base_url!r} "
        f"is the Users API (its paths begin with {prefix or '/'}), not another server "
        "or a proxy."
    )


def _first_segment(path: str) -> str | None:
    """`/v1` of `/v1/users`: the version prefix every path of the API begins with.
    None for a path of one segment, which has no prefix to repeat."""
    segments = path.strip("/").split("/")
    return f"/{segments[0]}" if len(segments) > 1 and segments[0] else None
