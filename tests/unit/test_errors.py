"""Every failure becomes an exception of the SDK's tree, with a useful message."""

from __future__ import annotations

import inspect
import json
from typing import Any

import httpx2
import pytest

import users_sdk
from users_sdk import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ContentTooLargeError,
    InternalServerError,
    NotFoundError,
    NotImplementedByServerError,
    PermissionDeniedError,
    PreconditionFailedError,
    RateLimitError,
    UnexpectedResponseError,
    UsersAPIError,
    ValidationError,
    _exceptions,
)

from .conftest import Recorder, json_response, problem, user_json


@pytest.fixture(params=["httpx2", "httpx"])
def flavour(request: pytest.FixtureRequest) -> str:
    """Every test here also runs on a caller's legacy httpx client (conftest.py)."""
    return str(request.param)


STATUS_CLASSES = [
    (400, BadRequestError),
    (401, AuthenticationError),
    (403, PermissionDeniedError),
    (404, NotFoundError),
    (409, ConflictError),
    (412, PreconditionFailedError),
    (413, ContentTooLargeError),
    (418, APIStatusError),
    (422, ValidationError),
    (429, RateLimitError),
    (500, InternalServerError),
    (501, NotImplementedByServerError),
    (502, InternalServerError),
    (503, InternalServerError),
    (504, InternalServerError),
]


@pytest.mark.parametrize(("status", "error_class"), STATUS_CLASSES)
def test_each_status_maps_to_its_class(make_client: Any, status: int, error_class: type) -> None:
    recorder = Recorder(json_response(status, problem(status, "No user has the id usr_9.")))
    client = make_client(recorder, max_retries=0)
    with pytest.raises(error_class) as caught:
        client.users.get("usr_9")
    error = caught.value
    assert type(error) is error_class
    assert isinstance(error, APIStatusError)
    assert error.status_code == status
    assert error.request_id == "req_unit_1"
    assert error.problem is not None
    assert error.problem.detail == "No user has the id usr_9."
    message = str(error)
    for part in ("GET", "/v1/users/usr_9", str(status), "No user has the id usr_9 (", "req_unit_1"):
        assert part in message


def test_validation_error_lists_each_field(make_client: Any) -> None:
    errors = [
        {"field": "email", "message": "not a valid email address", "code": "invalid_email"},
        {"field": "role", "message": "not one of the roles", "code": "enum"},
    ]
    recorder = Recorder(json_response(422, problem(422, "2 fields are not valid", errors=errors)))
    with pytest.raises(ValidationError) as caught:
        make_client(recorder).users.create(email="ada@localhost", role="admin")
    assert [(e.field, e.code) for e in caught.value.errors] == [
        ("email", "invalid_email"),
        ("role", "enum"),
    ]
    assert "email: not a valid email address (invalid_email)" in str(caught.value)


def test_rate_limit_error_carries_retry_after(make_client: Any) -> None:
    recorder = Recorder(json_response(429, problem(429), **{"retry-after": "7"}))
    with pytest.raises(RateLimitError) as caught:
        make_client(recorder, max_retries=0).users.me()
    assert caught.value.retry_after == 7.0


def test_an_html_error_page_is_still_a_status_error(make_client: Any) -> None:
    page = "<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>"
    recorder = Recorder(httpx2.Response(500, text=page, headers={"content-type": "text/html"}))
    with pytest.raises(InternalServerError) as caught:
        make_client(recorder, max_retries=0).users.get("usr_1")
    assert caught.value.problem is None
    assert caught.value.body == page
    assert "502 Bad Gateway" in str(caught.value)
    assert caught.value.request_id is None


@pytest.mark.parametrize(
    ("response", "reason"),
    [
        (httpx2.Response(520, text="origin error"), "status 520"),
        (httpx2.Response(302, headers={"location": "/elsewhere"}), "status 302"),
        (httpx2.Response(200, text="{not json"), "not valid JSON"),
        (httpx2.Response(200, text="<html>OK</html>"), "not valid JSON"),
        (httpx2.Response(200), "not valid JSON"),
        (json_response(200, ["a", "list"]), "expected a User object"),
        (json_response(200, {k: v for k, v in user_json().items() if k != "email"}), "'email'"),
        (json_response(200, user_json(version="three")), "field 'version' should be an integer"),
        (json_response(200, user_json(groups="eng")), "field 'groups' should be an array"),
        (json_response(200, user_json(created_at="yesterday")), "User"),
        (json_response(200, user_json(phone=5)), "field 'phone' should be a string or null"),
    ],
)
def test_responses_outside_the_contract_are_unexpected_response_errors(
    make_client: Any, response: httpx2.Response, reason: str
) -> None:
    recorder = Recorder(response)
    with pytest.raises(UnexpectedResponseError) as caught:
        make_client(recorder).users.get("usr_1")
    assert reason in str(caught.value)
    assert "GET /v1/users/usr_1" in str(caught.value)
    assert caught.value.status_code == response.status_code


