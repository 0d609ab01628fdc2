"""Run by `make dist` inside a fresh venv holding only what the sdist installed:
the SDK imports from that venv, a client calls a mock API (typed model, auto
pagination, an error from the SDK's tree), the installed spec is found, and
the `users-sdk` command answers --help.

    python dist_smoke.py VERSION USER_JSON

USER_JSON is one user as the API sends it (dist.py takes it from a cassette).
Prints one line per check; any failure raises, so the exit code says it all.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def main(expected_version: str, user_json: str) -> None:
    import httpx2

    import users_sdk
    from users_sdk import NotFoundError, UsersAPIError, UsersClient
    from users_sdk.openapi import spec_path

    where = Path(users_sdk.__file__).resolve()
    assert Path(sys.prefix).resolve() in where.parents, f"imported from {where}, not the venv"
    assert users_sdk.__version__ == expected_version, users_sdk.__version__
    print(f"import users_sdk {users_sdk.__version__} from {where.parent}")

    user = json.loads(user_json)

    def api(request: httpx2.Request) -> httpx2.Response:
        headers = {"x-request-id": "req_smoke"}
        if request.url.path == "/v1/users":
            page = {"items": [user], "limit": 20, "next_cursor": None, "previous_cursor": None}
            return httpx2.Response(200, json=page, headers=headers)
        if request.url.path == f"/v1/users/{user['id']}":
            return httpx2.Response(200, json=user, headers=headers)
        problem = {"type": "about:blank", "title": "Not Found", "status": 404, "detail": "no"}
        return httpx2.Response(404, json=problem, headers=headers)

    http = httpx2.Client(transport=httpx2.MockTransport(api))
    with UsersClient(base_url="http://smoke.test", token="t", http_client=http) as client:
        got = client.users.get(user["id"])
        assert isinstance(got, users_sdk.User), got
        assert got.email == user["email"], got
        listed = [u.id for u in client.users.list()]
        assert listed == [user["id"]], listed
        caught: Exception | None = None
        try:
            client.users.get("usr_missing")
        except UsersAPIError as error:  # the root of the SDK's error tree
            caught: Exception = error
        assert type(caught) is NotFoundError, repr(caught)
    print("client: get, list (auto-paginating) and a 404 as NotFoundError")

    spec = spec_path()
    assert spec.is_file(), spec
    assert Path(sys.prefix).resolve() in spec.resolve().parents, spec
    print(f"installed spec: {spec}")

    command = Path(sys.executable).parent / "users-sdk"
    helped = subprocess.run([str(command), "--help"], capture_output=True, text=True, check=False)
    assert helped.returncode == 0, helped.stdout + helped.stderr
    assert "Usage" in helped.stdout, helped.stdout
    print("users-sdk --help: exit 0")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
