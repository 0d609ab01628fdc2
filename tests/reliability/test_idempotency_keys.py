"""A caller's own Idempotency-Key, against the real reference server: the same
call again gets the stored answer; the key reused for another call is a
ConflictError on every operation that takes a key."""

from __future__ import annotations

import uuid

import pytest

from users_sdk import ConflictError, UsersClient

from .conftest import OWNER_TOKEN


def _email() -> str:
    return f"key-{uuid.uuid4().hex[:10]}@keys.example.com"


def test_create_with_a_reused_key(reference_server: str) -> None:
    key = f"create-{uuid.uuid4()}"
    email = _email()
    with UsersClient(base_url=reference_server, token=OWNER_TOKEN) as client:
        first = client.users.create(email=email, idempotency_key=key)
        again = client.users.with_raw_response.create(email=email, idempotency_key=key)
        assert again.parse().id == first.id
        assert again.headers["Idempotent-Replayed"] == "true"
        with pytest.raises(ConflictError, match="Idempotency-Key"):
            client.users.create(email=_email(), idempotency_key=key)


def test_reset_password_with_a_reused_key(reference_server: str) -> None:
    key = f"reset-{uuid.uuid4()}"
    with UsersClient(base_url=reference_server, token=OWNER_TOKEN) as client:
        email = client.users.create(email=_email()).email
        client.users.reset_password(email, idempotency_key=key)
        replayed = client.users.with_raw_response.reset_password(email, idempotency_key=key)
        assert replayed.headers["Idempotent-Replayed"] == "true"
        with pytest.raises(ConflictError, match="Idempotency-Key"):
            client.users.reset_password(_email(), idempotency_key=key)
