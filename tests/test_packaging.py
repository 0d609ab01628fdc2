"""One wheel, three import packages, typed, installable into an empty virtual environment;
with its extras, a user's suite records against the bundled server and replays offline."""

from __future__ import annotations

import fnmatch
import json
import os
import subprocess
import sys
import tarfile
import venv
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
from testing_plugin.test_daily_workflow import FIRST_TESTS

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import dist  # noqa: E402

pytestmark = pytest.mark.slow
# The venv must import what it installed, even when this suite runs with
# PYTHONPATH pointing at a checkout (the spec rehearsal does).
VENV_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("users_sdk-*.whl")
    return built


def test_wheel_ships_its_packages_typed_and_its_spec(wheel: Path) -> None:
    archive = zipfile.ZipFile(wheel)
    names = archive.namelist()
    top_level = {name.split("/")[0] for name in names if not name.startswith("users_sdk-")}
    assert top_level == {"users_sdk", "users_api_client", "users_server"}
    assert archive.read("users_sdk/openapi.yaml") == (ROOT / "openapi.yaml").read_bytes()
    for required in (
        "users_sdk/__init__.py",
        "users_sdk/py.typed",
        "users_server/__init__.py",
        "users_server/py.typed",
        "users_api_client/__init__.py",
        "users_api_client/py.typed",
        "users_api_client/api/users/get_user.py",
        "users_api_client/models/user.py",
    ):
        assert required in names


def test_wheel_metadata(wheel: Path) -> None:
    archive = zipfile.ZipFile(wheel)
    (metadata_name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
    metadata = Parser().parsestr(archive.read(metadata_name).decode())
    assert metadata["Name"] == "users-sdk"
    assert metadata["Requires-Python"] == ">=3.11"
    # The license the metadata names ships with it (no LICENSE file used to exist).
    assert metadata["License-Expression"] == "MIT"
    assert metadata.get_all("License-File") == ["LICENSE"]
    (license_file,) = [n for n in archive.namelist() if n.endswith(".dist-info/licenses/LICENSE")]
    assert archive.read(license_file) == (ROOT / "LICENSE").read_bytes()
    runtime = [r for r in metadata.get_all("Requires-Dist") if "extra ==" not in r]
    assert sorted(r.split(">")[0].split("<")[0] for r in runtime) == [
        "anyio",
        "attrs",
        "httpx2",
        "msgspec",
    ]


def test_the_sdist_holds_what_a_build_needs_and_no_tooling(tmp_path: Path) -> None:
    """What scripts/dist.py checks on `make dist`'s sdist, on one built here: the
    files a build from it reads, the changelog, and none of the checkout's
    tests, scripts, cassettes or venvs; one README, the one pyproject names."""
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--outdir", str(tmp_path), str(ROOT)],
        check=True, capture_output=True,
    )  # fmt: skip
    (sdist,) = tmp_path.glob("users_sdk-*.tar.gz")
    top = sdist.name.removesuffix(".tar.gz")
    with tarfile.open(sdist) as archive:
        names = [name.removeprefix(f"{top}/") for name in archive.getnames()]
    assert [need for need in dist.SDIST_NEEDS if need not in names] == []
    assert [name for name in names if name.startswith(dist.SDIST_NEVER)] == []
    assert [name for name in names if name.endswith("README.md")] == ["README.md"]


