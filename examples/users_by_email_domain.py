"""Users of one email domain, filtered by the server instead of in Python."""

from __future__ import annotations

from users_sdk import UsersClient


def main(client: UsersClient, domain: str = "company.example") -> list[str]:
    for email in ("kim@company.example", "lee@company.example", "max@elsewhere.example"):
        client.users.create(email=email)
    emails = [user.email for user in client.users.list(email_domain=domain, sort="email:asc")]
    print(f"{len(emails)} users at {domain}: {', '.join(emails)}")
    return emails


if __name__ == "__main__":
    with UsersClient() as users_client:
        main(users_client)
