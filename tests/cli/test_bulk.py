"""`users import` and `users export` as real processes against the reference
server: a kill halfway and a rerun, 429 storms, rejects, resume."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx2

from .conftest import all_users, run_process, start_process


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def people(count: int, domain: str) -> list[dict[str, str]]:
    return [
        {"email": f"p{n:05d}@{domain}", "role": "member", "groups": "eng"} for n in range(count)
    ]


def emails_at(base_url: str, domain: str) -> list[str]:
    return [u["email"] for u in all_users(base_url) if u["email"].endswith("@" + domain)]


def test_an_import_killed_halfway_and_run_again_creates_every_row_once(
    server: str, tmp_path: Path
) -> None:
    rows = write_csv(tmp_path / "hires.csv", people(2000, "kill.example"))
    process = start_process(server, ["users", "import", str(rows), "--progress", "-o", "json"])
    done_at_kill = 0

    def watch() -> None:  # the progress bar on stderr says how far it got
        nonlocal done_at_kill
        assert process.stderr is not None
        buffer = ""
        while chunk := os.read(process.stderr.fileno(), 4096):  # as it comes, unbuffered
            buffer = (buffer + chunk.decode(errors="replace"))[-400:]
            counts = [int(n) for n in re.findall(r"(\d+)/2000", buffer)]
            if counts and counts[-1] >= 1000 and not done_at_kill:
                done_at_kill = counts[-1]
                process.send_signal(signal.SIGKILL)

    watcher = threading.Thread(target=watch)
    started = time.monotonic()
    watcher.start()
    process.wait(timeout=60)
    watcher.join(timeout=10)
    process.communicate()  # closes the pipes
    first_run = time.monotonic() - started
    assert process.returncode == -signal.SIGKILL, "the import finished before it was killed"
    assert 1000 <= done_at_kill < 2000
    assert 1000 <= len(emails_at(server, "kill.example")) < 2000

    started = time.monotonic()
    rerun = run_process(server, ["users", "import", str(rows), "-o", "json"])
    second_run = time.monotonic() - started
    assert rerun.exit_code == 0, rerun.stderr
    summary = json.loads(rerun.stdout)
    assert summary["failed"] == 0
    assert summary["created"] + summary["replayed"] == 2000
    assert summary["replayed"] >= done_at_kill  # what the first run did is replayed, not redone
    found = emails_at(server, "kill.example")
    assert len(found) == 2000
    assert [e for e, n in Counter(found).items() if n > 1] == []
    print(f"killed at {done_at_kill}/2000 after {first_run:.1f} s; rerun {second_run:.1f} s")


def test_an_import_during_429_answers_completes(server: str, tmp_path: Path) -> None:
    rows = write_csv(tmp_path / "storm.csv", people(150, "storm.example"))
    storm = {"status": 429, "count": 40, "retry_after": "0"}
    httpx2.post(f"{server}/_test/faults", json=storm).raise_for_status()
    run = run_process(server, ["users", "import", str(rows), "--progress", "-o", "json"])
    assert run.exit_code == 0, run.stderr
    assert json.loads(run.stdout)["created"] == 150
    assert len(emails_at(server, "storm.example")) == 150
    # Every queued 429 was served to the import: one more makes one pending.
    pending = httpx2.post(f"{server}/_test/faults", json={"status": 429}).json()["pending"]
    httpx2.delete(f"{server}/_test/faults").raise_for_status()
    assert pending == 1
    assert "throttled" in run.stderr


def test_bad_rows_go_to_the_rejects_file_and_every_good_row_is_imported(
    server: str, tmp_path: Path
) -> None:
    rows = people(20, "mixed.example")
    rows[3]["email"] = "not-an-email"
    rows[7]["role"] = "wizard"
    source = write_csv(tmp_path / "mixed.csv", rows)
    rejects = tmp_path / "rejects.csv"
    run = run_process(server, ["users", "import", str(source), "--rejects", str(rejects)])
    assert run.exit_code == 3, run.stderr
    assert json.loads(run.stdout)["failed"] == 2
    rejected = list(csv.DictReader(io.StringIO(rejects.read_text("utf-8"))))
    by_email = {r["email"]: r for r in rejected}
    assert set(by_email) == {"not-an-email", rows[7]["email"]}
    # Refused before it was sent; the bad role by the API.
    assert "email must be an email address" in by_email["not-an-email"]["error"]
    assert "422" in by_email[rows[7]["email"]]["error"]
    assert "role" in by_email[rows[7]["email"]]["error"]
    good = {r["email"] for i, r in enumerate(rows) if i not in (3, 7)}
    assert set(emails_at(server, "mixed.example")) == good
    # The fixed rejects file imports as it is: its error column is left out.
    fixed = rejects.read_text(encoding="utf-8").replace("not-an-email", "fixed@mixed.example")
    (tmp_path / "fixed.csv").write_text(fixed.replace(",wizard,", ",admin,"), encoding="utf-8")
    again = run_process(server, ["users", "import", str(tmp_path / "fixed.csv"), "-o", "json"])
    assert again.exit_code == 0, again.stderr
    assert len(emails_at(server, "mixed.example")) == 20


def test_a_bad_cell_is_a_usage_error_naming_line_and_column(server: str, tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text(
        "email,is_service_user\nok@cell.example,true\nx@cell.example,maybe\n", "utf-8"
    )
    run = run_process(server, ["users", "import", str(source)])
    assert run.exit_code == 2
    assert run.stderr.strip() == (
        "users-sdk: bad.csv line 3, column is_service_user: 'maybe' is not true or false"
    )
    assert emails_at(server, "cell.example") == []  # checked before anything was sent


def test_import_jsonl_then_export_csv_and_jsonl(server: str, tmp_path: Path) -> None:
    source = tmp_path / "rows.jsonl"
    source.write_text(
        "\n".join(
            json.dumps({"email": f"j{n}@jsonl.example", "groups": ["a", "b"]}) for n in range(30)
        ),
        "utf-8",
    )
    assert run_process(server, ["users", "import", str(source), "--invite"]).exit_code == 0
    outbox = httpx2.get(f"{server}/_test/outbox", params={"kind": "invitation"}).json()
    assert len({m["email"] for m in outbox if m["email"].endswith("@jsonl.example")}) == 30
    as_csv = tmp_path / "out.csv"
    exported = run_process(
        server, ["users", "export", str(as_csv), "--email-domain", "jsonl.example"]
    )
    assert exported.exit_code == 0, exported.stderr
    records = list(csv.DictReader(io.StringIO(as_csv.read_text("utf-8"))))
    assert len(records) == 30
    assert json.loads(records[0]["groups"]) == ["a", "b"]
    as_jsonl = tmp_path / "out.jsonl"
    assert run_process(server, ["users", "export", str(as_jsonl)]).exit_code == 0
    assert len(as_jsonl.read_text("utf-8").splitlines()) == len(all_users(server))
    assert not (tmp_path / "out.jsonl.resume.json").exists()  # finished: no checkpoint left


def test_export_resumed_after_a_kill_has_every_user_exactly_once(
    server: str, tmp_path: Path
) -> None:
    source = write_csv(tmp_path / "many.csv", people(300, "export.example"))
    assert (
        run_process(server, ["users", "import", str(source), "--concurrency", "16"]).exit_code == 0
    )
    target = tmp_path / "users.jsonl"
    checkpoint = tmp_path / "users.jsonl.resume.json"
    args = ["users", "export", str(target), "--email-domain", "export.example", "--limit", "1"]
    process = start_process(server, args)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if json.loads(checkpoint.read_text("utf-8"))["rows"] >= 60:
                break
        except (OSError, ValueError):
            pass
        time.sleep(0.002)
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=10)
    assert process.returncode == -signal.SIGKILL, "the export finished before it was killed"
    written = json.loads(checkpoint.read_text("utf-8"))
    assert 60 <= written["rows"] < 300
    with target.open("a", encoding="utf-8") as stream:  # a page written, its checkpoint not
        stream.write('{"id": "usr_half_written_page", "email": "dup')
    resumed = run_process(server, ["users", "export", str(target), "--resume"])
    assert resumed.exit_code == 0, resumed.stderr
    exported = [json.loads(line)["email"] for line in target.read_text("utf-8").splitlines()]
    assert sorted(exported) == sorted(emails_at(server, "export.example"))
    assert len(exported) == 300
    assert not checkpoint.exists()


def test_resume_without_a_checkpoint_is_a_usage_error(server: str, tmp_path: Path) -> None:
    run = run_process(server, ["users", "export", str(tmp_path / "x.csv"), "--resume"])
    assert run.exit_code == 2
    assert "nothing to resume" in run.stderr


def test_list_all_piped_is_json_lines_while_the_progress_bar_is_on(
    server: str, tmp_path: Path
) -> None:
    source = write_csv(tmp_path / "pipe.csv", people(120, "pipe.example"))
    assert (
        run_process(server, ["users", "import", str(source), "--concurrency", "16"]).exit_code == 0
    )
    run = run_process(
        server, ["users", "list", "--all", "--output", "jsonl", "--progress", "--limit", "25"]
    )
    assert run.exit_code == 0, run.stderr
    records: list[dict[str, Any]] = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(records) == len(all_users(server)) == 122
    assert len({r["id"] for r in records}) == 122
    assert "users" in run.stderr
    assert "122" in run.stderr  # the bar's count, on stderr only
    assert "\x1b[" not in run.stdout


def test_the_console_script_and_python_m(server: str) -> None:
    import subprocess
    import sys

    script = Path(sys.executable).parent / "users-sdk"
    done = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert "users" in done.stdout
    assert run_process(server, ["users", "me"]).exit_code == 0


def test_ctrl_c_stops_an_import_with_exit_130_and_a_rerun_finishes_it(
    server: str, tmp_path: Path
) -> None:
    rows = write_csv(tmp_path / "int.csv", people(1500, "int.example"))
    process = start_process(server, ["users", "import", str(rows), "--progress"])
    deadline = time.monotonic() + 30
    while len(emails_at(server, "int.example")) < 100 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, "the import ended before it could be interrupted"
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "users-sdk: interrupted; run the same" in stderr.rstrip().splitlines()[-1]
    assert run_process(server, ["users", "import", str(rows)]).exit_code == 0
    assert len(set(emails_at(server, "int.example"))) == 1500