def test_pip_install_into_an_empty_venv_gives_both_import_packages(
    wheel: Path, tmp_path: Path
) -> None:
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheel],
        check=True,
        capture_output=True,
        env=VENV_ENV,
    )
    probe = (
        "import users_sdk, users_api_client, users_api_client.api.users.get_user as g;"
        "print(users_sdk.__file__); print(users_api_client.__file__); print(users_sdk.__version__)"
    )
    result = subprocess.run(
        [str(python), "-c", probe],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=VENV_ENV,
    )
    sdk_file, client_file, version = result.stdout.split()
    assert str(environment) in sdk_file
    assert str(environment) in client_file
    assert version == __import__("users_sdk").__version__
    # httpx2 only: a plain install brings neither httpx nor httpcore.
    listed = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=json", "--disable-pip-version-check"],
        check=True,
        capture_output=True,
        text=True,
        env=VENV_ENV,
    )
    installed = {package["name"].lower() for package in json.loads(listed.stdout)}
    assert {"users-sdk", "httpx2", "httpcore2"} <= installed
    assert not installed & {"httpx", "httpcore"}, installed
    # The server's console script is installed too; without the [server] extra it
    # says how to get it in one line (no traceback) and exits 2.
    server = subprocess.run(
        [str(environment / "bin" / "users-sdk-server")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=VENV_ENV,
        check=False,
    )
    assert server.returncode == 2, server.stderr
    assert server.stderr.count("\n") == 1, server.stderr
    assert 'pip install "users-sdk[server]"' in server.stderr


def test_a_user_suite_records_against_the_bundled_server_and_replays_offline(
    wheel: Path, tmp_path: Path
) -> None:
    """The issue's Verify, in a fresh venv: `pip install "users-sdk[testing,server]"`,
    a three-test suite records with no environment variable, replays with the
    network blocked, and fails naming the field once a cassette is edited."""
    from test_cassettes_stay_honest import EDITED, STALE_MESSAGE, USER_SUITE, drop_field

    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = str(environment / "bin" / "python")
    pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run(
        [*pip, f"{wheel}[testing,server]"], check=True, capture_output=True, env=VENV_ENV
    )
    # The console script runs, and the server finds the spec the wheel installs
    # (users_sdk/openapi.yaml, read as a file, not through users_sdk).
    helped = subprocess.run(
        [str(environment / "bin" / "users-sdk-server"), "--help"],
        capture_output=True, text=True, env=VENV_ENV, check=False,
    )  # fmt: skip
    assert helped.returncode == 0, helped.stderr
    assert helped.stdout.startswith("usage: users-sdk-server")
    probe = (
        "import sysconfig; from users_server.spec import load_schema;"
        "print(load_schema().path); print(sysconfig.get_paths()['purelib'])"
    )
    found = subprocess.run(
        [python, "-c", probe], capture_output=True, text=True, cwd=tmp_path, env=VENV_ENV,
        check=True,
    )  # fmt: skip
    spec, site_packages = found.stdout.splitlines()
    assert Path(spec) == Path(site_packages).resolve() / "users_sdk" / "openapi.yaml"
    suite = tmp_path / "suite"
    suite.mkdir()
    (suite / "test_app.py").write_text(USER_SUITE, encoding="utf-8")
    env = {k: v for k, v in VENV_ENV.items() if not k.startswith("USERS_API_")}

    def pytest_run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [python, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args],
            capture_output=True, text=True, cwd=suite, env=env, check=False,
        )  # fmt: skip

    recorded = pytest_run("--record-mode=once")
    assert recorded.returncode == 0, recorded.stdout + recorded.stderr
    assert "3 passed" in recorded.stdout
    replayed = pytest_run("--block-network")
    assert "3 passed" in replayed.stdout, replayed.stdout
    drop_field(suite / EDITED, interaction=2, field="email")
    stale = pytest_run("--block-network")
    assert stale.returncode == 1
    assert "1 failed, 2 passed" in stale.stdout
    assert fnmatch.fnmatch(stale.stdout, STALE_MESSAGE), stale.stdout


OTHER_SERVICE_TEST = """
import os

import httpx2
import pytest


@pytest.mark.vcr
def test_another_loopback_service():
    url = os.environ["OTHER_API_URL"]
    login = {"username": "ann", "password": "hunter2"}
    auth = {"Authorization": "Bearer other-service-secret"}
    body = httpx2.post(f"{url}/login", json=login, headers=auth).json()
    assert (body["token"], body["password"]) == ("tok-123", "hunter2")
"""
VERIFY_ADDED = (
    OTHER_SERVICE_TEST
    + """

@pytest.mark.vcr
def test_added_sync(users_client):
    assert users_client.users.me().role == "owner"


@pytest.mark.vcr
@pytest.mark.asyncio
async def test_added_async(async_users_client):
    assert (await async_users_client.users.me()).role == "owner"
"""
)


