"""Parse figures: the bytes of one page of 100 users (the canned listing's first
page) into models, against `json.loads` of the same bytes, all in the same
rounds (CPU time per page).

Beside the facade's page parser: the generated model layer (`from_dict`), a
floor (the least an eager typed model layer does), and the peers a user could
pick instead: pydantic v2 and msgspec on models equivalent to the spec's
UserPage and User (written below), and orjson (untyped). A peer that cannot be
imported gives a skipped row with the reason.
"""

from __future__ import annotations

import datetime
import json
import sys
from collections.abc import Callable
from typing import Any, Literal

import attrs
import httpx2
from canned_server import PAGE_SIZE, page_body
from harness import (
    Config,
    Target,
    cpu,
    figure,
    interleaved,
    median,
    paired_ratio,
    skipped,
    spread,
    us,
)

from users_api_client import models as generated_models
from users_api_client.models import User
from users_api_client.sdk.operations import LIST_USERS
from users_api_client.types import UNSET
from users_sdk import _parsing as adapter

# ---- the peers' models: UserPage and User of openapi.yaml -------------------------
#
# Every field required (null allowed where the spec says so), the enums as
# Literals, the date-times parsed, Metadata a dict of strings. Like the SDK's
# parser, they check types and not bounds (`version` >= 1, `limit` <= 100).
# Stricter than the SDK in two ways that cost them nothing here: an unknown
# enum value is refused (the SDK keeps it as a string), and so are non-string
# list items and Metadata values (the SDK keeps those lists as they come).

Role = Literal["owner", "admin", "member", "viewer"]
Status = Literal["invited", "active", "suspended", "deactivated"]

try:
    import pydantic
except ImportError as error:
    PYDANTIC_MISSING: str | None = f"pydantic cannot be imported ({error})"
else:
    PYDANTIC_MISSING = None

    class PydanticUser(pydantic.BaseModel):
        # Unknown fields are kept, as the SDK keeps them (additional_properties).
        model_config = pydantic.ConfigDict(extra="allow")

        id: str
        email: str
        display_name: str
        first_name: str | None
        last_name: str | None
        username: str | None
        role: Role
        status: Status
        phone: str | None
        department: str | None
        groups: list[str]
        permissions: list[str]
        metadata: dict[str, str]
        account_id: str | None
        is_service_user: bool
        last_login_at: datetime.datetime | None
        created_at: datetime.datetime
        updated_at: datetime.datetime
        version: int

    class PydanticUserPage(pydantic.BaseModel):
        model_config = pydantic.ConfigDict(extra="allow")

        items: list[PydanticUser]
        limit: int
        next_cursor: str | None
        previous_cursor: str | None


try:
    import msgspec
except ImportError as error:
    MSGSPEC_MISSING: str | None = f"msgspec cannot be imported ({error})"
else:
    MSGSPEC_MISSING = None

    # msgspec has no way to keep unknown fields: a Struct drops them, which
    # the SDK does not do. Its figure is the practical limit of a typed decode.
    class MsgspecUser(msgspec.Struct):
        id: str
        email: str
        display_name: str
        first_name: str | None
        last_name: str | None
        username: str | None
        role: Role
        status: Status
        phone: str | None
        department: str | None
        groups: list[str]
        permissions: list[str]
        metadata: dict[str, str]
        account_id: str | None
        is_service_user: bool
        last_login_at: datetime.datetime | None
        created_at: datetime.datetime
        updated_at: datetime.datetime
        version: int

    class MsgspecUserPage(msgspec.Struct):
        items: list[MsgspecUser]
        limit: int
        next_cursor: str | None
        previous_cursor: str | None


try:
    import orjson
except ImportError as error:
    ORJSON_MISSING: str | None = f"orjson cannot be imported ({error})"
else:
    ORJSON_MISSING = None


# Why a peer's rows are skipped in this run, by variant name (None: measured).
MISSING = {"pydantic": PYDANTIC_MISSING, "msgspec": MSGSPEC_MISSING, "orjson": ORJSON_MISSING}


def same_users(sdk_users: list[User], peer_users: list[Any], fields: list[str]) -> bool:
    """The peer decoded the same values as the SDK, field by field."""

    def sdk_value(user: User, name: str) -> Any:
        value = getattr(user, name)
        return value.additional_properties if name == "metadata" else value

    return len(sdk_users) == len(peer_users) and all(
        sdk_value(sdk, name) == getattr(peer, name)
        for sdk, peer in zip(sdk_users, peer_users, strict=True)
        for name in fields
    )


# ---- the floor ----------------------------------------------------------------------


def bare_builder(model: type) -> Callable[[dict[str, Any]], Any]:
    """The least any eager typed model layer does per item: allocate the
    object, set every field, parse the date-times, wrap nested models. No
    checks at all, so it trusts its input: a floor to compare with, not a parser.
    Straight-line code written from the attrs fields, as the facade's own
    fast builder is, so that the floor is not inflated by a loop."""
    namespace: dict[str, Any] = {
        "new": object.__new__,
        "model": model,
        "iso": datetime.datetime.fromisoformat,
        "UNSET": UNSET,
    }
    lines = ["def build(d):", "    o = new(model)"]
    for field in attrs.fields(model):
        name = field.name
        tokens = str(field.type).split(" | ")
        kinds = [kind for kind in tokens if kind not in ("None", "Unset")]
        # An optional field (one the spec does not require) may be absent.
        read = f"d.get({name!r}, UNSET)" if "Unset" in tokens else f"d[{name!r}]"
        if name == "additional_properties":
            lines.append("    o.additional_properties = {}")
        elif kinds == ["datetime.datetime"]:
            lines.append(f"    v = {read}")
            lines.append(f"    o.{name} = v if v is None or v is UNSET else iso(v)")
        elif isinstance(getattr(generated_models, kinds[0], None), type):
            namespace[kinds[0]] = getattr(generated_models, kinds[0])
            lines.append(f"    m = new({kinds[0]})")
            lines.append(f"    m.additional_properties = {read}")
            lines.append(f"    o.{name} = m")
        else:
            lines.append(f"    o.{name} = {read}")
    lines.append("    return o")
    exec("\n".join(lines), namespace)
    build: Callable[[dict[str, Any]], Any] = namespace["build"]
    return build


