"""What the conformance battery leaves out: the operations the server answers 501.

The server names them (`RunningServer.unimplemented`, from
`users_server.http.unimplemented.unimplemented_operations`); these functions turn that
list into a skip reason for the plugin's cases, options for `schemathesis run`,
and the lines printed with the battery's figures. test_schemathesis.py uses them,
test_unimplemented.py checks them on a spec ahead of the server.
"""

from __future__ import annotations

from users_server.spec import Operation


def not_implemented_report(unimplemented: tuple[Operation, ...]) -> str:
    """One line per operation the server answers 501, or a line saying there is none."""
    if not unimplemented:
        return "Not implemented by the server (not tested): none"
    lines = [f"  {op.name} ({op.label})" for op in unimplemented]
    return "\n".join(["Not implemented by the server (not tested):", *lines])


def exclusion_options(unimplemented: tuple[Operation, ...]) -> list[str]:
    """`schemathesis run` options that leave out exactly these operations.

    By operation id, or by name (`POST /v1/users/{user_id}/suspend`) for one
    without: each value is a filter of its own, and an operation matching any
    of them is left out.
    """
    return [
        f"--exclude-operation-id={op.operation_id}"
        if op.operation_id
        else f"--exclude-name={op.label}"
        for op in unimplemented
    ]


def skip_reason(case_label: str, unimplemented: tuple[Operation, ...]) -> str | None:
    """Why the case of the operation named `case_label` is skipped; None to test it."""
    for op in unimplemented:
        if op.label == case_label:
            return f"{op.name} ({op.label}) is not implemented by the server yet (501)"
    return None
