"""Scrubbing of VCR cassettes: what users_sdk.testing applies to the Users API's
interactions before any cassette is saved.

Only the Users API's interactions are touched (see `is_users_api`): a cassette
may also hold a test's calls to other services, which are saved exactly as
VCR recorded them. In the Users API's: credentials (headers, the token and key
the fixtures used, USERS_API_TOKEN and USERS_API_KEY), passwords and reset
tokens in bodies and query strings become placeholders (`ScrubRules` says
which, and users can add to them or switch them off); the API's address
becomes PLACEHOLDER_BASE_URL; idempotency keys and dates become stable
placeholders, so that recording twice gives the same bytes. No pytest here:
the plugin in testing/ wires it into VCR.
"""

from __future__ import annotations

import copy
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .._environment import API_KEY_ENV, BASE_URL_ENV, TOKEN_ENV

PLACEHOLDER_BASE_URL = "http://users-api.test"
STABLE_DATE = "Thu, 01 Jan 2026 00:00:00 GMT"

# Header name -> placeholder. Credentials, whatever their value.
SECRET_HEADERS = {
    "authorization": "Bearer <TOKEN>",
    "x-api-key": "<API-KEY>",
    "cookie": "<COOKIE>",
    "set-cookie": "<COOKIE>",
    "proxy-authorization": "<TOKEN>",
}
# Request headers that differ between machines or runs and say nothing about the API.
UNSTABLE_REQUEST_HEADERS = frozenset({"host", "accept-encoding", "connection", "content-length"})
# Of the User-Agent, only the SDK's own part is kept ("users-sdk/0.1.0", not the
# Python version): the cassettes report says which SDK recorded a cassette.
SDK_AGENT = re.compile(r"users-sdk/[^\s]+")
# JSON fields (at any depth) and query parameters whose values are secrets.
SECRET_FIELDS = {
    "password": "<REDACTED-PASSWORD>",
    "new_password": "<REDACTED-PASSWORD>",
    "reset_token": "<RESET-TOKEN>",
    "token": "<RESET-TOKEN>",
    "access_token": "<TOKEN>",
    "refresh_token": "<TOKEN>",
    "api_key": "<API-KEY>",
    "client_secret": "<SECRET>",
    "secret": "<SECRET>",
}

ADDED_PLACEHOLDER = "<REDACTED>"  # for the fields and headers users add
# What every placeholder looks like: the spec check lets a scrubbed value pass.
PLACEHOLDER_VALUE = re.compile(r"<[A-Z][A-Z0-9-]*>")


@dataclass(frozen=True)
class ScrubRules:
    """Which values of the Users API's interactions become placeholders.

    `fields` are JSON fields (at any depth) and query parameters, `headers`
    header names, each mapped to its placeholder (names in lower case).
    `secrets` replaces the credentials the fixtures used wherever they appear.
    Switched off (`ScrubRules.off()`), credentials are saved as sent; the
    address and the stable placeholders stay, since replay depends on them.
    """

    fields: Mapping[str, str] = field(default_factory=lambda: dict(SECRET_FIELDS))
    headers: Mapping[str, str] = field(default_factory=lambda: dict(SECRET_HEADERS))
    secrets: bool = True

    @classmethod
    def off(cls) -> ScrubRules:
        return cls(fields={}, headers={}, secrets=False)

    def adding(self, fields: Iterable[str] = (), headers: Iterable[str] = ()) -> ScrubRules:
        """These rules, and more names to replace (an off switch stays off)."""
        if not self.secrets:
            return self
        return ScrubRules(
            fields={**self.fields, **{name.lower(): ADDED_PLACEHOLDER for name in fields}},
            headers={**self.headers, **{name.lower(): ADDED_PLACEHOLDER for name in headers}},
        )


DEFAULT_RULES = ScrubRules()

# Origins (scheme://host:port) of the API that clients built by the fixtures
# talked to while recording; rewritten to PLACEHOLDER_BASE_URL in cassettes.
recorded_origins: set[str] = set()
# Credentials the fixtures used while recording; scrubbed wherever they appear.
recorded_secrets: set[str] = set()


def _known_secrets(rules: ScrubRules) -> list[str]:
    if not rules.secrets:
        return []
    secrets = set(recorded_secrets)
    for name in (TOKEN_ENV, API_KEY_ENV):
        value = os.environ.get(name)
        if value:
            secrets.add(value)
    # Longest first, so that a secret containing another is replaced whole.
    return sorted((s for s in secrets if len(s) >= 4), key=len, reverse=True)


def api_origins() -> list[str]:
    """The origins rewritten to PLACEHOLDER_BASE_URL: the fixtures' and USERS_API_BASE_URL's."""
    origins = set(recorded_origins)
    base_url = os.environ.get(BASE_URL_ENV)
    if base_url:
        origins.add(origin_of(base_url))
    return sorted(origins, key=len, reverse=True)


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def is_users_api(uri: str) -> bool:
    """Whether a request went to the Users API: scrubbed already, or being recorded."""
    origin = origin_of(uri)
    return origin == PLACEHOLDER_BASE_URL or origin in api_origins()


