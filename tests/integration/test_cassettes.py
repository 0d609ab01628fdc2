"""The cassettes themselves: secret-free, valid against openapi.yaml, all used,
stale ones caught, and reproducible."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import yaml
from openapi_core import Config, OpenAPI
from openapi_core.testing import MockRequest, MockResponse

from users_sdk.testing import PLACEHOLDER_BASE_URL

from .conftest import CASSETTES, RECORDING_SECRETS, ROOT

CASSETTE_FILES = sorted(CASSETTES.rglob("*.yaml"))
TEST_ONLY_PATHS = "/_test/"
# Every password the recorded tests send; none may reach a cassette.
PASSWORDS = ("a long new passphrase", "another long passphrase")
PLACEHOLDER = re.compile(r"^<[A-Z0-9-]+>$")


def interactions(path: Path) -> list[dict[str, Any]]:
    loaded: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return list(loaded["interactions"])


def label(path: Path, index: int, request: dict[str, Any]) -> str:
    return f"{path.relative_to(CASSETTES)} #{index} {request['method']} {request['uri']}"


def test_there_are_cassettes() -> None:
    assert len(CASSETTE_FILES) >= 30


def test_no_credential_password_or_token_in_any_cassette() -> None:
    hits = []
    for path in CASSETTE_FILES:
        text = path.read_text(encoding="utf-8")
        for secret in (*RECORDING_SECRETS, *PASSWORDS, "127.0.0.1"):
            if secret in text:
                hits.append(f"{path.name}: {secret!r}")
        for index, interaction in enumerate(interactions(path)):
            request, response = interaction["request"], interaction["response"]
            where = label(path, index, request)
            for name, values in request["headers"].items():
                if name.lower() in {"authorization", "x-api-key", "cookie"}:
                    hits += [
                        f"{where}: {name}"
                        for v in values
                        if v not in {"Bearer <TOKEN>", "<API-KEY>", "<COOKIE>"}
                    ]
            for body in (request["body"], response["body"]["string"]):
                hits += [f"{where}: {field}" for field in _secret_fields(body)]
    assert hits == []


def _secret_fields(body: str | None) -> list[str]:
    if not body:
        return []
    try:
        data = json.loads(body)
    except ValueError:
        return []
    found = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                secret_key = key in {"password", "reset_token", "token", "api_key"}
                if secret_key and value is not None and not PLACEHOLDER.match(str(value)):
                    found.append(f"{key}={value!r}")
                stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
    return found


@pytest.fixture(scope="module")
def openapi() -> OpenAPI:
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    spec["servers"] = [{"url": PLACEHOLDER_BASE_URL}]
    # RFC 9457 problem documents are JSON; openapi-core only knows a few +json types.
    config = Config(extra_media_type_deserializers={"application/problem+json": json.loads})
    return OpenAPI.from_dict(spec, config=config)


@pytest.mark.parametrize("path", CASSETTE_FILES, ids=lambda p: p.relative_to(CASSETTES).as_posix())
def test_every_interaction_conforms_to_openapi(openapi: OpenAPI, path: Path) -> None:
    problems = []
    checked = 0
    for index, interaction in enumerate(interactions(path)):
        request, response = interaction["request"], interaction["response"]
        url = urlsplit(request["uri"])
        if url.path.startswith(TEST_ONLY_PATHS):
            continue  # the reference server's test-mode endpoints are not part of the API
        headers = {name: values[0] for name, values in request["headers"].items()}
        mock_request = MockRequest(
            PLACEHOLDER_BASE_URL,
            request["method"],
            url.path,
            args=parse_qsl(url.query, keep_blank_values=True),  # type: ignore[arg-type]
            headers=headers,
            data=(request["body"] or "").encode(),
            content_type=headers.get("content-type", ""),
        )
        status = response["status"]["code"]
        response_headers = {name: values[0] for name, values in response["headers"].items()}
        mock_response = MockResponse(
            (response["body"]["string"] or "").encode(),
            status_code=status,
            headers=response_headers,
            content_type=response_headers.get("content-type", ""),
        )
        where = label(path, index, request)
        # A request the server refused (4xx) is invalid on purpose; its answer must still conform.
        if status < 400:
            try:
                openapi.validate_request(mock_request)
            except Exception as error:
                problems.append(f"{where}: request: {error!r} {getattr(error, '__cause__', '')}")
        try:
            openapi.validate_response(mock_request, mock_response)
        except Exception as error:
            problems.append(f"{where}: response {status}: {error!r} {error.__cause__!r}")
        if "x-request-id" not in {h.lower() for h in response_headers}:
            problems.append(f"{where}: response {status} has no X-Request-ID")
        checked += 1
    assert checked > 0
    assert problems == []


def collected_cassette_names() -> set[str]:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         str(ROOT / "tests" / "integration")],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    names = set()
    for line in result.stdout.splitlines():
        if "::" in line and not line.startswith("tests/integration/test_cassettes.py"):
            module, test = line.split("::", 1)
            names.add(f"{Path(module).stem}/{test}.yaml")
    return names


def test_every_cassette_file_belongs_to_a_test() -> None:
    on_disk = {path.relative_to(CASSETTES).as_posix() for path in CASSETTE_FILES}
    unused = sorted(on_disk - collected_cassette_names())
    assert unused == [], f"cassette files no test uses (delete them or re-record): {unused}"


def _replay_one(test_id: str, cassette_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "USERS_SDK_CASSETTE_DIR": str(cassette_dir)}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--record-mode=none",
         f"tests/integration/{test_id}"],
        capture_output=True, text=True, check=False, cwd=ROOT, env=env,
    )  # fmt: skip


def _edit_cassette(tmp_path: Path, name: str, edit: Any) -> Path:
    copy = tmp_path / "cassettes"
    shutil.copytree(CASSETTES, copy)
    path = copy / name
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(loaded["interactions"])
    path.write_text(yaml.safe_dump(loaded), encoding="utf-8")
    return copy


def test_a_deleted_interaction_makes_its_test_fail(tmp_path: Path) -> None:
    name = "test_users/test_get_and_me[sync].yaml"
    copy = _edit_cassette(tmp_path, name, lambda items: items.pop())  # the GET /v1/users/me
    result = _replay_one("test_users.py::test_get_and_me[sync]", copy)
    assert result.returncode == 1, result.stdout
    assert "CannotOverwriteExistingCassetteException" in result.stdout


def test_an_interaction_the_test_no_longer_makes_fails_it(tmp_path: Path) -> None:
    name = "test_users/test_get_and_me[sync].yaml"
    copy = _edit_cassette(tmp_path, name, lambda items: items.append(items[-1]))
    result = _replay_one("test_users.py::test_get_and_me[sync]", copy)
    assert result.returncode == 1, result.stdout
    assert "were never replayed: GET http://users-api.test/v1/users/me" in result.stdout


def test_the_unchanged_cassettes_replay_green(tmp_path: Path) -> None:
    # The control for the two tests above: the same command on an untouched copy passes.
    copy = _edit_cassette(tmp_path, "test_users/test_get_and_me[sync].yaml", lambda items: None)
    result = _replay_one("test_users.py::test_get_and_me[sync]", copy)
    assert result.returncode == 0, result.stdout


@pytest.mark.slow
def test_recording_again_gives_the_committed_bytes(tmp_path: Path) -> None:
    """`make record` twice leaves git clean: a fresh recording equals cassettes/."""
    output = tmp_path / "cassettes"
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "record.py"), "--output", str(output)],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    recorded = {p.relative_to(output).as_posix(): p.read_bytes() for p in output.rglob("*.yaml")}
    committed = {p.relative_to(CASSETTES).as_posix(): p.read_bytes() for p in CASSETTE_FILES}
    assert sorted(recorded) == sorted(committed)
    differing = [name for name in recorded if recorded[name] != committed[name]]
    assert differing == [], "re-recording changed these cassettes; run `make record` and commit"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cassettes"]  # no staging left


@pytest.mark.slow
def test_a_failed_recording_leaves_the_cassettes_as_they_were(tmp_path: Path) -> None:
    """One test records its cassette, another fails: nothing reaches the output
    (recording in place used to leave it half re-recorded)."""
    output = tmp_path / "cassettes"
    (output / "test_users").mkdir(parents=True)
    kept = output / "test_users" / "test_get_and_me[sync].yaml"
    kept.write_bytes(b"interactions: []\n")
    failing = tmp_path / "test_fails_while_recording.py"
    failing.write_text(
        "import pytest\n\n\n@pytest.mark.vcr\ndef test_fails():\n    assert False\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "record.py"), "--output", str(output),
         str(failing), "-k", "test_get_and_me and sync or test_fails"],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode != 0
    # Cassettes were recorded (test_get_and_me[sync] among them), then a test failed.
    assert re.search(r"\b1 failed, [1-9]\d* passed", result.stdout), result.stdout
    assert f"{output} is unchanged" in result.stdout
    assert [p.relative_to(output).as_posix() for p in output.rglob("*")] == [
        "test_users",
        "test_users/test_get_and_me[sync].yaml",
    ]
    assert kept.read_bytes() == b"interactions: []\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "cassettes",
        "test_fails_while_recording.py",
    ]


@pytest.mark.slow
def test_a_recording_stopped_between_its_renames_gets_the_old_cassettes_back(
    tmp_path: Path,
) -> None:
    """A run killed after moving cassettes/ aside and before moving the new
    recording in leaves only `.cassettes-previous`: the next run restores it."""
    output = tmp_path / "cassettes"
    aside = tmp_path / ".cassettes-previous" / "test_users"
    aside.mkdir(parents=True)
    (aside / "old.yaml").write_bytes(b"interactions: []\n")
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "record.py"), "--output", str(output),
         "-k", "no_test_has_this_name"],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode != 0  # nothing selected: the recording itself fails
    assert (output / "test_users" / "old.yaml").read_bytes() == b"interactions: []\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cassettes"]
