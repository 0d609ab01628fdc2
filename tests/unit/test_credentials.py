"""Credential providers: asked before each attempt, asked once more after a 401,
never a loop; their failures are CredentialProviderError; their values never shown."""

from __future__ import annotations

import itertools
import logging
from typing import Any

import httpx2
import pytest

from users_sdk import (
    AsyncUsersClient,
    AuthenticationError,
    ConfigurationError,
    CredentialProviderError,
    InvalidArgumentError,
    UsersClient,
)

from .conftest import BASE_URL, Recorder, json_response, problem, user_json


def ok() -> httpx2.Response:
    return json_response(200, user_json())


def unauthorized() -> httpx2.Response:
    return json_response(401, problem(401, "the token was not accepted"))


class Tokens:
    """A provider handing out tok_1, tok_2, ... and counting how often it was asked."""

    def __init__(self, *, rotate: bool = True) -> None:
        self.asked = 0
        self.rotate = rotate

    def __call__(self) -> str:
        self.asked += 1
        return f"tok_{self.asked if self.rotate else 1}"


def sent_tokens(recorder: Recorder) -> list[str]:
    return [headers["authorization"] for headers in recorder.sent_headers]


def test_the_provider_is_asked_before_every_attempt(make_client: Any, sleeps: list[float]) -> None:
    tokens = Tokens()
    recorder = Recorder(json_response(503, problem(503)), json_response(503, problem(503)), ok())
    make_client(recorder, token=tokens).users.get("usr_0001")
    assert sent_tokens(recorder) == ["Bearer tok_1", "Bearer tok_2", "Bearer tok_3"]
    assert tokens.asked == 3


def test_a_rotated_token_costs_one_retry_with_the_same_idempotency_key(
    make_client: Any, sleeps: list[float]
) -> None:
    tokens = Tokens()
    recorder = Recorder(unauthorized(), ok())
    make_client(recorder, token=tokens).users.create(email="ada@example.com")
    assert sent_tokens(recorder) == ["Bearer tok_1", "Bearer tok_2"]
    keys = {r.headers["idempotency-key"] for r in recorder.requests}
    assert len(keys) == 1
    assert sleeps == []  # a refreshed credential is sent at once


def test_a_provider_that_gives_the_same_refused_token_fails_after_one_attempt(
    make_client: Any,
) -> None:
    recorder = Recorder(unauthorized())
    tokens = Tokens(rotate=False)
    with pytest.raises(AuthenticationError):
        make_client(recorder, token=tokens).users.get("usr_0001")
    assert len(recorder.requests) == 1
    assert tokens.asked == 2  # before the attempt, and once after the 401


def test_a_credential_still_refused_after_the_refresh_fails_after_two_attempts(
    make_client: Any,
) -> None:
    recorder = Recorder(*(unauthorized() for _ in range(5)))
    with pytest.raises(AuthenticationError):
        make_client(recorder, token=Tokens()).users.get("usr_0001")
    assert sent_tokens(recorder) == ["Bearer tok_1", "Bearer tok_2"]


def test_a_refresh_does_not_spend_a_retry(make_client: Any, sleeps: list[float]) -> None:
    recorder = Recorder(
        json_response(503, problem(503)), unauthorized(), json_response(503, problem(503)), ok()
    )
    make_client(recorder, token=Tokens(), max_retries=2).users.get("usr_0001")
    assert len(recorder.requests) == 4
    assert len(sleeps) == 2


def test_a_fixed_token_is_not_retried_after_a_401(make_client: Any) -> None:
    recorder = Recorder(unauthorized())
    with pytest.raises(AuthenticationError):
        make_client(recorder, token="tok_fixed").users.get("usr_0001")
    assert len(recorder.requests) == 1


def test_an_api_key_provider_is_sent_as_x_api_key(make_client: Any) -> None:
    recorder = Recorder(ok())
    make_client(recorder, token=None, api_key=lambda: "key_1").users.get("usr_0001")
    assert recorder.requests[0].headers["x-api-key"] == "key_1"
    assert "authorization" not in recorder.requests[0].headers


def failing_provider() -> str:
    raise RuntimeError("the vault is sealed")


@pytest.mark.parametrize(
    ("provider", "reason"),
    [
        (failing_provider, "failing_provider() raised RuntimeError"),
        (lambda: None, "returned a value that is not a credential: it must be a non-empty str"),
        (lambda: "tok_secret_value ", "it has leading or trailing whitespace"),
        (lambda: "\ttok_secret_value", "it has leading or trailing whitespace"),
        (lambda: "tok_secret\nvalue", "it must be printable ASCII without line breaks"),
    ],
)
def test_a_failing_provider_is_named_and_its_value_never_shown(
    make_client: Any, provider: Any, reason: str
) -> None:
    recorder = Recorder(ok())
    with pytest.raises(CredentialProviderError) as raised:
        make_client(recorder, token=provider).users.get("usr_0001")
    message = str(raised.value)
    assert "the token provider " in message
    assert reason in message
    assert "tok_secret" not in message
    assert recorder.requests == []  # nothing was sent


def test_the_providers_own_exception_is_the_cause(make_client: Any) -> None:
    with pytest.raises(CredentialProviderError) as raised:
        make_client(Recorder(), token=failing_provider).users.get("usr_0001")
    assert isinstance(raised.value.__cause__, RuntimeError)


def test_a_sync_client_refuses_an_async_provider() -> None:
    async def fetch() -> str:
        return "tok_1"

    with pytest.raises(ConfigurationError, match="token= is an async function"):
        UsersClient(base_url=BASE_URL, token=fetch)