def test_issue_23_verify_in_a_fresh_venv(wheel: Path, tmp_path: Path, other_api: str) -> None:
    """Issue 23's Verify: `pip install "<wheel>[testing,server]" pytest-asyncio
    pytest-xdist`; record two tests, add three (sync, pytest-asyncio, another
    loopback service), record with `once`: the first cassettes keep their bytes;
    `new_episodes` adds nothing; `--block-network -n 2` with the report passes.
    Then the way out for a pytest-vcr project: with pytest-vcr installed,
    pytest-recording stops pytest at start-up, and `-p no:recording` runs it."""
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = str(environment / "bin" / "python")
    pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    extras = [f"{wheel}[testing,server]", "pytest-asyncio", "pytest-xdist"]
    subprocess.run([*pip, *extras], check=True, capture_output=True, env=VENV_ENV)
    suite = tmp_path / "suite"
    suite.mkdir()
    (suite / "pytest.ini").write_text(
        "[pytest]\nasyncio_default_fixture_loop_scope = function\n", encoding="utf-8"
    )
    (suite / "test_first.py").write_text(FIRST_TESTS, encoding="utf-8")
    env = {k: v for k, v in VENV_ENV.items() if not k.startswith("USERS_API_")}
    env["OTHER_API_URL"] = other_api

    def pytest_run(*args: str) -> str:
        done = subprocess.run(
            [python, "-m", "pytest", "-p", "no:cacheprovider", *args],
            capture_output=True, text=True, cwd=suite, env=env, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def cassettes() -> dict[str, bytes]:
        return {p.relative_to(suite).as_posix(): p.read_bytes() for p in suite.rglob("*.yaml")}

    assert "2 passed" in pytest_run("--record-mode=once")  # 1.
    first = cassettes()
    (suite / "test_added.py").write_text(VERIFY_ADDED, encoding="utf-8")
    assert "5 passed" in pytest_run("--record-mode=once")  # 2.
    recorded = cassettes()
    assert len(recorded) == 5
    assert {name: recorded[name] for name in first} == first
    assert "5 passed" in pytest_run("--record-mode=new_episodes")  # 3.
    assert cassettes() == recorded
    other = recorded["cassettes/test_added/test_another_loopback_service.yaml"].decode()
    assert "hunter2" in other  # 4. (and it replays below with its original values)
    assert "tok-123" in other
    report = pytest_run("--block-network", "-n", "2", "--users-sdk-cassettes-report")  # 5.
    assert "5 passed" in report
    assert "5 cassette(s); 0 unused by the tests that ran; 0 stale" in report
    for name in recorded:
        assert f"  {name}: " in report

    # A pytest-vcr project in the same venv: pytest-recording (pulled in by
    # [testing]) stops pytest at start-up; the README's way out runs it.
    subprocess.run([*pip, "pytest-vcr"], check=True, capture_output=True, env=VENV_ENV)
    (suite / "test_added.py").unlink()
    (suite / "test_first.py").unlink()
    (suite / "test_vcr_project.py").write_text(OTHER_SERVICE_TEST, encoding="utf-8")
    stopped = subprocess.run(
        [python, "-m", "pytest", "-p", "no:cacheprovider"],
        capture_output=True, text=True, cwd=suite, env=env, check=False,
    )  # fmt: skip
    assert stopped.returncode != 0
    assert "incompatible with `pytest-vcr`" in stopped.stdout + stopped.stderr
    assert "1 passed" in pytest_run("-p", "no:recording", "--vcr-record=once")
    assert "1 passed" in pytest_run("-p", "no:recording", "--vcr-record=none")
