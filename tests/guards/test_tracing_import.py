"""Tracing costs nothing to a program that does not trace: opentelemetry stays unimported.

users_sdk._tracing is imported by the send loop, so its module and
`tracing_enabled()` must not import opentelemetry, installed (the dev
environment has it) or not. Each probe runs in a fresh interpreter.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

# Hides opentelemetry the way an environment without the [otel] extra lacks it:
# every finder on sys.meta_path answers "not found" for it, so find_spec returns
# None and an import raises ModuleNotFoundError.
HIDE_OPENTELEMETRY = textwrap.dedent(
    """
    import sys

    class Hide:
        def __init__(self, finder):
            self.finder = finder

        def find_spec(self, name, path=None, target=None):
            if name == "opentelemetry" or name.startswith("opentelemetry."):
                return None
            return self.finder.find_spec(name, path, target)

        def __getattr__(self, name):
            return getattr(self.finder, name)

    sys.meta_path[:] = [Hide(finder) for finder in sys.meta_path]
    """
)

USE_THE_SDK_WITHOUT_TRACING = textwrap.dedent(
    """
    import sys
    import users_sdk

    users_sdk.UsersClient(base_url="http://users.test", token="tok_guard_0123456789").close()
    from users_sdk import _tracing

    print(_tracing.tracing_enabled(), _tracing.tracing_enabled())
    print(sorted(m for m in sys.modules if m.split(".")[0] == "opentelemetry"))
    """
)


def _run(probe: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    return result.stdout.strip().splitlines()


def test_the_sdk_does_not_import_opentelemetry_until_a_span_starts() -> None:
    assert _run(USE_THE_SDK_WITHOUT_TRACING) == ["True True", "[]"]


def test_tracing_is_off_without_opentelemetry_and_nothing_tries_to_import_it() -> None:
    proof = textwrap.dedent(
        """
        try:
            import opentelemetry.trace
        except ModuleNotFoundError:
            print("hidden")
        """
    )
    lines = _run(HIDE_OPENTELEMETRY + USE_THE_SDK_WITHOUT_TRACING + proof)
    assert lines == ["False False", "[]", "hidden"]


def test_a_span_imports_opentelemetry() -> None:
    # The other side of the guard: the probe above would see an import.
    probe = USE_THE_SDK_WITHOUT_TRACING + textwrap.dedent(
        """
        with _tracing.OperationTrace("users.list", "GET", "/v1/users", "http://users.test"):
            pass
        print("opentelemetry.trace" in sys.modules)
        """
    )
    assert _run(probe) == ["True True", "[]", "True"]