def test_a_provider_that_returns_a_coroutine_to_a_sync_client_fails_clearly(
    make_client: Any,
) -> None:
    async def fetch() -> str:
        return "tok_1"

    with pytest.raises(CredentialProviderError, match="returned an awaitable"):
        make_client(Recorder(), token=lambda: fetch()).users.get("usr_0001")


@pytest.mark.anyio
async def test_the_async_client_awaits_an_async_provider(make_async_client: Any) -> None:
    counter = itertools.count(1)

    async def fetch() -> str:
        return f"tok_{next(counter)}"

    recorder = Recorder(unauthorized(), ok())
    client: AsyncUsersClient = make_async_client(recorder, token=fetch)
    await client.users.get("usr_0001")
    assert sent_tokens(recorder) == ["Bearer tok_1", "Bearer tok_2"]


@pytest.mark.anyio
async def test_the_async_client_takes_a_plain_provider_too(make_async_client: Any) -> None:
    recorder = Recorder(ok())
    await make_async_client(recorder, token=lambda: "tok_plain").users.get("usr_0001")
    assert sent_tokens(recorder) == ["Bearer tok_plain"]


def test_repr_and_logs_never_show_a_provided_token(
    make_client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    def vault_token() -> str:
        return "tok_from_the_vault_123"

    recorder = Recorder(unauthorized(), unauthorized())
    client = make_client(recorder, token=vault_token)
    assert (
        "token=<provider test_repr_and_logs_never_show_a_provided_token.<locals>.vault_token()>"
        in repr(client)
    )
    caplog.set_level(logging.DEBUG, logger="users_sdk")
    with pytest.raises(AuthenticationError) as raised:
        client.users.get("usr_0001")
    shown = caplog.text + str(raised.value) + repr(raised.value.response.request.headers)
    assert "tok_from_the_vault_123" not in shown
    assert "tok_from_the_vault_123" not in repr(client)


def test_with_options_changes_the_credential_and_base_url_sharing_the_pool(
    make_client: Any,
) -> None:
    recorder = Recorder(ok(), ok(), ok())
    client = make_client(recorder, token="tok_owner")
    viewer = client.with_options(token="tok_viewer")
    moved = client.with_options(base_url="http://other.test/api", token=Tokens())
    client.users.get("usr_0001")
    viewer.users.get("usr_0001")
    moved.users.get("usr_0001")
    assert sent_tokens(recorder) == ["Bearer tok_owner", "Bearer tok_viewer", "Bearer tok_1"]
    assert str(recorder.requests[2].url) == "http://other.test/api/v1/users/usr_0001"
    assert viewer._http is client._http
    assert moved._http is client._http


# Surrounding whitespace in a credential (a copy-paste slip, a file's last line)
# is refused when the client is built, naming where the value came from; httpx2
# refused it only at the first request, as "got no response (LocalProtocolError)".

SECRET = "tok_secret_value"
PADDED = [f"{SECRET} ", f" {SECRET}", f"{SECRET}\t", f"{SECRET}\n", f"\r\n{SECRET}"]


@pytest.mark.parametrize("value", PADDED)
@pytest.mark.parametrize("kind", ["token", "api_key"])
def test_a_padded_credential_argument_is_a_configuration_error(kind: str, value: str) -> None:
    with pytest.raises(ConfigurationError) as raised:
        UsersClient(base_url=BASE_URL, **{kind: value})
    message = str(raised.value)
    assert message.startswith(f"{kind}= has leading or trailing whitespace")
    assert SECRET not in message
    assert SECRET not in repr(raised.value.args)


@pytest.mark.parametrize("value", PADDED)
@pytest.mark.parametrize("variable", ["USERS_API_TOKEN", "USERS_API_KEY"])
def test_a_padded_credential_in_the_environment_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.delenv("USERS_API_TOKEN", raising=False)
    monkeypatch.setenv(variable, value)
    for client_class in (UsersClient, AsyncUsersClient):
        with pytest.raises(ConfigurationError) as raised:
            client_class(base_url=BASE_URL)
        message = str(raised.value)
        assert message.startswith(f"{variable} has leading or trailing whitespace (a space, tab")
        assert SECRET not in message


def test_with_options_refuses_a_padded_credential(make_client: Any) -> None:
    client = make_client(Recorder())
    with pytest.raises(ConfigurationError, match=r"^api_key= has leading or trailing"):
        client.with_options(api_key=f"{SECRET} ")


@pytest.mark.anyio
async def test_an_async_provider_returning_a_padded_value_fails_before_sending(
    make_async_client: Any,
) -> None:
    async def padded() -> str:
        return f"{SECRET} "

    recorder = Recorder(ok())
    with pytest.raises(CredentialProviderError) as raised:
        await make_async_client(recorder, token=padded).users.get("usr_0001")
    assert "returned a value that is not a credential: it has leading or trailing" in str(
        raised.value
    )
    assert SECRET not in str(raised.value)
    assert recorder.requests == []


def test_a_padded_header_value_is_refused_before_sending(make_client: Any) -> None:
    # A credential may travel in a header of the caller's too (a gateway's key).
    with pytest.raises(ConfigurationError) as raised:
        make_client(Recorder(), headers={"X-Gateway-Key": f"{SECRET} "})
    assert "header 'X-Gateway-Key' has leading or trailing whitespace" in str(raised.value)
    assert SECRET not in str(raised.value)
    client = make_client(Recorder())
    with pytest.raises(InvalidArgumentError) as caught:
        client.users.me(extra_headers={"X-Gateway-Key": f"\t{SECRET}"})
    assert "header X-Gateway-Key has leading or trailing whitespace" in str(caught.value)
    assert SECRET not in str(caught.value)