def test_unknown_enum_values_and_fields_are_kept(make_client: Any) -> None:
    data = user_json(status="pending_approval", role="auditor", timezone="Europe/London")
    recorder = Recorder(json_response(200, data))
    user = make_client(recorder).users.get("usr_1")
    assert user.status == "pending_approval"
    assert user.role == "auditor"
    # to_dict() is the stable way to read a field this SDK may not know yet: it works
    # before a regeneration (additional_properties) and after (a typed attribute).
    assert user.to_dict()["timezone"] == "Europe/London"
    round_trip = user.to_dict()
    assert (round_trip["status"], round_trip["role"], round_trip["timezone"]) == (
        "pending_approval",
        "auditor",
        "Europe/London",
    )


def test_a_page_with_a_broken_item_names_it(make_client: Any) -> None:
    page = {
        "items": [user_json(), {"id": "usr_2"}],
        "limit": 20,
        "next_cursor": None,
        "previous_cursor": None,
    }
    with pytest.raises(UnexpectedResponseError, match="required field"):
        make_client(Recorder(json_response(200, page))).users.list()


def test_a_problem_with_malformed_field_errors_still_maps_by_status(make_client: Any) -> None:
    body = problem(422, errors=[{"field": 1}])
    with pytest.raises(ValidationError) as caught:
        make_client(Recorder(json_response(422, body))).users.create(email="a@b.c")
    assert caught.value.problem is None
    assert caught.value.errors == []
    assert caught.value.body == body


def test_connection_failure_is_an_api_connection_error(make_client: Any) -> None:
    recorder = Recorder(*[httpx2.ConnectError("connection refused")] * 3)
    with pytest.raises(APIConnectionError) as caught:
        make_client(recorder).users.get("usr_1")
    assert type(caught.value) is APIConnectionError
    assert "GET /v1/users/usr_1 got no response" in str(caught.value)
    assert isinstance(caught.value.__cause__, httpx2.ConnectError)
    assert len(recorder.requests) == 3


def test_timeout_is_an_api_timeout_error(make_client: Any) -> None:
    recorder = Recorder(httpx2.ReadTimeout("slow"))
    with pytest.raises(APITimeoutError, match="timed out"):
        make_client(recorder, max_retries=0).users.get("usr_1")


def test_non_retryable_transport_errors_are_wrapped_at_once(make_client: Any) -> None:
    recorder = Recorder(httpx2.UnsupportedProtocol("no"))
    with pytest.raises(APIConnectionError):
        make_client(recorder).users.get("usr_1")
    assert len(recorder.requests) == 1


def test_every_exception_is_under_one_root_and_drawn_in_the_tree() -> None:
    # Every exported name, not vars(): users_sdk loads its names on first access.
    exported = [getattr(users_sdk, name) for name in users_sdk.__all__]
    classes = [
        value for value in exported if inspect.isclass(value) and issubclass(value, Exception)
    ]
    assert len(classes) >= 19
    tree = _exceptions.__doc__ or ""
    for cls in classes:
        # A warning is issued, not raised: it has its own root, UserWarning.
        root = UserWarning if issubclass(cls, Warning) else UsersAPIError
        assert issubclass(cls, root), cls
        assert cls.__name__ in tree, cls
    assert [cls.__name__ for cls in classes if issubclass(cls, Warning)] == ["UsersSDKWarning"]


def test_local_errors_are_also_value_and_type_errors() -> None:
    assert issubclass(users_sdk.InvalidArgumentError, ValueError)
    assert issubclass(users_sdk.InvalidArgumentTypeError, TypeError)
    assert issubclass(users_sdk.ConfigurationError, ValueError)


def test_error_body_is_decoded_json(make_client: Any) -> None:
    body = problem(409, "A user with the email ada@example.com already exists.")
    recorder = Recorder(
        httpx2.Response(409, content=json.dumps(body).encode(),
                       headers={"content-type": "application/problem+json"}),
    )  # fmt: skip
    with pytest.raises(ConflictError) as caught:
        make_client(recorder).users.create(email="ada@example.com")
    assert caught.value.body == body
    assert "already exists" in str(caught.value)


def test_a_501_says_the_server_lacks_the_operation_and_is_not_retried(make_client: Any) -> None:
    recorder = Recorder(
        json_response(501, problem(501, "The reference server does not implement suspendUser yet"))
    )
    with pytest.raises(NotImplementedByServerError, match="the SDK's spec may be ahead of it"):
        make_client(recorder, max_retries=3).users.get("usr_1")
    assert len(recorder.requests) == 1


# A 404 names its likely cause: no such user, or a base URL that sends the
# requests elsewhere (users_sdk._not_found). The real server's answers to a
# wrong base URL are in tests/reliability/test_wrong_base_url.py.

NGINX_404 = "<html><head><title>404 Not Found</title></head><body>nginx</body></html>"


def html_404() -> httpx2.Response:
    return httpx2.Response(404, text=NGINX_404, headers={"content-type": "text/html"})


