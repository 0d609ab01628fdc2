"""What went wrong, as one line on stderr and an exit code.

The SDK's messages say what to do in Python terms (`pass token=`); here each
class of the error tree gets the command line's own advice instead. The exit
codes below are the CLI's contract, in `--help` (EXIT_CODES) and the README.
"""

from __future__ import annotations

from typing import Final

from .._exceptions import (
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    ConfigurationError,
    ConflictError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    NotFoundError,
    PermissionDeniedError,
    PreconditionFailedError,
    RateLimitError,
    UsersAPIError,
    ValidationError,
)

OK: Final = 0
API_ERROR: Final = 1
USAGE_ERROR: Final = 2
PARTIAL_IMPORT: Final = 3
INTERRUPTED: Final = 130

EXIT_CODES: Final = (
    "Exit codes: 0 ok (also when the reader of stdout stops early, as `| head` does); "
    "1 API error (the server refused or could not be reached); "
    "2 usage error (bad flags, bad input file, no terminal to ask on); "
    "3 partial import (some rows failed: see --rejects); 130 interrupted."
)

_CREDENTIAL = "set USERS_API_TOKEN or USERS_API_KEY, or pass --token or --api-key"

# The first class an error is an instance of gives the advice (subclasses first).
_ADVICE: Final[tuple[tuple[type[UsersAPIError], str], ...]] = (
    (AuthenticationError, f"check the credential: {_CREDENTIAL}"),
    (PermissionDeniedError, "this credential's role may not do that; use an owner or admin one"),
    (NotFoundError, "check the id ('users-sdk users list' finds users)"),
    (PreconditionFailedError, "the user changed since that version: get it again and retry"),
    (ConflictError, "it conflicts with the current state: read it again and adjust"),
    (ValidationError, "fix the fields named and try again"),
    (RateLimitError, "the server is rate limiting: wait and run it again"),
    (APIStatusError, "the server refused the request"),
    (APIConnectionError, "check --base-url (or USERS_API_BASE_URL) and that the API is up"),
    (ConfigurationError, f"pass --base-url or set USERS_API_BASE_URL, and {_CREDENTIAL}"),
)


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
    """`users-sdk: <what happened>; <what to do>` on a single line."""
    if isinstance(error, KeyboardInterrupt):
        return (
            "users-sdk: interrupted; run the same command again: an import replays the rows "
            "already done, an export continues with --resume"
        )
    what = message(error)
    advice = next((text for cls, text in _ADVICE if isinstance(error, cls)), None)
    if isinstance(error, RateLimitError) and error.retry_after is not None:
        advice = f"the server asked to wait {error.retry_after:g} s: run it again after that"
    line = f"users-sdk: {what}" + (f"; {advice}" if advice else "")
    return " ".join(line.split())  # one line, whatever the message held


def message(error: BaseException) -> str:
    """What happened, on one line, without the SDK's advice for Python callers."""
    text = str(error) or type(error).__name__
    hint = getattr(type(error), "hint", None)
    if isinstance(error, APIStatusError) and isinstance(hint, str) and hint:
        text = text.replace(f" {hint}", "")  # a ValidationError lists its fields after it
    if isinstance(error, ConfigurationError):
        # "pass token= or api_key=, or set ..." is the Python advice; ours follows.
        text = text.split(": pass ")[0]
    return " ".join(text.split()).rstrip(".")
