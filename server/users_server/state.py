"""Everything one server instance holds, built from its Settings."""

from __future__ import annotations

from typing import Any

from .devmode.testmode import Faults
from .http.bodies import PasswordBodies, UserBodies
from .rules.auth import Authenticator, Credential, Seed
from .rules.cursors import CursorCodec
from .rules.idempotency import Idempotency
from .rules.passwords import PasswordResets
from .rules.tokens import CredentialStore
from .rules.users import CREATE_DEFAULTS, User, UserStore
from .settings import Settings
from .spec import load_schema
from .store.database import Database
from .store.user_table import UserTable
from .support.clock import Clock, SteppingClock, SystemClock
from .support.entropy import Entropy, RandomEntropy, SeededEntropy
from .support.outbox import Outbox

# The users the configured credentials belong to, created at start (as UserCreate bodies).
SEED_USERS: dict[Seed, dict[str, Any]] = {
    "owner": {
        "email": "owner@example.com",
        "display_name": "Olivia Owner",
        "first_name": "Olivia",
        "last_name": "Owner",
        "username": "owner",
        "role": "owner",
        "status": "active",
        "account_id": "acc_0001",
    },
    "viewer": {
        "email": "viewer@example.com",
        "display_name": "Victor Viewer",
        "first_name": "Victor",
        "last_name": "Viewer",
        "username": "viewer",
        "role": "viewer",
        "status": "active",
        "account_id": "acc_0001",
    },
}


class ServerState:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        # Checked first: nothing is opened yet if the settings are unusable.
        self.credentials = [
            Credential("bearer", settings.owner_token, "owner"),
            Credential("bearer", settings.viewer_token, "viewer"),
            Credential("api_key", settings.owner_api_key, "owner"),
            Credential("api_key", settings.viewer_api_key, "viewer"),
        ]
        for kind in ("bearer", "api_key"):
            secrets = [c.secret for c in self.credentials if c.kind == kind]
            if len(set(secrets)) != len(secrets) or not all(s.strip() for s in secrets):
                raise ValueError(f"the owner and viewer {kind} credentials must differ and be set")
        # The user's fields, as the spec declares them: storage, wire and bodies follow.
        self.schema = load_schema(settings.spec)
        self.bodies = UserBodies.from_schema(self.schema, CREATE_DEFAULTS)
        self.password_bodies = PasswordBodies.from_schema(self.schema)
        table = UserTable(self.schema.user)
        self.clock: Clock = settings.clock or (
            SteppingClock() if settings.deterministic else SystemClock()
        )
        self.entropy: Entropy = SeededEntropy() if settings.deterministic else RandomEntropy()
        self.db = Database(settings.database, table)
        self.outbox = Outbox()
        self.faults = Faults()
        self.users = UserStore(self.db, table, self.clock, self.entropy, self.outbox)
        self.passwords = PasswordResets(self.db, self.clock, self.entropy, self.outbox)
        self.idempotency = Idempotency(self.db)
        self.tokens = CredentialStore(self.credentials, self.entropy)
        self.auth = Authenticator(self.tokens.current, self._seed_user)
        self._seed_ids: dict[Seed, str] = {}
        cursor = self.schema.list_users.parameter("cursor")
        self._cursor_max_length = cursor.limits.max_length if cursor else None
        self.cursors = CursorCodec(b"", self.db, self._cursor_max_length)
        self._initialise()

    def _initialise(self) -> None:
        if self.settings.deterministic:
            key = self.entropy.cursor_key()
        else:
            with self.db.transaction() as conn:
                # Persisted, so cursors survive a restart of a file database.
                stored = self.db.meta_value(conn, "cursor_key", self.entropy.cursor_key().hex())
            key = bytes.fromhex(stored)
        self.cursors = CursorCodec(key, self.db, self._cursor_max_length)
        for seed, data in SEED_USERS.items():
            # Validated like a request, so defaults (and fields a spec adds) are filled in.
            body = self.bodies.create.model_validate(data).model_dump()
            self._seed_ids[seed] = self.users.seed(body, last_login=seed == "owner").id

    def _seed_user(self, seed: Seed) -> User | None:
        return self.users.get(self._seed_ids[seed])

    def reset(self) -> None:
        """Back to the state right after start: seeded users and configured credentials
        only, every counter at zero."""
        self.db.wipe()
        self.clock.reset()
        self.entropy.reset()
        self.outbox.clear()
        self.faults.clear()
        self.tokens.reset()
        self._initialise()

    def close(self) -> None:
        self.db.close()
