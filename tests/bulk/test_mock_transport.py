"""The import's requests and its error mapping, through httpx2.MockTransport."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx2
import pytest

from users_sdk import (
    APIConnectionError,
    AuthenticationError,
    InternalServerError,
    UnexpectedResponseError,
    UsersClient,
    _retries,
    bulk,
)

TOKEN = "tok_bulk_secret_0123456789"


def user_json(number: int, email: str) -> dict[str, Any]:
    return {
        "id": f"usr_{number:04d}", "email": email, "display_name": email, "first_name": None,
        "last_name": None, "username": None, "role": "member", "status": "invited",
        "phone": None, "department": None, "groups": [], "permissions": [], "metadata": {},
        "account_id": None, "is_service_user": False, "last_login_at": None,
        "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z", "version": 1,
    }  # fmt: skip


class FakeApi:
    """Creates users and replays Idempotency-Keys, as the reference server does."""

    def __init__(self) -> None:
        self.requests: list[httpx2.Request] = []
        self.stored: dict[str, dict[str, Any]] = {}
        self.fail_next: list[Callable[[httpx2.Request], httpx2.Response]] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        if self.fail_next:
            return self.fail_next.pop(0)(request)
        key = request.headers["idempotency-key"]
        if key in self.stored:
            return httpx2.Response(
                201, json=self.stored[key], headers={"Idempotent-Replayed": "true"}
            )
        body = json.loads(request.content)
        self.stored[key] = user_json(len(self.stored) + 1, body["email"])
        return httpx2.Response(201, json=self.stored[key])


@pytest.fixture
def api() -> FakeApi:
    return FakeApi()


@pytest.fixture
def client(api: FakeApi) -> UsersClient:
    http = httpx2.Client(transport=httpx2.MockTransport(api))
    return UsersClient(base_url="http://users.test", token=TOKEN, http_client=http)


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_retries, "backoff_delay", lambda retry_number, rng=None: 0.0)


def test_each_row_carries_its_derived_key(client: UsersClient, api: FakeApi) -> None:
    rows = [{"email": "a@x.example", "role": "member"}, {"email": "b@x.example"}]
    bulk.import_users(client, rows, import_id="keys", concurrency=1)
    sent = {json.loads(r.content)["email"]: r.headers["idempotency-key"] for r in api.requests}
    assert sent == {row["email"]: bulk.idempotency_key_for("keys", row) for row in rows}


def test_the_key_depends_on_content_and_import_not_on_key_order() -> None:
    key = bulk.idempotency_key_for("imp", {"email": "a@x.example", "role": "admin"})
    assert key == bulk.idempotency_key_for("imp", {"role": "admin", "email": "a@x.example"})
    assert key != bulk.idempotency_key_for("imp", {"email": "a@x.example", "role": "member"})
    assert key != bulk.idempotency_key_for("imp2", {"email": "a@x.example", "role": "admin"})
    assert len(key) <= 255
    assert key.isascii()
    assert key.isprintable()
    # Fixed for ever: a rerun by a later users-sdk must send the same key.
    assert key == "bulk-bbbe98c8c536500d5a44f6865389baa1dcf22075c64aa12178fdbf82388ec8f5"


def test_a_replayed_answer_is_reported_as_replayed(client: UsersClient, api: FakeApi) -> None:
    rows = [{"email": f"u{n}@x.example"} for n in range(5)]
    first = bulk.import_users(client, rows, import_id="r")
    second = bulk.import_users(client, rows, import_id="r")
    assert (first.created, second.replayed) == (5, 5)
    assert len(api.stored) == 5


def test_connection_errors_are_retried_with_the_same_key(client: UsersClient, api: FakeApi) -> None:
    def drop(request: httpx2.Request) -> httpx2.Response:
        raise httpx2.ConnectError("connection refused", request=request)

    api.fail_next = [drop, drop]
    summary = bulk.import_users(client, [{"email": "a@x.example"}], import_id="c")
    assert summary.created == 1
    keys = {request.headers["idempotency-key"] for request in api.requests}
    assert (len(api.requests), len(keys)) == (3, 1)


def test_a_server_down_from_the_start_stops_the_import(client: UsersClient, api: FakeApi) -> None:
    def drop(request: httpx2.Request) -> httpx2.Response:
        raise httpx2.ConnectError("connection refused", request=request)

    api.fail_next = [drop] * 10
    with pytest.raises(APIConnectionError, match=r"check that http://users\.test is reachable"):
        bulk.import_users(client, [{"email": "a@x.example"}], import_id="c")
    assert len(api.requests) == 4  # the first attempt and three retries


def test_a_server_that_goes_down_later_fails_the_rows_it_could_not_take(api: FakeApi) -> None:
    def first_only(request: httpx2.Request) -> httpx2.Response:
        if api.stored:
            raise httpx2.ConnectError("connection refused", request=request)
        return api(request)

    http = httpx2.Client(transport=httpx2.MockTransport(first_only))
    with UsersClient(base_url="http://users.test", token=TOKEN, http_client=http) as client:
        rows = [{"email": "a@x.example"}, {"email": "b@x.example"}]
        summary = bulk.import_users(client, rows, import_id="later", concurrency=1)
    assert (summary.created, summary.failed) == (1, 1)
    assert isinstance(summary.failures[0].error, APIConnectionError)


def test_a_refused_credential_stops_the_import(client: UsersClient, api: FakeApi) -> None:
    def refuse(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(401, json={"title": "Unauthorized", "status": 401})

    api.fail_next = [refuse] * 50
    rows = [{"email": f"u{n}@x.example"} for n in range(50)]
    with pytest.raises(AuthenticationError):
        bulk.import_users(client, rows, import_id="auth", concurrency=2)
    assert len(api.requests) < 50  # it stopped, it did not send every row to be refused


def test_a_500_is_retried_then_reported(client: UsersClient, api: FakeApi) -> None:
    api.fail_next = [lambda request: httpx2.Response(500, json={"title": "boom"})] * 10
    summary = bulk.import_users(client, [{"email": "a@x.example"}], import_id="c")
    assert isinstance(summary.failures[0].error, InternalServerError)
    assert len(api.requests) == 4


def test_the_client_does_not_retry_behind_the_imports_back(
    client: UsersClient, api: FakeApi
) -> None:
    throttle = httpx2.Response(429, headers={"Retry-After": "0"})
    api.fail_next = [lambda request: throttle] * 2
    progress: list[bulk.ImportProgress] = []
    bulk.import_users(
        client, [{"email": "a@x.example"}], import_id="t", on_progress=progress.append
    )
    # Each 429 reached the import (the client's own retries are off for it).
    assert progress[-1].throttled == 2
    assert len(api.requests) == 3
    assert client.max_retries == 2  # the caller's client is left as it was


def test_a_response_outside_the_spec_fails_the_row(client: UsersClient, api: FakeApi) -> None:
    api.fail_next = [lambda request: httpx2.Response(201, text="<html>proxy</html>")]
    summary = bulk.import_users(client, [{"email": "a@x.example"}], import_id="u")
    assert isinstance(summary.failures[0].error, UnexpectedResponseError)


def test_no_token_in_results_or_messages(client: UsersClient, api: FakeApi) -> None:
    def echo(request: httpx2.Request) -> httpx2.Response:
        # A server that quotes the credential back in its error.
        return httpx2.Response(
            422, json={"title": "bad", "detail": f"token {request.headers['authorization']}"}
        )

    api.fail_next = [echo]
    summary = bulk.import_users(client, [{"email": "a@x.example"}], import_id="s")
    (failure,) = summary.failures
    for text in (repr(summary), repr(failure), str(failure.error), repr(failure.error)):
        assert TOKEN not in text


def test_import_users_sdk_does_not_load_bulk() -> None:
    probe = "import sys, users_sdk; print('users_sdk.bulk' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_invitations_carry_a_key_of_their_own(client: UsersClient, api: FakeApi) -> None:
    invited: list[httpx2.Request] = []

    def invite(request: httpx2.Request) -> httpx2.Response:
        invited.append(request)
        body = {
            "user_id": "usr_0001",
            "sent_at": "2026-12-01T00:00:00Z",
            "expires_at": "2026-12-08T00:00:00Z",
        }
        return httpx2.Response(202, json=body)

    original = api.__call__

    def route(request: httpx2.Request) -> httpx2.Response:
        return invite(request) if request.url.path.endswith("/invite") else original(request)

    client_with_invites = UsersClient(
        base_url="http://users.test", token=TOKEN,
        http_client=httpx2.Client(transport=httpx2.MockTransport(route)),
    )  # fmt: skip
    row = {"email": "a@x.example"}
    summary = bulk.import_users(client_with_invites, [row], import_id="i", invite=True)
    assert summary.created == 1
    (request,) = invited
    row_key = bulk.idempotency_key_for("i", row)
    assert request.url.path == "/v1/users/usr_0001/invite"
    assert request.headers["idempotency-key"] == "bulk-invite-" + row_key.removeprefix("bulk-")


def test_a_502_after_a_run_of_429s_is_still_retried(client: UsersClient, api: FakeApi) -> None:
    def throttle(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(429, headers={"Retry-After": "0"}, json={"title": "slow down"})

    def bad_gateway(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(502, json={"title": "bad gateway"})

    # Five throttles used to use up the three transient retries: the 502 was final.
    api.fail_next = [throttle] * 5 + [bad_gateway] * 3
    summary = bulk.import_users(client, [{"email": "a@x.example"}], import_id="t")
    assert (summary.created, summary.failed) == (1, 0)
    assert len(api.requests) == 9


def test_an_import_stopped_by_a_callback_lets_the_calls_in_flight_end_first(
    api: FakeApi,
) -> None:
    # The caller closes its client right after: a worker still sending would then
    # open a connection that nothing closes (a ResourceWarning, seen in CI).
    def slow(request: httpx2.Request) -> httpx2.Response:
        time.sleep(0.2)
        return api(request)

    class Enough(Exception):
        pass

    def stop(result: bulk.RowResult) -> None:
        raise Enough

    http = httpx2.Client(transport=httpx2.MockTransport(slow))
    with UsersClient(base_url="http://users.test", token=TOKEN, http_client=http) as client:
        rows = [{"email": f"u{n}@x.example"} for n in range(50)]
        with pytest.raises(Enough):
            bulk.import_users(client, rows, import_id="stop", on_result=stop)
        busy = [t.name for t in threading.enumerate() if t.name.startswith("users-sdk-import-")]
    assert busy == []
