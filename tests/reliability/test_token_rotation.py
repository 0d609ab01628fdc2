"""Credential providers against the real reference server (test mode rotates and
revokes tokens): a token rotated while 100 calls run loses none, and each call
keeps one Idempotency-Key across its attempts; a revoked token fails with
AuthenticationError after exactly two attempts, never a loop."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

import httpx2
import pytest

from users_sdk import AsyncUsersClient, AuthenticationError, RequestContext, UsersClient

from .conftest import OWNER_TOKEN


class Vault:
    """Where an application's provider reads its token; the rotation writes it."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.reads = 0

    def __call__(self) -> str:
        self.reads += 1
        return self.token


class KeysPerCall:
    """Middleware noting each attempt's Idempotency-Key and status, per call."""

    def __init__(self) -> None:
        self.attempts: dict[str, list[int]] = defaultdict(list)

    def __call__(self, request: httpx2.Request, call_next: Any, context: RequestContext) -> Any:
        response = call_next(request)
        self.attempts[str(context.idempotency_key)].append(response.status_code)
        return response


def rotate(admin: httpx2.Client, vault: Vault) -> None:
    """As an identity provider does: a new token first, then the old one revoked."""
    old = vault.token
    vault.token = admin.post("/_test/tokens", json={"role": "owner"}).json()["token"]
    assert admin.post("/_test/tokens/revoke", json={"token": old}).status_code == 204


def test_a_token_rotated_during_100_calls_loses_none(reference_server: str) -> None:
    domain = f"rot-{uuid.uuid4().hex[:8]}.example.com"
    with httpx2.Client(base_url=reference_server) as admin:
        vault = Vault(admin.post("/_test/tokens", json={"role": "owner"}).json()["token"])
        keys = KeysPerCall()

        def rotate_during_call_50(request: httpx2.Request, call_next: Any, context: Any) -> Any:
            # The 50th call already carries the old token when the rotation happens:
            # the server refuses it, and the client must ask the vault again.
            if len(keys.attempts) == 49 and context.attempt == 1:
                rotate(admin, vault)
            return call_next(request)

        middleware = [keys, rotate_during_call_50]
        with UsersClient(base_url=reference_server, token=vault, middleware=middleware) as client:
            for index in range(100):
                client.users.create(email=f"user{index}@{domain}")
            created = list(client.users.list(email_domain=domain))
    assert len(created) == 100
    assert len({user.email for user in created}) == 100
    calls = [statuses for key, statuses in keys.attempts.items() if key != "None"]
    assert len(calls) == 100  # one Idempotency-Key per call, whatever its attempts
    assert calls[49] == [401, 201]  # refused, the vault asked again, sent again
    assert all(statuses == [201] for statuses in calls[:49] + calls[50:])


def test_a_revoked_token_fails_after_exactly_two_attempts(reference_server: str) -> None:
    with httpx2.Client(base_url=reference_server) as admin:

        def revoked_token() -> str:
            # Every value it hands out is already refused, as after a revocation.
            token = admin.post("/_test/tokens", json={"role": "owner"}).json()["token"]
            admin.post("/_test/tokens/revoke", json={"token": token})
            return token

        keys = KeysPerCall()
        client = UsersClient(base_url=reference_server, token=revoked_token, middleware=[keys])
        with client, pytest.raises(AuthenticationError):
            client.users.me()
    assert list(keys.attempts.values()) == [[401, 401]]


@pytest.mark.anyio
async def test_the_async_client_follows_a_rotation_with_an_async_provider(
    reference_server: str,
) -> None:
    with httpx2.Client(base_url=reference_server) as admin:
        vault = Vault(admin.post("/_test/tokens", json={"role": "owner"}).json()["token"])

        async def provider() -> str:
            return vault()

        async with AsyncUsersClient(base_url=reference_server, token=provider) as client:
            assert (await client.users.me()).role == "owner"
            rotate(admin, vault)
            assert (await client.users.me()).role == "owner"
    assert vault.reads == 2  # no 401 on the way: the provider already had the new one


def test_with_options_switches_credential_kind_without_sending_the_first_one(
    reference_server: str,
) -> None:
    sent: list[httpx2.Headers] = []

    def keep_headers(request: httpx2.Request, call_next: Any, context: RequestContext) -> Any:
        sent.append(request.headers.copy())
        return call_next(request)

    with UsersClient(base_url=reference_server, token=OWNER_TOKEN) as owner:
        viewer = owner.with_options(api_key="viewer-key", middleware=[keep_headers])
        provided = viewer.with_options(api_key=None, token=lambda: "viewer-token")
        assert viewer.users.me().role == "viewer"
        assert provided.users.me().role == "viewer"
        assert owner.users.me().role == "owner"
    assert "authorization" not in sent[0]
    assert sent[0]["x-api-key"] == "viewer-key"
    assert "x-api-key" not in sent[1]
    assert sent[1]["authorization"] == "Bearer viewer-token"
