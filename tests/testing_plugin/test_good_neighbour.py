"""users_sdk.testing is a good neighbour: installed next to another API's
pytest-recording suite, it changes nothing there.

Installing users-sdk installs its pytest plugin into every suite of the venv.
A throwaway suite for another API, written as its authors would (their own
vcr_config, VCR's default matching), records and replays against a tiny
deterministic service with the plugin disabled (`-p no:users_sdk`) and enabled:
the cassettes are the same bytes, still hold that API's secrets (scrubbing them
is the other suite's business, not users-sdk's), replay the same, and unplayed
interactions and failures are reported as plain VCR reports them.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest

from .other_api_service import AUTHORIZATION

# What the other API's cassettes must still hold, as the service sent or got it.
ORIGINALS = ("hunter2", "tok-123", "session=abc123", AUTHORIZATION)

# Only users_sdk is switched on and off. schemathesis and hypothesis (in this
# venv for the project's own tests) are switched off in every run alike: they
# would only add seconds of import time to each subprocess.
COMMON_ARGS = ("-p", "no:cacheprovider", "-p", "no:schemathesis", "-p", "no:hypothesispytest")
PLUGIN_OFF = ("-p", "no:users_sdk")


# The other API's suite, as its authors wrote it: its own vcr_config (which
# filters only what they chose), VCR's default match_on (which ignores bodies).
OTHER_API = """
import os

BASE_URL = os.environ["OTHER_API_URL"]
# The trace id differs on every run: the authors keep it out of their cassettes.
HEADERS = {"Authorization": "Bearer other-service-secret", "X-Trace-Id": os.environ["RUN_ID"]}
RECORDING = os.environ["OTHER_API_PHASE"] == "record"
"""

CONFTEST = """
import pytest


@pytest.fixture(scope="module")
def vcr_config():
    return {"filter_headers": ["x-trace-id"]}
"""

TEST_OTHER_API = """
import os

import pytest
import requests

from other_api import BASE_URL, HEADERS


@pytest.mark.vcr
def test_login():
    credentials = {"username": "ann", "password": "hunter2"}
    response = requests.post(f"{BASE_URL}/login", json=credentials, headers=HEADERS, timeout=5)
    assert response.status_code == 200
    body = response.json()
    assert body["token"] == "tok-123"
    assert body["password"] == "hunter2"
    assert body["user"] == {"id": 7, "name": "Ann"}
    assert response.headers["Set-Cookie"] == "session=abc123; Path=/"


@pytest.mark.vcr
def test_items():
    query = {"token": "tok-123"}
    response = requests.get(f"{BASE_URL}/items", params=query, headers=HEADERS, timeout=5)
    assert response.status_code == 200
    assert response.json() == {"items": ["apple", "pear"]}


@pytest.mark.vcr
def test_echo_a_body_that_differs_on_every_run():
    sent = {"run": os.environ["RUN_ID"], "note": "hi"}
    response = requests.post(f"{BASE_URL}/echo", json=sent, headers=HEADERS, timeout=5)
    assert response.status_code == 200
    assert response.json()["received"]["note"] == "hi"
"""

# Recorded with two calls; replayed, it makes only the first.
TEST_UNPLAYED = """
import pytest
import requests

from other_api import BASE_URL, HEADERS, RECORDING


@pytest.mark.vcr
def test_second_page_only_while_recording():
    query = {"token": "tok-123"}
    first = requests.get(f"{BASE_URL}/items", params=query, headers=HEADERS, timeout=5)
    assert first.json() == {"items": ["apple", "pear"]}
    if RECORDING:
        query["page"] = "2"
        second = requests.get(f"{BASE_URL}/items", params=query, headers=HEADERS, timeout=5)
        assert second.json() == {"items": ["plum"]}
"""

# Passes while recording; replayed, it fails before its second call.
TEST_FAILING = """
import pytest
import requests

from other_api import BASE_URL, HEADERS, RECORDING


@pytest.mark.vcr
def test_fails_when_replayed():
    query = {"token": "tok-123"}
    first = requests.get(f"{BASE_URL}/items", params=query, headers=HEADERS, timeout=5)
    expected = ["apple", "pear"] if RECORDING else ["apple", "pear", "plum"]
    assert first.json()["items"] == expected
    query["page"] = "2"
    requests.get(f"{BASE_URL}/items", params=query, headers=HEADERS, timeout=5)
"""

SUMMARY_LINE = re.compile(r"^(PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS) \S+")
COUNTED = ("passed", "failed", "errors", "error", "skipped", "xfailed", "xpassed")


@pytest.fixture
def suite(
    pytester: pytest.Pytester, other_api: str, monkeypatch: pytest.MonkeyPatch
) -> pytest.Pytester:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(
        other_api=OTHER_API,
        test_other_api=TEST_OTHER_API,
        test_unplayed=TEST_UNPLAYED,
        test_failing=TEST_FAILING,
    )
    monkeypatch.setenv("OTHER_API_URL", other_api)
    # Nothing of the Users API's in this suite's environment.
    for name in ("USERS_API_BASE_URL", "USERS_API_TOKEN", "USERS_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    return pytester


def run(
    suite: pytest.Pytester,
    monkeypatch: pytest.MonkeyPatch,
    *files: str,
    plugin: bool,
    record: bool,
) -> list[str]:
    """Runs `files` of the suite (recording, or replaying with the network
    blocked); returns each test's outcome as `-rA` summarises it: "PASSED
    <test>", "FAILED <test> - <reason>" (cut at the same width in every run)."""
    monkeypatch.setenv("OTHER_API_PHASE", "record" if record else "replay")
    # Replays send other bodies (and trace ids) than the recording got.
    monkeypatch.setenv("RUN_ID", "run-1" if record else "run-2")
    result = suite.runpytest_subprocess(
        *COMMON_ARGS,
        *(() if plugin else PLUGIN_OFF),
        "--record-mode=once" if record else "--block-network",
        "-rA",
        *files,
    )
    # Else "with and without the plugin" would compare two runs without it.
    plugins = next(line for line in result.outlines if line.startswith("plugins:"))
    assert ("users-sdk-" in plugins) == plugin, plugins
    outcomes = sorted(line for line in result.outlines if SUMMARY_LINE.match(line))
    # A summary line for every outcome the final line counts, and no more.
    counts = result.parseoutcomes()
    assert len(outcomes) == sum(counts.get(key, 0) for key in COUNTED), result.stdout.str()
    return outcomes