def test_a_404_problem_on_a_path_with_an_id_says_check_the_id(make_client: Any) -> None:
    recorder = Recorder(json_response(404, problem(404, "No user has the id usr_9.")))
    with pytest.raises(NotFoundError) as caught:
        make_client(recorder).users.get("usr_9")
    assert str(caught.value).endswith(". Check the id; the user may have been deleted.")
    assert caught.value.hint == NotFoundError.hint
    assert "base URL" not in str(caught.value)


def test_a_404_that_is_not_a_problem_document_points_to_the_base_url(make_client: Any) -> None:
    # Even on a path with an id: the API always answers with a problem document.
    with pytest.raises(NotFoundError) as caught:
        make_client(Recorder(html_404()), base_url="http://users.test/api").users.get("usr_9")
    message = str(caught.value)
    assert (
        "The base URL is likely wrong: the request was GET http://users.test/api/v1/users/usr_9"
        in message
    )
    assert "the answer is not the API's problem document" in message
    assert "(such as 'http://users.test'), not 'http://users.test/api'" in message
    assert "Check the id" not in message
    assert caught.value.body == NGINX_404


def test_a_404_from_another_server_on_the_base_url_itself_says_so(make_client: Any) -> None:
    with pytest.raises(NotFoundError) as caught:
        make_client(Recorder(html_404())).users.me()
    assert str(caught.value).endswith(
        "The base URL is likely wrong: the request was GET http://users.test/v1/users/me, and "
        "the answer is not the API's problem document. Check that base_url 'http://users.test' "
        "is the Users API (its paths begin with /v1), not another server or a proxy."
    )


@pytest.mark.parametrize(
    ("call", "requested"),
    [
        (lambda users: users.list(), "GET http://users.test/api/v1/users"),
        (lambda users: users.me(), "GET http://users.test/api/v1/users/me"),
        (lambda users: users.create(email="a@example.com"), "POST http://users.test/api/v1/users"),
        (lambda users: users.reset_password("a@example.com"),
         "POST http://users.test/api/v1/users/reset-password"),
    ],
)  # fmt: skip
def test_a_404_problem_on_a_path_without_an_id_points_to_the_base_url(
    make_client: Any, call: Any, requested: str
) -> None:
    recorder = Recorder(json_response(404, problem(404, "There is nothing at this path.")))
    with pytest.raises(NotFoundError) as caught:
        call(make_client(recorder, base_url="http://users.test/api").users)
    message = str(caught.value)
    assert f"The base URL is likely wrong: the request was {requested}." in message
    assert "base_url is the part of the API's URLs before /v1" in message
    assert "problem document" not in message  # it was one
    assert caught.value.hint in message


def test_a_base_url_ending_with_v1_is_named_even_on_a_path_with_an_id(make_client: Any) -> None:
    recorder = Recorder(json_response(404, problem(404, "There is nothing at this path.")))
    with pytest.raises(NotFoundError) as caught:
        make_client(recorder, base_url="http://users.test/v1/").users.get(
            "usr_9", extra_query={"q": "s"}
        )
    assert str(caught.value).endswith(
        "The base URL is likely wrong: the request was GET http://users.test/v1/v1/users/usr_9. "
        "base_url 'http://users.test/v1' ends with /v1, which the API's paths begin with "
        "already: use base_url='http://users.test'."
    )


@pytest.mark.anyio
async def test_the_async_client_points_to_the_base_url_too(make_async_client: Any) -> None:
    client = make_async_client(Recorder(html_404()), base_url="http://users.test/api")
    with pytest.raises(NotFoundError, match=r"The base URL is likely wrong: the request was GET "
                       r"http://users\.test/api/v1/users/usr_9"):  # fmt: skip
        await client.users.get("usr_9")


def test_a_raw_request_keeps_the_id_advice_for_a_problem_and_not_for_a_page(
    make_client: Any,
) -> None:
    recorder = Recorder(json_response(404, problem(404, "No user has the id usr_9.")), html_404())
    client = make_client(recorder)
    with pytest.raises(NotFoundError, match="Check the id"):
        client.request("GET", "/v1/users/usr_9")
    with pytest.raises(NotFoundError, match="The base URL is likely wrong"):
        client.request("GET", "/v1/users/usr_9")


def test_the_412_says_its_advice_once(make_client: Any) -> None:
    detail = 'The user is at version 4, not "3". Read it again and reapply your change.'
    recorder = Recorder(
        json_response(412, problem(412, detail)), json_response(412, problem(412, "Stale."))
    )
    client = make_client(recorder)
    with pytest.raises(PreconditionFailedError) as caught:
        client.users.update("usr_1", role="admin", if_match=3)
    message = str(caught.value)
    assert message.lower().count("again") == 1, message
    assert message.endswith("Read it again and reapply your change (request_id=req_unit_1).")
    assert caught.value.hint == ""
    with pytest.raises(PreconditionFailedError) as caught:  # a detail with no advice gets ours
        client.users.update("usr_1", role="admin", if_match=3)
    assert str(caught.value).endswith(f"(request_id=req_unit_1). {PreconditionFailedError.hint}")
