"""VK API error codes mapped to civicpulse's error classes.

VK answers errors with HTTP 200 and ``{"error": {"error_code", "error_msg", "request_params"}}``;
inside ``execute`` a failed call returns ``false`` and adds ``{"method", "error_code",
"error_msg"}`` to ``execute_errors``. Codes and messages: https://dev.vk.com/ru/reference/errors
(and ``errors.json`` of VKCOM/vk-api-schema).

===========  =====================================================  ==========================
code         meaning                                                class
===========  =====================================================  ==========================
1, 10        unknown error, internal server error                   TransientError
6            too many requests per second                           TransientError
9            flood control (too many similar requests)              TransientError
29           rate limit reached: a method's daily limit is spent    QuotaExhausted (platform)
5, 28        authorization failed: token invalid, expired, revoked  TokenError (platform)
14, 17       captcha / validation required: the token is flagged    TokenError (platform)
15, 203      access denied (private wall, closed community)         TerminalError (target)
18           page deleted or blocked                                TerminalError (target)
30           profile is private                                     TerminalError (target)
212          access to post comments denied                         TerminalError (target)
others       e.g. 100 invalid parameter, 113 invalid user id        TerminalError (target)
===========  =====================================================  ==========================

``VK_ERROR_MESSAGES`` quotes the messages of ``errors.json`` for the codes above; tests build
fake error responses from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Literal, NoReturn

from civicpulse.collect.http import labelled
from civicpulse.errors import QuotaExhausted, TerminalError, TokenError, TransientError

Scope = Literal["transient", "quota", "token", "target"]

TRANSIENT: Final = frozenset({1, 6, 9, 10})
QUOTA: Final = frozenset({29})
TOKEN: Final = frozenset({5, 14, 17, 28})

VK_ERROR_MESSAGES: Final = {
    1: "Unknown error occurred",
    5: "User authorization failed",
    6: "Too many requests per second",
    9: "Flood control",
    10: "Internal server error",
    14: "Captcha needed",
    15: "Access denied",
    17: "Validation required",
    18: "User was deleted or banned",
    28: "Application authorization failed",
    29: "Rate limit reached",
    30: "This profile is private",
    100: "One of the parameters specified was missing or invalid",
    113: "Invalid user id",
    203: "Access to the group is denied",
    212: "Access to post comments denied",
}


LABELS: Final = {
    1: "server error",
    5: "token",
    6: "rate limit",
    9: "rate limit",
    10: "server error",
    14: "token",
    15: "private",
    17: "token",
    18: "deleted",
    28: "token",
    29: "quota",
    30: "private",
    100: "bad request",
    113: "bad request",
    203: "private",
    212: "comments closed",
}


@dataclass(frozen=True)
class VkError:
    """One error VK reported, for a whole request or for one call inside ``execute``."""

    code: int
    message: str
    method: str | None = None

    @property
    def scope(self) -> Scope:
        if self.code in TRANSIENT:
            return "transient"
        if self.code in QUOTA:
            return "quota"
        if self.code in TOKEN:
            return "token"
        return "target"

    @property
    def label(self) -> str:
        """A short word for reports: ``private``, ``deleted``, ``rate limit``..."""
        return LABELS.get(self.code, f"VK error {self.code}")

    def reason(self) -> str:
        where = f"{self.method}: " if self.method else ""
        return f"{where}VK error {self.code}: {self.message}"

    @classmethod
    def from_payload(cls, error: Any, method: str | None = None) -> VkError:
        """Read an ``error`` object or an ``execute_errors`` entry; tolerates missing fields."""
        if not isinstance(error, dict):
            return cls(0, f"unreadable error object {str(error)[:80]!r}", method)
        try:
            code = int(error.get("error_code", 0))
        except (TypeError, ValueError):
            code = 0
        message = str(error.get("error_msg") or VK_ERROR_MESSAGES.get(code, "no message"))
        return cls(code, message[:300], str(error.get("method") or method or "") or None)


def raise_error(error: VkError, target: str) -> NoReturn:
    """Raise the civicpulse error class for ``error`` (see the table in the module docstring)."""
    scope = error.scope
    if scope == "transient":
        raise labelled(TransientError(target, error.reason()), error.label)
    if scope == "quota":
        raise labelled(
            QuotaExhausted(target, error.reason() + " (a daily method limit; collection resumes on the next run)"),
            error.label,
        )
    if scope == "token":
        raise labelled(TokenError(target, error.reason() + " (check or renew the token in [collect.vk])"), error.label)
    raise labelled(TerminalError(target, error.reason()), error.label)
