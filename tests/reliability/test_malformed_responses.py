"""Every public method of client.users, sync and async, against a server that
answers badly on purpose (see misbehaving_server.CASES).

Each call must give the right result (values the client does not know are
kept) or raise UnexpectedResponseError, APIStatusError or APIConnectionError;
nothing else may escape, and no message may carry the credential.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterator
from typing import Any

import httpx2
import pytest

from users_sdk import (
    APIConnectionError,
    APIStatusError,
    AsyncUsersClient,
    InternalServerError,
    Invitation,
    NotFoundError,
    RateLimitError,
    UnexpectedResponseError,
    User,
    UsersClient,
    ValidationError,
)

from .misbehaving_server import CASES, HUGE, MisbehavingServer, misbehaving_server, operation_kind

TOKEN = "tok_malformed_secret_4711"
MAX_RETRIES = 2
# One TLS context for every client: building one per client costs ~40 ms, and
# these clients only speak plain HTTP anyway.
_TLS = ssl.create_default_context()

CALLS: dict[str, Callable[[Any], Any]] = {
    "create": lambda users: users.create(email="ada@example.com", display_name="Ada"),
    "get": lambda users: users.get("usr_0001"),
    "me": lambda users: users.me(),
    "update": lambda users: users.update("usr_0001", department="R&D", if_match=1),
    "delete": lambda users: users.delete("usr_0001"),
    "invite": lambda users: users.invite("usr_0001"),
    "reset_password": lambda users: users.reset_password("ada@example.com"),
    "set_password": lambda users: users.set_password("rst_token", "a long passphrase"),
    "list": lambda users: users.list(),
}
REQUESTS = {
    "create": ("POST", "/v1/users"),
    "get": ("GET", "/v1/users/usr_0001"),
    "me": ("GET", "/v1/users/me"),
    "update": ("PATCH", "/v1/users/usr_0001"),
    "delete": ("DELETE", "/v1/users/usr_0001"),
    "invite": ("POST", "/v1/users/usr_0001/invite"),
    "reset_password": ("POST", "/v1/users/reset-password"),
    "set_password": ("POST", "/v1/users/set-password"),
    "list": ("GET", "/v1/users"),
}
KIND = {method: operation_kind(*request) for method, request in REQUESTS.items()}
assert set(CALLS) == set(REQUESTS)

Check = Callable[[Any], None]
Expected = type[Exception] | Check


def _none(result: Any) -> None:
    assert result is None


def _first(result: Any) -> Any:
    """The user of a user call, or the first user of a page."""
    if hasattr(result, "items") and not isinstance(result, User):
        assert len(result.items) == 1
        return result.items[0]
    return result


def _well_formed(kind: str) -> Check:
    def check(result: Any) -> None:
        if kind == "none":
            assert result is None
        elif kind == "invitation":
            assert isinstance(result, Invitation)
            assert result.user_id == "usr_0001"
        else:
            user = _first(result)
            assert isinstance(user, User)
            assert user.email == "ada@example.com"

    return check


def _kept(name: str, value: Any) -> Callable[[str], Check]:
    """The call succeeds and keeps a field it does not know in the model."""

    def for_kind(kind: str) -> Check:
        def check(result: Any) -> None:
            if kind == "none":
                assert result is None
                return
            model = _first(result)
            assert model[name] == value

        return check

    return for_kind


def _unknown_enum(kind: str) -> Check:
    def check(result: Any) -> None:
        if kind in {"none", "invitation"}:
            _well_formed(kind)(result)
        else:
            assert _first(result).role == "superhero"
            if kind == "user":
                assert result.status == "on_vacation"

    return check


def _huge(kind: str) -> Check:
    def check(result: Any) -> None:
        if kind == "none":
            assert result is None
        else:
            assert len(_first(result)["x_padding"]) == HUGE

    return check


def _body_error(kind: str) -> Expected:
    """A 2xx whose body is unusable: an error for a call that returns data; calls
    that return nothing (delete, the password operations) never read the body."""
    return _none if kind == "none" else UnexpectedResponseError


EXPECTED: dict[str, Callable[[str], Expected]] = {
    "invalid_json": _body_error,
    "html_500": lambda kind: InternalServerError,
    "status_520": lambda kind: UnexpectedResponseError,
    "empty_body": _body_error,
    "missing_field": _body_error,
    "wrong_type": _body_error,
    "bad_datetime": _body_error,
    "unknown_enum": _unknown_enum,
    "unknown_field": _kept("x_added_later", {"nested": [1, 2]}),
    "huge_body": _huge,
    "truncated_body": lambda kind: APIConnectionError,
    "wrong_content_type": _well_formed,
    "xml_body": _body_error,
    "deep_json": _body_error,
    "deep_problem": lambda kind: NotFoundError,
    "not_an_object": _body_error,
    "null_body": _body_error,
    "invalid_utf8": _body_error,
    "bad_cursor_type": lambda kind: (
        UnexpectedResponseError if kind == "page" else _well_formed(kind)
    ),
    "redirect_elsewhere": lambda kind: UnexpectedResponseError,
    "problem_with_wrong_types": lambda kind: ValidationError,
    "rate_limited_forever": lambda kind: RateLimitError,
}
assert set(EXPECTED) == set(CASES)

ALLOWED_ERRORS = (UnexpectedResponseError, APIStatusError, APIConnectionError)


@pytest.fixture(scope="module")
def bad_server() -> Iterator[MisbehavingServer]:
    with misbehaving_server() as server:
        yield server


@pytest.fixture
def server(bad_server: MisbehavingServer) -> str:
    return bad_server.url


def _check_outcome(case: str, method: str, result: Any, error: BaseException | None) -> None:
    expected = EXPECTED[case](KIND[method])
    if error is not None:
        assert isinstance(error, ALLOWED_ERRORS), f"{type(error).__name__} escaped: {error}"
        assert isinstance(expected, type), f"{case}/{method} raised {error!r}"
        assert isinstance(error, expected), f"{case}/{method}: {error!r}"
        for text in (str(error), repr(error), str(error.args)):
            assert TOKEN not in text
        # The message says what happened and what to do, in one readable line.
        assert len(str(error)) < 2000
        _check_error_details(case, error)
        return
    assert not isinstance(expected, type), f"{case}/{method} returned {result!r}"
    expected(result)


def _check_error_details(case: str, error: BaseException) -> None:
    if case == "html_500":
        assert isinstance(error, APIStatusError)
        assert error.problem is None
        assert "Internal Server Error" in str(error)
    if case == "rate_limited_forever":
        assert isinstance(error, RateLimitError)
        assert error.retry_after is None  # "soon" is no number of seconds
    if case == "problem_with_wrong_types":
        assert isinstance(error, ValidationError)
        assert error.problem is None
        assert error.errors == []
    if case == "redirect_elsewhere":
        assert isinstance(error, UnexpectedResponseError)
        assert error.status_code == 302


def _sync_client(server: str, case: str) -> UsersClient:
    client = UsersClient(
        base_url=f"{server}/{case}",
        token=TOKEN,
        max_retries=MAX_RETRIES,
        timeout=10.0,
        http_client=httpx2.Client(verify=_TLS),
    )
    client._sleep = lambda seconds: None
    return client


@pytest.mark.parametrize("method", sorted(CALLS))
@pytest.mark.parametrize("case", sorted(CASES))
def test_sync(server: str, case: str, method: str) -> None:
    client = _sync_client(server, case)
    result: Any = None
    error: BaseException | None = None
    try:
        result = CALLS[method](client.users)
        if method == "list":
            list(result)  # auto-pagination reads the same (bad) answers
    except Exception as caught:
        error = caught
    finally:
        client._http.close()
    _check_outcome(case, method, result, error)


@pytest.mark.anyio
@pytest.mark.parametrize("method", sorted(CALLS))
@pytest.mark.parametrize("case", sorted(CASES))
async def test_async(server: str, case: str, method: str) -> None:
    client = AsyncUsersClient(
        base_url=f"{server}/{case}",
        token=TOKEN,
        max_retries=MAX_RETRIES,
        timeout=10.0,
        http_client=httpx2.AsyncClient(verify=_TLS),
    )

    async def no_sleep(seconds: float) -> None:
        pass

    client._sleep = no_sleep
    result: Any = None
    error: BaseException | None = None
    try:
        result = await CALLS[method](client.users)
        if method == "list":
            async for _ in client.users.list():
                pass
    except Exception as caught:
        error = caught
    finally:
        await client._http.aclose()
    _check_outcome(case, method, result, error)


@pytest.mark.parametrize("case", sorted(set(CASES) - {"huge_body"}))
def test_raw_responses(server: str, case: str) -> None:
    """with_raw_response: an error status raises at the call, a bad body at parse()."""
    client = _sync_client(server, case)
    try:
        for method in sorted(CALLS):
            result: Any = None
            error: BaseException | None = None
            try:
                result = CALLS[method](client.users.with_raw_response).parse()
            except Exception as caught:
                error = caught
            _check_outcome(case, method, result, error)
    finally:
        client._http.close()


@pytest.mark.parametrize(
    ("case", "attempts"),
    [
        ("html_500", 1 + MAX_RETRIES),
        ("rate_limited_forever", 1 + MAX_RETRIES),
        ("truncated_body", 1 + MAX_RETRIES),
        ("status_520", 1),
        ("redirect_elsewhere", 1),
        ("invalid_json", 1),
        ("deep_problem", 1),
    ],
)
def test_what_is_retried(bad_server: MisbehavingServer, case: str, attempts: int) -> None:
    """A 500 page, a 429 and a broken connection are retried, then raised; an
    answer outside the contract is not (it would be the same again), and a
    redirect is never followed (it could carry the credential elsewhere)."""
    client = _sync_client(bad_server.url, case)
    before = len(bad_server.seen)
    with pytest.raises(ALLOWED_ERRORS):
        client.users.me()
    client._http.close()
    assert bad_server.seen[before:] == [("GET", f"/{case}/v1/users/me")] * attempts
