"""Hostile local input, property-based: random Unicode (lone surrogates and
control characters included) as ids, emails, names, query values, headers and
options.

The SDK either refuses the input before sending anything, with an SDK error
(InvalidArgumentError / InvalidArgumentTypeError / ConfigurationError, which are
also ValueError / TypeError), or sends a request that says exactly what was
asked: an id always lands in exactly one path segment of its operation's
template, a query value comes back unchanged when the server decodes it, a
body is the JSON of what was given.
"""

from __future__ import annotations

import datetime
import json
import math
import re
import ssl
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote

import httpx2
import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from users_api_client.sdk import operations
from users_sdk import (
    AsyncUsersClient,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    NotFoundError,
    UsersAPIError,
    UsersClient,
    ValidationError,
)

from .conftest import OWNER_TOKEN as TOKEN_OF_SERVER

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "tok_hostile_secret_0815"
LOCAL_ERRORS = (InvalidArgumentError, InvalidArgumentTypeError)
_TLS = ssl.create_default_context()

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Any character at all: hypothesis leaves out lone surrogates unless asked.
CHARACTERS = st.one_of(st.characters(), st.characters(categories=["Cs"]))
ANY_TEXT = st.text(CHARACTERS, max_size=30)
# Text made of the characters that matter in URLs and paths.
URLISH_TEXT = st.text(st.sampled_from("./\\%2eEfF5c?#;@:&= +~\x00\t\r\n"), max_size=12)
NASTY_IDS = [
    "",
    " ",
    ".",
    "..",
    "../admin",
    "..\\admin",
    "%2e%2e",
    "%2E%2E",
    "%2e%2e%2fadmin",
    ".%2e",
    "a/b",
    "%2F",
    "..%2f",
    "usr_1/invite",
    "usr_1?role=owner",
    "usr_1#x",
    "..;",
    ";",
    "\x00",
    "\t",
    "usr_1\r\nX-Injected: 1",
    "\u2024\u2024",
    "\uff0e\uff0e",
    "\ud800",
    "me",
    "reset-password",
    "set-password",
    "usr_0001",
    "ü",
]
IDS = st.one_of(st.sampled_from(NASTY_IDS), ANY_TEXT, URLISH_TEXT)


class HugeInt(int):
    """10**5000: str() of it raises ValueError (Python's limit on digits); its repr
    here does not, so that hypothesis can describe it."""

    def __repr__(self) -> str:
        return "HugeInt(10**5000)"


HUGE_INT = st.builds(lambda sign: HugeInt(sign * 10**5000), st.sampled_from([1, -1]))

# /v1/users/<one segment>, and /invite after it for invite().
PATH_TEMPLATE = re.compile(rb"/v1/users/(?P<segment>[^/?#]+)(?P<invite>/invite)?")


class Capture:
    """A MockTransport handler that records each request and answers 404."""

    def __init__(self) -> None:
        self.requests: list[httpx2.Request] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        return httpx2.Response(
            404,
            json={"type": "about:blank", "title": "Not Found", "status": 404, "detail": "no"},
            headers={"content-type": "application/problem+json"},
        )


def _client(capture: Capture, **options: Any) -> UsersClient:
    options.setdefault("base_url", "http://users.test")
    options.setdefault("token", TOKEN)
    return UsersClient(
        max_retries=0,
        http_client=httpx2.Client(transport=httpx2.MockTransport(capture), verify=_TLS),
        **options,
    )


def _attempt(call: Callable[[], Any]) -> BaseException | None:
    try:
        call()
    except UsersAPIError as error:
        return error
    except Exception as error:  # anything else escaping is the bug these tests look for
        raise AssertionError(f"{type(error).__name__} escaped: {error}") from error
    return None


# The literal segments of other paths where the id goes (`me`), as `make generate`
# wrote them for each operation that takes a user_id.
RESERVED_ID_SEGMENTS = operations.GET_USER.path_params[0].reserved

ID_CALLS: dict[str, Callable[[Any, Any], Any]] = {
    "get": lambda users, user_id: users.get(user_id),
    "update": lambda users, user_id: users.update(user_id, department="R&D", if_match=3),
    "delete": lambda users, user_id: users.delete(user_id),
    "invite": lambda users, user_id: users.invite(user_id),
}
ID_METHODS = {"get": "GET", "update": "PATCH", "delete": "DELETE", "invite": "POST"}