def parse_user_page(response: httpx2.Response) -> Any:
    """What SyncPage uses for a page of listUsers."""
    return adapter.parse_page(LIST_USERS.page, response)


# ---- the figures --------------------------------------------------------------------


def bench_parse(config: Config) -> list[dict[str, Any]]:
    """A page of 100 users into models, against json.loads of the same bytes."""
    body = page_body(0)
    response = httpx2.Response(200, content=body, headers={"content-type": "application/json"})
    iterations = config.parse_iterations
    users, _, _ = adapter.parse_page(LIST_USERS.page, response)
    assert len(users) == PAGE_SIZE
    assert isinstance(users[0], User)

    def repeat(parse: Callable[[Any], Any], argument: Any) -> Callable[[], None]:
        def run() -> None:
            for _ in range(iterations):
                parse(argument)

        return run

    loads, from_dict = json.loads, User.from_dict
    bare = bare_builder(User)
    assert bare(json.loads(body)["items"][0]) == users[0]

    def generated(content: bytes) -> list[User]:
        return [from_dict(item) for item in loads(content)["items"]]

    def floor(content: bytes) -> list[Any]:
        return [bare(item) for item in loads(content)["items"]]

    variants = {
        "facade": repeat(parse_user_page, response),
        "json": repeat(loads, body),
        "generated": repeat(generated, body),
        "floor": repeat(floor, body),
    }
    if PYDANTIC_MISSING is None:
        validate = PydanticUserPage.model_validate_json
        assert same_users(users, validate(body).items, list(PydanticUser.model_fields))
        variants["pydantic"] = repeat(validate, body)
    if MSGSPEC_MISSING is None:
        decode = msgspec.json.Decoder(MsgspecUserPage).decode
        assert same_users(users, decode(body).items, list(MsgspecUser.__struct_fields__))
        variants["msgspec"] = repeat(decode, body)
    if ORJSON_MISSING is None:
        assert orjson.loads(body) == json.loads(body)
        variants["orjson"] = repeat(orjson.loads, body)

    samples = interleaved(variants, config.parse_rounds, per=iterations)
    title = f"parsing a page of {PAGE_SIZE} users into models"
    measure = "CPU time per page"

    def row(
        *, id: str, name: str, candidate: str, against: str = "json", target: Target | None = None
    ) -> dict[str, Any]:
        """Variant `name` against variant `against`, both from the same rounds."""
        baseline = {
            "json": "json.loads of the same bytes",
            "pydantic": "pydantic v2 UserPage.model_validate_json (the equivalent model)",
        }[against]
        reason = MISSING.get(name) or MISSING.get(against)
        if reason is not None:
            print(f"skipped: {reason}", file=sys.stderr)
            return skipped(
                id=id,
                title=title,
                candidate=candidate,
                baseline=baseline,
                target=target,
                reason=f"skipped: {reason}",
            )
        candidate_cpu, baseline_cpu = cpu(samples[name]), cpu(samples[against])
        return figure(
            id=id,
            title=title,
            candidate=candidate,
            baseline=baseline,
            measure=measure,
            value=paired_ratio(candidate_cpu, baseline_cpu),
            target=target,
            candidate_median_us=us(median(candidate_cpu)),
            baseline_median_us=us(median(baseline_cpu)),
            round_ratio_iqr=spread(candidate_cpu, baseline_cpu),
            rounds=config.parse_rounds,
            iterations_per_round=iterations,
        )

    facade = "the facade's page parser (what SyncPage uses: json + checks + User models)"
    return [
        row(id="parse_page", name="facade", candidate=facade, target=("<=", 1.0)),
        row(
            id="parse_page_generated",
            name="generated",
            candidate="json.loads + generated User.from_dict per item (the generated model layer)",
        ),
        row(
            id="parse_page_floor",
            name="floor",
            candidate="json.loads + the least an eager model layer does (allocate, set fields, "
            "parse date-times; no checks)",
        ),
        row(
            id="parse_page_pydantic",
            name="pydantic",
            candidate="pydantic v2 UserPage.model_validate_json (equivalent model: Literal "
            "enums, date-times, extra='allow')",
        ),
        row(
            id="parse_page_msgspec",
            name="msgspec",
            candidate="msgspec.json.Decoder(UserPage).decode, an equivalent Struct page (typed; "
            "drops unknown fields)",
        ),
        row(id="parse_page_orjson", name="orjson", candidate="orjson.loads (untyped dicts)"),
        row(
            id="parse_page_vs_pydantic",
            name="facade",
            candidate=facade,
            against="pydantic",
            target=("<=", 0.7),
        ),
    ]
