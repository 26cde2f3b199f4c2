"""YouTube Data API v3 errors mapped to civicpulse's error classes.

Google answers errors with an HTTP status and ``{"error": {"code", "message", "errors":
[{"message", "domain", "reason"}], "status", "details": [...]}}``. The ``reason`` decides
(https://developers.google.com/youtube/v3/docs/errors and each method's error table); newer
answers also carry an ``ErrorInfo`` in ``details`` whose ``reason`` is read when ``errors`` is
missing.

==============================================  ==================================  =========================
reason                                          meaning                             class
==============================================  ==================================  =========================
rateLimitExceeded, userRateLimitExceeded,       too many requests for now;          TransientError
RATE_LIMIT_EXCEEDED, backendError,              Google's side failed
internalError
quotaExceeded, dailyLimitExceeded               the project's daily quota is spent  QuotaExhausted (platform)
keyInvalid, keyExpired, API_KEY_INVALID,        the API key is refused, or the      TokenError (platform)
accessNotConfigured, SERVICE_DISABLED,          project cannot use the API
ipRefererBlocked, unauthorized, authError
commentsDisabled                                comments are off on one video       a note (the target goes on)
videoNotFound, commentNotFound,                 the video or thread is gone         a note, during comments;
commentThreadNotFound                                                               else TerminalError (target)
channelNotFound, playlistNotFound               the channel or its uploads are gone TerminalError (target)
forbidden, playlistItemsNotAccessible,          private or restricted (forbidden    TerminalError (target)
                                                while comments are read: a note)
channelClosed, channelSuspended
others (badRequest, invalidPageToken...)                                            TerminalError (target)
==============================================  ==================================  =========================
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Literal

from civicpulse.collect.http import labelled
from civicpulse.collect.values import as_int, items, mapping
from civicpulse.errors import CollectError, QuotaExhausted, TerminalError, TokenError, TransientError

Scope = Literal["transient", "quota", "token", "item", "target"]

TRANSIENT: Final = frozenset(
    {"rateLimitExceeded", "userRateLimitExceeded", "RATE_LIMIT_EXCEEDED", "backendError", "internalError"}
)
QUOTA: Final = frozenset({"quotaExceeded", "dailyLimitExceeded", "dailyLimitExceededUnreg"})
TOKEN: Final = frozenset(
    {
        "keyInvalid",
        "keyExpired",
        "API_KEY_INVALID",
        "API_KEY_EXPIRED",
        "accessNotConfigured",
        "SERVICE_DISABLED",
        "ipRefererBlocked",
        "API_KEY_HTTP_REFERRER_BLOCKED",
        "API_KEY_IP_ADDRESS_BLOCKED",
        "API_KEY_SERVICE_BLOCKED",
        "unauthorized",
        "authError",
    }
)
ITEM: Final = frozenset({"commentsDisabled", "videoNotFound", "commentNotFound", "commentThreadNotFound"})
"""Reasons that concern one video when comments are read: the pass notes them and goes on."""

LABELS: Final = {
    "rateLimitExceeded": "rate limit",
    "userRateLimitExceeded": "rate limit",
    "backendError": "server error",
    "internalError": "server error",
    "commentsDisabled": "comments disabled",
    "videoNotFound": "deleted",
    "commentNotFound": "deleted",
    "commentThreadNotFound": "deleted",
    "channelNotFound": "deleted",
    "playlistNotFound": "deleted",
    "forbidden": "private",
    "playlistItemsNotAccessible": "private",
    "channelClosed": "closed",
    "channelSuspended": "suspended",
}


KNOWN: Final = TRANSIENT | QUOTA | TOKEN | ITEM | frozenset(LABELS)


@dataclass(frozen=True)
class YoutubeError:
    """One error YouTube reported for a request."""

    status: int
    reason: str
    message: str
    method: str | None = None

    @property
    def scope(self) -> Scope:
        if self.reason in TRANSIENT:
            return "transient"
        if self.reason in QUOTA:
            return "quota"
        if self.reason in TOKEN or self.status == 401:
            return "token"
        if self.reason in ITEM:
            return "item"
        return "target"

    @property
    def label(self) -> str:
        """A short word for reports: ``deleted``, ``private``, ``rate limit``..."""
        scope = self.scope
        if scope in ("quota", "token"):
            return scope
        return LABELS.get(self.reason, f"YouTube {self.reason or self.status}")

    def describe(self) -> str:
        where = f"{self.method}: " if self.method else ""
        return f"{where}YouTube error {self.status} {self.reason}: {self.message}"

    @classmethod
    def from_payload(cls, error: Any, method: str | None = None) -> YoutubeError:
        """Read an ``error`` object; tolerates missing fields and both the old and new shapes."""
        body = mapping(error)
        if not body:
            return cls(0, "unknown", f"unreadable error object {str(error)[:80]!r}", method)
        status = as_int(body.get("code")) or 0
        # errors[].reason, then the ErrorInfo reasons of details[]: an invalid key says "badRequest"
        # in errors[] and "API_KEY_INVALID" in details[], so the first reason we know wins
        reasons = [str(mapping(e).get("reason") or "") for e in items(body.get("errors"))]
        reasons += [str(mapping(d).get("reason") or "") for d in items(body.get("details"))]
        reasons = [r for r in reasons if r]
        reason = next((r for r in reasons if r in KNOWN), reasons[0] if reasons else str(body.get("status") or ""))
        message = str(body.get("message") or "no message")[:300]
        return cls(status, reason, message, method)


def error_for(error: YoutubeError, target: str) -> CollectError:
    """The civicpulse error to raise for ``error`` (see the table in the module docstring)."""
    scope = error.scope
    if scope == "transient":
        return labelled(TransientError(target, error.describe()), error.label)
    if scope == "quota":
        reason = error.describe() + " (the daily quota is spent; collection resumes after it resets)"
        return labelled(QuotaExhausted(target, reason), error.label)
    if scope == "token":
        return labelled(TokenError(target, error.describe() + " (check the API key in [collect.youtube])"), error.label)
    return labelled(TerminalError(target, error.describe()), error.label)
