"""RetryPolicy: which failures the client retries, and how long it may wait.

    from users_sdk import RetryPolicy, UsersClient

    client = UsersClient(retry=RetryPolicy(statuses={429, 503}, max_delay=2.0))
    calm = client.with_options(retry=RetryPolicy(should_retry=lambda error, attempt: False))

How many times is `max_retries` (on the client, `with_options` or a call).
The defaults are the SDK's: 408, 429, 500, 502, 503 and 504 and connection
errors are retried; 409 never is (here it means "that email is taken"), nor
any other 4xx. `should_retry(error, attempt)` sees the SDK error the call
would raise now and the attempt that just failed (1 for the first); it
returns True to retry (while retries remain), False to raise at once, or None
to leave the decision to the rest of the policy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from . import _retries
from ._exceptions import ConfigurationError

__all__ = ["DEFAULT_RETRY_POLICY", "RetryPolicy", "checked_retry_policy"]


def _seconds(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 3600:
        raise ConfigurationError(f"RetryPolicy({name}=...) must be seconds from 0 to 3600")
    return float(value)


class RetryPolicy:
    """When to retry: the statuses, the longest backoff, the longest wait the
    server may ask for (Retry-After or retry-after-ms), and an optional
    predicate (see the module docstring)."""

    __slots__ = ("max_delay", "max_retry_after", "should_retry", "statuses")

    def __init__(
        self,
        *,
        statuses: Iterable[int] = _retries.RETRYABLE_STATUSES,
        max_delay: float = _retries.MAX_DELAY,
        max_retry_after: float = _retries.MAX_RETRY_AFTER,
        should_retry: Callable[[Exception, int], bool | None] | None = None,
    ) -> None:
        chosen = frozenset(statuses)
        if not all(isinstance(s, int) and 400 <= s <= 599 for s in chosen):
            raise ConfigurationError("RetryPolicy(statuses=...) must be HTTP statuses 400 to 599")
        if should_retry is not None and not callable(should_retry):
            raise ConfigurationError("RetryPolicy(should_retry=...) must be a function")
        self.statuses: frozenset[int] = chosen
        self.max_delay: float = _seconds("max_delay", max_delay)
        self.max_retry_after: float = _seconds("max_retry_after", max_retry_after)
        self.should_retry: Callable[[Exception, int], bool | None] | None = should_retry

    def __repr__(self) -> str:
        predicate = "" if self.should_retry is None else ", should_retry=<function>"
        return (
            f"RetryPolicy(statuses={sorted(self.statuses)}, max_delay={self.max_delay:g}, "
            f"max_retry_after={self.max_retry_after:g}{predicate})"
        )


DEFAULT_RETRY_POLICY = RetryPolicy()


def checked_retry_policy(policy: Any) -> RetryPolicy:
    if policy is None:
        return DEFAULT_RETRY_POLICY
    if not isinstance(policy, RetryPolicy):
        raise ConfigurationError(
            f"retry must be a users_sdk.RetryPolicy, not {type(policy).__name__}"
        )
    return policy
