"""What users_sdk.testing changes in one test's VCR, for the Users API's interactions only.

pytest-recording builds a VCR per test and hands it to the plugin's
`pytest_recording_configure` hook, which calls `adapt`. From then on:

- a request to the Users API is addressed as the cassettes hold it before VCR
  matches or records it: the live origin becomes PLACEHOLDER_BASE_URL and
  secret query values their placeholders. So a cassette recorded yesterday
  matches a request made against today's server, and recording a new test
  (`--record-mode=once`, `new_episodes`, `all`) leaves the old ones alone;
- the Users API's requests also match on their (scrubbed) bodies;
- what reaches disk is scrubbed (`_scrub.scrub_cassette`), and an extra
  cassette of `@pytest.mark.vcr("shared.yaml")` is never copied into the
  test's own.

Every other interaction is matched, recorded and saved exactly as the user's
own VCR options say: the adaptations check `is_users_api` first.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ._scrub import DEFAULT_RULES, ScrubRules, is_users_api, scrub_body, scrub_cassette, scrub_uri

__all__ = ["BodyMatcher", "adapt"]

MATCHER_NAME = "users_sdk_body"


class BodyMatcher:
    """VCR matcher: two Users API requests match if their bodies are equal once
    both are scrubbed (JSON compared as data). Any other request passes."""

    def __init__(self, rules: ScrubRules = DEFAULT_RULES) -> None:
        self._rules = rules
        self.__name__ = MATCHER_NAME  # VCR names matchers in its messages

    def _normal(self, request: Any) -> Any:
        body = scrub_body(request.body, self._rules)
        if body in (None, b"", ""):
            return None
        try:
            return json.loads(body)
        except ValueError:
            return body

    def __call__(self, live: Any, recorded: Any) -> None:
        if not (is_users_api(live.uri) and is_users_api(recorded.uri)):
            return
        left, right = self._normal(live), self._normal(recorded)
        if left != right:
            raise AssertionError(f"bodies differ after scrubbing: {left!r} != {right!r}")


class _AddressedAsRecorded:
    """VCR's before_record_request, with the Users API's address and query
    secrets rewritten first (the user's own filters then run as configured)."""

    def __init__(self, users_filter: Callable[[Any], Any], rules: ScrubRules) -> None:
        self._users_filter = users_filter
        self._rules = rules

    def __call__(self, request: Any) -> Any:
        if is_users_api(request.uri):
            uri = scrub_uri(request.uri, self._rules)
            if uri != request.uri:
                request = copy.deepcopy(request)  # VCR's own request stays as sent
                request.uri = uri
        return self._users_filter(request)


def _interaction_key(request: Any, response: Any) -> tuple[Any, ...]:
    body = response.get("body", {}).get("string") if isinstance(response, dict) else None
    return (request.method, request.uri, request.body, str(response.get("status")), body)


class _UsersApiPersister:
    """Wraps pytest-recording's persister: notes which cassette files a test
    loaded (for the report), and saves the test's own cassette scrubbed and
    without the interactions that came from its extra cassettes."""

    def __init__(self, inner: Any, rules: ScrubRules, used_cassettes: set[Path]) -> None:
        self._inner = inner
        self._rules = rules
        self._used_cassettes = used_cassettes
        self._from_extras: list[tuple[Any, ...]] = []

    def _extra_paths(self) -> Iterable[str]:
        # pytest-recording's CombinedPersister holds the paths of `@pytest.mark.vcr("...")`.
        return tuple(getattr(self._inner, "extra_paths", ()))

    def load_cassette(self, cassette_path: str, serializer: Any) -> Any:
        for path in (cassette_path, *self._extra_paths()):
            if os.path.isfile(path):
                self._used_cassettes.add(Path(path).resolve())
        for path in self._extra_paths():
            if os.path.isfile(path) and os.path.abspath(path) != os.path.abspath(cassette_path):
                self._from_extras += self._interactions_of(path, serializer)
        return self._inner.load_cassette(cassette_path, serializer)

    @staticmethod
    def _interactions_of(path: str, serializer: Any) -> list[tuple[Any, ...]]:
        from vcr.persisters.filesystem import FilesystemPersister

        requests, responses, *_ = FilesystemPersister.load_cassette(path, serializer)
        return [_interaction_key(r, s) for r, s in zip(requests, responses, strict=False)]

    def save_cassette(self, cassette_path: str, cassette_dict: Any, serializer: Any) -> None:
        if self._from_extras:
            cassette_dict = self._without_extras(cassette_dict)
        self._inner.save_cassette(
            cassette_path, scrub_cassette(cassette_dict, self._rules), serializer=serializer
        )

    def _without_extras(self, cassette_dict: Any) -> Any:
        remaining = list(self._from_extras)
        requests, responses = [], []
        for request, response in zip(
            cassette_dict["requests"], cassette_dict["responses"], strict=True
        ):
            key = _interaction_key(request, response)
            if key in remaining:
                remaining.remove(key)  # one copy per interaction of the extra cassette
                continue
            requests.append(request)
            responses.append(response)
        return {**cassette_dict, "requests": requests, "responses": responses}


class _MergedConfig:
    """VCR.get_merged_config, plus the body matcher and the addressing filter,
    whatever `vcr_config` and the marks of the test say."""

    def __init__(self, merged_config: Callable[..., dict[str, Any]], rules: ScrubRules) -> None:
        self._merged_config = merged_config
        self._rules = rules

    def __call__(self, **options: Any) -> dict[str, Any]:
        config = self._merged_config(**options)
        matchers = tuple(config["match_on"])
        if not any(isinstance(matcher, BodyMatcher) for matcher in matchers):
            config["match_on"] = (*matchers, BodyMatcher(self._rules))
        config["before_record_request"] = _AddressedAsRecorded(
            config["before_record_request"], self._rules
        )
        return config


def adapt(vcr: Any, rules: ScrubRules, used_cassettes: set[Path]) -> None:
    """Adapt one test's VCR (see the module docstring)."""
    vcr.register_persister(_UsersApiPersister(vcr.persister, rules, used_cassettes))
    # A `match_on` that names the matcher (this SDK's vcr_config() once did) keeps working.
    vcr.register_matcher(MATCHER_NAME, BodyMatcher(rules))
    vcr.get_merged_config = _MergedConfig(vcr.get_merged_config, rules)
