"""Telegram faults mapped to civicpulse's error classes.

**MTProto** (Telethon) errors are RPC errors with a code and a name (core.telegram.org "Error
handling"; Telethon's ``errors`` reference). The MTProto client of this package turns them into
:class:`RpcFault` so that they are classified here, without Telethon:

==============================================================  ==========================================
code / name                                                     class
==============================================================  ==========================================
420 ``FLOOD_WAIT_X``, ``FLOOD_PREMIUM_WAIT_X``, ``SLOWMODE_WAIT_X``  TransientError, waits the X seconds asked
                                                                (longer than ``max_wait``: the target
                                                                waits for the next run)
500, -503 (``RPC_CALL_FAIL``, ``Timeout``...), lost connection  TransientError
401 (``AUTH_KEY_UNREGISTERED``, ``SESSION_REVOKED``,            TokenError (platform)
``USER_DEACTIVATED``...), 406 ``AUTH_KEY_DUPLICATED``
``CHANNEL_PRIVATE``, ``CHANNEL_PUBLIC_GROUP_NA``, 403           TerminalError ``private``
``USERNAME_NOT_OCCUPIED``, ``USERNAME_INVALID``,                TerminalError ``not found``
``CHANNEL_INVALID``, ``PEER_ID_INVALID``
other 400s                                                      TerminalError (target)
==============================================================  ==========================================

**Web preview**: a ``t.me/s/<name>`` that redirects to ``t.me/<name>`` has no public preview
(a private channel, a group, a person, or a name nobody holds): the target is skipped as
``no preview``. HTTP faults are the HTTP layer's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from civicpulse.collect.http import labelled
from civicpulse.errors import CollectError, TerminalError, TokenError, TransientError

_WAIT = re.compile(r"^(?:FLOOD_WAIT|FLOOD_PREMIUM_WAIT|SLOWMODE_WAIT|FLOOD_TEST_PHONE_WAIT)_(\d+)$")
SERVER_NAMES: Final = frozenset(
    {"RPC_CALL_FAIL", "RPC_MCGET_FAIL", "TIMEOUT", "INTERNAL", "WORKER_BUSY_TOO_LONG_RETRY", "MSG_WAIT_FAILED"}
)
TOKEN_NAMES: Final = frozenset(
    {
        "AUTH_KEY_UNREGISTERED",
        "AUTH_KEY_INVALID",
        "AUTH_KEY_PERM_EMPTY",
        "AUTH_KEY_DUPLICATED",
        "SESSION_REVOKED",
        "SESSION_EXPIRED",
        "SESSION_PASSWORD_NEEDED",
        "USER_DEACTIVATED",
        "USER_DEACTIVATED_BAN",
        "API_ID_INVALID",
        "API_ID_PUBLISHED_FLOOD",
    }
)
PRIVATE_NAMES: Final = frozenset({"CHANNEL_PRIVATE", "CHANNEL_PUBLIC_GROUP_NA", "CHAT_ADMIN_REQUIRED"})
MISSING_NAMES: Final = frozenset({"USERNAME_NOT_OCCUPIED", "USERNAME_INVALID", "CHANNEL_INVALID", "PEER_ID_INVALID"})


@dataclass
class RpcFault(Exception):
    """An MTProto RPC error as the client reports it: code, name and, for waits, the seconds."""

    code: int
    name: str
    seconds: int | None = None

    def __post_init__(self) -> None:
        super().__init__(f"{self.code} {self.name}")
        if self.seconds is None:
            match = _WAIT.match(self.name)
            if match:
                self.seconds = int(match.group(1))

    @property
    def is_wait(self) -> bool:
        return self.code == 420 or (self.seconds is not None and "WAIT" in self.name)


def fault_error(fault: RpcFault, method: str, target: str) -> CollectError:
    """The civicpulse error for an RPC fault (see the table in the module docstring)."""
    reason = f"{method}: Telegram error {fault.code} {fault.name}"
    if fault.is_wait:
        seconds = float(fault.seconds if fault.seconds is not None else 60)
        return labelled(TransientError(target, f"{reason}: wait {seconds:.0f} s", retry_after=seconds), "rate limit")
    if fault.code in (401, 406) or fault.name in TOKEN_NAMES:
        hint = " (log in again and put the new session string in [collect.telegram] token)"
        return labelled(TokenError(target, reason + hint), "token")
    if fault.code >= 500 or fault.code < 0 or fault.name.upper() in SERVER_NAMES:
        return labelled(TransientError(target, reason), "server error")
    if fault.name in PRIVATE_NAMES or fault.code == 403:
        return labelled(TerminalError(target, reason), "private")
    if fault.name in MISSING_NAMES:
        return labelled(TerminalError(target, reason), "not found")
    return labelled(TerminalError(target, reason), "bad request")


def no_preview(target: str, name: str) -> TerminalError:
    return labelled(
        TerminalError(
            target,
            f"t.me/s/{name} has no public preview (a private channel, not a channel, or no such name); "
            "collect it through MTProto with a member's session, or check the registry",
        ),
        "no preview",
    )
