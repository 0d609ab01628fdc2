"""A test's users-sdk settings, from the ini file and the test's marks.

[pytest]
users_sdk_cassette_check = warn          # error (default), warn, off
users_sdk_scrub = false                  # keep credentials in cassettes
users_sdk_scrub_fields = ssn             # more JSON fields / query parameters
users_sdk_scrub_headers = x-session      # more headers

@pytest.mark.users_sdk_cassette_check("off")
@pytest.mark.users_sdk_scrub(False)
@pytest.mark.users_sdk_scrub(fields=["ssn"], headers=["x-session"])
"""

from __future__ import annotations

from typing import Any

import pytest

from ._scrub import DEFAULT_RULES, ScrubRules

__all__ = ["CHECK_MODES", "check_mode", "scrub_rules"]

CHECK_MODES = ("error", "warn", "off")


def check_mode(item: pytest.Item) -> str:
    """How a mismatch between a cassette and the spec is reported for this test."""
    marker = item.get_closest_marker("users_sdk_cassette_check")
    setting = marker.args[0] if marker and marker.args else item.config.getini(
        "users_sdk_cassette_check"
    )  # fmt: skip
    mode = str(setting).strip().lower()
    if mode not in CHECK_MODES:
        pytest.fail(
            f"users_sdk_cassette_check is {mode!r}: use one of {', '.join(CHECK_MODES)}",
            pytrace=False,
        )
    return mode


# Mistakes in a mark or the ini fail the test that meets them, without a traceback
# into the plugin (pytest.fail(pytrace=False)).


def _names(value: Any, where: str) -> list[str]:
    if isinstance(value, str) or not all(isinstance(name, str) for name in value):
        pytest.fail(f"{where}: give a list of names, such as ['ssn'], not {value!r}", pytrace=False)
    return list(value)


def scrub_rules(item: pytest.Item) -> ScrubRules:
    """What this test's cassettes scrub: the defaults, the ini's additions, the marks'."""
    config = item.config
    rules = DEFAULT_RULES if config.getini("users_sdk_scrub") else ScrubRules.off()
    rules = rules.adding(
        config.getini("users_sdk_scrub_fields"), config.getini("users_sdk_scrub_headers")
    )
    marker = item.get_closest_marker("users_sdk_scrub")
    if marker is None:
        return rules
    unknown = set(marker.kwargs) - {"fields", "headers"}
    if unknown or len(marker.args) > 1 or (marker.args and not isinstance(marker.args[0], bool)):
        pytest.fail(
            f"{item.nodeid}: users_sdk_scrub takes True or False, and fields=[...], "
            f"headers=[...]; got {marker.args!r} {marker.kwargs!r}",
            pytrace=False,
        )
    if marker.args and not marker.args[0]:
        return ScrubRules.off()
    if marker.args and marker.args[0] and not rules.secrets:
        rules = DEFAULT_RULES  # the mark switches back on what the ini switched off
    return rules.adding(
        _names(marker.kwargs.get("fields", ()), "users_sdk_scrub(fields=...)"),
        _names(marker.kwargs.get("headers", ()), "users_sdk_scrub(headers=...)"),
    )
