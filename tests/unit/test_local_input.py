"""Bad local input raises SDK errors before anything is sent."""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

import httpx2
import pytest

from users_sdk import (
    ConfigurationError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    UsersAPIError,
    UsersClient,
)

from .conftest import Recorder, user_json


@pytest.mark.parametrize("user_id", ["", "   ", ".", "..", "a/b", "../admin", "a\\b", "x?y", "a#b"])
def test_ids_that_would_leave_their_path_segment_are_refused(
    make_client: Any, user_id: str
) -> None:
    recorder = Recorder()
    users = make_client(recorder).users
    for call in (users.get, users.delete, users.invite, lambda i: users.update(i, phone=None)):
        with pytest.raises(InvalidArgumentError):
            call(user_id)
    assert recorder.requests == []


@pytest.mark.parametrize("user_id", [None, 42, b"usr_1", ["usr_1"]])
def test_ids_of_the_wrong_type_are_type_errors(make_client: Any, user_id: Any) -> None:
    recorder = Recorder()
    with pytest.raises(InvalidArgumentTypeError, match="user_id must be a str"):
        make_client(recorder).users.get(user_id)
    assert recorder.requests == []


def test_percent_escapes_in_ids_are_encoded_not_decoded(make_client: Any) -> None:
    recorder = Recorder(httpx2.Response(404))
    with pytest.raises(UsersAPIError):
        make_client(recorder, max_retries=0).users.get("%2e%2e")
    assert recorder.requests[0].url.raw_path == b"/v1/users/%252e%252e"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"limit": 0}, InvalidArgumentError, "between 1 and 100"),
        ({"limit": 101}, InvalidArgumentError, "between 1 and 100"),
        ({"limit": "5"}, InvalidArgumentTypeError, "limit must be an int"),
        ({"limit": True}, InvalidArgumentTypeError, "limit must be an int"),
        ({"role": 3}, InvalidArgumentTypeError, "role must be a list of str"),
        ({"role": ["admin", None]}, InvalidArgumentTypeError, "every item of role"),
        ({"sort": ""}, InvalidArgumentError, "sort must not be empty"),
        ({"created_after": "last week"}, InvalidArgumentError, "ISO 8601"),
        ({"created_after": datetime.datetime(2026, 1, 1)}, InvalidArgumentError, "time zone"),
        ({"created_before": 1700000000}, InvalidArgumentTypeError, "datetime"),
        ({"cursor": ""}, InvalidArgumentError, "cursor must not be empty"),
    ],
)
def test_bad_list_arguments(make_client: Any, kwargs: Any, error: type, message: str) -> None:
    recorder = Recorder()
    with pytest.raises(error, match=message):
        make_client(recorder).users.list(**kwargs)
    assert recorder.requests == []


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "message"),
    [
        ((), {"display_name": "No email"}, InvalidArgumentError, "email is required"),
        ((), {"email": 42}, InvalidArgumentTypeError, "email must be a str"),
        ((), {"email": None}, InvalidArgumentTypeError, "email cannot be None"),
        ((), {"email": "a@b.c", "groups": "eng"}, InvalidArgumentTypeError, "groups must be"),
        ((), {"email": "a@b.c", "metadata": {"n": 1}}, InvalidArgumentTypeError, "metadata"),
        ((), {"email": "a@b.c", "send_invite": "yes"}, InvalidArgumentTypeError, "send_invite"),
        (("not a dict",), {}, InvalidArgumentTypeError, "UserCreate must be a dict"),
        ((), {"email": "a@b.c", "idempotency_key": ""}, InvalidArgumentError, "idempotency_key"),
        ((), {"email": "a@b.c", "idempotency_key": 7}, InvalidArgumentTypeError, "idempotency"),
        ((), {"email": "a@b.c", "timeout": -1}, InvalidArgumentError, "timeout"),
    ],
)
def test_bad_create_arguments(
    make_client: Any, args: Any, kwargs: Any, error: type, message: str
) -> None:
    recorder = Recorder()
    with pytest.raises(error, match=message):
        make_client(recorder).users.create(*args, **kwargs)
    assert recorder.requests == []


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"display_name": None}, InvalidArgumentTypeError, "display_name cannot be None"),
        ({"role": None}, InvalidArgumentTypeError, "role cannot be None"),
        ({"if_match": True}, InvalidArgumentTypeError, "if_match"),
        ({"if_match": "é"}, InvalidArgumentError, "if_match"),
    ],
)
def test_bad_update_arguments(make_client: Any, kwargs: Any, error: type, message: str) -> None:
    recorder = Recorder()
    with pytest.raises(error, match=message):
        make_client(recorder).users.update("usr_1", **kwargs)
    assert recorder.requests == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"send_invite": True}, "UserUpdate has no field 'send_invite'"),
        ({"deparment": "R&D"}, "deparment: did you mean department?"),
    ],
)
def test_a_field_update_does_not_take_is_refused(make_client: Any, body: Any, message: str) -> None:
    recorder = Recorder()
    with pytest.raises(InvalidArgumentError, match=re.escape(message)):
        make_client(recorder).users.update("usr_1", body)
    assert recorder.requests == []


