"""`make demo`: the SDK doing real work against a real server, with no setup.

Starts the reference server on a free loopback port with a fresh SQLite file
in a temporary folder, runs through the SDK's main features, prints what
happened, and stops the server (also on an error or Ctrl-C).
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

import httpx2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "server"))

from users_server import Settings, run_server  # noqa: E402

from users_sdk import (  # noqa: E402
    AsyncUsersClient,
    NotFoundError,
    PreconditionFailedError,
    UsersClient,
    ValidationError,
)

BULK_USERS = 300


def step(title: str) -> None:
    print(f"\n== {title}")


def show(label: str, value: object) -> None:
    print(f"   {label:<24} {value}")


async def bulk_create(base_url: str, token: str) -> float:
    """Create BULK_USERS users through the async client, 25 requests in flight."""
    started = time.perf_counter()
    limit = asyncio.Semaphore(25)
    done = 0
    async with AsyncUsersClient(base_url=base_url, token=token) as client:

        async def create(n: int) -> None:
            nonlocal done
            async with limit:
                await client.users.create(email=f"user{n:03d}@bulk.example", department="Bulk")
            done += 1
            if done % 50 == 0:
                print(f"   created {done}/{BULK_USERS}", flush=True)

        await asyncio.gather(*(create(n) for n in range(BULK_USERS)))
    return time.perf_counter() - started


def run(base_url: str, token: str) -> None:
    with UsersClient(base_url=base_url, token=token) as client:
        step("Who am I?")
        me = client.users.me()
        show("current user", f"{me.display_name} <{me.email}> ({me.role})")

        step("Create users: one from a dict (seed style), one with typed keywords")
        bob = client.users.create({"email": "bob@example.com", "first_name": "Bob"})
        ada = client.users.create(
            email="ada@example.com", display_name="Ada Lovelace", role="admin",
            department="R&D", phone="+44 20 7946 0000", groups=["engineering"],
        )  # fmt: skip
        for user in (bob, ada):
            show(user.id, f"{user.display_name} <{user.email}> role={user.role} v{user.version}")

        step("List admins and owners, sorted by email")
        for user in client.users.list(role=["admin", "owner"], sort="email:asc"):
            show(user.role, user.email)

        step(f"Create {BULK_USERS} users with AsyncUsersClient, then page through them")
        seconds = asyncio.run(bulk_create(base_url, token))
        show("created", f"{BULK_USERS} users in {seconds:.2f} s")
        page = client.users.list(email_domain="bulk.example", limit=50, sort="email:asc")
        count = 0
        for number, current in enumerate(page.iter_pages(), start=1):
            count += len(current.items)
            print(f"   page {number}: {len(current.items)} users, {count} so far", flush=True)
        show("auto-paginated", f"{count} users in pages of 50")

        step("Update with If-Match, then see what a stale version gets")
        moved = client.users.update(ada.id, department="Analytical Engines", phone=None,
                                    if_match=ada.version)  # fmt: skip
        show("updated", f"department={moved.department!r} phone={moved.phone} v{moved.version}")
        try:
            client.users.update(ada.id, role="viewer", if_match=ada.version)
        except PreconditionFailedError as error:
            show("stale If-Match", f"{type(error).__name__}: {error.detail}")

        step("Invite, and the password-reset round trip")
        invitation = client.users.invite(bob.id)
        show(
            "invitation sent", f"to {invitation.user_id}, expires {invitation.expires_at:%Y-%m-%d}"
        )
        client.users.reset_password("ada@example.com")
        outbox = httpx2.get(f"{base_url}/_test/outbox", params={"email": "ada@example.com"})
        token_for_ada = outbox.json()[-1]["token"]
        show("reset token", "read from the development outbox (never logged)")
        client.users.set_password(token_for_ada, "a long new passphrase")
        show("new password", "set with the token (204)")

        step("Errors are typed and say what to do")
        try:
            client.users.get("usr_does_not_exist")
        except NotFoundError as error:
            show("404 NotFoundError", error)
        try:
            # "not-an-email" would not leave the SDK (InvalidArgumentError); the API
            # also refuses a domain with no dot.
            client.users.create(email="dana@localhost", username="has spaces")
        except ValidationError as error:
            show("422 ValidationError", f"{len(error.errors)} field errors")
            for field_error in error.errors:
                show(f"  {field_error.field}", f"{field_error.message} ({field_error.code})")

        step("Delete")
        client.users.delete(bob.id)
        try:
            client.users.get(bob.id)
        except NotFoundError:
            show("deleted", f"{bob.id} is gone (404 on read)")

        raw = client.users.with_raw_response.me()
        step("Raw responses")
        show("status / request id", f"{raw.status_code} / {raw.request_id}")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="users-sdk-demo-") as folder:
        settings = Settings(port=0, database=str(Path(folder) / "users.db"), test_mode=True)
        print("Starting the reference server (SQLite in a temporary folder)...")
        with run_server(settings) as base_url:
            print(f"Listening on {base_url}; token {settings.owner_token!r} is the owner")
            try:
                run(base_url, settings.owner_token)
            except KeyboardInterrupt:
                print("\nInterrupted; stopping the server.")
                return 130
    print("\nDone: the server is stopped and its database deleted.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