def _scrub_text(text: str, rules: ScrubRules) -> str:
    for secret in _known_secrets(rules):
        text = text.replace(secret, "<REDACTED>")
    return text


def _scrub_json(value: Any, rules: ScrubRules) -> Any:
    if isinstance(value, dict):
        return {
            key: (rules.fields[key.lower()] if key.lower() in rules.fields and item is not None
                  else _scrub_json(item, rules))
            for key, item in value.items()
        }  # fmt: skip
    if isinstance(value, list):
        return [_scrub_json(item, rules) for item in value]
    if isinstance(value, str):
        return _scrub_text(value, rules)
    return value


def scrub_body(body: bytes | str | None, rules: ScrubRules = DEFAULT_RULES) -> bytes | str | None:
    """A body with secret JSON fields and known credentials replaced (JSON compacted)."""
    if body is None or body in (b"", ""):
        return body
    raw = body.decode("utf-8", errors="surrogateescape") if isinstance(body, bytes) else body
    try:
        parsed = json.loads(raw)
    except ValueError:
        scrubbed_text = _scrub_text(raw, rules)
    else:
        scrubbed_text = json.dumps(
            _scrub_json(parsed, rules), ensure_ascii=False, separators=(",", ":")
        )
    if isinstance(body, bytes):
        return scrubbed_text.encode("utf-8", errors="surrogateescape")
    return scrubbed_text


def scrub_uri(uri: str, rules: ScrubRules = DEFAULT_RULES) -> str:
    """The Users API's address as PLACEHOLDER_BASE_URL, secret query values replaced."""
    for origin in api_origins():
        if uri.startswith(origin):
            uri = PLACEHOLDER_BASE_URL + uri[len(origin) :]
            break
    parts = urlsplit(uri)
    if parts.query:
        pairs = [
            (key, rules.fields.get(key.lower()) or _scrub_text(value, rules))
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
        ]
        uri = urlunsplit(parts._replace(query=urlencode(pairs)))
    return uri


class _IdempotencyKeys:
    """Numbers each distinct key in order of appearance: retries of one call
    keep sharing a placeholder, so the cassette still shows the reuse."""

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}

    def placeholder(self, key: str) -> str:
        number = self._numbers.setdefault(key, len(self._numbers) + 1)
        return f"<IDEMPOTENCY-KEY-{number}>"


def _scrub_request(request: Any, keys: _IdempotencyKeys, rules: ScrubRules) -> Any:
    headers: dict[str, Any] = {}
    for name, value in dict(request.headers).items():
        lower = name.lower()
        if lower in UNSTABLE_REQUEST_HEADERS:
            continue
        if lower == "user-agent":
            agent = SDK_AGENT.search(value if isinstance(value, str) else str(value))
            if agent is not None:
                headers[name] = agent.group(0)
            continue
        if lower in rules.headers:
            headers[name] = rules.headers[lower]
        elif lower == "idempotency-key":
            headers[name] = keys.placeholder(value)
        else:
            headers[name] = _scrub_text(value, rules)
    request.headers = headers
    request.uri = scrub_uri(request.uri, rules)
    request.body = scrub_body(request.body, rules)
    return request


def _scrub_response(response: dict[str, Any], rules: ScrubRules) -> dict[str, Any]:
    headers: dict[str, list[str]] = {}
    for name, values in response.get("headers", {}).items():
        lower = name.lower()
        if lower in rules.headers:
            headers[name] = [rules.headers[lower] for _ in values]
        elif lower == "date":
            headers[name] = [STABLE_DATE for _ in values]
        elif lower in {"location", "content-location"}:
            headers[name] = [scrub_uri(v, rules) for v in values]
        else:
            headers[name] = [_scrub_text(v, rules) for v in values]
    body = response.get("body", {})
    content = scrub_body(body.get("string"), rules)
    for name in headers:
        if name.lower() == "content-length" and content is not None:
            size = len(content.encode() if isinstance(content, str) else content)
            headers[name] = [str(size)]
    return {**response, "headers": headers, "body": {**body, "string": content}}


def scrub_cassette(
    cassette: Mapping[str, Any], rules: ScrubRules = DEFAULT_RULES
) -> dict[str, Any]:
    """A copy of a cassette (as VCR saves it) with the Users API's interactions
    scrubbed; every other interaction is left exactly as it was recorded."""
    keys = _IdempotencyKeys()
    requests, responses = [], []
    for request, response in zip(cassette["requests"], cassette["responses"], strict=True):
        if is_users_api(request.uri):
            request = _scrub_request(copy.deepcopy(request), keys, rules)
            response = _scrub_response(copy.deepcopy(response), rules)
        requests.append(request)
        responses.append(response)
    return {**cassette, "requests": requests, "responses": responses}
