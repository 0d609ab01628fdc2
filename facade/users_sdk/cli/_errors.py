"""What went wrong, as one line on stderr and an exit code.

The line is the SDK error's own message (what happened, the likely cause and
what to do), with the Python terms of its advice put in command-line terms:
`pass token=` is `pass --token`. The command line adds only what the SDK
cannot know: where the address came from (no response) and how to wait (a
429). The exit codes below are the CLI's contract, in `--help` (EXIT_CODES)
and docs/guides/cli.md.
"""

from __future__ import annotations

import re
from typing import Final

from .._environment import API_KEY_ENV, BASE_URL_ENV, TOKEN_ENV
from .._exceptions import (
    APIConnectionError,
    APIStatusError,
    ConfigurationError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    RateLimitError,
)

OK: Final = 0
API_ERROR: Final = 1
USAGE_ERROR: Final = 2
PARTIAL_IMPORT: Final = 3
INTERRUPTED: Final = 130

EXIT_CODES: Final = (
    "Exit codes: 0 ok (also when a confirmation is declined: nothing is done; and when "
    "the reader of stdout stops early, as `| head` does); 1 API error (the server refused "
    "or could not be reached); 2 usage error (bad flags, a bad input file, a bad or missing "
    "base URL or credential, no terminal to ask on); 3 partial import (some rows failed: "
    "see --rejects); 130 interrupted."
)

# The client's arguments, as the command line spells them.
_OPTIONS: Final = {"base_url": "--base-url", "token": "--token", "api_key": "--api-key"}
_VARIABLES: Final = {"base_url": BASE_URL_ENV, "token": TOKEN_ENV, "api_key": API_KEY_ENV}
_NOUNS: Final = {"base_url": "the base URL", "token": "the token", "api_key": "the API key"}
# `token=`, `base_url='https://...'`: an argument in the SDK's advice.
_ARGUMENT = re.compile(r"\b(base_url|token|api_key)=(?:'([^']*)')?")
# A message about an argument starts with its name: `token must be ...`.
_SUBJECT = re.compile(r"^(base_url|token|api_key)\b(?!=)")
# Elsewhere, the names that are no English word ("the token you sent" stays).
_NAME = re.compile(r"\b(base_url|api_key)\b")


class UsageError(Exception):
    """Bad input the command line itself found (a file, a missing terminal): exit 2."""


def exit_code(error: BaseException) -> int:
    if isinstance(error, KeyboardInterrupt):
        return INTERRUPTED
    if isinstance(
        error,
        UsageError | ConfigurationError | InvalidArgumentError | InvalidArgumentTypeError,
    ):
        return USAGE_ERROR
    return API_ERROR


def one_line(error: BaseException) -> str:
    """`users-sdk: <what happened; the likely cause; what to do>` on a single line."""
    if isinstance(error, KeyboardInterrupt):
        return (
            "users-sdk: interrupted; run the same command again: an import replays the rows "
            "already done, an export continues with --resume"
        )
    text = cli_terms(str(error) or type(error).__name__)
    if isinstance(error, RateLimitError):  # its hint names max_retries, which is Python's
        wait = (
            "wait and run it again"
            if error.retry_after is None
            else f"the server asked to wait {error.retry_after:g} s: run it again after that"
        )
        text = f"{_without_hint(error, text).rstrip('.')}; {wait}"
    elif isinstance(error, APIConnectionError):
        text = f"{text.rstrip('.')}; the address comes from --base-url or {BASE_URL_ENV}"
    return _single_line(f"users-sdk: {text}")


def message(error: BaseException) -> str:
    """What happened, without the SDK's advice (a failed row of an import)."""
    text = _without_hint(error, str(error) or type(error).__name__)
    return _single_line(cli_terms(text)).rstrip(".")


def cli_terms(text: str) -> str:
    """The SDK's advice in command-line terms: `pass token=` is `pass --token`,
    and `token must ...` names where a token comes from."""
    text = _ARGUMENT.sub(lambda m: _OPTIONS[m[1]] + (f" {m[2]}" if m[2] else ""), text)
    text = _SUBJECT.sub(lambda m: f"{_NOUNS[m[1]]} ({_OPTIONS[m[1]]} or {_VARIABLES[m[1]]})", text)
    return _NAME.sub(lambda m: _OPTIONS[m[1]], text)


def _without_hint(error: BaseException, text: str) -> str:
    hint = getattr(error, "hint", None)
    if isinstance(error, APIStatusError) and isinstance(hint, str) and hint:
        # A ValidationError lists its fields after the hint: keep them.
        text = text.replace(f" {cli_terms(hint)}", "").replace(f" {hint}", "")
    return text


def _single_line(text: str) -> str:
    return " ".join(text.split())
