"""The credential never shows in repr(), str(), exception messages or logs."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from typing import Any

import httpx2
import pytest

from users_sdk import UsersAPIError, UsersClient

from .conftest import TOKEN, Recorder, json_response, problem, user_json


@pytest.fixture(params=["httpx2", "httpx"])
def flavour(request: pytest.FixtureRequest) -> str:
    """Every test here also runs on a caller's legacy httpx client (conftest.py)."""
    return str(request.param)


API_KEY = "key_unit_secret_abcdef"


def test_repr_of_clients_and_resources_hides_the_credential(make_client: Any) -> None:
    for client in (make_client(Recorder()), make_client(Recorder(), token=None, api_key=API_KEY)):
        for obj in (client, client.users, client.with_options(timeout=1.0)):
            assert TOKEN not in repr(obj)
            assert API_KEY not in repr(obj)
            assert TOKEN not in str(obj)
            assert API_KEY not in str(obj)
    assert "[REDACTED]" in repr(client)


def test_errors_do_not_carry_the_credential_in_their_message(make_client: Any) -> None:
    responses = [json_response(status, problem(status)) for status in (401, 403, 404, 422, 500)]
    responses += [httpx2.Response(520, text="?"), httpx2.ConnectError("refused")]
    recorder = Recorder(*responses)
    client = make_client(recorder, max_retries=0)
    for _ in range(len(responses)):
        with pytest.raises(UsersAPIError) as caught:
            client.users.get("usr_1")
        for text in (str(caught.value), repr(caught.value), str(caught.value.args)):
            assert TOKEN not in text


def test_headers_kept_on_errors_and_responses_hide_the_api_key(make_client: Any) -> None:
    """httpx2 hides Authorization in a Headers repr but not X-API-Key; the
    requests the SDK keeps on errors and raw responses hide both."""
    recorder = Recorder(json_response(500, problem(500)), json_response(200, user_json()))
    client = make_client(recorder, token=None, api_key=API_KEY, max_retries=0)
    with pytest.raises(UsersAPIError) as caught:
        client.users.get("usr_1")
    raw = client.users.with_raw_response.get("usr_1")
    for request in (caught.value.response.request, raw.http_response.request):
        shown = repr(request.headers)
        assert API_KEY not in shown
        assert "'x-api-key': '[secure]'" in shown
        assert request.headers["X-API-Key"] == API_KEY  # still sent as given
    assert [sent.headers["x-api-key"] for sent in recorder.requests] == [API_KEY, API_KEY]


def test_debug_logs_never_contain_the_credential_or_a_password(
    make_client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    recorder = Recorder(
        json_response(503, problem(503)),
        httpx2.Response(204),
        json_response(200, user_json()),
    )
    with caplog.at_level(logging.DEBUG):
        client = make_client(recorder)
        client.users.set_password("rst_secret_token", "correct horse battery staple")
        client.users.me()
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert "/v1/users/set-password -> 204" in text
    for secret in (TOKEN, "rst_secret_token", "correct horse battery staple"):
        assert secret not in text


def test_a_server_echoing_the_password_or_reset_token_does_not_reach_messages(
    make_client: Any,
) -> None:
    def echo(request: httpx2.Request) -> httpx2.Response:
        detail = f"Rejected request body: {request.content.decode()}"
        return json_response(400, problem(400, detail))

    client = make_client(echo)
    with pytest.raises(UsersAPIError) as caught:
        client.users.set_password("rst_secret_token_42", "correct horse battery staple")
    message = str(caught.value)
    assert "Rejected request body" in message  # the echo did reach the message...
    assert "rst_secret_token_42" not in message  # ...but not the secrets in it
    assert "correct horse battery staple" not in message
    assert "[REDACTED]" in message
    assert "rst_secret_token_42" not in caught.value.detail


def test_a_one_letter_credential_does_not_mangle_messages(make_client: Any) -> None:
    recorder = Recorder(json_response(404, problem(404, "No user has the id usr_9.")))
    with pytest.raises(UsersAPIError) as caught:
        make_client(recorder, token="e").users.get("usr_9")
    assert "GET /v1/users/usr_9 -> 404" in str(caught.value)


def test_users_sdk_log_env_turns_on_debug_output() -> None:
    code = (
        "import httpx2, users_sdk\n"
        "def handler(request):\n"
        "    return httpx2.Response(204, headers={'x-request-id': 'req_9'})\n"
        "c = users_sdk.UsersClient(base_url='http://t.test', token='tok_env_secret',\n"
        "    http_client=httpx2.Client(transport=httpx2.MockTransport(handler)))\n"
        "c.users.delete('usr_1')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "USERS_SDK_LOG": "debug"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert "users_sdk DEBUG DELETE /v1/users/usr_1 -> 204" in result.stderr
    assert "request_id=req_9" in result.stderr
    assert "tok_env_secret" not in result.stderr


def test_certificate_verification_is_on_by_default() -> None:
    client = UsersClient(base_url="https://users.example.com", token="t")
    transport = client._http._transport
    ssl_context = transport._pool._ssl_context  # type: ignore[attr-defined]
    import ssl

    assert ssl_context.verify_mode == ssl.CERT_REQUIRED
    assert ssl_context.check_hostname
    client.close()
