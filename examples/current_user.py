"""Who is this credential? The current user."""

from __future__ import annotations

from users_sdk import User, UsersClient


def main(client: UsersClient) -> User:
    me = client.users.me()
    print(f"Logged in as: {me.display_name} ({me.email})")
    print(f"Role: {me.role}; status: {me.status}; service user: {me.is_service_user}")
    return me


if __name__ == "__main__":
    with UsersClient() as users_client:
        main(users_client)
