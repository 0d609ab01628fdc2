"""Bulk creation followed by invitations, with the async client.

NetBird's pattern (create each user, then invite it) as one resumable import:
`invite=True` sends each invitation right after its user is created, with an
idempotency key of its own, so a rerun neither creates nor invites anyone
twice. A duplicate email fails alone; the others go on.

    python examples/bulk/bulk_invitations.py
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from users_sdk import AsyncUsersClient, ConflictError, bulk

TEAM_SIZE = 40


async def users_to_create() -> AsyncIterator[dict[str, str]]:
    """Rows may come from anywhere, here an async generator (a queue, a database)."""
    for number in range(1, TEAM_SIZE + 1):
        yield {"email": f"user{number}@company.example", "display_name": f"User {number}"}
    yield {"email": "user1@company.example", "display_name": "User One, again"}  # a duplicate


async def main(client: AsyncUsersClient) -> dict[str, Any]:
    invited: list[str] = []

    def collect(result: bulk.RowResult) -> None:
        if result.invitation is not None and result.user is not None:
            invited.append(result.user.email)
        elif isinstance(result.error, ConflictError):
            print(f"Skipped {result.row['email']}: {result.error.detail}")
        elif result.error is not None:
            print(f"Failed {result.row['email']}: {result.error}")

    summary = await bulk.async_import_users(
        client, users_to_create(), import_id="team-invitations", invite=True, on_result=collect
    )
    print(
        f"Created {summary.created}, already there {summary.replayed}, failed {summary.failed}; "
        f"{len(invited)} invitations sent or already sent"
    )
    return {"invited": len(invited), "failed": [f.row["email"] for f in summary.failures]}


async def run() -> None:
    async with AsyncUsersClient() as client:
        await main(client)


if __name__ == "__main__":
    asyncio.run(run())