def _check_id_request(method: str, user_id: Any, capture: Capture, error: Any) -> None:
    if not capture.requests:
        assert isinstance(error, LOCAL_ERRORS), f"{method}({user_id!r}) sent nothing: {error!r}"
        assert str(error)  # says what is wrong
        return
    (request,) = capture.requests
    assert isinstance(error, NotFoundError)
    assert request.method == ID_METHODS[method]
    match = PATH_TEMPLATE.fullmatch(request.url.raw_path)
    assert match, f"{method}({user_id!r}) left its template: {request.url.raw_path!r}"
    assert (match["invite"] is not None) == (method == "invite")
    segment = match["segment"].decode("ascii")
    # What the server sees once it decodes the path: the id, whole, in one segment.
    assert unquote(segment, encoding="utf-8", errors="strict") == user_id
    # No dot-segments and no other operation's literal segment, before or after decoding.
    for form in (segment, user_id):
        assert form not in {".", ".."}
        assert form not in RESERVED_ID_SEGMENTS
    assert request.url.query == b""


@SETTINGS
@given(user_id=IDS, method=st.sampled_from(sorted(ID_CALLS)))
def test_an_id_never_leaves_its_path_segment(user_id: str, method: str) -> None:
    capture = Capture()
    client = _client(capture)
    error = _attempt(lambda: ID_CALLS[method](client.users, user_id))
    _check_id_request(method, user_id, capture, error)


@pytest.mark.parametrize("user_id", [*NASTY_IDS, None, 7, b"usr_1", ["usr_1"]])
@pytest.mark.parametrize("method", sorted(ID_CALLS))
def test_nasty_ids(user_id: Any, method: str) -> None:
    capture = Capture()
    client = _client(capture)
    error = _attempt(lambda: ID_CALLS[method](client.users, user_id))
    _check_id_request(method, user_id, capture, error)
    if user_id in ["", ".", "..", "../admin", "a/b", "me", "\ud800", None]:
        assert capture.requests == []


@pytest.mark.anyio
@pytest.mark.parametrize("user_id", NASTY_IDS)
async def test_nasty_ids_async(user_id: str) -> None:
    for method, call in ID_CALLS.items():
        capture = Capture()
        async with AsyncUsersClient(
            base_url="http://users.test",
            token=TOKEN,
            max_retries=0,
            http_client=httpx2.AsyncClient(transport=httpx2.MockTransport(capture), verify=_TLS),
        ) as client:
            error: BaseException | None = None
            try:
                await call(client.users, user_id)
            except UsersAPIError as caught:
                error = caught
            _check_id_request(method, user_id, capture, error)


def test_reserved_segments_are_every_literal_sibling_of_the_id_in_the_spec() -> None:
    """An id equal to a fixed segment (/v1/users/me) would reach another operation."""
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text())
    literal = {
        path.split("/")[3]
        for path in spec["paths"]
        if path.startswith("/v1/users/") and not path.split("/")[3].startswith("{")
    }
    assert literal
    for name in ("GET_USER", "UPDATE_USER", "DELETE_USER", "INVITE_USER"):
        assert getattr(operations, name).path_params[0].reserved == literal, name


# ---- query values ---------------------------------------------------------------

OPTIONAL_TEXT = st.none() | ANY_TEXT | URLISH_TEXT
INSTANTS = st.one_of(
    st.none(),
    ANY_TEXT,
    st.datetimes(timezones=st.just(datetime.UTC)),
    st.datetimes(),  # naive: refused
    st.sampled_from(["2026-01-01T00:00:00Z", "2026-01-01T00:00:00+14:00", "2026-02-30"]),
)
ONE_OR_MANY = st.none() | ANY_TEXT | st.lists(ANY_TEXT, max_size=3)


