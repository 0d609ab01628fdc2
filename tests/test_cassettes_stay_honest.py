"""Issue "record/replay that cannot go stale", the way a user meets it: a throwaway
suite (run by pytester, in a subprocess) records against the users_api_server
fixture with no environment variable, replays with the network blocked, and is
told, naming the cassette, the interaction and the field, when a cassette no
longer matches the spec users-sdk was generated from."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from users_sdk import UsersClient
from users_sdk._version import __version__
from users_sdk.testing import UsersApiServer

USER_SUITE = """
import pytest


@pytest.mark.vcr
def test_onboard(users_client):
    user = users_client.users.create(email="ada@example.com", role="admin")
    assert users_client.users.get(user.id).email == "ada@example.com"


@pytest.mark.vcr
def test_profile_answers(users_client):
    # Only the status is asserted: the body is not parsed, so only the spec check
    # can notice that a recorded user lost a field.
    user = users_client.users.create(email="grace@example.com")
    response = users_client.users.with_raw_response.get(user.id)
    assert response.status_code == 200


@pytest.mark.vcr
def test_each_test_gets_a_fresh_database(users_client):
    emails = [user.email for user in users_client.users.list()]
    assert "ada@example.com" not in emails and "grace@example.com" not in emails
"""
CASSETTES = Path("cassettes/test_app")
EDITED = CASSETTES / "test_profile_answers.yaml"
STALE_MESSAGE = (
    f"*cassette {EDITED.as_posix()}, interaction 2, GET /v1/users/{{user_id}}: "
    "'email' is missing; the cassette predates the current spec: re-record it*"
)


@pytest.fixture
def user_suite(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    for name in ("USERS_API_BASE_URL", "USERS_API_TOKEN", "USERS_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    pytester.makepyfile(test_app=USER_SUITE)
    return pytester


def run(suite: pytest.Pytester, *args: str) -> pytest.RunResult:
    return suite.runpytest_subprocess("-p", "no:cacheprovider", *args)


def cassette_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.yaml")}


def drop_field(path: Path, interaction: int, field: str) -> None:
    """Edit a cassette the way an API change would leave it: a response without `field`."""
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    body = loaded["interactions"][interaction - 1]["response"]["body"]
    data = json.loads(body["string"])
    del data[field]
    body["string"] = json.dumps(data)
    path.write_text(yaml.safe_dump(loaded), encoding="utf-8")


def add_field(path: Path, interaction: int, field: str, value: Any) -> None:
    """Edit a cassette the way an API ahead of the SDK answers: a field more."""
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    body = loaded["interactions"][interaction - 1]["response"]["body"]
    body["string"] = json.dumps({**json.loads(body["string"]), field: value})
    path.write_text(yaml.safe_dump(loaded), encoding="utf-8")


@pytest.fixture
def recorded(user_suite: pytest.Pytester) -> pytest.Pytester:
    run(user_suite, "--record-mode=once").assert_outcomes(passed=3)
    return user_suite


def test_records_against_the_fixture_server_then_replays_offline(
    recorded: pytest.Pytester,
) -> None:
    cassettes = cassette_bytes(recorded.path)
    assert sorted(cassettes) == [
        f"{CASSETTES.as_posix()}/test_each_test_gets_a_fresh_database.yaml",
        f"{CASSETTES.as_posix()}/test_onboard.yaml",
        f"{CASSETTES.as_posix()}/test_profile_answers.yaml",
    ]
    everything = b"\n".join(cassettes.values()).decode()
    for secret in ("owner-token", "owner-key", "127.0.0.1"):
        assert secret not in everything
    assert f"users-sdk/{__version__}" in everything  # what the report reads
    assert "/_test/" not in everything  # the fixture's resets are not in a cassette

    replayed = run(recorded, "--block-network")
    replayed.assert_outcomes(passed=3)
    assert cassette_bytes(recorded.path) == cassettes  # replay wrote nothing

    # Deterministic server, fresh database per test: recording again gives the same bytes.
    for path in (recorded.path / CASSETTES).iterdir():
        path.unlink()
    run(recorded, "--record-mode=once").assert_outcomes(passed=3)
    assert cassette_bytes(recorded.path) == cassettes


def test_a_cassette_missing_a_required_field_fails_naming_it(recorded: pytest.Pytester) -> None:
    drop_field(recorded.path / EDITED, interaction=2, field="email")

    failed = run(recorded, "--block-network")
    failed.assert_outcomes(passed=2, failed=1)
    failed.stdout.fnmatch_lines([STALE_MESSAGE])

    # Switched to a warning in the ini file: the test passes, and says why it should not.
    recorded.makeini("[pytest]\nusers_sdk_cassette_check = warn\n")
    warned = run(recorded, "--block-network")
    warned.assert_outcomes(passed=3, warnings=1)
    warned.stdout.fnmatch_lines(["*test_app.py:*: CassetteSpecWarning: " + STALE_MESSAGE])


def test_the_check_can_be_switched_per_test(recorded: pytest.Pytester) -> None:
    drop_field(recorded.path / EDITED, interaction=2, field="email")
    source = (recorded.path / "test_app.py").read_text(encoding="utf-8")
    marked = source.replace(
        "@pytest.mark.vcr\ndef test_profile_answers",
        '@pytest.mark.vcr\n@pytest.mark.users_sdk_cassette_check("warn")\ndef test_profile_answers',
    )
    assert marked != source
    (recorded.path / "test_app.py").write_text(marked, encoding="utf-8")
    run(recorded, "--block-network").assert_outcomes(passed=3, warnings=1)


def test_a_stale_answer_fails_with_the_spec_message_before_the_sdk_trips_on_it(
    recorded: pytest.Pytester,
) -> None:
    # test_onboard parses the user: the spec check speaks first, with the cassette's name.
    drop_field(recorded.path / CASSETTES / "test_onboard.yaml", interaction=2, field="email")
    failed = run(recorded, "--block-network", "-k", "test_onboard")
    failed.assert_outcomes(failed=1)
    failed.stdout.fnmatch_lines(["*test_onboard.yaml, interaction 2, GET*'email' is missing*"])
    assert "UnexpectedResponseError" not in failed.stdout.str()


def test_the_report_lists_unused_and_stale_cassettes_and_their_versions(
    recorded: pytest.Pytester,
) -> None:
    unused = recorded.path / CASSETTES / "test_removed_long_ago.yaml"
    unused.write_bytes((recorded.path / CASSETTES / "test_onboard.yaml").read_bytes())
    drop_field(recorded.path / EDITED, interaction=2, field="email")
    # The API got ahead of the SDK: the test passes, and the report says so.
    onboard = recorded.path / CASSETTES / "test_onboard.yaml"
    add_field(onboard, interaction=2, field="x_added_later", value="she/her")

    report = run(recorded, "--block-network", "--users-sdk-cassettes-report")
    report.assert_outcomes(passed=2, failed=1)
    report.stdout.fnmatch_lines(
        [
            "*users-sdk cassettes report*",
            "4 cassette(s); 1 unused by the tests that ran; 1 stale against the spec of "
            f"users-sdk {__version__}",
            "unused (no test that ran loaded them*",
            f"  {CASSETTES.as_posix()}/test_removed_long_ago.yaml",
            "stale (re-record them):",
            STALE_MESSAGE,
            "recorded with:",
            f"  {CASSETTES.as_posix()}/test_each_test_gets_a_fresh_database.yaml: "
            f"users-sdk {__version__}",
            f"ahead of the spec of users-sdk {__version__} (the API sent them*upgrade*",
            "  field 'x_added_later' of User",
        ]
    )
    assert "she/her" not in report.stdout.str()  # names, never values


def test_a_module_can_share_one_database(user_suite: pytest.Pytester) -> None:
    user_suite.makepyfile(
        test_shared="""
        import pytest

        pytestmark = pytest.mark.users_api_server(fresh="module")

        def test_first(users_api_server, users_client):
            users_client.users.create(email="kept@example.com")

        def test_second(users_api_server, users_client):
            assert "kept@example.com" in [u.email for u in users_client.users.list()]
        """
    )
    run(user_suite, "--record-mode=once", "test_shared.py").assert_outcomes(passed=2)


# ---- the fixture itself, in this process ------------------------------------------------


def test_the_fixture_server_answers_resets_and_keeps_its_credentials_out_of_its_repr(
    users_api_server: UsersApiServer,
) -> None:
    assert users_api_server.base_url.startswith("http://127.0.0.1:")
    assert users_api_server.token not in repr(users_api_server)
    assert users_api_server.api_key not in repr(users_api_server)
    with UsersClient(base_url=users_api_server.base_url, api_key=users_api_server.api_key) as c:
        assert c.users.me().role == "owner"
        created = c.users.create(email="left.behind@example.com")
        users_api_server.reset()
        emails = [user.email for user in c.users.list()]
        assert "left.behind@example.com" not in emails
        assert c.users.create(email="again@example.com").id == created.id  # counters reset too


def test_recording_an_answer_the_spec_does_not_allow_fails(user_suite: pytest.Pytester) -> None:
    # The test-mode server answers `Prefer: code=418` with a 418, which no operation declares.
    user_suite.makepyfile(
        test_teapot="""
        import httpx2
        import pytest

        @pytest.mark.vcr
        def test_teapot(users_api_server):
            response = httpx2.get(
                users_api_server.base_url + "/v1/users/me",
                headers={"Prefer": "code=418", "Authorization": "Bearer " + users_api_server.token},
            )
            assert response.status_code == 418
        """
    )
    result = run(user_suite, "--record-mode=once", "test_teapot.py")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*cassette cassettes/test_teapot/test_teapot.yaml, interaction 1, GET /v1/users/me: "
            "status 418 is not a response of this operation*; the API answered what the spec "
            "users-sdk was generated from does not allow*"
        ]
    )
