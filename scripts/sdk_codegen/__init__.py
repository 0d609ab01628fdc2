"""The project's own generation step: support code for the users_sdk facade,
written from openapi.yaml into `users_api_client/sdk/` next to what
openapi-python-client writes (`scripts/generate.py` runs both).

Every field-level fact the facade needs (field kinds and nullability, the
keyword arguments of its methods, enum values, request shapes, model builders,
model names) is written here from the spec, so that an additive spec change
reaches users through `make generate` alone.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from . import (
    render_builders,
    render_exports,
    render_operations,
    render_params,
    render_structs,
)
from .spec import Spec, SpecError

__all__ = ["SUBPACKAGE", "Spec", "SpecError", "write"]

SUBPACKAGE = "sdk"

_PACKAGE_DOC = '''"""Written by the project's generation step (scripts/sdk_codegen) from
openapi.yaml, for the users_sdk facade: what each request takes (params),
each operation (operations) as a typed call (call) and the methods of the
clients that make one (resources), fast model builders (builders), a typed
decode of responses that match the spec exactly (structs, with msgspec), the
names of the models (names, exports), and which spec it all came from (source).
"""
'''


def write(spec_path: Path, package_dir: Path) -> list[Path]:
    """Write the support modules into `package_dir/sdk/`; returns their paths."""
    spec = Spec.load(spec_path)
    render_params.check_schema_names(spec)
    target = package_dir / SUBPACKAGE
    target.mkdir()
    modules = {
        "__init__.py": _PACKAGE_DOC,
        "params.py": render_params.render(spec),
        "builders.py": render_builders.render(spec),
        "structs.py": render_structs.render(spec),
        "names.py": render_exports.render_names(spec),
        "exports.py": render_exports.render_exports(spec),
        "source.py": _render_source(spec_path),
    }
    modules.update(render_operations.render(spec))
    written = []
    for name, text in modules.items():
        path = target / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _render_source(spec_path: Path) -> str:
    # The installed SDK carries its spec (users_sdk.openapi); this digest is how a
    # copy is proven to be the one these modules were written from.
    digest = hashlib.sha256(spec_path.read_bytes()).hexdigest()
    return (
        '"""The spec this package was generated from."""\n\n'
        "from __future__ import annotations\n\n"
        "from typing import Final\n\n"
        "# sha256 of the openapi.yaml bytes the generator read.\n"
        f'SPEC_SHA256: Final = "{digest}"\n'
    )
