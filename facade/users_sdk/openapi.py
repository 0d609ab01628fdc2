"""The OpenAPI document this SDK was generated from, installed with it.

    from users_sdk import openapi

    openapi.spec_path()   # the openapi.yaml users-sdk was generated from
    openapi.load_spec()   # that document, parsed (needs PyYAML: the [testing] extra)

The wheel carries the repository's openapi.yaml as `users_sdk/openapi.yaml`.
In a source checkout (an editable install) it is the repository's own file.
`load_spec()` proves that the file found is the one the generated package was
written from (`users_api_client.sdk.source.SPEC_SHA256`): the record/replay
plugin checks cassettes against it, and a check against another spec would
be worse than none.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Any

from users_api_client.sdk.source import SPEC_SHA256

from ._exceptions import ConfigurationError

__all__ = ["load_spec", "spec_path"]

_SPEC_NAME = "openapi.yaml"
_HERE = Path(__file__).resolve().parent
# Where the wheel puts the spec, then where a checkout keeps it (facade/users_sdk -> the root).
_CANDIDATES = (_HERE / _SPEC_NAME, _HERE.parents[1] / _SPEC_NAME)


def spec_path() -> Path:
    """The installed openapi.yaml (a ConfigurationError if the installation has none)."""
    for candidate in _CANDIDATES:
        if candidate.is_file():
            return candidate
    raise ConfigurationError(
        f"users-sdk's {_SPEC_NAME} is not installed next to {_HERE}: "
        "reinstall users-sdk (pip install --force-reinstall users-sdk)"
    )


@functools.cache
def load_spec() -> dict[str, Any]:
    """The parsed spec, read once per process, after its digest is checked."""
    path = spec_path()
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != SPEC_SHA256:
        raise ConfigurationError(
            f"{path} is not the spec users-sdk was generated from (sha256 {digest[:12]}..., "
            f"expected {SPEC_SHA256[:12]}...): run `make generate` in a checkout, "
            "or reinstall users-sdk"
        )
    document: dict[str, Any] = read_yaml(data)
    return document


def read_yaml(data: bytes) -> Any:
    """YAML (the spec, a cassette) with libyaml's safe loader when installed: the
    pure-Python one takes about ten times longer."""
    try:
        import yaml  # type: ignore[import-untyped]
    except ImportError:
        raise ConfigurationError(
            "reading the spec and cassettes needs PyYAML: pip install 'users-sdk[testing]'"
        ) from None
    return yaml.load(data, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
