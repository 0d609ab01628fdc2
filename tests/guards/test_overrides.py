"""A hand-written resource method may replace a generated one only with a
compatible signature: every parameter the generated method takes (the spec's
arguments and the per-call options) is still taken, of the same kind and with
the same default, so that a spec change still reaches users through it."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import pytest

from users_api_client.sdk.resources import RESOURCES
from users_api_client.sdk.resources.users import Users
from users_sdk import NOT_GIVEN, AsyncUsersClient, UsersClient


def incompatible(generated: type, override: type) -> list[str]:
    """What `override` (a subclass of `generated`) dropped or changed."""
    problems = []
    for name, member in vars(override).items():
        base = getattr(generated, name, None)
        if name.startswith("_") or not inspect.isfunction(member) or base is None:
            continue
        taken = inspect.signature(member).parameters
        for parameter in inspect.signature(base).parameters.values():
            replacement = taken.get(parameter.name)
            if replacement is None:
                problems.append(f"{override.__name__}.{name} drops {parameter.name}")
            elif (replacement.kind, replacement.default) != (parameter.kind, parameter.default):
                problems.append(f"{override.__name__}.{name} changes {parameter.name}")
        added = [
            p.name
            for p in taken.values()
            if p.name not in inspect.signature(base).parameters and p.default is p.empty
        ]
        problems += [f"{override.__name__}.{name} requires a new {n}" for n in added]
    return problems


def _generated_base(cls: type) -> type:
    return next(c for c in cls.__mro__ if c.__module__.startswith("users_api_client."))


@pytest.mark.parametrize("client_class", [UsersClient, AsyncUsersClient])
def test_every_resource_keeps_the_generated_signatures(client_class: Any) -> None:
    client = client_class(base_url="http://overrides.test", token="t")
    for name in RESOURCES:
        used = type(getattr(client, name))
        generated = _generated_base(used)
        assert incompatible(generated, used) == [], name
    closed = client.close()
    if inspect.isawaitable(closed):
        asyncio.run(closed)


def test_the_guard_names_an_override_that_drops_an_argument() -> None:
    class Narrow(Users):
        def get(self, user_id: str) -> Any:  # type: ignore[override]
            return super().get(user_id)

    class Renamed(Users):
        def get(self, id: str, *, timeout: Any = None, **options: Any) -> Any:  # type: ignore[override]
            return super().get(id, **options)

    class Wider(Users):
        def get(  # type: ignore[override]
            self,
            user_id: str,
            *,
            extra_headers: Any = None,
            extra_query: Any = None,
            extra_body: Any = None,
            timeout: Any = NOT_GIVEN,
            max_retries: Any = NOT_GIVEN,
            expand: bool = False,
        ) -> Any:
            return super().get(user_id, timeout=timeout, max_retries=max_retries)

    assert "Narrow.get drops max_retries" in incompatible(Users, Narrow)
    assert "Renamed.get drops user_id" in incompatible(Users, Renamed)
    assert "Renamed.get changes timeout" in incompatible(Users, Renamed)
    assert incompatible(Users, Wider) == []