def mock_client(handler: Any) -> UsersClient:
    transport = httpx2.MockTransport(handler)
    return UsersClient(
        base_url="http://test", token="t", http_client=httpx2.Client(transport=transport)
    )


@pytest.mark.parametrize(
    "email",
    ["not-an-email", "", "@example.com", "ada@", "ada@@example.com", "a@b@c.d", "ada @x.io"],
)
def test_an_email_field_is_checked_before_anything_is_sent(email: str) -> None:
    sent: list[httpx2.Request] = []
    client = mock_client(lambda request: sent.append(request) or httpx2.Response(500))
    with pytest.raises(InvalidArgumentError, match="email must be an email address such as"):
        client.users.create(email=email)
    with pytest.raises(InvalidArgumentError, match="email must be an email address such as"):
        client.users.update("usr_1", email=email)
    assert sent == []


def test_an_email_goes_on_the_wire_as_given() -> None:
    sent: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        sent.append(request)
        return httpx2.Response(201, json=user_json(email="Ada.L+x@Example.com"))

    created = mock_client(handler).users.create(email="Ada.L+x@Example.com")
    assert json.loads(sent[0].content) == {"email": "Ada.L+x@Example.com"}
    assert created.email == "Ada.L+x@Example.com"
    assert type(created.email) is str


def test_bad_password_arguments(make_client: Any) -> None:
    recorder = Recorder()
    users = make_client(recorder).users
    with pytest.raises(InvalidArgumentTypeError, match="email must be a str"):
        users.reset_password(b"ada@example.com")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentTypeError, match="password cannot be None: PasswordSet"):
        users.set_password("tok", None)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentTypeError, match="password must be a str"):
        users.set_password("tok", 12)  # type: ignore[arg-type]
    # The spec's minLength: an empty token, a password shorter than 12 characters.
    with pytest.raises(InvalidArgumentError, match="reset_token must not be empty"):
        users.set_password("", "a long passphrase")
    with pytest.raises(
        InvalidArgumentError, match="password must be at least 12 characters, not 5"
    ):
        users.set_password("tok", "short")
    assert recorder.requests == []


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"base_url": None}, "no base URL"),
        ({"base_url": "ftp://example.com"}, "http:// or https://"),
        ({"base_url": "http://"}, "with a host"),
        ({"base_url": "http://x?y=1"}, "query"),
        ({"token": None}, "no credential"),
        ({"token": "t", "api_key": "k"}, "not both"),
        ({"token": "  "}, "non-empty"),
        ({"token": "line\nbreak"}, "printable ASCII"),
        ({"timeout": 0}, "positive number"),
        ({"max_retries": -1}, "max_retries"),
        ({"max_retries": 1.5}, "max_retries"),
        ({"headers": {"X-A": 1}}, "headers"),
    ],
)
def test_bad_configuration(
    monkeypatch: pytest.MonkeyPatch, options: dict[str, Any], message: str
) -> None:
    for name in ("USERS_API_BASE_URL", "USERS_API_TOKEN", "USERS_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    arguments = {"base_url": "http://users.test", "token": "t", **options}
    with pytest.raises(ConfigurationError, match=message) as caught:
        UsersClient(**arguments)
    assert "line\nbreak" not in str(caught.value)
