"""The development outbox: where invitations and reset tokens are "mailed".

There is no mail server. Messages are kept in memory, newest last, readable
through `GET /_test/outbox` in test mode, and logged so that someone running
`make serve` can still complete a password reset. This is the one place a
reset token exists in clear, as it would in the recipient's mailbox; the
database only ever holds its hash.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import asdict, dataclass
from typing import Any, Literal

logger = logging.getLogger("users_server.outbox")


@dataclass(frozen=True)
class Message:
    kind: Literal["password_reset", "invitation"]
    email: str
    user_id: str
    token: str | None
    sent_at: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class Outbox:
    def __init__(self) -> None:
        self._messages: list[Message] = []
        self._lock = threading.Lock()

    def send(self, message: Message) -> None:
        with self._lock:
            self._messages.append(message)
        logger.info(
            "outbox: %s for %s (%s)%s",
            message.kind,
            message.email,
            message.user_id,
            f" token={message.token}" if message.token else "",
        )

    def messages(self) -> list[Message]:
        with self._lock:
            return list(self._messages)

    def clear(self) -> None:
        with self._lock:
            self._messages.clear()
