"""Onboard a batch of new hires from a CSV file, then deactivate the leavers.

The Open To Close workflows (onboarding, and a UserManager's deactivation)
for many users at once: every hire is created and invited, a bad row is
reported with the reason and the others go on, and running the script again
after a crash or Ctrl-C finishes the job without creating anyone twice.

    python examples/bulk/bulk_onboarding.py hires.csv    # or no argument: the sample below
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from typing import Any

from users_sdk import UsersClient, bulk

SAMPLE_CSV = """\
username,email,first_name,last_name,phone,department,team
asmith,alex.smith@company.example,Alex,Smith,+1 555 147 258,Residential Sales,sales
bjones,bea.jones@company.example,Bea,Jones,,Residential Sales,sales
cwu,chen.wu@company.example,Chen,Wu,+1 555 369 147,Operations,contractors
dlee,not-an-email,Dana,Lee,,Operations,contractors
eking,eli.king@company.example,Eli,King,,Operations,contractors
"""


def hires(csv_file: io.TextIOBase) -> Iterator[dict[str, Any]]:
    """The rows of the CSV file as UserCreate fields, read one at a time."""
    for line in csv.DictReader(csv_file):
        row: dict[str, Any] = {key: value for key, value in line.items() if value}
        row["groups"] = [row.pop("team")]
        yield {**row, "role": "member", "status": "invited"}


def show(progress: bulk.ImportProgress) -> None:
    print(f"\r{progress.done} rows: {progress.created} created, {progress.replayed} already "
          f"there, {progress.failed} failed", end="", file=sys.stderr)  # fmt: skip


def deactivate_group(client: UsersClient, group: str) -> list[str]:
    """The UserManager's deactivation, for every member of a group (deactivated, not deleted)."""
    deactivated = []
    for user in bulk.export_users(client, group=group, sort="email:asc"):
        if user.status != "deactivated":
            client.users.update(user.id, status="deactivated", if_match=user.version)
        deactivated.append(user.email)
    return deactivated


def main(client: UsersClient, csv_file: io.TextIOBase | None = None) -> dict[str, Any]:
    summary = bulk.import_users(
        client,
        hires(csv_file or io.StringIO(SAMPLE_CSV)),
        import_id="onboarding-2026-12",  # the same id on a rerun: replays, never duplicates
        invite=True,
        on_progress=show,
    )
    print(file=sys.stderr)
    print(f"Onboarded {summary.created} new hires ({summary.replayed} were already done)")
    for failure in summary.failures:
        print(f"Row {failure.index + 1} ({failure.row.get('email')}) not imported: {failure.error}")
    leavers = deactivate_group(client, "contractors")
    print(f"Deactivated the contractors: {', '.join(leavers)}")
    return {
        "created": summary.created,
        "replayed": summary.replayed,
        "failed": [failure.row["email"] for failure in summary.failures],
        "deactivated": leavers,
    }


if __name__ == "__main__":
    with UsersClient() as users_client:
        if len(sys.argv) > 1:
            with open(sys.argv[1], newline="", encoding="utf-8") as given:
                main(users_client, given)
        else:
            main(users_client)
