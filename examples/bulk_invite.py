"""Bulk creation with invitations: create each user, then send its invitation.

A failure for one user is reported and the others go on; nothing is created
twice, because each create carries an idempotency key through its retries.
For many users, examples/bulk/bulk_invitations.py does the same with
`users_sdk.bulk`: concurrent, and resumable after a crash.
"""

from __future__ import annotations

from users_sdk import UsersAPIError, UsersClient

USERS_TO_CREATE = [
    {"email": "user1@company.example", "display_name": "User One"},
    {"email": "user2@company.example", "display_name": "User Two"},
    {"email": "user1@company.example", "display_name": "User One, again"},  # a duplicate
]


def main(client: UsersClient) -> dict[str, list[str]]:
    invited, failed = [], []
    for info in USERS_TO_CREATE:
        try:
            user = client.users.create(info)
            client.users.invite(user.id)
        except UsersAPIError as error:
            failed.append(info["email"])
            print(f"Skipped {info['email']}: {type(error).__name__}")
            continue
        invited.append(user.email)
        print(f"Created and invited {user.display_name} <{user.email}>")
    return {"invited": invited, "failed": failed}


if __name__ == "__main__":
    with UsersClient() as users_client:
        main(users_client)
