"""Where the server finds openapi.yaml when it is not told (`--spec`, `USERS_SERVER_SPEC`).

It looks for the file itself, importing nothing: users_sdk.testing starts this
server, so the server importing users_sdk to ask it would make each package
need the other. Two places can hold it:

* an installed wheel puts the spec once, as the data file `users_sdk/openapi.yaml`
  (pyproject's force-include), in the directory that holds `users_server` too;
  the server reads that file where it lies, without importing the package;
* a checkout keeps it at the repository's root, above `server/users_server/`.
"""

from __future__ import annotations

from pathlib import Path

from .declarations import SpecError

SPEC_NAME = "openapi.yaml"
# users_server/spec/ -> users_server -> the directory users_server is installed in.
_INSTALLED_IN = Path(__file__).resolve().parents[2]
CANDIDATES = (
    _INSTALLED_IN / "users_sdk" / SPEC_NAME,  # site-packages/users_sdk/openapi.yaml
    _INSTALLED_IN.parent / SPEC_NAME,  # <repository>/server/.. : <repository>/openapi.yaml
)


def locate_spec() -> Path:
    """The openapi.yaml installed with the server (the repository's, in a checkout)."""
    for candidate in CANDIDATES:
        if candidate.is_file():
            return candidate
    looked = ", ".join(str(candidate) for candidate in CANDIDATES)
    raise SpecError(
        f"no {SPEC_NAME} next to the server (looked at {looked}):"
        " pass one with --spec or USERS_SERVER_SPEC"
    )
