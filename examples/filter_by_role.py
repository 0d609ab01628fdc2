"""Admins and owners on one side, regular members on the other."""

from __future__ import annotations

from users_sdk import UsersClient


def main(client: UsersClient) -> dict[str, list[str]]:
    client.users.create(email="root@roles.example", role="admin")
    client.users.create(email="jo@roles.example", role="member")
    admins = [u.email for u in client.users.list(role=["admin", "owner"], sort="email:asc")]
    regular = [u.email for u in client.users.list(role="member", sort="email:asc")]
    print("Admins and owners:", ", ".join(admins))
    print("Regular members:", ", ".join(regular))
    return {"admins": admins, "regular": regular}


if __name__ == "__main__":
    with UsersClient() as users_client:
        main(users_client)