@SETTINGS
@given(
    q=OPTIONAL_TEXT,
    email_domain=OPTIONAL_TEXT,
    group=OPTIONAL_TEXT,
    sort=OPTIONAL_TEXT,
    account_id=OPTIONAL_TEXT,
    cursor=OPTIONAL_TEXT,
    role=ONE_OR_MANY,
    status=ONE_OR_MANY,
    created_after=INSTANTS,
    limit=st.one_of(st.integers(), HUGE_INT, st.integers(1, 100)),
)
def test_query_values_reach_the_server_unchanged(**arguments: Any) -> None:
    capture = Capture()
    client = _client(capture)
    error = _attempt(lambda: client.users.list(**arguments))
    if not capture.requests:
        assert isinstance(error, LOCAL_ERRORS), f"list({arguments!r}) sent nothing: {error!r}"
        assert len(str(error)) < 1000
        return
    assert isinstance(error, NotFoundError)
    (request,) = capture.requests
    assert request.url.raw_path.partition(b"?")[0] == b"/v1/users"
    query = parse_qs(
        request.url.query.decode("ascii"),
        keep_blank_values=True,
        strict_parsing=True,
        encoding="utf-8",
        errors="strict",
    )
    expected: dict[str, list[str]] = {"limit": [str(arguments["limit"])]}
    for name in ("q", "group", "sort", "account_id", "cursor"):
        if arguments[name] is not None:
            expected[name] = [arguments[name]]
    if arguments["email_domain"] is not None:
        expected["email_domain"] = [arguments["email_domain"].lstrip("@")]
    for name in ("role", "status"):
        value = arguments[name]
        if value is not None:
            expected[name] = [value] if isinstance(value, str) else list(value)
    instant = arguments["created_after"]
    if instant is not None:
        parsed = datetime.datetime.fromisoformat(instant) if isinstance(instant, str) else instant
        expected["created_after"] = [parsed.isoformat()]
    assert query == expected


# ---- bodies ---------------------------------------------------------------------

JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), ANY_TEXT, HUGE_INT)
ODD_VALUES = st.one_of(
    st.sets(st.integers(), max_size=2),
    st.binary(max_size=4),
    st.just(object()),
    st.just(float("nan")),
    st.just(float("inf")),
    st.dictionaries(st.tuples(st.integers()), st.integers(), min_size=1, max_size=1),
)
VALUES = st.recursive(
    JSON_SCALARS | ODD_VALUES,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ANY_TEXT, inner, max_size=3),
    max_leaves=8,
)
USER_FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "email": ANY_TEXT | VALUES,
        "display_name": ANY_TEXT,
        "first_name": st.none() | ANY_TEXT,
        "department": st.none() | ANY_TEXT,
        "phone": st.none() | ANY_TEXT | VALUES,
        "groups": st.lists(ANY_TEXT, max_size=3) | VALUES,
        "metadata": st.dictionaries(ANY_TEXT, ANY_TEXT, max_size=3) | VALUES,
        "is_service_user": st.booleans() | VALUES,
        "x_added_later": VALUES,
    },
)


def _json_equal(sent: bytes, payload: dict[str, Any]) -> None:
    received = json.loads(sent)
    expected = dict(payload)
    groups = expected.get("groups")
    if isinstance(groups, set | frozenset):  # any iterable of str is a list of groups
        assert sorted(received["groups"]) == sorted(groups)
        expected["groups"] = received["groups"]
    # What the payload is as JSON (tuples become lists, int keys strings).
    assert received == json.loads(json.dumps(expected, allow_nan=False))


@SETTINGS
@given(fields=USER_FIELDS, idempotency_key=st.none() | ANY_TEXT)
def test_create_bodies_are_sent_as_given_or_refused(
    fields: dict[str, Any], idempotency_key: str | None
) -> None:
    capture = Capture()
    client = _client(capture)
    error = _attempt(
        lambda: client.users.create(fields, idempotency_key=idempotency_key)  # type: ignore[arg-type]
    )
    if not capture.requests:
        assert isinstance(error, LOCAL_ERRORS), f"create({fields!r}) sent nothing: {error!r}"
        return
    (request,) = capture.requests
    assert request.url.raw_path == b"/v1/users"
    assert request.headers["content-type"] == "application/json"
    if idempotency_key is not None:
        assert request.headers["idempotency-key"] == idempotency_key
    _json_equal(request.content, fields)


