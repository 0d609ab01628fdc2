"""A UserManager: users by role, active users, a user summary, deactivation."""

from __future__ import annotations

from typing import Any

from users_sdk import PreconditionFailedError, User, UserRole, UsersClient


class UserManager:
    def __init__(self, client: UsersClient) -> None:
        self.client = client

    def users_by_role(self, role: UserRole) -> list[User]:
        """Active users with one role (every page, fetched lazily)."""
        return list(self.client.users.list(role=role, status="active", sort="email:asc"))

    def active_users(self) -> list[User]:
        return list(self.client.users.list(status="active", sort="email:asc"))

    def user_summary(self, user_id: str) -> dict[str, Any]:
        user = self.client.users.get(user_id)
        return {
            "basic_info": {
                "name": " ".join(filter(None, [user.first_name, user.last_name]))
                or user.display_name,
                "username": user.username,
                "email": user.email,
                "phone": user.phone,
            },
            "role_info": {"role": user.role, "department": user.department, "status": user.status},
            "dates": {"created": user.created_at.isoformat(), "last_login": user.last_login_at},
        }

    def deactivate_user(self, user_id: str) -> User:
        """Deactivate rather than delete; retried once if someone changed the user meanwhile."""
        for _ in range(2):
            user = self.client.users.get(user_id)
            try:
                return self.client.users.update(
                    user_id, status="deactivated", if_match=user.version
                )
            except PreconditionFailedError:
                continue
        raise RuntimeError(f"{user_id} keeps changing; try again later")


def main(client: UsersClient) -> dict[str, Any]:
    team: list[tuple[str, UserRole]] = [
        ("ana@team.example", "admin"),
        ("ben@team.example", "member"),
        ("cai@team.example", "member"),
    ]
    for email, role in team:
        client.users.create(email=email, role=role, status="active")
    manager = UserManager(client)
    members = manager.users_by_role("member")
    print("Active members:", ", ".join(u.email for u in members))
    print("Active users:", len(manager.active_users()))
    summary = manager.user_summary(members[0].id)
    print("Summary:", summary["basic_info"]["email"], summary["role_info"])
    deactivated = manager.deactivate_user(members[0].id)
    print(f"Deactivated {deactivated.email}: status {deactivated.status}")
    return {"members": [u.email for u in members], "deactivated": deactivated.status}


if __name__ == "__main__":
    with UsersClient() as users_client:
        main(users_client)
