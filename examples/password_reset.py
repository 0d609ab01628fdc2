"""Password reset: ask for a token, then set a new password with it.

In production the token arrives by email. Against the reference server in
test mode (`make serve ARGS="--test-mode"`), this example reads it from the
server's development outbox.
"""

from __future__ import annotations

import httpx2

from users_sdk import BadRequestError, UsersClient


def token_from_outbox(base_url: str, email: str) -> str:
    response = httpx2.get(f"{base_url}/_test/outbox", params={"kind": "password_reset",
                                                             "email": email})  # fmt: skip
    response.raise_for_status()
    token: str = response.json()[-1]["token"]
    return token


def main(client: UsersClient, email: str = "pat@reset.example") -> bool:
    client.users.create(email=email, status="active")
    client.users.reset_password(email)  # 202 whether or not the address is known
    token = token_from_outbox(client.base_url, email)
    client.users.set_password(token, "correct horse battery staple")
    print(f"New password set for {email}")
    try:
        client.users.set_password(token, "another long passphrase")
    except BadRequestError:
        print("The token cannot be used twice.")
        return True
    return False


if __name__ == "__main__":
    with UsersClient() as users_client:
        main(users_client)
