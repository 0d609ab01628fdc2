"""What the spec says of a field or parameter reaches the generated tables
(`users_api_client.sdk.params`), where the command line reads its option help
and name: the description, and the `x-cli-name` extension (scripts/sdk_codegen)."""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from users_api_client.sdk.params import CREATE_USER_BODY, LIST_USERS_QUERY

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from sdk_codegen.render_params import kind  # noqa: E402
from sdk_codegen.spec import Spec, SpecError  # noqa: E402

SPEC: dict[str, Any] = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))


def list_users(spec: Spec) -> dict[str, Any]:
    return {p.name: p.value for p in spec.operation("listUsers").parameters}


def test_the_committed_tables_carry_descriptions_and_cli_names() -> None:
    values = list_users(Spec(SPEC))
    for name, value in values.items():
        if name in LIST_USERS_QUERY:
            assert LIST_USERS_QUERY[name].description == value.description, name
            assert LIST_USERS_QUERY[name].cli_name == value.cli_name, name
    assert LIST_USERS_QUERY["q"].cli_name == "search"
    assert LIST_USERS_QUERY["limit"].description == "How many users a page holds at most."
    assert CREATE_USER_BODY["send_invite"].description.startswith("Send the invitation")


def test_a_property_may_be_renamed_too_and_both_reach_the_kind() -> None:
    document = copy.deepcopy(SPEC)
    properties = document["components"]["schemas"]["UserCreate"]["properties"]
    properties["is_service_user"]["x-cli-name"] = "service"
    [field] = [
        f for f in Spec(document).models["UserCreate"].fields if f.json_name == "is_service_user"
    ]
    written = kind(field.value)
    assert "cli_name='service'" in written
    assert "description='True for machine users" in written


@pytest.mark.parametrize("name", ["Search", "--search", "search-term", 3, ""])
def test_an_x_cli_name_that_is_no_option_name_stops_generation(name: object) -> None:
    document = copy.deepcopy(SPEC)
    parameters = document["paths"]["/v1/users"]["get"]["parameters"]
    [q] = [p for p in parameters if p.get("name") == "q"]
    q["x-cli-name"] = name
    with pytest.raises(SpecError, match=r"listUsers\(q\): x-cli-name must be a snake_case name"):
        Spec(document)