def cassettes(root: Path) -> dict[str, bytes]:
    folder = root / "cassettes"
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def differences(expected: dict[str, bytes], actual: dict[str, bytes]) -> str:
    lines: list[str] = []
    for name in sorted(expected.keys() | actual.keys()):
        before = expected.get(name, b"").decode().splitlines()
        after = actual.get(name, b"").decode().splitlines()
        lines += difflib.unified_diff(before, after, name, name, lineterm="")
    return "\n".join(lines)


def assert_unscrubbed(recorded: dict[str, bytes], *names: str) -> None:
    text = b"\n".join(recorded[name] for name in names).decode()
    for original in ORIGINALS:
        assert original in text, f"{original!r} is no longer in the cassettes"
    assert "x-trace-id" not in text.lower()  # the authors' filter_headers still applies


ALL_PASSED_RECORDING = [
    "PASSED test_failing.py::test_fails_when_replayed",
    "PASSED test_other_api.py::test_echo_a_body_that_differs_on_every_run",
    "PASSED test_other_api.py::test_items",
    "PASSED test_other_api.py::test_login",
    "PASSED test_unplayed.py::test_second_page_only_while_recording",
]
MAIN_TESTS = [
    "PASSED test_other_api.py::test_echo_a_body_that_differs_on_every_run",
    "PASSED test_other_api.py::test_items",
    "PASSED test_other_api.py::test_login",
]
MAIN_CASSETTES = (
    "test_other_api/test_login.yaml",
    "test_other_api/test_items.yaml",
    "test_other_api/test_echo_a_body_that_differs_on_every_run.yaml",
)


def test_the_plugin_records_the_same_bytes(
    suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(suite, monkeypatch, plugin=False, record=True) == ALL_PASSED_RECORDING
    without_plugin = cassettes(suite.path)
    assert len(without_plugin) == len(ALL_PASSED_RECORDING)
    assert_unscrubbed(without_plugin, *MAIN_CASSETTES)  # what the plugin must leave alone

    (suite.path / "cassettes").rename(suite.path / "cassettes-without-plugin")
    assert run(suite, monkeypatch, plugin=True, record=True) == ALL_PASSED_RECORDING
    with_plugin = cassettes(suite.path)
    assert with_plugin == without_plugin, differences(without_plugin, with_plugin)


@pytest.mark.parametrize(
    "recorded_with_plugin", [False, True], ids=["recorded-without-plugin", "recorded-with-plugin"]
)
def test_replay_is_the_same_with_the_plugin(
    suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, recorded_with_plugin: bool
) -> None:
    files = ("test_other_api.py",)
    assert run(suite, monkeypatch, *files, plugin=recorded_with_plugin, record=True) == MAIN_TESTS
    recorded = cassettes(suite.path)

    # Another RUN_ID: the echo test sends another body, which VCR's default
    # match_on (the authors' choice) does not compare.
    assert run(suite, monkeypatch, *files, plugin=False, record=False) == MAIN_TESTS
    assert cassettes(suite.path) == recorded
    assert run(suite, monkeypatch, *files, plugin=True, record=False) == MAIN_TESTS
    assert cassettes(suite.path) == recorded, differences(recorded, cassettes(suite.path))
    assert_unscrubbed(recorded, *MAIN_CASSETTES)


def test_unplayed_interactions_of_another_api_pass_as_in_plain_vcr(
    suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = ("test_unplayed.py",)
    expected = ["PASSED test_unplayed.py::test_second_page_only_while_recording"]
    assert run(suite, monkeypatch, *files, plugin=False, record=True) == expected
    recorded = cassettes(suite.path)
    cassette = recorded["test_unplayed/test_second_page_only_while_recording.yaml"]
    assert cassette.count(b"page=2") == 1  # the interaction the replay will leave unplayed

    assert run(suite, monkeypatch, *files, plugin=False, record=False) == expected
    assert run(suite, monkeypatch, *files, plugin=True, record=False) == expected
    assert cassettes(suite.path) == recorded


def test_a_failing_test_of_another_api_fails_once(
    suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = ("test_failing.py",)
    recording = ["PASSED test_failing.py::test_fails_when_replayed"]
    assert run(suite, monkeypatch, *files, plugin=False, record=True) == recording
    recorded = cassettes(suite.path)

    plain = run(suite, monkeypatch, *files, plugin=False, record=False)
    assert [line.split(" - ")[0] for line in plain] == [
        "FAILED test_failing.py::test_fails_when_replayed"
    ]
    assert " - AssertionError: " in plain[0]  # the test's own failure, not VCR's
    # The same single failure, for the same reason: no error of the plugin's besides.
    assert run(suite, monkeypatch, *files, plugin=True, record=False) == plain
    assert cassettes(suite.path) == recorded
