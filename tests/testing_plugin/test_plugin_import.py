"""The plugin is loaded by every pytest run of a venv with users-sdk[testing]: its
import must not pull in the client, vcrpy or the generated code, and a session
with no Users API test must never load them. (Its cost in milliseconds is a
`make bench` row, `plugin_import`, not a timed test.)"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# What only a Users API test (or a cassette) needs: loaded when one runs. (The
# generated package's name lists, users_api_client.sdk.names, are not in it.)
HEAVY_PACKAGES = ("httpx2", "vcr", "attrs", "msgspec", "yaml", "users_server")
HEAVY_MODULES = ("users_sdk._client", "users_api_client.client", "users_api_client.sdk.params")


def _heavy(modules: list[str]) -> list[str]:
    return sorted(
        m
        for m in modules
        if m.split(".")[0] in HEAVY_PACKAGES
        or m.startswith(("users_api_client.models", *HEAVY_MODULES))
    )


def test_importing_the_plugin_loads_nothing_heavy() -> None:
    probe = (
        "import json, sys, pytest; before = set(sys.modules); import users_sdk.testing; "
        "print(json.dumps(sorted(set(sys.modules) - before)))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded = json.loads(done.stdout)
    assert "users_sdk.testing" in loaded
    assert _heavy(loaded) == []


def test_a_session_with_no_users_api_test_never_loads_the_client(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeconftest(
        """
        import json, sys

        def pytest_sessionfinish(session):
            heavy = ("httpx2", "vcr", "attrs", "users_api_client.models", "users_sdk._client")
            names = [m for m in sys.modules if m.startswith(heavy)]
            print("HEAVY=" + json.dumps(sorted(names)))
        """
    )
    pytester.makepyfile(
        test_plain="""
        import pytest

        def test_plain():
            assert 1 + 1 == 2
        """
    )
    # schemathesis and hypothesis are in this venv for the project's own tests,
    # not because of users-sdk: they are left out, as a user's venv would not have them.
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "-p", "no:schemathesis", "-p", "no:hypothesispytest", "-s"
    )
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*users-sdk*"])  # the plugin was loaded
    result.stdout.fnmatch_lines(["*HEAVY=[[]]"])  # fnmatch: [[] is a literal [
