"""Onboard a new user: create the account, then send the invitation."""

from __future__ import annotations

from users_sdk import ConflictError, User, UserRole, UsersClient


def onboard_new_user(client: UsersClient, info: dict[str, str], role: UserRole = "member") -> User:
    try:
        user = client.users.create(info, role=role, status="invited")
    except ConflictError as error:
        raise SystemExit(f"Cannot onboard {info['email']}: {error.detail}") from error
    invitation = client.users.invite(user.id)
    print(f"Created {user.display_name} <{user.email}> ({user.id}), role {user.role}")
    print(f"Invitation sent; it expires on {invitation.expires_at:%Y-%m-%d}")
    return user


def main(client: UsersClient) -> User:
    return onboard_new_user(
        client,
        {
            "username": "asmith",
            "email": "alex.smith@company.example",
            "first_name": "Alex",
            "last_name": "Smith",
            "phone": "+1 555 147 258",
            "department": "Residential Sales",
        },
    )


if __name__ == "__main__":
    with UsersClient() as users_client:
        main(users_client)