@SETTINGS
@given(
    user_id=st.sampled_from(["usr_0001", "usr_x"]),
    fields=USER_FIELDS,
    if_match=st.one_of(st.none(), st.integers(), HUGE_INT, ANY_TEXT, st.booleans(), st.floats()),
)
def test_update_bodies_and_headers_are_sent_as_given_or_refused(
    user_id: str, fields: dict[str, Any], if_match: Any
) -> None:
    capture = Capture()
    client = _client(capture)
    error = _attempt(lambda: client.users.update(user_id, fields, if_match=if_match))
    if not capture.requests:
        assert isinstance(error, LOCAL_ERRORS), f"update({fields!r}) sent nothing: {error!r}"
        return
    (request,) = capture.requests
    expected_if_match = f'"{if_match}"' if isinstance(if_match, int) else if_match
    assert request.headers.get("if-match") == expected_if_match
    _json_equal(request.content, fields)


@SETTINGS
@given(email=ANY_TEXT | VALUES, token=ANY_TEXT | VALUES, password=ANY_TEXT | VALUES)
def test_password_operations(email: Any, token: Any, password: Any) -> None:
    capture = Capture()
    client = _client(capture)
    for call in (
        lambda: client.users.reset_password(email),
        lambda: client.users.set_password(token, password),
    ):
        before = len(capture.requests)
        error = _attempt(call)
        if len(capture.requests) == before:
            assert isinstance(error, LOCAL_ERRORS)
    for request in capture.requests:
        assert request.url.raw_path in {b"/v1/users/reset-password", b"/v1/users/set-password"}
        sent = json.loads(request.content)
        assert sent in ({"email": email}, {"reset_token": token, "password": password})
        # A password or token never reaches an error message (see test_secrets too).


# ---- options --------------------------------------------------------------------

TIMEOUTS = st.one_of(
    st.none(),
    st.floats(),
    st.integers(),
    HUGE_INT,
    st.booleans(),
    ANY_TEXT,
    st.builds(httpx2.Timeout, st.floats() | st.none()),
)


@SETTINGS
@given(
    base_url=st.one_of(
        ANY_TEXT,
        st.builds(lambda rest: "http://" + rest, ANY_TEXT | URLISH_TEXT),
        st.sampled_from(
            [
                "https://a..b",
                "http://xn--zz.com",
                "http://user:hunter2@users.test",
                "http://users.test/\ud800",
                "http://[::1",
                "http://users.test:99999",
                "http://é.example",
            ]
        ),
    ),
    token=ANY_TEXT | VALUES,
    headers=st.none() | st.dictionaries(ANY_TEXT, ANY_TEXT, max_size=2),
    timeout=TIMEOUTS,
    max_retries=st.integers() | HUGE_INT,
)
def test_client_options_are_checked_when_the_client_is_made(
    base_url: Any, token: Any, headers: Any, timeout: Any, max_retries: Any
) -> None:
    """Bad options fail at UsersClient(...), with a ConfigurationError that never
    echoes the credential; good ones make a client that can send a request."""
    capture = Capture()
    message: str | None = None
    try:
        client = UsersClient(
            base_url=base_url,
            token=token,
            headers=headers,
            timeout=timeout,
            max_retries=max_retries,
            http_client=httpx2.Client(transport=httpx2.MockTransport(capture), verify=_TLS),
        )
    except ConfigurationError as error:
        message = str(error)
    except Exception as error:
        raise AssertionError(f"{type(error).__name__} escaped UsersClient(): {error}") from error
    if message is not None:
        shown_elsewhere = f"{base_url!r} {headers!r} {timeout!r}"
        if isinstance(token, str) and len(token) > 3 and token not in shown_elsewhere:
            assert token not in message
        assert "hunter2" not in message
        return
    assert "hunter2" not in repr(client)
    error = _attempt(lambda: client.users.me())
    assert isinstance(error, NotFoundError), repr(error)
    assert len(capture.requests) == 1


@SETTINGS
@given(timeout=TIMEOUTS)
def test_per_call_timeouts(timeout: Any) -> None:
    capture = Capture()
    client = _client(capture)
    error = _attempt(lambda: client.users.me(timeout=timeout))
    if not capture.requests:
        assert isinstance(error, InvalidArgumentError)
        return
    sent = capture.requests[0].extensions["timeout"]
    assert all(
        value is None or (0 < value <= 86400 and math.isfinite(value)) for value in sent.values()
    )


