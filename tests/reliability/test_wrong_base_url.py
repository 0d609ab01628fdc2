"""Issue 28's Verify, against the real reference server: a wrong base URL (a
path the API does not have, or `/v1` given twice) is named as the likely
cause of the 404, with the URL requested; a missing user still says "check
the id". Sync and async."""

from __future__ import annotations

from typing import Any

import pytest

from users_sdk import AsyncUsersClient, NotFoundError, UsersClient

from .conftest import OWNER_TOKEN


async def _call(client_kind: str, base_url: str, operation: str, *args: Any) -> NotFoundError:
    """The NotFoundError of `client.users.<operation>(*args)`."""
    if client_kind == "sync":
        with UsersClient(base_url=base_url, token=OWNER_TOKEN) as client:
            method = getattr(client.users, operation)
            with pytest.raises(NotFoundError) as caught:
                method(*args)
    else:
        async with AsyncUsersClient(base_url=base_url, token=OWNER_TOKEN) as aclient:
            method = getattr(aclient.users, operation)
            with pytest.raises(NotFoundError) as caught:
                await method(*args)
    return caught.value


@pytest.fixture(params=["sync", "async"])
def client_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(("operation", "path"), [("list", "/v1/users"), ("me", "/v1/users/me")])
async def test_a_base_url_with_a_path_the_api_lacks_is_named(
    reference_server: str, client_kind: str, operation: str, path: str
) -> None:
    error = await _call(client_kind, reference_server + "/api", operation)
    message = str(error)
    assert (
        f"The base URL is likely wrong: the request was GET {reference_server}/api{path}. "
        "base_url is the part of the API's URLs before /v1, usually the scheme, host and port "
        f"only (such as {reference_server!r}), not {reference_server + '/api'!r}."
    ) in message, message
    assert "Check the id" not in message
    assert error.problem is not None  # the server's own problem document: still a base URL


@pytest.mark.parametrize(
    ("operation", "args", "path"),
    [("list", (), "/v1/users"), ("me", (), "/v1/users/me"), ("get", ("usr_1",), "/v1/users/usr_1")],
)
async def test_v1_given_twice_is_named_even_with_an_id(
    reference_server: str, client_kind: str, operation: str, args: tuple[str, ...], path: str
) -> None:
    error = await _call(client_kind, reference_server + "/v1", operation, *args)
    assert str(error).endswith(
        f"The base URL is likely wrong: the request was GET {reference_server}/v1{path}. "
        f"base_url {reference_server + '/v1'!r} ends with /v1, which the API's paths begin with "
        f"already: use base_url={reference_server!r}."
    ), str(error)


async def test_a_missing_user_still_says_check_the_id(
    reference_server: str, client_kind: str
) -> None:
    error = await _call(client_kind, reference_server, "get", "usr_does_not_exist")
    assert str(error).endswith(
        "No user has the id usr_does_not_exist "
        f"(request_id={error.request_id}). Check the id; the user may have been deleted."
    )
