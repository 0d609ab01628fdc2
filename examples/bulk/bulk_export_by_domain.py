"""Every user of an email domain, exported to a JSON Lines file, resumably.

NetBird's "find users by email domain", filtered by the server instead of in
Python, for any number of users: one page in memory at a time, and a
checkpoint after each page, so an interrupted export goes on where it stopped.

    python examples/bulk/bulk_export_by_domain.py company.example users.jsonl
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from users_sdk import ListUsersParams, UsersClient, bulk


def export_domain(client: UsersClient, domain: str, path: Path) -> int:
    """Append every user at `domain` to `path`; resumes from `path`.cursor if there is one."""
    checkpoint = path.with_suffix(path.suffix + ".cursor")
    filters: ListUsersParams = {"email_domain": domain, "sort": "email:asc"}
    if checkpoint.exists():
        filters["cursor"] = checkpoint.read_text(encoding="utf-8")
    written = 0
    with path.open("a", encoding="utf-8") as out:
        for page in bulk.export_pages(client, **filters):
            for user in page.users:
                out.write(json.dumps(user.to_dict()) + "\n")
            out.flush()
            written += len(page.users)
            if page.resume_cursor is None:
                checkpoint.unlink(missing_ok=True)  # done: a new run starts afresh
            else:
                checkpoint.write_text(page.resume_cursor, encoding="utf-8")
    return written


def main(client: UsersClient, folder: Path | None = None) -> list[str]:
    staff = [{"email": f"staff{n:03d}@company.example"} for n in range(250)]
    others = [{"email": f"guest{n}@elsewhere.example"} for n in range(20)]
    bulk.import_users(client, staff + others, import_id="export-example-seed")
    path = Path(folder or tempfile.mkdtemp()) / "company.jsonl"
    written = export_domain(client, "company.example", path)
    emails = [json.loads(line)["email"] for line in path.read_text(encoding="utf-8").splitlines()]
    print(f"{written} users at company.example written to {path}")
    return emails


if __name__ == "__main__":
    with UsersClient() as users_client:
        if len(sys.argv) == 3:
            print(export_domain(users_client, sys.argv[1], Path(sys.argv[2])), "users exported")
        else:
            main(users_client)