# ---- the same input, all the way to the real reference server ---------------------

SERVER_SETTINGS = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
# What the reference server may answer to hostile input: a result, or a 4xx that
# says what is wrong. Never a 5xx, never another resource.
SERVER_OUTCOMES = (
    InvalidArgumentError,
    InvalidArgumentTypeError,
    BadRequestError,
    NotFoundError,
    ConflictError,
    ValidationError,
)


@pytest.fixture(scope="module")
def live_client(reference_server: str) -> Iterator[UsersClient]:
    with UsersClient(base_url=reference_server, token=TOKEN_OF_SERVER, max_retries=0) as client:
        yield client


def _live_outcome(call: Callable[[], Any], *, count: bool = True) -> Any:
    """The result or the expected error of `call`; `count` tallies them for
    --hypothesis-show-statistics (only inside a hypothesis test)."""
    try:
        result = call()
    except SERVER_OUTCOMES as error:
        if count:
            event(type(error).__name__)
        return error
    except UsersAPIError as error:
        raise AssertionError(f"the server answered hostile input with {error!r}") from error
    if count:
        event("accepted")
    return result


@pytest.mark.parametrize("user_id", NASTY_IDS)
def test_nasty_ids_reach_no_other_resource_on_the_server(
    live_client: UsersClient, user_id: str
) -> None:
    for method, call in ID_CALLS.items():
        outcome = _live_outcome(
            lambda call=call: call(live_client.users, user_id),  # type: ignore[misc]
            count=False,
        )
        assert isinstance(outcome, (*LOCAL_ERRORS, NotFoundError)), f"{method}: {outcome!r}"


# Valid Unicode only here (lone surrogates never leave the SDK: tested above).
SERVER_TEXT = st.none() | st.text(st.characters(), min_size=1, max_size=30) | URLISH_TEXT


@SERVER_SETTINGS
@given(
    q=SERVER_TEXT,
    email_domain=SERVER_TEXT,
    group=SERVER_TEXT,
    sort=SERVER_TEXT | st.sampled_from(["email:asc", "created_at:desc,id:asc", "email:up"]),
    cursor=SERVER_TEXT,
    role=st.none() | st.lists(st.sampled_from(["admin", "owner", "x"]), min_size=1, max_size=2),
    created_after=st.none()
    | st.datetimes(timezones=st.just(datetime.UTC))
    | st.sampled_from(["2026-01-01T00:00:00Z", "2026-01-01T00:00:00+14:00", "0001-01-01T00:00Z"]),
)
def test_hostile_queries_on_the_server(live_client: UsersClient, **arguments: Any) -> None:
    outcome = _live_outcome(lambda: live_client.users.list(limit=5, **arguments))
    if not isinstance(outcome, Exception):
        assert isinstance(outcome.items, list)


@SERVER_SETTINGS
@given(
    local=st.text(st.characters(), min_size=1, max_size=20)
    | URLISH_TEXT
    | st.from_regex(r"[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,20}", fullmatch=True),
    display_name=st.none() | SERVER_TEXT,
    department=st.none() | SERVER_TEXT,
    metadata=st.dictionaries(st.text(max_size=10), st.text(max_size=10), max_size=2),
)
def test_hostile_bodies_on_the_server(
    live_client: UsersClient,
    local: str,
    display_name: str | None,
    department: str | None,
    metadata: dict[str, str],
) -> None:
    fields: dict[str, Any] = {"email": f"{local}@hostile.example.com", "metadata": metadata}
    if display_name is not None:
        fields["display_name"] = display_name
    if department is not None:
        fields["department"] = department
    created = _live_outcome(lambda: live_client.users.create(fields))
    if isinstance(created, Exception):
        return
    # What was stored is what was sent, and reads back the same way.
    again = live_client.users.get(created.id)
    assert (again.email, again.department, again.metadata.to_dict()) == (
        fields["email"],
        department,
        metadata,
    )
    live_client.users.delete(created.id)
